# Who logs in over SSH, from where: accepted connections to port 22 by source.
'Destination Port' = 22 and Action = accept
| stats count as Records, sum('Content Size Out') as Bytes, min(Time) as First, max(Time) as Last by 'Source IP'
| sort -Records, 'Source IP'
| head 15
