# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/bottom.html
# As published: * | cluster
#   | bottom Count
# Adapted: none needed: cluster runs over the records' Original Log Content.
* | cluster
| bottom Count
| fields Count, Signature
