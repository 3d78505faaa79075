# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/clusterdetails.html
# As published: Severity = fatal | clusterdetails collection = 'Fatal logs' id = 1
# Adapted: rejected flows; flowq clusters the query's rows (there are no saved
# collections), and says so in a warning.
Action = reject | clusterdetails collection = 'Rejected flows' id = 1
| stats count by 'Cluster Id', Signature
