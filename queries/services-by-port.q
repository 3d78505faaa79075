# Traffic per IANA service name (the built-in ports table, by port and protocol):
# records and bytes, the ten largest.
'Protocol Name' in (TCP, UDP)
| lookup table=ports default=unassigned select Service using 'Destination Port' = Port, 'Protocol Name' = Protocol
| stats count as Records, sum('Content Size Out') as Bytes by Service
| sort -Bytes
| head 10
