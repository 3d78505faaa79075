# Oracle: https://docs.oracle.com/iaas/logging-analytics/doc/compare.html
# As published: * | link Entity | stats avg('Content Size') as 'Average Content Size'
#   | compare fields = 'Average Content Size' timerange = '2018-06-07T00:00:00Z' to '2018-06-14T00:00:00Z' as T1
# Adapted: flow fields, and a range inside the data.
* | link 'Source IP'
| stats avg('Content Size Out') as 'Average Content Size'
| compare fields = 'Average Content Size' timerange = '2025-06-01T00:00:00Z' to '2025-06-02T00:00:00Z' as T1
| sort -'Average Content Size' | head 10
