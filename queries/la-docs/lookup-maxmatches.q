# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/lookup.html
# As published: * | lookup table=UserGroups maxmatches=5 select group using usrid
# Adapted: the ports table holds a row per transport for most ports: up to 5 matches of a
# destination port list the transports it is registered for.
'Destination Port' in (22, 53, 443) | lookup table=ports maxmatches=5 select Protocol as Transports using 'Destination Port'=Port
| stats count by 'Destination Port', Transports
