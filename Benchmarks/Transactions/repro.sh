#!/usr/bin/env bash
# Does slapd 2.5.13 survive RFC 5805 transactions? Starts a throwaway slapd (examples/slapd.conf.in, mdb
# with fsync), then runs RUNS transactions of SIZE adds each with `ldapmodify -E txn=commit` (libldap's
# own client: one write at a time, each answered before the next is sent; no pipelining), in the MODE
# given, and reports every crash with the end of slapd's log. A core file lands in the work folder.
#
#   Benchmarks/Transactions/repro.sh [RUNS] [SIZE] [MODE]
#   MODE: adds       — adds only (default)
#         abort      — adds with a duplicate in the middle (the transaction must abort)
#         passwd     — adds, then a Password Modify is not possible in ldapmodify: modify of userPassword
#         group      — adds, and a modify of one group in the same transaction
#         parallel   — two transactions at once on two connections
#         c          — txnloop.c (libldap, no LDIF parsing: End follows the last answer at once), 10
#                      transactions per run; WINDOW=n pipelines n adds inside the transaction (default 1),
#                      DELAY=µs sleeps between the last answer and End (default 0), ABORT=1 aborts
set -uo pipefail
runs=${1:-25}
size=${2:-1000}
mode=${3:-adds}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/txn.XXXXXX)
ulimit -c unlimited || true

start() {
    port=$(( (RANDOM % 20000) + 20000 ))
    mkdir -p "$work/db"
    sed -e "s#@WORK@#$work#g" -e "s#@SCHEMA@#$root/schema/ldap-sync.schema#g" "$root/examples/slapd.conf.in" > "$work/slapd.conf"
    # NOSYNC=1: dbnosync, as the test harness runs by default (commits return sooner).
    if [ "${NOSYNC:-0}" = 1 ]; then sed -i 's#^maxsize .*#&\ndbnosync#' "$work/slapd.conf"; fi
    socket="ldapi://$(printf '%s' "$work/ldapi" | sed 's#/#%2F#g')"
    (cd "$work" && exec slapd -f "$work/slapd.conf" -h "ldap://127.0.0.1:$port/ $socket" -d "${DEBUG:-stats}" 2>"$work/slapd.log") &
    slapd_pid=$!
    for _ in $(seq 1 100); do ldapwhoami -x -H "$socket" >/dev/null 2>&1 && break; sleep 0.1; done
    ldapadd -x -H "$socket" -D cn=admin,dc=example,dc=org -w example-admin-secret -f "$root/examples/base.ldif" >/dev/null
    printf 'dn: cn=Parents,ou=Groups,dc=example,dc=org\nobjectClass: groupOfNames\ncn: Parents\nmember: cn=Parents,ou=Groups,dc=example,dc=org\n' |
        ldapadd -x -H "$socket" -D cn=admin,dc=example,dc=org -w example-admin-secret >/dev/null
}
# Who writes, and how: the administrator over ldapi (default) or, with AS=sync, ldap-sync's service DN
# over TCP (what the removed Swift code did).
client() {
    if [ "${AS:-admin}" = sync ]; then
        ldapmodify -x -H "ldap://127.0.0.1:$port" -D cn=ldap-sync,ou=Services,dc=example,dc=org -w example-sync-secret "$@"
    else
        ldapmodify -x -H "$socket" -D cn=admin,dc=example,dc=org -w example-admin-secret "$@"
    fi
}
stop() { kill -INT "$slapd_pid" 2>/dev/null; wait "$slapd_pid" 2>/dev/null; }

# One transaction's LDIF: SIZE adds of run $1 (plus the mode's extra write).
ldif() {
    local run=$1 prefix=${2:-t}
    for i in $(seq 1 "$size"); do
        printf 'dn: uid=%s%d-%d,ou=Parents,dc=example,dc=org\nchangetype: add\nobjectClass: inetOrgPerson\nuid: %s%d-%d\ncn: P %d\nsn: P\n' \
            "$prefix" "$run" "$i" "$prefix" "$run" "$i" "$i"
        [ "$mode" = passwd ] && printf 'userPassword: Secret-%d\n' "$i"
        printf '\n'
        if [ "$mode" = abort ] && [ "$i" -eq $((size / 2)) ]; then
            printf 'dn: uid=%s%d-1,ou=Parents,dc=example,dc=org\nchangetype: add\nobjectClass: inetOrgPerson\nuid: %s%d-1\ncn: dup\nsn: dup\n\n' \
                "$prefix" "$run" "$prefix" "$run"
        fi
    done
    if [ "$mode" = group ]; then
        printf 'dn: cn=Parents,ou=Groups,dc=example,dc=org\nchangetype: modify\nadd: member\nmember: uid=%s%d-1,ou=Parents,dc=example,dc=org\n\n' "$prefix" "$run"
    fi
}

if [ "$mode" = c ]; then
    gcc -O2 -o "$work/txnloop" "$(dirname "$0")/txnloop.c" -lldap -llber || exit 2
fi

start
crashes=0
for run in $(seq 1 "$runs"); do
    if [ "$mode" = c ]; then
        "$work/txnloop" "ldap://127.0.0.1:$port" cn=ldap-sync,ou=Services,dc=example,dc=org example-sync-secret \
            ou=Parents,dc=example,dc=org 10 "$size" "${WINDOW:-1}" "${DELAY:-0}" "$([ "${ABORT:-0}" = 1 ] && echo abort)" 2>"$work/client.err"
    elif [ "$mode" = parallel ]; then
        ldif "$run" a | client -E txn=commit >/dev/null 2>"$work/client-a.err" &
        ldif "$run" b | client -E txn=commit >/dev/null 2>"$work/client.err"
        wait $!
    else
        ldif "$run" | client -E txn=commit >/dev/null 2>"$work/client.err"
    fi
    rc=$?
    if ! kill -0 "$slapd_pid" 2>/dev/null; then
        crashes=$((crashes + 1))
        echo "run $run: slapd died (client rc $rc); log tail:"
        tail -5 "$work/slapd.log"
        ls "$work"/core* 2>/dev/null
        cp "$work/slapd.log" "$work/slapd-crash-$run.log"
        rm -rf "$work/db"
        start
    fi
done
stop
echo "mode=$mode size=$size runs=$runs crashes=$crashes (work folder $work)"
