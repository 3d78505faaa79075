# The article's Analyze step: the day's conversations reduced to clusters by when they
# started, what they were and how much they moved; the anomalous ones first, with the
# addresses and server that characterise them.
'Log Source' = 'OCI VCN Flow Logs'
| link span=1day Time, 'Source IP', 'Source Port', 'Destination IP', 'Destination Port'
| stats sum('Content Size Out') as 'Bytes Transferred'
| lookup table=services default=Unknown select Service as 'Traffic From' using 'Source Port' = Port
| lookup table=services default=Unknown select Service as 'Traffic To' using 'Destination Port' = Port
| lookup table=servers default=Internet select Server using 'Source IP' = IP
| classify 'Start Time', 'Traffic From', 'Bytes Transferred', 'Traffic To' correlate = 'Source IP', 'Destination IP', Server
| sort -Anomaly, -'Group Count'
| head 12
