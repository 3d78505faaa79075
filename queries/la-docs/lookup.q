# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/lookup.html
# As published: * | lookup table=OraErrorCodes select description as errtxt, severity as sevlvl using 'Error Id'=error_id
# Adapted: the built-in ports table names the service and description of each flow's
# destination port and transport; the busiest five are counted.
* | lookup table=ports select Service as svc, Description as descr using 'Destination Port'=Port, 'Protocol Name'=Protocol
| stats count by svc, descr
| sort -Count | head 5
