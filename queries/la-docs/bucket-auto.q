# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bucket.html
# As published: * | bucket 'Query Duration'
# Adapted: flow records have no query duration: the bytes of each flow are bucketed, and
# the buckets counted so the result is small enough to check.
* | bucket 'Content Size Out' | stats count by 'Content Size Out'
