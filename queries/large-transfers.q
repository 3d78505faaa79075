# Single records over 10 MB: transfers worth a look.
'Content Size Out' > 10000000
| eval MB = round('Content Size Out' / 1000000, 1)
| fields Time, 'Source IP', 'Source Port', 'Destination IP', 'Destination Port', MB
| sort -MB
