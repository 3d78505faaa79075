# The article's query with lookup tables instead of if() chains: ports to services
# (lookups/services.csv) and addresses to servers, or else their subnet
# (lookups/servers.csv: a CIDR row matches what no address row names). The twenty
# largest conversations.
'Log Source' = 'OCI VCN Flow Logs'
| link span=1day Time, 'Source IP', 'Source Port', 'Destination IP', 'Destination Port'
| stats sum('Content Size Out') as 'Bytes Transferred'
| lookup table=services default=Unknown select Service as 'Traffic From' using 'Source Port' = Port
| lookup table=services default=Unknown select Service as 'Traffic To' using 'Destination Port' = Port
| lookup table=servers default=Internet select Server as 'From Server' using 'Source IP' = IP
| lookup table=servers default=Internet select Server as 'To Server' using 'Destination IP' = IP
| sort -'Bytes Transferred', Time, 'Source IP', 'Source Port'
| head 20
