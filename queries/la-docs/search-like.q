# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/search.html
# As published: Message like '%ORA-00600%'
# Adapted: flow logs have no message: the record's own line, for the flows to the
# Oracle database port, counted.
'Original Log Content' like '% 1521 %' | stats count
