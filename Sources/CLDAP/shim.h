#ifndef CLDAP_SHIM_H
#define CLDAP_SHIM_H

/* Only the *_ext / ldap_sasl_bind API is used: LDAP_DEPRECATED stays undefined on purpose. */
#include <lber.h>
#include <ldap.h>

/* LDAP_OPT_ON / LDAP_OPT_OFF are pointer-valued macros that Swift cannot import. */
static inline void *cldap_opt_on(void)  { return LDAP_OPT_ON; }
static inline void *cldap_opt_off(void) { return LDAP_OPT_OFF; }

/* Puts liblber's read-ahead layer on a plain (not TLS) connection: each read(2) then takes what the socket
 * holds, up to `bytes`, instead of one read for a message's header and one for its body, and ldap_result
 * skips poll(2) while a whole message is already buffered. A search of 200,000 entries made some 650,000
 * such calls. Over TLS the TLS layer already reads whole records, so nothing is added there.
 * Returns 1 when added, 0 when not needed (TLS, or already there), -1 when the layer could not be added. */
static inline int cldap_read_ahead(LDAP *ld, int bytes) {
    Sockbuf *sb = NULL;
    if (ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sb) != LDAP_OPT_SUCCESS || sb == NULL) return -1;
    void *tls = NULL;
    if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_SSL, &tls) == 1 && tls != NULL) return 0;
    if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_HAS_IO, &ber_sockbuf_io_readahead) == 1) return 0;
    return ber_sockbuf_add_io(sb, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, &bytes) == 0 ? 1 : -1;
}

/* Whether the read-ahead layer is on the connection (for tests). */
static inline int cldap_reads_ahead(LDAP *ld) {
    Sockbuf *sb = NULL;
    if (ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sb) != LDAP_OPT_SUCCESS || sb == NULL) return 0;
    return ber_sockbuf_ctrl(sb, LBER_SB_OPT_HAS_IO, &ber_sockbuf_io_readahead) == 1;
}

#endif
