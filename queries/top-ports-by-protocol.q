# The three most used destination ports of each transport protocol.
'Protocol Name' != null | top 3 'Destination Port' by 'Protocol Name'
