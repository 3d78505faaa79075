# Services reached from the internet: private destinations, public sources.
not isprivate('Source IP') and isprivate('Destination IP') and Action = accept
| stats distinctcount('Source IP') as Clients, count as Records by 'Destination IP', 'Destination Port'
| sort -Records
| head 20
