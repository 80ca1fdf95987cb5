print("ldap-sync")
