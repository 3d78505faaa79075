# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/dedup.html
# As published (in words, not a query): dedup options count = 2, includenulls = true and
#   consecutive = true on the query above
# Adapted: the page's three options on the same adapted query: two rows per port, the
# null port kept, duplicates removed only where they follow each other.
* | stats sum('Content Size Out') as 'Content Size' by 'Destination Port', 'Source IP'
| sort 'Destination Port', -'Content Size'
| dedup count = 2 includenulls = true consecutive = true 'Destination Port'
| head 12
