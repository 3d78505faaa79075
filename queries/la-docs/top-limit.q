# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/top.html
# As published: 'Entity Type' = Host and Severity = fatal
#   | stats count as cnt by Entity, 'Entity Type'
#   | top limit = 5 cnt
# Adapted: rejected flows instead of fatal logs, counted by source address and protocol.
Action = reject
| stats count as cnt by 'Source IP', Protocol
| top limit = 5 cnt
