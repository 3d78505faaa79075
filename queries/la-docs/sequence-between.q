# Oracle: https://docs.oracle.com/iaas/log-analytics/doc/sequence.html
# As published: * | link Account | sequence name = 'User Session' between [ Action = login ]{1,} and [ Action = logout ]{1,} select Action, Entity
# Adapted: a destination address for the account, an accepted flow for the login and a
# rejected one for the logout, the source address for the entity.
* | link 'Destination IP'
| sequence name = 'User Session' between [ Action = accept ]{1,} and [ Action = reject ]{1,} select Action, 'Source IP'
| sort -Records, 'Destination IP' | head 20
