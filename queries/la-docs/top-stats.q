# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/top.html
# As published: * | stats count as cnt by 'Log Source'
#   | top cnt
# Adapted: the destination port instead of the log source, so there is more than one row.
* | stats count as cnt by 'Destination Port'
| top cnt
