# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/eval.html
# As published (not a whole query; the page's syntax and its tables of operators and functions): *|eval <new_field_name>=<expression>
# Adapted: new fields from the page's kinds of operator and function: a conditional,
# arithmetic, `||` concatenation of a number, and a string function.
*|eval Service = if('Destination Port' = 443, HTTPS, 'Destination Port' = 22, SSH, Other)
| eval 'Bytes per Packet' = round('Content Size Out' / Packets, 1)
| eval Listener = 'Destination IP' || ':' || 'Destination Port'
| eval Verdict = upper(Action)
| stats count, avg('Bytes per Packet') as 'Mean Bytes per Packet', distinctcount(Listener) as Listeners by Service, Verdict
