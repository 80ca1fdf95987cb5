/* txnloop: RFC 5805 transactions against slapd as fast as libldap can send them, to find when slapd
 * 2.5.13 crashes at End Transaction. Built and run by Benchmarks/Transactions/repro.sh (MODE=c-...).
 *
 *   txnloop URL BINDDN PASSWORD BASE RUNS SIZE WINDOW DELAY_US [abort]
 *
 * Each run: Start Transaction, SIZE adds under the Transaction Specification control with up to WINDOW
 * outstanding (1 = one at a time, each answered before the next), every answer collected, DELAY_US
 * microseconds of sleep, End Transaction (commit, or abort with "abort"). Exit 3 when the connection is
 * lost (slapd died), 1 on any other failure. */
#include <ldap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int collect(LDAP *ld, int *outstanding) {
    LDAPMessage *res = NULL;
    int rc = ldap_result(ld, LDAP_RES_ANY, LDAP_MSG_ALL, NULL, &res);
    if (rc <= 0) return -1;
    int err = 0;
    ldap_parse_result(ld, res, &err, NULL, NULL, NULL, NULL, 1);
    (*outstanding)--;
    return err;
}

int main(int argc, char **argv) {
    if (argc < 9) { fprintf(stderr, "usage: txnloop URL BINDDN PASSWORD BASE RUNS SIZE WINDOW DELAY_US [abort]\n"); return 2; }
    const char *url = argv[1], *binddn = argv[2], *password = argv[3], *base = argv[4];
    int runs = atoi(argv[5]), size = atoi(argv[6]), window = atoi(argv[7]), delay = atoi(argv[8]);
    int commit = !(argc > 9 && strcmp(argv[9], "abort") == 0);
    LDAP *ld;
    int version = LDAP_VERSION3;
    if (ldap_initialize(&ld, url) != LDAP_SUCCESS) return 1;
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    struct berval cred = { strlen(password), (char *)password };
    if (ldap_sasl_bind_s(ld, binddn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL) != LDAP_SUCCESS) return 1;
    long serial = (long)getpid() * 1000000L;
    for (int run = 0; run < runs; run++) {
        struct berval *txnid = NULL;
        int rc = ldap_txn_start_s(ld, NULL, NULL, &txnid);
        if (rc != LDAP_SUCCESS) { fprintf(stderr, "run %d: start: %s\n", run, ldap_err2string(rc)); return rc == LDAP_SERVER_DOWN ? 3 : 1; }
        LDAPControl *spec = NULL;
        ldap_control_create("1.3.6.1.1.21.2", 1, txnid, 1, &spec);
        LDAPControl *controls[] = { spec, NULL };
        int outstanding = 0;
        for (int i = 0; i < size; i++) {
            char dn[256], uid[64];
            snprintf(uid, sizeof uid, "x%ld", serial++);
            snprintf(dn, sizeof dn, "uid=%s,%s", uid, base);
            char *oc[] = { "inetOrgPerson", NULL }, *uids[] = { uid, NULL }, *cn[] = { uid, NULL };
            LDAPMod m1 = { LDAP_MOD_ADD, "objectClass", { .modv_strvals = oc } };
            LDAPMod m2 = { LDAP_MOD_ADD, "uid", { .modv_strvals = uids } };
            LDAPMod m3 = { LDAP_MOD_ADD, "cn", { .modv_strvals = cn } };
            LDAPMod m4 = { LDAP_MOD_ADD, "sn", { .modv_strvals = cn } };
            LDAPMod *mods[] = { &m1, &m2, &m3, &m4, NULL };
            int msgid;
            rc = ldap_add_ext(ld, dn, mods, controls, NULL, &msgid);
            if (rc != LDAP_SUCCESS) { fprintf(stderr, "run %d: add: %s\n", run, ldap_err2string(rc)); return rc == LDAP_SERVER_DOWN ? 3 : 1; }
            outstanding++;
            while (outstanding >= window) {
                if (collect(ld, &outstanding) < 0) { fprintf(stderr, "run %d: connection lost during adds\n", run); return 3; }
            }
        }
        while (outstanding > 0) {
            if (collect(ld, &outstanding) < 0) { fprintf(stderr, "run %d: connection lost collecting\n", run); return 3; }
        }
        if (delay > 0) usleep(delay);
        int failed = 0;
        rc = ldap_txn_end_s(ld, commit, txnid, NULL, NULL, &failed);
        ldap_control_free(spec);
        ber_bvfree(txnid);
        if (rc == LDAP_SERVER_DOWN) { fprintf(stderr, "run %d: connection lost at End Transaction\n", run); return 3; }
        if (rc != LDAP_SUCCESS) { fprintf(stderr, "run %d: end: %s (failed msgid %d)\n", run, ldap_err2string(rc), failed); return 1; }
    }
    ldap_unbind_ext_s(ld, NULL, NULL);
    return 0;
}
