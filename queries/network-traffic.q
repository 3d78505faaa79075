# The article's query: every conversation per UTC day (source and destination
# address and port), the bytes it moved, and what it was, by port and by server.
'Log Source' = 'OCI VCN Flow Logs'
| link span=1day Time, 'Source IP', 'Source Port', 'Destination IP', 'Destination Port'
| stats sum('Content Size Out') as 'Bytes Transferred'
| eval 'Traffic From' = if('Source Port' = 21, FTP, 'Source Port' = 22, SSH,
                           'Source Port' = 53, DNS, 'Source Port' = 80, HTTP,
                           'Source Port' = 443, HTTPS, 'Source Port' = 1521, 'Oracle Database',
                           'Source Port' = 3306, MySQL, 'Source Port' = 7001, WebLogic, Unknown)
| eval 'Traffic To' = if('Destination Port' = 21, FTP, 'Destination Port' = 22, SSH,
                         'Destination Port' = 53, DNS, 'Destination Port' = 80, HTTP,
                         'Destination Port' = 443, HTTPS, 'Destination Port' = 1521, 'Oracle Database',
                         'Destination Port' = 3306, MySQL, 'Destination Port' = 7001, WebLogic, Unknown)
| eval Server = if('Source IP' = '10.0.0.5' or 'Destination IP' = '10.0.0.5', 'Application Server 1',
                   'Source IP' = '10.0.0.6' or 'Destination IP' = '10.0.0.6', 'Application Server 2',
                   'Source IP' = '10.0.0.7' or 'Destination IP' = '10.0.0.7', 'Application Server 3',
                   'Source IP' in ('10.0.1.10', '10.0.1.11') or 'Destination IP' in ('10.0.1.10', '10.0.1.11'), 'Database Server',
                   'Source IP' = '10.0.2.2' or 'Destination IP' = '10.0.2.2', Bastion,
                   Unknown)
| sort -'Bytes Transferred'
