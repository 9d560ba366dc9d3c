#!/bin/sh
# suite-runstate: how a guest's own shutdown ends tern (docs/cpu.md,
# "Reset"), for the cases a guest test cannot judge from inside:
#   PASS runstate/no-shutdown    -no-reboot -no-shutdown: the triple fault
#                                of tests/x86/triple.c stops the guest
#                                (one line on stderr) and tern keeps
#                                running until the console's Ctrl-A x,
#                                typed a second later, ends it with 0
#   FAIL runstate/NAME: why
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
ELF=$O/tests/x86/triple.elf

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

name=runstate/no-shutdown
if [ ! -x "$TERN" ] || [ ! -f "$ELF" ]; then
    echo "FAIL $name: $TERN or $ELF is not built (make tests-x86)"
    exit 0
fi
{ sleep 1; printf '\001x'; } | timeout 30 "$TERN" -nographic -no-reboot -no-shutdown \
    -kernel "$ELF" -device isa-debug-exit,iobase=0xf4,iosize=0x04 >"$out" 2>"$err"
st=$?
if [ "$st" != 0 ]; then
    echo "FAIL $name: tern exited with status $st (want 0 from Ctrl-A x)"
elif ! grep -q '^PASS ' "$out"; then
    echo "FAIL $name: the guest printed no PASS line before its triple fault"
elif ! grep -q 'stopped (-no-shutdown)' "$err"; then
    echo "FAIL $name: tern exited without stopping the guest (stderr: $(head -n 1 "$err"))"
elif ! grep -q 'terminated (Ctrl-A x)' "$out"; then
    echo "FAIL $name: tern did not end by Ctrl-A x"
else
    echo "PASS $name"
fi
exit 0
