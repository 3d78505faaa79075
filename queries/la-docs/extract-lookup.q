# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/extract.html
# As published: 'Log Source' like '%database%'
#   | extract field = ErrorInfo 'ora-(?P<ErrorCode>.*)'
#   | lookup table="error ids" select error_description,
#       error_remediation using error_id = ErrorCode
#   | stats count, unique(error_description),
#       unique(error_remediation) by ErrorInfo
# Adapted: the destination port is read back out of the raw line (copied to a text field
# first, as the page advises for Original Log Content) and looked up in the
# built-in ports table by port and transport.
'Log Source' like '%flow%'
| eval Line = 'Original Log Content'
| extract field = Line '^\S+ \S+ \S+ \S+ (?P<Port>\d+) 6 '
| lookup table=ports select Service, Description using Port = Port, 'Protocol Name' = Protocol
| stats count, unique(Service), unique(Description) by Port
| sort -Count, Port
| head 6
