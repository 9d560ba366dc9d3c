#!/bin/sh
# suite-kvm: the KVM tests wherever this host can run them (docs/kvm.md,
# "Testing without hardware virtualisation").
#   hardware KVM (vmx or svm in /proc/cpuinfo, not kvm_pvm):
#     PASS|FAIL kvm/smoke        $O/tests/kvm/kvm-smoke on the host's /dev/kvm;
#                                suite-x86.sh runs x86/kvm/* itself
#   otherwise, with qemu-system-x86_64: tests/kvm/nested.sh, its lines
#   named nested/...:
#     PASS nested/kvm/smoke, nested/x86/kvm/NAME ...
#     FAIL nested/...: why       a test failed inside
#     FAIL kvm/nested: why       the nested guest did not finish
#     SKIP kvm/nested: why       nested.sh could not start (no guest kit)
#   otherwise:
#     SKIP kvm/nested: why       no hardware virtualisation and no QEMU
# KVM_TEST=0 turns it off (SKIP kvm: off).
set -u
O=${O:-build}
if [ "${KVM_TEST:-1}" = 0 ]; then
    echo "SKIP kvm: off (KVM_TEST=0)"
    exit 0
fi

# Why this host has no hardware-backed /dev/kvm; empty if it has one.
hw_kvm_reason() {
    if ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
        echo "no hardware virtualisation (neither vmx nor svm in /proc/cpuinfo)"
    elif [ -d /sys/module/kvm_pvm ]; then
        echo "/dev/kvm is kvm_pvm (software)"
    elif [ ! -c /dev/kvm ]; then
        echo "no /dev/kvm (modprobe kvm_intel or kvm_amd)"
    fi
}
why=$(hw_kvm_reason)

if [ -z "$why" ]; then
    if out=$("$O/tests/kvm/kvm-smoke" 2>&1); then
        echo "PASS kvm/smoke"
    else
        echo "FAIL kvm/smoke: $(printf '%s\n' "$out" | tail -n 1)"
    fi
    printf '%s\n' "$out" | sed 's/^/    /'
    exit 0
fi
QEMU=${QEMU:-qemu-system-x86_64}
export QEMU
if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "SKIP kvm/nested: $why, and no $QEMU for the nested test (apt-get install qemu-system-x86)"
    exit 0
fi
echo "    kvm: $why: running the KVM tests nested, under QEMU's TCG"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# The list takes about 330 s (2 cores, idle); past 900 s nested.sh stops
# QEMU and names each test not reached as FAIL.
NESTED_TIMEOUT=${NESTED_TIMEOUT:-900} sh tests/kvm/nested.sh >"$tmp" 2>&1
st=$?
sed '/^\(PASS\|FAIL\|SKIP\) /!s/^/    /' "$tmp"
# 125: nested.sh could not start (no guest kit, tern not built).
[ $st != 125 ] || echo "SKIP kvm/nested: $(sed -n 's/^nested: //p' "$tmp" | tail -n 1)"
exit 0
