#!/bin/sh
# bench/kvm-boot.sh: bench/boot.sh under KVM: Debian's kernel to userspace
# with tern -accel kvm and QEMU -accel kvm, plus tern's start-up cost (its
# start to the first KVM_RUN) and both peak RSS.  The target is
# Firecracker's: under 125 ms to /init.  Needs a hardware-backed /dev/kvm;
# tern's one-line refusal ends it otherwise (status 1).
ACCEL=kvm exec sh "$(dirname "$0")/boot.sh" "$@"
