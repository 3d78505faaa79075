# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/link.html
# As published (not a whole query; the page's examples of one group per value): link 'Host Name (Server)', 'User Name'
# Adapted: one group per destination address and port (the page's host and user), the
# five with the most records, with the fields link makes for every group.
* | link 'Destination IP', 'Destination Port'
| sort -Count, 'Destination IP' | head 5
| fields 'Destination IP', 'Destination Port', Count, 'Start Time', 'End Time', 'Group Duration'
