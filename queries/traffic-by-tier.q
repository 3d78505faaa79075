# Bytes into each tier of the network (lookups/servers.csv: servers by address, the
# rest by subnet), and from how many sources.
* | lookup table=servers default=Internet select Tier using 'Destination IP' = IP
  | stats sum('Content Size Out') as Bytes, distinctcount('Source IP') as Sources, count as Records by Tier
  | sort -Bytes
