# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/top.html
# As published: * | cluster | top Count
# Adapted: none needed: cluster runs over the records' Original Log Content.
* | cluster | top Count | fields Count, Signature
