# Oracle: https://docs.oracle.com/iaas/logging-analytics/doc/cluster.html
# As published: Severity = fatal | cluster | sort Count
# Adapted: every flow for the fatal logs (rejected ones make a single cluster).
* | cluster | sort Count | fields Id, Count, Signature, 'Potential Issue'
