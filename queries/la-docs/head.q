# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/head.html
# As published: severity = fatal | head limit=5
# Adapted: rejected flows instead of fatal logs.
Action = reject | head limit=5 | fields Time, 'Source IP', 'Destination Port'
