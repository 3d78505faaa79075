# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/head.html
# As published: * | distinct severity | head limit=5
# Adapted: Action takes severity's place.
* | distinct Action | head limit=5
