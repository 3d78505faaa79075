# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/geostats.html
# As published (elided on the page, not a whole query): * | lookup table = geomap select city, country, coordinates using ...
#   | geostats include = custom city = city country = country coordinates = coordinates count
# Adapted: flowq's built-in tables hold no places, so the places are made with eval from
# the source address's network; the rest is the page's form.
* | eval city = if(cidrmatch('Source IP', '10.0.0.0/8'), Zurich, Elsewhere)
| eval country = if(city = Zurich, CH, null)
| geostats include = custom city = city country = country count
