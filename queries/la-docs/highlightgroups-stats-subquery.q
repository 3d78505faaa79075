# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlightgroups.html
# As published: * | stats sum('Content Size') as 'Content Size' by Entity
#   | highlightgroups color = red [ * | where 'Content Size' > 20000000000 ] as 'Large Content'
# Adapted: by destination port, with a threshold of 50 MB.
* | stats sum('Content Size Out') as 'Content Size' by 'Destination Port'
| highlightgroups color = red [ * | where 'Content Size' > 50000000 ] as 'Large Content'
| sort -'Content Size' | head 4
