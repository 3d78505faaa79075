# Oracle: https://docs.oracle.com/en-us/iaas/logging-analytics/doc/use-timestats-command-plot-time-series.html
# As published: Duration != null and 'Log Source' = 'OCI Integration Activity Stream Logs'
#   | eval 'Duration (ms)' = unit(Duration, ms)
#   | link Identifier, Instance, Action
#   | stats unique(Integration) as Integration
#   | timestats name = 'Time Taken Trend' avg('Duration (ms)') as 'Time Taken' by Integration, Action
# Adapted: flow records: the bytes of each flow (a record field, as Duration (ms) is) are
# averaged per day over the member records of conversations grouped by addresses and
# action, by the groups' protocols (a group field, as Integration is) and action.
'Content Size Out' != null and 'Log Source' = 'OCI VCN Flow Logs'
| eval Bytes = unit('Content Size Out', byte)
| link 'Source IP', 'Destination IP', Action
| stats unique('Protocol Name') as Protocols
| timestats name = 'Bytes Trend' span = 1day avg(Bytes) as 'Mean Bytes' by Protocols, Action
