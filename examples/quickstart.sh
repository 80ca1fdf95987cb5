#!/usr/bin/env bash
# ldap-sync in five minutes, on a fresh Debian machine with the Swift toolchain:
# installs the packages, builds, starts a throwaway slapd in a temporary folder (the project's schema,
# ppolicy), runs `plan` and `apply` on the example exports of two schools (CSV and CTF), shows a parent
# logging in, then a court order arriving in the next export and that parent refused. Nothing outside
# the temporary folder is touched, and the server is stopped at the end.
set -euo pipefail

examples=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$examples")

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

step "Packages"
packages=(libldap-dev slapd ldap-utils pkg-config libxml2-dev libcrypt-dev libcurl4-openssl-dev)   # the build needs libldap, libxml2, libcrypt and libcurl
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    # Keep Debian's slapd package from starting a system server: this script runs its own.
    own_policy=false
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
        as_root chmod 755 /usr/sbin/policy-rc.d
        own_policy=true
    fi
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    if $own_policy; then as_root rm -f /usr/sbin/policy-rc.d; fi
else
    echo "already installed: ${packages[*]}"
fi

step "Build"
(cd "$root" && swift build -c release --product ldap-sync)
ldap_sync="$root/.build/release/ldap-sync"

step "A throwaway slapd"
work=$(mktemp -d /tmp/ldap-sync-quickstart.XXXXXX)
stop_server() {
    if [ -f "$work/slapd.pid" ]; then
        pid=$(cat "$work/slapd.pid")
        kill -INT "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    rm -rf "$work"
}
trap stop_server EXIT

port=3389
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
mkdir -p "$work/db"
sed -e "s#@WORK@#$work#g" -e "s#@SCHEMA@#$root/schema/ldap-sync.schema#g" "$examples/slapd.conf.in" > "$work/slapd.conf"
socket="ldapi://$(printf '%s' "$work/ldapi" | sed 's#/#%2F#g')"
slapd -f "$work/slapd.conf" -h "ldap://127.0.0.1:$port/ $socket" -d 0 2>"$work/slapd.log" &
for _ in $(seq 1 100); do
    ldapwhoami -x -H "$socket" >/dev/null 2>&1 && break
    sleep 0.1
done
ldapadd -x -H "$socket" -D cn=admin,dc=example,dc=org -w example-admin-secret -f "$examples/base.ldif" >/dev/null
echo "slapd on ldap://127.0.0.1:$port, data in $work"

# The example, copied so that its state and credentials land in the temporary folder.
site="$work/site"
mkdir -p "$site"
cp -r "$examples/exports" "$site/"
sed "s#ldap://127.0.0.1:3389#ldap://127.0.0.1:$port#" "$examples/config.yaml" > "$site/config.yaml"
printf 'example-sync-secret\n' > "$site/bind.secret"
chmod 600 "$site/bind.secret"

step "ldap-sync check: the sources, then the directory (bind, schema, bases, a probe account that must lock)"
"$ldap_sync" check --config "$site/config.yaml"

step "ldap-sync plan: what the first run would do (nothing is written)"
"$ldap_sync" plan --config "$site/config.yaml"

step "ldap-sync apply"
"$ldap_sync" apply --config "$site/config.yaml"

credentials=$(ls "$site"/credentials/*.csv | head -n 1)
step "First passwords, for the letters ($credentials, mode $(stat -c %a "$credentials"))"
# The first column, the DN, is quoted (it holds commas); the rest are plain for these names.
fields() { sed -e 's/^"[^"]*",//' -e 's/^dn,//' "$credentials"; }
fields | cut -d, -f1-5 | column -t -s,

password_of() { fields | awk -F, -v user="$1" '$1 == user { print $5 }'; }

step "Ann Smith logs in (one account, two children at two schools)"
ldapwhoami -x -H "ldap://127.0.0.1:$port" -D "uid=ann.smith,ou=Parents,dc=example,dc=org" -w "$(password_of ann.smith)"
ldapsearch -LLL -x -H "$socket" -D cn=admin,dc=example,dc=org -w example-admin-secret \
    -b "uid=ann.smith,ou=Parents,dc=example,dc=org" -s base misChildRef misChild misAccountStatus

step "Next day: the export records a court order against Conor Jones"
cp "$examples/exports-run2/riverside-primary.csv" "$site/exports/riverside-primary.csv"
"$ldap_sync" plan --config "$site/config.yaml"
"$ldap_sync" apply --config "$site/config.yaml"

step "Conor Jones can no longer log in"
if ldapwhoami -x -H "ldap://127.0.0.1:$port" -D "uid=conor.jones,ou=Parents,dc=example,dc=org" -w "$(password_of conor.jones)"; then
    echo "UNEXPECTED: a revoked parent could still log in" >&2
    exit 1
fi
echo "refused, as it should be"

step "Done: the server stops and $work is removed"
