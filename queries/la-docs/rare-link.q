# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/rare.html
# As published: * | link Entity
#   | stats latest(Severity) as Severity
#   | rare Severity
# Adapted: groups per destination address, with each group's latest action instead of a
# severity; the count is shown and named, as the page's syntax allows.
* | link 'Destination IP'
| stats latest(Action) as Action
| rare showcount = true Action as Groups
