# What the security lists turned away: rejected records per destination port, and
# how many distinct sources tried each port.
Action = reject
| stats count as Attempts, distinctcount('Source IP') as Sources by 'Destination Port'
| sort -Attempts, 'Destination Port'
| head 20
