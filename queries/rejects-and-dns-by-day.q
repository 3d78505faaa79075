# Rejected flows and DNS flows side by side, each tagged, counted by day: multisearch runs
# both searches over the same records and keeps their rows together.
multisearch [ Action = reject | eval Kind = Rejected ], [ 'Destination Port' = 53 | eval Kind = DNS ]
| timestats span = 1day count by Kind
