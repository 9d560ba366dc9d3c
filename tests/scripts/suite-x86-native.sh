#!/bin/sh
# suite-x86-native: run the native Linux build of every C guest test
# ($O/tests/x86/native/NAME).  It runs the same checks on the host CPU, so
# it proves the expected values the guest tests hold tern to.
#   PASS x86-native/NAME         exit 0, at least one PASS line, no FAIL line
#   FAIL x86-native/NAME: why
#   SKIP x86-native/NAME: why    the test cannot run natively (exit 77)
# The test's own check lines are echoed indented.
# The expected values are an Intel CPU's (tern models one).  On an AMD host
# (/proc/cpuinfo's vendor_id AuthenticAMD; TERN_HOST_VENDOR overrides it) a
# line "// tern-native-amd: allow PATTERN REASON" of the test's source lets
# the checks PATTERN (a glob) fail where AMD differs, reported as indented
# "SKIP CHECK: native-amd: REASON (got: ...)" lines (guest_allow in
# guest-lib.sh; docs/testing.md, "The native build").
set -u
O=${O:-build}
dir=$O/tests/x86/native
src_dir=$(dirname "$0")/../x86
. "$(dirname "$0")/guest-lib.sh"
vendor=${TERN_HOST_VENDOR:-$(sed -n 's/^vendor_id[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)}
mode=native
[ "$vendor" = AuthenticAMD ] && mode=native-amd

case $(uname -m) in
x86_64|amd64) ;;
*) echo "SKIP x86-native: host is $(uname -m), not x86_64"; exit 0 ;;
esac

bins=
for t in "$dir"/*; do
    [ -f "$t" ] && [ -x "$t" ] && bins="$bins $t"
done
if [ -z "$bins" ]; then
    echo "FAIL x86-native: no native builds in $dir (make tests-x86-native)"
    exit 0
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for t in $bins; do
    name=$(basename "$t")
    timeout 60 "$t" </dev/null >"$out" 2>&1
    st=$?
    guest_allow "$out" "$(guest_markers "$src_dir/$name.c" "$mode")" 1 0
    sed 's/^/    /' "$out"
    npass=$(grep -c '^PASS ' "$out")
    firstfail=$(grep -m1 '^FAIL ' "$out" | sed 's/^FAIL //')
    if [ "$st" = 77 ]; then
        why=$(sed -n 's/^SKIP: //p' "$out" | head -n 1)
        echo "SKIP x86-native/$name: ${why:-skipped}"
    elif [ "$st" = 124 ]; then
        echo "FAIL x86-native/$name: timeout after 60s"
    elif [ -n "$firstfail" ]; then
        echo "FAIL x86-native/$name: $firstfail"
    elif [ "$st" != 0 ]; then
        echo "FAIL x86-native/$name: exited with status $st"
    elif [ "$npass" -eq 0 ]; then
        echo "FAIL x86-native/$name: no PASS line"
    else
        echo "PASS x86-native/$name"
    fi
done
exit 0
