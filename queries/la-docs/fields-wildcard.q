# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/fields.html
# As published: fields Derived*
# Adapted: the flow fields whose names start with Source.
* | fields Source* | head 3
