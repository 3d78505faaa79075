# Oracle: https://docs.oracle.com/en/cloud/paas/management-cloud/logcs/link-cluster.html
# As published (with the page's unbalanced parenthesis): * | link 'Entity Type', cluster() | where 'Potential Issue' != null
#   | fields -'Potential Issue' | where Count = 45 and 'Entity Type' = literal("Host(Linux)"))
# Adapted: the protocol for the entity type; the last where of the page (a count and an
# entity of Oracle's data) is left out.
* | link 'Protocol Name', cluster() | where 'Potential Issue' != null | fields -'Potential Issue'
| fields 'Protocol Name', Count, 'Cluster Sample'
