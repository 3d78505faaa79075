# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/outlier.html
# As published: * | link Entity | stats sum('Content Size Out') as 'Content Size Out' | outlier 'Content Size Out'
# Adapted: the source address for the entity.
* | link 'Source IP' | stats sum('Content Size Out') as 'Content Size Out' | outlier 'Content Size Out'
| fields 'Source IP', Count, 'Content Size Out' | sort -'Content Size Out'
