# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/sort.html
# As published: Severity = fatal | fields Time, Target, 'Target Type' | sort -Time
# Adapted: rejected flows, with addresses and port in place of target and target type.
Action = reject | fields Time, 'Source IP', 'Destination Port' | sort -Time | head 10
