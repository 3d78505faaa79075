# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/highlightgroups.html
# As published: * | link Request | highlightgroups color = yellow post as 'Post Requests'
# Adapted: groups by action instead of request; the groups holding REJECT records.
* | link Action | highlightgroups color = yellow reject as 'Rejected'
| fields Action, Count, Rejected
