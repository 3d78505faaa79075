# Oracle: https://docs.oracle.com/iaas/logging-analytics/doc/clustercompare.html
# As published: Entity = host1 | clustercompare timeshift = -7days [ Entity = host2]
# Adapted: one address's flows against the rejected flows a day earlier, every word
# compared (similarity = 1) so that accepted and rejected flows stay apart.
'Source IP' = 10.0.0.5 | clustercompare timeshift = -1day similarity = 1 [ Action = reject ]
| fields Collection, Id, Count, Signature
