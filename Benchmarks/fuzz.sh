#!/usr/bin/env bash
# Fuzzes the roster readers (CSV, a CSV preset, CTF, OneRoster) with libFuzzer, each for a set time,
# under AddressSanitizer, and keeps every crashing input as a regression test in Tests/RosterTests/FuzzRegressions/<target>/
# (the RosterTests replay them all through `roster-fuzz`, built normally).
#
#   Benchmarks/fuzz.sh [seconds per target, default 300] [targets…, default: csv sims ctf oneroster]
#
# The seeds are the example exports and the shared sample files, copied to a scratch corpus outside the
# repository. The config loader is fuzzed by a generator-driven property test instead
# (Tests/SyncTests/ConfigFuzzTests.swift), which runs with the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-300}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(csv sims ctf oneroster)

# Both halves are needed: -Xswiftc -sanitize=fuzzer instruments every module for coverage (SwiftPM's
# --sanitize fuzzer alone does not, and then libFuzzer finds nothing new), and --sanitize fuzzer makes
# SwiftPM link libFuzzer's main instead of the executable's own. A separate scratch folder keeps the
# normal build untouched.
scratch=".build/fuzz"
flags=(--scratch-path "$scratch" --product roster-fuzz --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)
swift build "${flags[@]}"
binary="$(swift build "${flags[@]}" --show-bin-path)/roster-fuzz"

samples="${LDAP_SYNC_SAMPLES:-../shared/samples}"
for target in "${targets[@]}"; do
    corpus="$(mktemp -d /tmp/ldap-sync-corpus.XXXXXX)"
    case "$target" in
        csv|sims)  cp examples/exports/*.csv "$corpus"/ 2>/dev/null || true
                   find "$samples" -name '*.csv' -size -200k -exec cp {} "$corpus"/ \; 2>/dev/null || true ;;
        ctf)       cp examples/exports/*.xml "$corpus"/ 2>/dev/null || true
                   find "$samples" -name '*.xml' -size -200k -exec cp {} "$corpus"/ \; 2>/dev/null || true ;;
        oneroster) for version in oneroster-1.1 oneroster-1.2; do
                       [ -f "$samples/$version/users.csv" ] && cp "$samples/$version/users.csv" "$corpus/$version-users.csv"
                   done ;;
    esac
    kept="Tests/RosterTests/FuzzRegressions/$target"
    mkdir -p "$kept"
    started=$(date +%s)
    status=0
    # FoundationXML leaks 72 bytes per XML parse error (CFError in _CFErrorCreateFromXMLInterface, found by
    # this fuzzer on its first malformed input; kept in FuzzRegressions/ctf): a toolchain leak, not ours,
    # and it would stop every CTF run at once.
    leaks=1
    [ "$target" = ctf ] && leaks=0
    ASAN_OPTIONS="detect_leaks=$leaks" LDAP_SYNC_FUZZ_TARGET="$target" "$binary" "$corpus" -detect_leaks="$leaks" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$kept/" -print_final_stats=1 2>"$corpus.log" || status=$?
    ended=$(date +%s)
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$corpus.log" | grep -o '[0-9]*$' || echo "?")
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$corpus.log" | tail -1 || true)
    found=$(find "$kept" -type f -newer "$corpus" | wc -l)
    echo "$target: $((ended - started)) s, $runs inputs, $coverage, exit $status, $found new input(s) kept in $kept"
    if [ "$status" -ne 0 ]; then tail -30 "$corpus.log"; fi
    rm -rf "$corpus"
done
