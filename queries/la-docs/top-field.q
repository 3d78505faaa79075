# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/top.html
# As published: *| top 'log source'
# Adapted: none needed: every flow record's Log Source is OCI VCN Flow Logs.
*| top 'log source'
