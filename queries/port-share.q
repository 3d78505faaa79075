# The share of each destination port in all bytes sent: the ten largest.
* | stats sum('Content Size Out') as Bytes by 'Destination Port'
  | eventstats sum(Bytes) as 'All Bytes'
  | eval 'Share %' = round(100 * Bytes / 'All Bytes', 2)
  | top 10 'Share %'
  | fields -'All Bytes'
