# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/xmlextract.html
# As published: * | xmlextract field = Store title = '(//title)[1]'
# Adapted: flow records hold no XML, so the Store field is made with eval first.
* | head 1
| eval Store = '<store><books><book><title>Flow Logs</title></book><book><title>Netflow</title></book></books></store>'
| xmlextract field = Store title = '(//title)[1]'
| fields title
