#!/bin/sh
# check.sh: run every test suite and print the summary.
# Each suite prints lines "PASS name", "FAIL name: why" or "SKIP name: why";
# this script counts them.  A suite that exits non-zero without printing a
# FAIL line counts as one failure.  The last line is
#   N passed, N failed, N skipped
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
export O TERN
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_suite() {   # name, command...
    name=$1; shift
    out=$(mktemp)
    "$@" >"$out" 2>&1
    rc=$?
    grep -E '^(PASS|FAIL|SKIP) ' "$out" >>"$log"
    if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
        echo "FAIL $name: exited with status $rc" >>"$log"
        tail -n 20 "$out" | sed 's/^/    /'
    fi
    grep -E '^(FAIL) ' "$out"
    rm -f "$out"
}

for s in tests/scripts/suite-*.sh; do
    run_suite "$(basename "$s" .sh)" sh "$s"
done

p=$(grep -c '^PASS ' "$log")
f=$(grep -c '^FAIL ' "$log")
s=$(grep -c '^SKIP ' "$log")
grep '^SKIP ' "$log"
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
