# Oracle: https://docs.oracle.com/en-us/iaas/logging-analytics/doc/use-timestats-command-plot-time-series.html
# As published: 'Log Source' = 'OCI VCN Flow Unified Schema Logs'
#   | link span=1day Time, Action
#   | timestats name="Trend of Action" sum(Count) as Records by Action
# Adapted: flowq reads the OCI VCN flow log format itself; the rest is as published (one
# day per group, so the span of 1 day makes the chart's points the groups).
'Log Source' = 'OCI VCN Flow Logs'
| link span=1day Time, Action
| timestats name="Trend of Action" span=1day sum(Count) as Records by Action
