# Bytes and records per day, each beside the day before.
* | timestats span=1day sum('Content Size Out') as Bytes, count as Records
  | timecompare shift=1day
