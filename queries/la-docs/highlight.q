# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlight.html
# As published: * | highlight color = red ERROR
# Adapted: REJECT instead of ERROR; a terminal colours the row holding the word.
* | highlight color = red REJECT | stats count by Highlight
