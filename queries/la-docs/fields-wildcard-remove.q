# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/fields.html
# As published (with the page's field for fields): field -Derived*
# Adapted: every field but those starting with Source or Destination (the page writes
# field; flowq's command is fields).
* | fields -Source*, -Destination* | head 3
