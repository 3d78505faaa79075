# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/head.html
# As published: severity = fatal | head limit=20 | stats avg(iplen)
# Adapted: rejected flows, and their packets instead of iplen.
Action = reject | head limit=20 | stats avg(Packets)
