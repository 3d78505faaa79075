# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bucket.html
# As published: * | bucket 'Query Duration' fast=0-1000, medium=1001-5000, others=slow
# Adapted: named byte ranges instead of duration ranges, counted.
* | bucket 'Content Size Out' small=0-1000, medium=1001-100000, others=large
| stats count by 'Content Size Out'
