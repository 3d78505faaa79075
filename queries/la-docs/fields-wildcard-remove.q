# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/fields.html
# As published: field -Derived*
# Adapted: every field but those starting with Source or Destination, written with the
# page's own spelling field (the same command as fields).
* | field -Source*, -Destination* | head 3
