# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/timecompare.html
# As published (runs as it is): * | timestats span=1d count | timecompare shift=1w
* | timestats span=1d count | timecompare shift=1w
