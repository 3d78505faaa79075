# Bytes, records and active sources per UTC day.
Status = OK
| link span=1day Time
| stats sum('Content Size Out') as Bytes, distinctcount('Source IP') as Sources
| eval GB = round(Bytes / 1000000000, 3)
| fields Time, Count, Sources, Bytes, GB
