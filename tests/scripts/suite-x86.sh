#!/bin/sh
# suite-x86: run every guest test ($O/tests/x86/NAME.elf, booted with
# -kernel) and firmware test ($O/tests/firmware/NAME.bin, booted with -bios)
# under every accelerator this host has: TCG always, KVM when
# `tern -accel kvm` works.
#   PASS x86/ACCEL/NAME               tern exited 1 (guest wrote 0 to
#                                     isa-debug-exit), the guest printed at
#                                     least one PASS line, no FAIL line and
#                                     test_done()'s "N passed, 0 failed"
#                                     (a guest that dies by a triple
#                                     fault exits 0: -no-reboot, below)
#   FAIL x86/ACCEL/NAME: why          first FAIL line, timeout, or status
#   SKIP x86/kvm/NAME: kvm: why       KVM is not usable here
# The guest's own check lines are echoed indented, so that check.sh does
# not count them a second time.  A test whose source has a line
# "// tern-args: OPTIONS" (e.g. -cpu max,-sse4.1) runs with those options
# added.  A test whose source has a line "// tern-expect-status: N" must
# make tern exit with status N instead of 1 (e.g. 0: -no-reboot after a
# triple fault); it still needs a PASS line and no FAIL line, but not
# test_done()'s line (the guest never reaches it).  A test whose source
# has a line "// tern-stdin: TEXT" gets TEXT (printf %b escapes: \n,
# \001) on tern's stdin instead of /dev/null.  Tests run with
# -no-reboot, so a guest that dies by a triple fault ends at once (status
# 0) instead of rebooting until the timeout; one whose source has a line
# "// tern-reboot: yes" (tests/x86/reset.c) runs without it.
# Under KVM a source line "// tern-kvm: skip REASON" skips the test
# (SKIP x86/kvm/NAME: kvm: REASON) and "// tern-kvm: allow PATTERN REASON"
# lets the checks PATTERN (a glob) fail, reported as SKIP; "// tern-nested:"
# lines do the same only under nested KVM (TERN_NESTED=1), for where QEMU's
# TCG, the "hardware" there, differs from silicon (docs/testing.md).
# A line "// tern-disk: SIZE OPTIONS" (e.g. "1M if=virtio") gives the test
# a fresh blank raw image of SIZE (truncate -s) as -drive
# file=IMG,format=raw,OPTIONS, one per line, new for every run.
# X86_ACCEL=kvm leaves TCG out (tests/kvm/nested.sh: TCG is too slow there),
# X86_ACCEL=tcg leaves KVM out (suite-hosts.sh);
# X86_ONLY="NAME ..." runs only those tests.
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
TIMEOUT=${X86_TIMEOUT:-60}

elfs=$(ls "$O"/tests/x86/*.elf "$O"/tests/firmware/*.bin 2>/dev/null)
if [ -n "${X86_ONLY:-}" ]; then
    elfs=$(for n in $X86_ONLY; do ls "$O/tests/x86/$n.elf" 2>/dev/null; done)
fi
if [ -z "$elfs" ]; then
    echo "FAIL x86: no guest tests in $O/tests/x86 (make tests-x86)"
    exit 0
fi

name_of() { case $1 in *.bin) echo "firmware-$(basename "$1" .bin)" ;; *) basename "$1" .elf ;; esac; }

# tern_args ELF: the options its source's "// tern-args:" line asks for.
SRC_DIR=$(dirname "$0")/../x86
tern_args() {
    sed -n 's|^// tern-args: *||p' "$SRC_DIR/$(name_of "$1").c" 2>/dev/null | head -n 1
}
# reboot_opt ELF: -no-reboot unless its source asks for resets.
reboot_opt() {
    grep -q '^// tern-reboot: yes' "$SRC_DIR/$(name_of "$1").c" 2>/dev/null || echo -no-reboot
}
# stdin_text ELF: what its "// tern-stdin:" line feeds to tern, if any.
stdin_text() {
    sed -n 's|^// tern-stdin: *||p' "$SRC_DIR/$(name_of "$1").c" 2>/dev/null | head -n 1
}
# want_status ELF: the exit status its "// tern-expect-status:" line asks
# for, 1 (isa-debug-exit 0) if none.
want_status() {
    w=$(sed -n 's|^// tern-expect-status: *\([0-9]*\).*|\1|p' "$SRC_DIR/$(name_of "$1").c" \
        2>/dev/null | head -n 1)
    echo "${w:-1}"
}

if [ ! -x "$TERN" ]; then
    for elf in $elfs; do
        echo "FAIL x86/tcg/$(name_of "$elf"): $TERN is not built"
    done
    exit 0
fi

out=$(mktemp)
disks=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$disks"' EXIT

# disk_args ELF: the -drive options its "// tern-disk:" lines ask for.
disk_args() {
    sed -n 's|^// tern-disk: *||p' "$SRC_DIR/$(name_of "$1").c" 2>/dev/null |
    while read -r size opts; do
        img=$(mktemp "$disks/disk-XXXXXX")
        truncate -s "$size" "$img" && echo "-drive file=$img,format=raw${opts:+,$opts}"
    done
}

. "$(dirname "$0")/guest-lib.sh"

# run ACCEL ELF: boot the guest (guest_run: output in $out, status in $st).
run() {
    case $2 in *.bin) boot=-bios ;; *) boot=-kernel ;; esac
    guest_run "$out" "$(stdin_text "$2")" -accel "$1" $boot "$2" $(reboot_opt "$2") $(tern_args "$2") \
        $(disk_args "$2")
}

# Is KVM usable?  guest_accels boots hello with -accel kvm: if tern
# refuses (it exits without the guest printing anything), $kvm_reason says why.
guest_accels "$out" "$(ls "$O"/tests/x86/hello.elf 2>/dev/null || echo "${elfs%%[[:space:]]*}")"
for accel in $accels; do
    for elf in $elfs; do
        name=$(name_of "$elf")
        case $elf in
        *.bin) src=$SRC_DIR/../firmware/$(basename "$elf" .bin).S ;;
        *)     src=$SRC_DIR/$name.c ;;
        esac
        marks=$(guest_markers "$src" "$accel")
        skip=$(printf '%s\n' "$marks" | sed -n 's/^\([a-z]*\): skip /\1: /p' | head -n 1)
        if [ -n "$skip" ]; then
            echo "SKIP x86/$accel/$name: $skip"
            continue
        fi
        run "$accel" "$elf"
        guest_allow "$out" "$marks"
        want=$(want_status "$elf")
        done_line=yes
        [ "$want" = 1 ] || done_line=no
        guest_judge "x86/$accel/$name" "$out" "$want" "$done_line" && echo "PASS x86/$accel/$name"
    done
done

if [ -n "$kvm_reason" ]; then
    for elf in $elfs; do
        echo "SKIP x86/kvm/$(name_of "$elf"): kvm: $kvm_reason"
    done
fi
exit 0
