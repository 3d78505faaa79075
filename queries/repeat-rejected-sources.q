# The flows of the sources rejected more than three times: a subquery finds them, and the
# search keeps every flow from them, accepted or not.
'Source IP' in [ Action = reject | stats count by 'Source IP' | where Count > 3 ]
| stats count, sum('Content Size Out') as Bytes by 'Source IP', Action
| sort 'Source IP', Action
