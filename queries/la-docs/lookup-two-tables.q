# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/lookup.html
# As published: * | lookup table=DnsLookup select client_host using client_ip | lookup table=AccountLookup select acct_region using acct_id
# Adapted: two built-in tables: the service of the destination port, then the name of the
# protocol number.
* | lookup table=ports select Service using 'Destination Port'=Port, 'Protocol Name'=Protocol
| lookup table=protocols select Name as Transport using Protocol=Number
| stats count by Transport, Service
| sort -Count | head 5
