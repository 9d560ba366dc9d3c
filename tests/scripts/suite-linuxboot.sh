#!/bin/sh
# suite-linuxboot: boot the synthetic bzImage (tests/linuxboot/) through
# the 64-bit Linux boot protocol under TCG and, where tern can use it, KVM
# (guest_accels), with -m 64:
#   plain     lbtest.bzImage, no -append, no -initrd
#   initrd    lbtest.bzImage with -append and -initrd
#   reloc     lbtest-reloc.bzImage (pref_address 16 MiB, initrd_addr_max
#             below 48 MiB) with -append and -initrd
# The -append text ends in "initrd=CRC:SIZE", the POSIX cksum of the
# -initrd file, which the guest recomputes over the bytes it finds.  The
# guest checks, resets through port 0x92 and checks again.
#   PASS linuxboot/ACCEL/NAME   tern exited 1 (guest wrote 0), no FAIL
#                               line, the second boot ran, "N passed, 0 failed"
#   FAIL linuxboot/ACCEL/NAME: why
#   SKIP linuxboot/kvm: kvm: why
# The guest's own lines are echoed indented (check.sh counts only ours).
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
TIMEOUT=${X86_TIMEOUT:-60}
DIR=$O/tests/linuxboot
INITRD=$DIR/lbtest.elf
PREFIX='lbtest  console=ttyS0 "two words"'

out=$(mktemp)
trap 'rm -f "$out"' EXIT

. "$(dirname "$0")/guest-lib.sh"

# run NAME IMAGE [tern args...]: under $accel
run() {
    name=linuxboot/$accel/$1; image=$DIR/$2; shift 2
    if [ ! -x "$TERN" ] || [ ! -f "$image" ] || [ ! -f "$INITRD" ]; then
        echo "FAIL $name: $TERN or $image is not built (make tests-x86)"
        return
    fi
    guest_run "$out" "" -accel "$accel" -m 64 -kernel "$image" "$@"
    guest_judge "$name" "$out" 1 yes || return
    if ! grep -q '^linuxboot: after the reset$' "$out"; then
        echo "FAIL $name: no second boot after the guest's reset"
    else
        echo "PASS $name"
    fi
}

sum=$(cat "$INITRD.cksum" 2>/dev/null)      # the build's (tests/linuxboot/build.mk)
guest_accels "$out" "$DIR/lbtest.bzImage"
for accel in $accels; do
    run plain  lbtest.bzImage
    run initrd lbtest.bzImage -append "$PREFIX initrd=$sum" -initrd "$INITRD"
    run reloc  lbtest-reloc.bzImage -append "$PREFIX initrd=$sum" -initrd "$INITRD"
done
[ -z "$kvm_reason" ] || echo "SKIP linuxboot/kvm: kvm: $kvm_reason"
exit 0
