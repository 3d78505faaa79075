# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/searchlookup.html
# As published: searchlookup table = OraErrorCodes | search severity = info
# Adapted: the built-in ports table instead of OraErrorCodes: its rows for UDP, counted.
searchlookup table = ports | search Protocol = udp | stats count
