# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/jsonextract.html
# As published: * | jsonextract field = Store title = '$.store.book[0].title'
# Adapted: flow records hold no JSON: the page's sample log is put into the field Store
# first, then the first book's title is extracted from it.
* | head 1
| eval Store = '{"store":{"book":[{"category":"fiction","author":"James Patterson","title":"Fifty Fifty","price":12.99,"count":17},{"category":"fiction","author":"John Grisham","title":"The Guardians","price":10.99}],"bicycle":{"color":"blue","price":27.25}},"expensive":12}'
| jsonextract field = Store title = '$.store.book[0].title'
| fields title
