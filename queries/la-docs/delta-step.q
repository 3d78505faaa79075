# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/delta.html
# As published: severity = fatal
#   | link 'Transaction ID'
#   | stats avg('Elapsed Time (System)') as 'Average Elapsed Time'
#   | delta step = 5 'Average Elapsed Time'
# Adapted: rejected flows instead of fatal logs, grouped by source address; the mean
# packets of each group against the group five before it.
Action = reject
| link 'Source IP'
| stats avg(Packets) as 'Average Packets'
| delta step = 5 'Average Packets'
| head 12
