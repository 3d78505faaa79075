# Oracle: https://docs.oracle.com/iaas/logging-analytics/doc/fieldsummary.html
# As published: Severity='fatal' | fieldsummary maxvalues = 10 'Entity Type', Severity
# Adapted: rejected flows, and their protocol and destination port.
Action = reject | fieldsummary maxvalues = 10 'Protocol Name', 'Destination Port'
