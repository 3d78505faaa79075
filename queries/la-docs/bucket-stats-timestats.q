# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bucket.html
# As published: * | link | stats sum('Content Size Out') as 'Content Size Out' | bucket 'Content Size Out'
#   | timestats Count by 'Content Size Out'
# Adapted: groups per source address, each group's bytes bucketed, the groups counted per day.
* | link 'Source IP' | stats sum('Content Size Out') as 'Content Size Out'
| bucket 'Content Size Out' | timestats span=1day Count by 'Content Size Out'
