# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bottom.html
# As published: * | stats count as cnt by Target, 'Target Type'
#   | bottom limit = 2 cnt by 'Target Type'
# Adapted: destination port and protocol take the places of target and target type.
* | stats count as cnt by 'Destination Port', Protocol
| bottom limit = 2 cnt by Protocol
