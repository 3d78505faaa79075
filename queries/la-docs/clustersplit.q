# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/clustersplit.html
# As published: Severity = fatal | clustersplit collection = 'Fatal logs' id = 1
# Adapted: every flow, split by the words that vary in its signature.
* | clustersplit collection = 'All flows' id = 1 | fields Id, Count, Variables
