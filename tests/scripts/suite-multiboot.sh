#!/bin/sh
# suite-multiboot: boot the Multiboot 1 test guest (tests/multiboot/) in
# each of its three forms under TCG and, where tern can use it, KVM
# (guest_accels), with the memory size, command line and modules the
# guest checks:
#   PASS multiboot/ACCEL/FORM   tern exited 1 (guest wrote 0), no FAIL
#                               line, the guest's "N passed, 0 failed"
#   FAIL multiboot/ACCEL/FORM: why
#   SKIP multiboot/kvm: kvm: why
# The guest's own lines are echoed indented (check.sh counts only ours).
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
TIMEOUT=${X86_TIMEOUT:-60}
DIR=$O/tests/multiboot
MODS=tests/multiboot

out=$(mktemp)
trap 'rm -f "$out"' EXIT

. "$(dirname "$0")/guest-lib.sh"

guest_accels "$out" "$DIR/mbtest.elf"
for accel in $accels; do
    for form in mbtest.elf mbtest-aout.bin mbtest-aout64.elf; do
        name=multiboot/$accel/$form
        if [ ! -x "$TERN" ] || [ ! -f "$DIR/$form" ]; then
            echo "FAIL $name: $TERN or $DIR/$form is not built (make tests-x86)"
            continue
        fi
        guest_run "$out" "" -accel "$accel" -m 64 -kernel "$DIR/$form" \
            -append "mbtest mem=64 two words" -initrd "$MODS/mod1.txt one,$MODS/mod2.txt"
        guest_judge "$name" "$out" 1 yes && echo "PASS $name"
    done
done
[ -z "$kvm_reason" ] || echo "SKIP multiboot/kvm: kvm: $kvm_reason"
exit 0
