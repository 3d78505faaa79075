# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/search.html
# As published: Message like 'ORA-600%' or Severity = fatal
# Adapted: the record's line starting with a version-2 record to 10.0.0.5, or a rejected
# flow, counted by action.
'Original Log Content' like '2 10.0.0.5 %' or Action = reject | stats count by Action
