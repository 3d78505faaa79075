# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/eventstats.html
# As published (not a whole query; the page's table of functions over link groups): avg('Content Size')
# Adapted: per source address, the bytes it sent; eventstats adds, to every group, the
# average over the groups (the page's avg('Content Size')) and their count by action of
# the group's last record.
* | link 'Source IP'
| stats sum('Content Size Out') as Bytes, latest(Action) as 'Last Action'
| eventstats avg(Bytes) as 'Mean Bytes', count as 'Groups Alike' by 'Last Action'
| sort -Bytes | head 5
| fields 'Source IP', Bytes, 'Last Action', 'Mean Bytes', 'Groups Alike'
