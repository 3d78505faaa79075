# The ten addresses that sent the most bytes, with how many records and peers.
* | stats sum('Content Size Out') as Bytes, count as Records, distinctcount('Destination IP') as Peers by 'Source IP'
  | sort -Bytes
  | head 10
