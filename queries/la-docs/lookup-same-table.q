# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/lookup.html
# As published: * | lookup table=MyLookup select B using A | lookup table=MyLookup select D using C
# Adapted: the ports table twice: the service of the source port and of the destination port.
* | lookup table=ports select Service as 'From Service' using 'Source Port'=Port, 'Protocol Name'=Protocol
| lookup table=ports select Service as 'To Service' using 'Destination Port'=Port, 'Protocol Name'=Protocol
| stats count by 'From Service', 'To Service'
| sort -Count | head 5
