# Everyone application server 1 talked to, largest first: who, on which port, how
# much, and over how long.
'Source IP' = '10.0.0.5' or 'Destination IP' = '10.0.0.5'
| link 'Source IP', 'Destination IP', 'Destination Port'
| stats sum('Content Size Out') as Bytes
| sort -Bytes
| head 20
| rename Count as Records
