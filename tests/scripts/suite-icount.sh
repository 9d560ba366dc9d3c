#!/bin/sh
# suite-icount: -icount makes a run deterministic (docs/tcg-ir.md,
# "Instruction counting").  The guest tests/x86/icount.c prints its RDTSC
# deltas, the loop iteration its timer interrupts arrived at and its final
# TSC on "icount:" lines; it runs twice under each of a few -icount
# settings, every run must pass its own checks, and the two runs' whole
# outputs must be identical:
#   PASS icount/SETTING               both runs passed, same output
#   FAIL icount/SETTING: why          a run failed, or the outputs differ
# (The bad -icount options are suite-badinput.sh's.)
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
TIMEOUT=${X86_TIMEOUT:-60}
ELF=$O/tests/x86/icount.elf

if [ ! -x "$TERN" ] || [ ! -f "$ELF" ]; then
    echo "FAIL icount: $TERN or $ELF is not built (make all tests-x86)"
    exit 0
fi

. "$(dirname "$0")/guest-lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check NAME ICOUNT-ARG: two runs of the guest with -icount ICOUNT-ARG
check() {
    name=icount/$1
    for run in 1 2; do
        guest_run "$tmp/out$run" "" -no-reboot -kernel "$ELF" -icount "$2"
        if ! guest_judge "$name" "$tmp/out$run" 1 yes >"$tmp/judge"; then
            grep '^FAIL ' "$tmp/judge"
            return
        fi
    done
    if ! grep -q '^icount: end tsc=' "$tmp/out1"; then
        echo "FAIL $name: no 'icount: end' line"
    elif cmp -s "$tmp/out1" "$tmp/out2"; then
        echo "PASS $name"
    else
        echo "FAIL $name: the two runs differ:"
        diff "$tmp/out1" "$tmp/out2" | head -n 10 | sed 's/^/    /'
    fi
}

check shift0 shift=0
check shift2-nosleep 2,sleep=off
check shift7 shift=7,align=off,sleep=on
exit 0
