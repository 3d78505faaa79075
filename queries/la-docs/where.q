# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/where.html
# As published (not a whole query; the page's syntax and its tables of operators and functions): *|where <expression>
# Adapted: one expression with the page's kinds of operator: comparison, logical, `in`
# and `not in`, a conditional, arithmetic, and its network function cidrmatch.
*|where 'Destination Port' in (22, 443, 3389) and Protocol not in (1)
    and not cidrmatch('Source IP', '10.0.0.0/8')
    and if(Action = reject, Packets, 'Content Size Out' / 1000) >= 1
| stats count by 'Destination Port', Action
