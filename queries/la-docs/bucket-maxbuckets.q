# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bucket.html
# As published: * | bucket maxbuckets=5 'Query Duration'
# Adapted: the bytes of each flow in at most 5 buckets, counted.
* | bucket maxbuckets=5 'Content Size Out' | stats count by 'Content Size Out'
