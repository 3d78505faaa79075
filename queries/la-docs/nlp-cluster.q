# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/nlp.html
# As published: * | link cluster() | nlp category = verb wordcount = 3 table = 'My NLP Dictionary'
#   similarity = 0.75 cluster('Cluster Sample') as 'Semantic Cluster ID'
# Adapted: no dictionary table (flowq has no 'My NLP Dictionary'); category is accepted.
* | link cluster()
| nlp category = verb wordcount = 3 similarity = 0.75 cluster('Cluster Sample') as 'Semantic Cluster ID'
| fields 'Semantic Cluster ID', Count
