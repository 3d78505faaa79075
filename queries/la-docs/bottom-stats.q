# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bottom.html
# As published: * | stats count as cnt by Source
#   | bottom cnt
# Adapted: the destination port instead of the source: the ten least used ports.
* | stats count as cnt by 'Destination Port'
| bottom cnt
