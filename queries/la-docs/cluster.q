# Oracle: https://docs.oracle.com/iaas/logging-analytics/doc/cluster.html
# As published: Severity = fatal | cluster
# Adapted: a rejected flow for a fatal log.
Action = reject | cluster | fields Id, Count, Signature, 'Sample Count', 'Potential Issue'
