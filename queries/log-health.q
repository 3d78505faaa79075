# Capture windows without traffic (NODATA) or with lost records (SKIPDATA), per status.
Status != OK
| stats count as Records, min(Time) as First, max(Time) as Last by Status
