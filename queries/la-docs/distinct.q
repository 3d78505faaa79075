# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/distinct.html
# As published: Message like '%ORA-00600%' | distinct 'Entity Type', Entity
# Adapted: flow records have no message or entity: the distinct protocols and actions of
# the flows to the database port.
'Destination Port' = 1521 | distinct Protocol, Action
