# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlightgroups.html
# As published: * | stats count by Request | highlightgroups color = #228B22 post as 'Post Requests'
# Adapted: counted by action instead of request; the colour shows as the nearest terminal
# colour, green.
* | stats count by Action | highlightgroups color = #228B22 reject as 'Rejected'
