# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlightrows.html
# As published: highlightrows ERROR
# Adapted: flow logs have no ERROR lines: REJECT marks the rows, which are then counted
# by their mark.
highlightrows REJECT | stats count by Highlight
