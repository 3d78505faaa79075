# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/extract.html
# As published: * | extract field = Entity '(?P<Host>\w+)\.?(?P<Domain>.*)'
# Adapted: the source address is split instead of an entity name (network part and host
# part), and the networks counted so the result is small.
* | extract field = 'Source IP' '(?P<Network>\d+\.\d+)\.?(?P<Host>.*)'
| stats count by Network
| sort -Count, Network
| head 5
