# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/stats.html
# As published (not a whole query; the page's table of functions): stats count(Source)
# Adapted: the page's table, one function per column, over flow fields: count and
# count(field), avg, distinctcount, max, median, values, unique, earliest and latest
# (the page's 'Content Size' is the bytes sent, Severity the action).
* | stats count as Records, count('Source IP') as 'With Source', avg('Content Size Out') as 'Mean Bytes',
    distinctcount(Action) as Actions, max('Content Size Out') as 'Most Bytes',
    median(Packets) as 'Median Packets', unique(Action) as 'Unique Actions',
    earliest('Source IP') as 'First Source', latest('Destination IP') as 'Last Destination'
  by Protocol
