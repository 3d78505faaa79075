# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/timecompare.html
# As published: Severity = error | timestats span=1d count by Entity | timecompare shift=5days 2
# Adapted: a rejected flow for an error, the destination port for the entity, and the
# count written bare, as the page does; the data span three days, so the shift is a day.
Action = reject | timestats span=1d count by 'Destination Port' | timecompare shift=1day 2
| where 'Destination Port' in (22, 3389)
