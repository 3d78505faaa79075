# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/tail.html
# As published: Severity = fatal | tail limit = 20
# Adapted: rejected flows instead of fatal logs; the last 20 of the newest-first list are
# the oldest 20.
Action = reject | tail limit = 20 | fields Time, 'Source IP', 'Destination Port'
