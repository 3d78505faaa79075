# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/timecompare.html
# As published: Severity = error | timestats span=1d count by Entity | timecompare shift=5days 2
# Adapted: a rejected flow for an error, the destination port for the entity, and the
# count as Oracle's syntax line writes it (count=2); the data span three days, so the
# shift is a day.
Action = reject | timestats span=1d count by 'Destination Port' | timecompare shift=1day count=2
| where 'Destination Port' in (22, 3389)
