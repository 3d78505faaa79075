# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bottom.html
# As published: * | link 'Client Host City', 'Source IP'
#   | stats sum('Content Size Out') as 'Bandwidth Usage'
#   | bottom limit = 2 'Bandwidth Usage' by 'Source IP'
# Adapted: the destination port takes the client city's place; the two quietest ports of
# each source, for the sources in 10.0.0.0/24.
* | link 'Destination Port', 'Source IP'
| stats sum('Content Size Out') as 'Bandwidth Usage'
| bottom limit = 2 'Bandwidth Usage' by 'Source IP'
| where cidrmatch('Source IP', '10.0.0.0/24')
| fields 'Source IP', 'Destination Port', 'Bandwidth Usage'
