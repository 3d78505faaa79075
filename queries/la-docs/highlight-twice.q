# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlight.html
# As published: severity = fatal | highlight color = green 'database connection' | highlight connection
# Adapted: rejected flows; the second highlight (yellow, the default) marks the same rows
# again, as a terminal colours whole rows.
Action = reject | highlight color = green 'REJECT OK' | highlight REJECT | stats count by Highlight
