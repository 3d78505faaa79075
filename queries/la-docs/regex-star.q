# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/regex.html
# As published: * | regex 'entity' = 'slc07ptt.*'|distinct entity
# Adapted: the page's five sample entity names are made, one per row, from the first
# record (flow records name no entities; 'entity' is the Entity field, replaced).
# The page's result: slc07ptt and slc07ptt:8452.
* | multisearch [ * | head 1 | eval entity = 'slc07cuc' ], [ * | head 1 | eval entity = 'slc07ptt' ],
    [ * | head 1 | eval entity = 'slc07ptt:8452' ], [ * | head 1 | eval entity = 'stuyb43' ],
    [ * | head 1 | eval entity = 'stuyb43:1831' ]
| regex 'entity' = 'slc07ptt.*'|distinct entity
