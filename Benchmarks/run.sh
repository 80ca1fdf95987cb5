#!/usr/bin/env bash
# ldap-sync at local-authority and national scale, against the directory's own limits, in one run (issue 11).
#
#   Benchmarks/run.sh [--smoke] [--out DIR] [--directory-max N] [--keep] [SIZE...]
#
# SIZE is a number of parents (the directory scenarios) and of records (reading and dedupe); default
# 10000 100000 1000000. --smoke is one size of 10,000 with every scenario (under two minutes).
# Directory scenarios run for sizes up to --directory-max (default 100000: a first run of 1,000,000
# accounts with fsync takes most of an hour on the 2-core machine). --keep leaves the work folder (every
# command's output, time and log; the last size's server and authority as the 1 % change left them) and
# says where it is.
#
# For each size it:
#   - builds the release binaries (ldap-sync, bench-authority, roster-bench, dedupe-bench);
#   - reads SIZE canonical CSV rows (roster-bench) and resolves SIZE records (dedupe-bench);
#   - writes a synthetic authority of about SIZE parents (bench-authority), starts its own slapd
#     (examples/slapd.conf.in: mdb WITH fsync, ppolicy, the project's schema, in a temporary folder),
#     and measures in the same run
#       baseline: `ldapadd -c` of the LDIF `plan --format ldif` gives for the first run, into a fresh server;
#       first apply into another fresh server (passwords included);
#       baseline: a paged `ldapsearch` dump of ou=Parents;
#       no-op apply; 1 % change (one person in a hundred has a new e-mail address).
# and prints one table (scenario, N, wall, max RSS, ops/s, ratio to baseline, target, met), writing
# the same figures to DIR/results.csv and a plot of time against N per scenario to DIR/results.svg.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench=$root/Benchmarks
out=$root/Benchmarks/results
sizes=()
directory_max=100000
smoke=false
keep=false
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=true ;;
        --out) out=$2; shift ;;
        --directory-max) directory_max=$2; shift ;;
        --keep) keep=true ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { print }' "$0"; exit 0 ;;
        *) sizes+=("$1") ;;
    esac
    shift
done
if $smoke; then sizes=(10000); fi
[ "${#sizes[@]}" -gt 0 ] || sizes=(10000 100000 1000000)

for tool in slapd slapadd ldapadd ldapsearch ldapwhoami /usr/bin/time awk; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install slapd ldap-utils time)" >&2; exit 2; }
done

mkdir -p "$out"
results=$out/results.csv
echo "scenario,n,wall_s,max_rss_mb,ops,ops_per_s,baseline,baseline_s,ratio,target,met,cpu_s,cpu_ratio" > "$results"
work=$(mktemp -d /tmp/ldap-sync-bench.XXXXXX)
slapd_pid=""
cleanup() {
    stop_server
    if $keep; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

step "Build (release)"
for product in ldap-sync bench-authority roster-bench dedupe-bench; do
    (cd "$root" && swift build -c release --product "$product" >&2)
done
bin=$(cd "$root" && swift build -c release --show-bin-path)

# ---- measuring ------------------------------------------------------------------------------------

# timed NAME CMD...: runs CMD under /usr/bin/time -v; sets WALL (s) and RSS (MB); CMD's stdout goes to
# $work/NAME.out, its stderr to $work/NAME.err; STATUS is its exit status. TIMED_DIR: where it runs.
timed() {
    local name=$1; shift
    local status=0 server_before
    server_before=$(slapd_cpu)
    (cd "${TIMED_DIR:-.}" && exec /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err") || status=$?
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/$name.time")
    RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$name.time")
    CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/$name.time")
    # The server's share: slapd's own CPU seconds while the command ran.
    CPU=$(awk -v c="$CPU" -v a="$server_before" -v b="$(slapd_cpu)" 'BEGIN { printf "%.2f", c + b - a }')
    STATUS=$status
}

# record SCENARIO N WALL RSS OPS BASELINE_NAME BASELINE_S RATIO TARGET MET (and CPU: the CPU seconds of the
# last timed command and of slapd meanwhile — on a shared machine the steadier figure; the ratio on CPU
# is CPU_RATIO when set)
record() {
    local ops_per_s="-"
    if [ "$5" != "-" ] && awk -v w="$3" 'BEGIN { exit !(w > 0) }'; then
        ops_per_s=$(awk -v o="$5" -v w="$3" 'BEGIN { printf "%.0f", o / w }')
    fi
    echo "$1,$2,$3,$4,$5,$ops_per_s,$6,$7,$8,$9,${10},${CPU:--},${CPU_RATIO:--}" >> "$results"
    CPU_RATIO="-"
}

# le A B: "yes" when A <= B.
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b ? "yes" : "no") }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# slapd_cpu: the running slapd's user + system CPU seconds so far (0 when none runs).
ticks=$(getconf CLK_TCK)
slapd_cpu() {
    if [ -n "$slapd_pid" ] && [ -r "/proc/$slapd_pid/stat" ]; then
        awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$slapd_pid/stat"
    else
        echo 0
    fi
}

# ---- a slapd of our own ---------------------------------------------------------------------------

# start_server DIR: a fresh slapd in DIR (examples/slapd.conf.in, with fsync), the examples' base tree and
# the pupils of $authority loaded offline with slapadd; sets PORT, SOCKET, URL.
start_server() {
    local dir=$1
    mkdir -p "$dir/db"
    sed -e "s#@WORK@#$dir#g" -e "s#@SCHEMA@#$root/schema/ldap-sync.schema#g" \
        -e 's#^maxsize .*#maxsize 17179869184#' "$root/examples/slapd.conf.in" > "$dir/slapd.conf"
    if grep -q '^dbnosync' "$dir/slapd.conf"; then echo "run.sh: the benchmark needs fsync on" >&2; exit 2; fi
    slapadd -q -f "$dir/slapd.conf" -l "$root/examples/base.ldif" >/dev/null 2>&1
    slapadd -q -f "$dir/slapd.conf" -l "$authority/pupils.ldif" >/dev/null 2>&1
    PORT=$(free_port)
    SOCKET="ldapi://$(printf '%s' "$dir/ldapi" | sed 's#/#%2F#g')"
    URL="ldap://127.0.0.1:$PORT"
    slapd -f "$dir/slapd.conf" -h "$URL/ $SOCKET" -d 0 2>"$dir/slapd.log" &
    slapd_pid=$!
    for _ in $(seq 1 200); do
        ldapwhoami -x -H "$SOCKET" >/dev/null 2>&1 && return 0
        kill -0 "$slapd_pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "run.sh: slapd did not start (log: $dir/slapd.log)" >&2
    cat "$dir/slapd.log" >&2
    exit 1
}

stop_server() {
    if [ -n "$slapd_pid" ]; then
        kill -INT "$slapd_pid" 2>/dev/null || true
        wait "$slapd_pid" 2>/dev/null || true
        slapd_pid=""
    fi
}

free_port() {
    local port=$(( 20000 + RANDOM % 20000 ))
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# The authority's config points at the current server.
point_config_at() { sed -i "s#^  url: .*#  url: $1#" "$authority/config.yaml"; }

sync_dn=cn=ldap-sync,ou=Services,dc=example,dc=org
sync_pw=example-sync-secret

# apply_counts FILE...: the applied actions in ldap-sync's summary line, summed ("create 3, update 1, …").
apply_counts() {
    cat "$@" | grep -o 'ldap-sync apply [^:]*: .*' | tail -1 |
        awk -F': ' '{ n = split($2, parts, ", "); s = 0
            for (i = 1; i <= n; i++) { split(parts[i], kv, " ")
                if (kv[1] != "unchanged" && kv[1] != "held" && kv[1] != "failed" && kv[2] ~ /^[0-9]+$/) s += kv[2] }
            print s }'
}

# ---- scenarios ------------------------------------------------------------------------------------

# Pupils for about N parents: the generator gives about 0.87 eligible parents per pupil (checked by the smoke run).
pupils_for() { awk -v n="$1" 'BEGIN { printf "%d", n / 0.87 }'; }

read_csv() {
    local n=$1
    step "read $n canonical CSV rows (roster-bench)"
    timed "read-$n" "$bin/roster-bench" "$n" 1
    local line seconds
    line=$(grep -m1 '^canonical CSV:' "$work/read-$n.out" || true)
    seconds=$(sed -n 's/.* in \([0-9.]*\) s .*/\1/p' <<<"$line")
    CPU=$(sed -n 's/.* s (\([0-9.]*\) s CPU).*/\1/p' <<<"$line")
    [ -n "$seconds" ] || { cat "$work/read-$n.out" "$work/read-$n.err" >&2; seconds=$WALL; }
    local target="-" met="-"
    if [ "$n" -eq 1000000 ]; then target="<= 3 s"; met=$(le "$seconds" 3); fi
    record "read CSV" "$n" "$seconds" "$RSS" "$n" "-" "-" "-" "$target" "$met"
}

dedupe() {
    local n=$1
    step "dedupe + eligibility + usernames, about $n records (dedupe-bench)"
    local pupils
    pupils=$(awk -v n="$n" 'BEGIN { printf "%d", n / 1.7268 }')
    timed "dedupe-$n" "$bin/dedupe-bench" --quality-pupils 200 --speed-pupils "$pupils"
    local records seconds
    records=$(sed -n 's/^speed: \([0-9]*\) contact records.*/\1/p' "$work/dedupe-$n.out")
    seconds=$(sed -n 's/^total: \([0-9.]*\) s wall.*/\1/p' "$work/dedupe-$n.out")
    CPU=$(sed -n 's/^total: [0-9.]* s wall, \([0-9.]*\) s cpu.*/\1/p' "$work/dedupe-$n.out")
    [ -n "$seconds" ] || { cat "$work/dedupe-$n.out" "$work/dedupe-$n.err" >&2; seconds=$WALL; records=$n; }
    local target="-" met="-"
    if [ "$n" -eq 1000000 ]; then
        target="<= 10 s; <= 2 GB"
        met=$([ "$(le "$seconds" 10)" = yes ] && [ "$(le "$RSS" 2048)" = yes ] && echo yes || echo no)
    fi
    record "dedupe" "${records:-$n}" "$seconds" "$RSS" "${records:-$n}" "-" "-" "-" "$target" "$met"
}

directory_scenarios() {
    local n=$1
    authority=$work/authority-$n
    step "synthetic authority of about $n parents (bench-authority)"
    "$bin/bench-authority" --pupils "$(pupils_for "$n")" --out "$authority" >&2

    # Baseline 1: ldapadd -c of the first run's LDIF into a fresh server.
    step "baseline: ldapadd -c of plan --format ldif, fresh server"
    start_server "$work/server-ldapadd-$n"
    point_config_at "$URL"
    (cd "$authority" && "$bin/ldap-sync" plan --config config.yaml --format ldif --output "$work/first-$n.ldif" >/dev/null 2>"$work/plan-$n.err") || true
    [ -s "$work/first-$n.ldif" ] || { echo "run.sh: plan --format ldif wrote nothing" >&2; cat "$work/plan-$n.err" >&2; exit 1; }
    local ldif_ops
    ldif_ops=$(grep -c '^dn: ' "$work/first-$n.ldif")
    timed "ldapadd-$n" ldapmodify -a -c -x -H "$URL" -D "$sync_dn" -w "$sync_pw" -f "$work/first-$n.ldif"
    local ldapadd_s=$WALL ldapadd_cpu=$CPU
    record "baseline: ldapadd -c" "$n" "$ldapadd_s" "$RSS" "$ldif_ops" "-" "-" "-" "-" "-"
    stop_server
    rm -rf "$work/server-ldapadd-$n"

    # First apply into another fresh server.
    step "first apply (creates, passwords included), fresh server"
    start_server "$work/server-$n"
    point_config_at "$URL"
    TIMED_DIR=$authority timed "first-$n" "$bin/ldap-sync" apply --config config.yaml
    local first_s=$WALL first_rss=$RSS first_ops
    first_ops=$(apply_counts "$work/first-$n.err" "$work/first-$n.out")
    [ "$STATUS" -eq 0 ] || { echo "run.sh: first apply exit $STATUS" >&2; tail -20 "$work/first-$n.err" >&2; }
    local r
    r=$(ratio "$first_s" "$ldapadd_s")
    CPU_RATIO=$(ratio "$CPU" "$ldapadd_cpu")
    record "first apply" "$n" "$first_s" "$first_rss" "${first_ops:--}" "ldapadd -c" "$ldapadd_s" "$r" "<= 0.25x" "$(le "$r" 0.25)"

    # Baseline 2: a paged dump of ou=Parents, the fastest of three. Straight after the first apply's
    # fsync'd commits one dump took 4.0 s where it takes 1.5 s quiet, which made the no-op look 1.5x:
    # the fastest is the directory at its best, the strict baseline for a ratio.
    step "baseline: paged ldapsearch dump of ou=Parents (fastest of three)"
    local dump_s="" dump_cpu="" dump_rss="" entries try
    for try in 1 2 3; do
        timed "dump-$n-$try" ldapsearch -x -H "$URL" -D "$sync_dn" -w "$sync_pw" -b ou=Parents,dc=example,dc=org \
            -E pr=1000/noprompt -LLL '(objectClass=*)'
        if [ -z "$dump_s" ] || awk -v a="$WALL" -v b="$dump_s" 'BEGIN { exit !(a < b) }'; then
            dump_s=$WALL dump_cpu=$CPU dump_rss=$RSS
        fi
    done
    entries=$(grep -c '^dn: ' "$work/dump-$n-1.out")
    CPU=$dump_cpu
    record "baseline: ldapsearch dump" "$n" "$dump_s" "$dump_rss" "$entries" "-" "-" "-" "-" "-"

    step "no-op apply"
    TIMED_DIR=$authority timed "noop-$n" "$bin/ldap-sync" apply --config config.yaml
    local noop_s=$WALL noop_rss=$RSS
    r=$(ratio "$noop_s" "$dump_s")
    CPU_RATIO=$(ratio "$CPU" "$dump_cpu")
    record "no-op apply" "$n" "$noop_s" "$noop_rss" "$entries" "ldapsearch dump" "$dump_s" "$r" "<= 3x" "$(le "$r" 3)"

    step "1 % change"
    rm -rf "$authority/exports" && mv "$authority/exports-changed" "$authority/exports"
    TIMED_DIR=$authority timed "change-$n" "$bin/ldap-sync" apply --config config.yaml
    local change_s=$WALL change_rss=$RSS change_ops
    change_ops=$(apply_counts "$work/change-$n.err" "$work/change-$n.out")
    local target="-" met="-"
    if [ "$n" -eq 100000 ]; then target="<= 5 s"; met=$(le "$change_s" 5); fi
    record "1% change" "$n" "$change_s" "$change_rss" "${change_ops:--}" "-" "-" "-" "$target" "$met"

    local peak=$first_rss
    for m in $noop_rss $change_rss; do [ "$m" -gt "$peak" ] && peak=$m; done
    target="-"; met="-"
    if [ "$n" -eq 100000 ]; then target="<= 500 MB"; met=$(le "$peak" 500); fi
    CPU="-"
    record "apply peak memory" "$n" "-" "$peak" "-" "-" "-" "-" "$target" "$met"

    stop_server
    # Kept (--keep): the last size's server and authority, for looking into a figure afterwards.
    if ! $keep || [ "$n" -ne "$(largest_directory_size)" ]; then rm -rf "$work/server-$n" "$authority"; fi
}

# largest_directory_size: the largest SIZE that runs the directory scenarios.
largest_directory_size() {
    local largest=0 n
    for n in "${sizes[@]}"; do [ "$n" -le "$directory_max" ] && [ "$n" -gt "$largest" ] && largest=$n; done
    echo "$largest"
}

for n in "${sizes[@]}"; do
    read_csv "$n"
    dedupe "$n"
    if [ "$n" -le "$directory_max" ]; then directory_scenarios "$n"; fi
done

# ---- report ---------------------------------------------------------------------------------------

{
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "slapd $(dpkg-query -W -f='${Version}' slapd 2>/dev/null || echo '?'), mdb with fsync; $(date -u '+%Y-%m-%d %H:%M UTC')"
} > "$out/machine.txt"
awk -F, 'NR == 1 { next } { printf "%-26s %9s %9s %8s %8s %9s %7s %7s %-16s %-18s %s\n", $1, $2, $3 == "-" ? "-" : $3 " s", $12 == "-" ? "-" : $12 " s", $4 " MB", $6, $9 == "-" ? "-" : $9 "x", $13 == "-" ? "-" : $13 "x", ($7 == "-" ? "" : $7), $10, $11 }' "$results" > "$work/rows"
{
    cat "$out/machine.txt"
    printf "%-26s %9s %9s %8s %8s %9s %7s %7s %-16s %-18s %s\n" scenario N wall "cpu" "max RSS" "ops/s" ratio "on cpu" baseline target "met (wall)"
    cat "$work/rows"
} | tee "$out/results.txt"
"$bench/plot.sh" "$results" > "$out/results.svg"
echo "figures: $results, $out/results.txt, $out/results.svg" >&2
