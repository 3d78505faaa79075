# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlight.html
# As published: severity = fatal | highlight color = green 'database connection'
# Adapted: rejected flows, and the phrase that ends their lines.
Action = reject | highlight color = green 'REJECT OK' | stats count by Highlight
