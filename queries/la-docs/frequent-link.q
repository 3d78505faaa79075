# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/frequent.html
# As published: * | link Entity
#   | stats latest(Severity) as Severity
#   | frequent Severity
# Adapted: destinations for entities, and each destination's latest action for its
# severity; the count is shown (showcount=true) so the output says how often.
* | link 'Destination IP'
| stats latest(Action) as Action
| frequent showcount=true Action
