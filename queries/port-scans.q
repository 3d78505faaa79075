# Port scans: rejected probes per time window (5 minutes unless --param span=...),
# the ten windows where the most ports were probed.
# @param span = 5min
Action = reject
| timestats span=$span distinctcount('Destination Port') as 'Ports Probed', distinctcount('Source IP') as Scanners, count as Probes
| sort -'Ports Probed', -Probes, Time
| head 10
