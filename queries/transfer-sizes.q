# How big are flows? Records, bytes and the number of sources per size class.
* | bucket 'Content Size Out' tiny = 0 - 999, small = 1000 - 99999, medium = 100000 - 9999999, others = large
  | stats count as Records, sum(Packets) as Packets, distinctcount('Source IP') as Sources by 'Content Size Out'
  | rename 'Content Size Out' as Size
