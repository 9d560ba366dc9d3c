#!/bin/sh
# suite-multiboot: boot the Multiboot 1 test guest (tests/multiboot/) in
# each of its three forms under TCG, with the memory size, command line
# and modules the guest checks:
#   PASS multiboot/tcg/FORM     tern exited 1 (guest wrote 0), no FAIL
#                               line, the guest's "N passed, 0 failed"
#   FAIL multiboot/tcg/FORM: why
# The guest's own lines are echoed indented (check.sh counts only ours).
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
TIMEOUT=${X86_TIMEOUT:-60}
DIR=$O/tests/multiboot
MODS=tests/multiboot

out=$(mktemp)
trap 'rm -f "$out"' EXIT

for form in mbtest.elf mbtest-aout.bin mbtest-aout64.elf; do
    name=multiboot/tcg/$form
    if [ ! -x "$TERN" ] || [ ! -f "$DIR/$form" ]; then
        echo "FAIL $name: $TERN or $DIR/$form is not built (make tests-x86)"
        continue
    fi
    { timeout "$TIMEOUT" "$TERN" -nographic -accel tcg -m 64 -kernel "$DIR/$form" \
          -append "mbtest mem=64 two words" -initrd "$MODS/mod1.txt one,$MODS/mod2.txt" \
          -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null 2>&1
      echo "tern-suite-status $?"; } | tr -d '\r' >"$out"
    st=$(sed -n 's/^tern-suite-status //p' "$out" | tail -n 1)
    sed -i '/^tern-suite-status /d' "$out"
    sed 's/^/    /' "$out"
    firstfail=$(grep -m1 '^FAIL ' "$out" | sed 's/^FAIL //')
    if [ "$st" = 124 ] || [ "$st" = 137 ]; then
        echo "FAIL $name: timeout after ${TIMEOUT}s"
    elif [ -n "$firstfail" ]; then
        echo "FAIL $name: $firstfail"
    elif [ "$st" != 1 ]; then
        echo "FAIL $name: tern exited with status $st (want 1)"
    elif ! grep -qE '^[1-9][0-9]* passed, 0 failed$' "$out"; then
        echo "FAIL $name: the guest stopped early (last line: $(tail -n 1 "$out"))"
    else
        echo "PASS $name"
    fi
done
exit 0
