# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/rename.html
# As published (in words, not a query): the page's syntax, |rename <field> as <new_field>
# Adapted: the syntax applied to a field the rows have: the client of a flow is its source.
* | stats count by 'Source IP' | rename 'Source IP' as clientip | sort -Count, clientip | head 5
