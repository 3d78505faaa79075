# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlightgroups.html
# As published: * | link Entity | stats sum('Content Size') as 'Content Size'
#   | highlightgroups color = red [ * | where 'Content Size' > 20000000000 ] as 'Large Content'
# Adapted: groups by destination port, and a threshold of 50 MB that this data set crosses.
* | link 'Destination Port' | stats sum('Content Size Out') as 'Content Size'
| highlightgroups color = red [ * | where 'Content Size' > 50000000 ] as 'Large Content'
| sort -'Content Size' | head 4
| fields 'Destination Port', 'Content Size', 'Large Content'
