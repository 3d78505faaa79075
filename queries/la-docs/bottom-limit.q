# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bottom.html
# As published: Severity = fatal
#   | stats count as cnt by 'Entity Type', Entity
#   | bottom limit = 20 cnt
# Adapted: rejected flows by protocol and destination port, the five rarest.
Action = reject
| stats count as cnt by Protocol, 'Destination Port'
| bottom limit = 5 cnt
