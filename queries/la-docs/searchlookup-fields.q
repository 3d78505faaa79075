# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/searchlookup.html
# As published: searchlookup table = OraErrorCodes | fields -*, errid, msg
# Adapted: the built-in ports table: every column hidden, then port and service shown.
searchlookup table = ports | fields -*, Port, Service | head 5
