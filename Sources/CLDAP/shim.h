#ifndef CLDAP_SHIM_H
#define CLDAP_SHIM_H

/* Only the *_ext / ldap_sasl_bind API is used: LDAP_DEPRECATED stays undefined on purpose. */
#include <lber.h>
#include <ldap.h>

/* LDAP_OPT_ON / LDAP_OPT_OFF are pointer-valued macros that Swift cannot import. */
static inline void *cldap_opt_on(void)  { return LDAP_OPT_ON; }
static inline void *cldap_opt_off(void) { return LDAP_OPT_OFF; }

#endif
