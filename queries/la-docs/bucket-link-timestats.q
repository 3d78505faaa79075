# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bucket.html
# As published: * | link | bucket 'Group Duration' | timestats sum('Content Size Out') by 'Group Duration'
# Adapted: groups per source address (a bare link makes one group here), a one-day span
# so the result is short; the sum is over the member records of each bucket's groups.
* | link 'Source IP' | bucket 'Group Duration'
| timestats span=1day sum('Content Size Out') by 'Group Duration'
