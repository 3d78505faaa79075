# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/createview.html
# As published: * | link Entity, Label
#   | createview [
#     * | where Label = 'Application Error'
#     | rename Entity as 'Application Error Entity'
#     ] as 'Application Error View'
# Adapted: groups of source address and destination port; the view holds the groups of
# SSH (port 22, for the page's application error), its source renamed as the page renames
# Entity. The page stops at the view; a `map` (the way Oracle's dashboards read a view)
# then finds the sources that tried SSH and other ports too.
* | link 'Source IP', 'Destination Port'
| createview [
    * | where 'Destination Port' = 22
    | rename 'Source IP' as 'SSH Source'
    ] as 'SSH View'
| map [ * | where 'Source IP' = 'SSH Source' | eval 'Also SSH' = yes ] using 'SSH View'
| where 'Destination Port' != 22 and 'Also SSH' = yes
| sort -Count, 'Source IP' | head 5
| fields 'Source IP', 'Destination Port', Count, 'Also SSH'
