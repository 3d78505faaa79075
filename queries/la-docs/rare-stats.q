# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/rare.html
# As published: * | stats latest(Severity) as Severity by Entity
#   | rare Severity
# Adapted: the same without link: stats by destination address.
* | stats latest(Action) as Action by 'Destination IP'
| rare Action
