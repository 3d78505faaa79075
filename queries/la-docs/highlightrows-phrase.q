# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlightrows.html
# As published: severity='fatal' | highlightrows 'database connection'
# Adapted: rejected flows instead of fatal logs; the phrase is the end of the record's
# line (action and status).
Action = 'reject' | highlightrows 'REJECT OK' | stats count by Highlight
