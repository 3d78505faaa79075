# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/delta.html
# As published: severity = fatal
#   | link 'Transaction ID'
#   | delta field = 'End Time' 'Start Time'
# Adapted: rejected flows grouped by source address: each group's start against the
# previous group's end.
Action = reject
| link 'Source IP'
| delta field = 'End Time' 'Start Time'
| head 12
