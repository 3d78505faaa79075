# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/addfields.html
# As published: * | link 'Entity Type'
#   | addfields [ substr(Entity, 0, 3) = 'adc' | stats count as 'ADC Count' ],
#               [ substr(Entity, 0, 3) = 'slc' | stats count as 'SLC Count' ]
# Adapted: flow records are grouped by destination, and the brackets test the source
# address's first characters instead of an entity name's; the page's third form
# (`* | where … | eventstats`) adds a total over the groups the brackets found busy.
* | link 'Destination IP'
| addfields [ substr('Source IP', 0, 3) = '10.' | stats count as 'Private Count' ],
            [ substr('Source IP', 0, 3) = '198' | stats count as 'Test Net Count' ]
| addfields [ * | where 'Private Count' > 100 | eventstats count as 'Busy Destinations' ]
| sort -Count | head 5
| fields 'Destination IP', Count, 'Private Count', 'Test Net Count', 'Busy Destinations'
