# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/sequence.html
# As published: * | link Entity | sequence name = 'Security Event' span = 5min [ 'Security Result' = failure ]{5,} then [ 'Security Result' = success ]{1,} select 'Source IP Address'
# Adapted: the destination for the entity, rejected flows for failed logins and accepted
# ones for successful logins, the source address for Source IP Address; two rejects
# within three days, as the test data rejects seldom.
* | link 'Destination IP'
| sequence name = 'Security Event' span = 3day [ Action = reject ]{2,} then [ Action = accept ]{1,} select 'Source IP'
| sort -Records | head 20
