# Oracle: https://docs.oracle.com/iaas/logging-analytics/doc/compare.html
# As published: * | link Entity | stats avg('Content Size') as 'Average Content Size'
#   | compare fields = 'Average Content Size' timeshift = -7d count = 2
# Adapted: Entity and Content Size are Logging Analytics fields; a flow record's are
# 'Source IP' and 'Content Size Out'. The data span three days, so the shift is a day.
* | link 'Source IP'
| stats avg('Content Size Out') as 'Average Content Size'
| compare fields = 'Average Content Size' timeshift = -1d count = 2
| sort -'Average Content Size' | head 10
