# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/fields.html
# As published: * | fields Time, Target, 'Target Type', Severity
# Adapted: a flow's addresses and action take the places of target, target type and
# severity; the newest five.
* | fields Time, 'Source IP', 'Destination IP', Action | head 5
