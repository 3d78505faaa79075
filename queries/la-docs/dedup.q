# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/dedup.html
# As published: * | stats sum('Content Size') as 'Content Size' by 'Client Host City', 'Source IP'
#   | sort -'Content Size'
#   | dedup 'Client Host City'
# Adapted: flow logs hold no client city: the destination port takes its place, so each
# port keeps the source that sent it the most bytes.
* | stats sum('Content Size Out') as 'Content Size' by 'Destination Port', 'Source IP'
| sort -'Content Size'
| dedup 'Destination Port'
| head 10
