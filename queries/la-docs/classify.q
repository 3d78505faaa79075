# Oracle: https://docs.oracle.com/en-us/iaas/log-analytics/doc/classify.html
# As published: * | link 'Transaction ID' | classify Severity, Count as 'Severity Analysis'
# Adapted: conversations are grouped by source address instead of transaction, and each
# group's latest action (a text property, as Severity is) is analysed against its count.
* | link 'Source IP'
| stats latest(Action) as Action
| classify Action, Count as 'Action Analysis'
