# The rejected share of each conversation (source, destination) that had a rejected
# record: the twenty with the most rejections.
* | link 'Source IP', 'Destination IP'
  | addfields [ Action = reject | stats count as Rejected ], [ * | stats sum('Content Size Out') as Bytes ]
  | where Rejected > 0
  | eval 'Rejected %' = round(100 * Rejected / Count, 1)
  | sort -Rejected, -'Rejected %', 'Source IP', 'Destination IP'
  | head 20
  | fields 'Source IP', 'Destination IP', Count, Rejected, 'Rejected %', Bytes
