# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/nlp.html
# As published (runs as it is): * | link cluster() | nlp keywords('Cluster Sample') as 'Cluster Keywords'
* | link cluster() | nlp keywords('Cluster Sample') as 'Cluster Keywords'
| fields 'Cluster Keywords', Count
