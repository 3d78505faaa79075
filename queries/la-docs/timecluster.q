# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/timecluster.html
# As published: * | link Entity, Severity | stats sum('Content Size') as 'Content Size'
#   | timecluster avg('Content Size') by Entity
# Adapted: the destination port for the entity, the action for the severity.
* | link 'Destination Port', Action | stats sum('Content Size Out') as 'Content Size'
| timecluster span=1day avg('Content Size') by 'Destination Port'
| where Time = '2025-06-01T00:00:00Z' | sort Cluster, 'Destination Port' | head 10
