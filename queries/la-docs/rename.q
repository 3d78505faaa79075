# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/rename.html
# As published: *|stats count by 'Log Source'|rename 'Host IP Address (Client)' as clientip
# Adapted: none needed: the stats leave no Host IP Address (Client) field, so, as in
# Logging Analytics, nothing is renamed (flowq warns that the field is absent).
*|stats count by 'Log Source'|rename 'Host IP Address (Client)' as clientip
