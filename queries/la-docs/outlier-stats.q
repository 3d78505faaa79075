# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/outlier.html
# As published: 'Content Size Out' != null | stats sum('Content Size Out') as 'Content Size Out' by Entity
#   | outlier 'Content Size Out'
# Adapted: the source address for the entity.
'Content Size Out' != null | stats sum('Content Size Out') as 'Content Size Out' by 'Source IP'
| outlier 'Content Size Out' | sort -'Content Size Out'
