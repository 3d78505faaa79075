# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/frequent.html
# As published: * | stats latest(Severity) as Severity by Entity
#   | frequent Severity
# Adapted: as frequent-link.q, without link. The page gives the two forms as one answer;
# here they differ by one row: `stats … by` keeps the group of records that have no
# destination (the demo's no-data records), whose latest action is null, where link
# drops records with a null link field (includenulls defaults to false).
* | stats latest(Action) as Action by 'Destination IP'
| frequent showcount=true Action
