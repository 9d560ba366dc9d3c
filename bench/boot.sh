#!/bin/sh
# bench/boot.sh: how fast Debian's kernel boots to userspace (the guest
# kit, tests/linux/fetch-guest.sh) under tern and, when
# qemu-system-x86_64 is installed, under QEMU, both with -accel $ACCEL
# (tcg, or kvm: bench/kvm-boot.sh), the same kernel, initramfs and
# command line, runs interleaved.  For each run: the wall time from start
# to the guest's "tern-guest: userspace at N s" line, the guest's own
# uptime at that line, and the emulator's peak RSS (VmHWM) by then; under
# KVM also tern's start-up cost, the time from its start to the first
# KVM_RUN (TERN_KVM_STATS).  Prints the medians and the tern/QEMU ratio.
# A benchmark, not a test: make check does not run it.
#   O      build directory (build)      GUEST  the kit (build/guest)
#   TERN   the emulator ($O/tern)       QEMU   qemu-system-x86_64
#   REPS   runs of each (3)             LIMIT  seconds per run (120)
#   ACCEL  tcg (default) or kvm
set -u
. "$(dirname "$0")/lib.sh"
LIMIT=${LIMIT:-120}
ARGS="-m 512 -nographic -kernel $GUEST/vmlinuz -initrd $GUEST/initramfs.cpio.gz"
APPEND="console=ttyS0 quiet"

if [ ! -f "$GUEST/vmlinuz" ]; then
    echo "bench/boot: no guest kit in $GUEST (make guest)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }

if [ "$ACCEL" = kvm ]; then
    # tern refuses in one line where KVM is missing or software-only
    why=$("$TERN" -accel kvm -nographic -kernel /dev/null 2>&1 </dev/null | head -n 1)
    case $why in
    *kvm*|*KVM*|*virtualisation*)
        echo "bench/kvm-boot: KVM is not usable here: $why" >&2
        exit 1 ;;
    esac
fi

# boot_once NAME CMD...: start CMD, stop it at the userspace line; prints
# "WALL_S GUEST_S RSS_MB START_MS" (fields it could not measure: "-"; all
# "fail" when the guest never got there).
boot_once() {
    name=$1; shift
    out=$tmp/$name.out
    t0=$(now)
    TERN_KVM_STATS=1 "$@" -append "$APPEND" </dev/null >"$out" 2>&1 &
    pid=$!
    while :; do
        if grep -q 'tern-guest: userspace at' "$out" 2>/dev/null; then
            t1=$(now)
            rss=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' /proc/$pid/status 2>/dev/null)
            break
        fi
        if ! kill -0 "$pid" 2>/dev/null || [ $(( ($(now) - t0) / 1000000000 )) -ge "$LIMIT" ]; then
            t1=
            break
        fi
        sleep 0.02
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ -z "$t1" ]; then
        echo "fail fail fail fail"
        return
    fi
    guest=$(tr -d '\r' <"$out" | sed -n 's/.*tern-guest: userspace at \([0-9.]*\) s.*/\1/p' | head -n 1)
    start=$(sed -n 's/^kvm: CPU 0: first KVM_RUN \([0-9.]*\) ms after start.*/\1/p' "$out" | head -n 1)
    echo "$(echo "$t0 $t1" | awk '{ printf "%.2f", ($2 - $1) / 1e9 }') $guest ${rss:--} ${start:--}"
}


engines=tern
if command -v "$QEMU" >/dev/null 2>&1; then
    engines="tern qemu"
fi
for r in $(seq 1 "$REPS"); do
    for e in $engines; do
        case $e in
        tern) boot_once tern "$TERN" -accel "$ACCEL" $ARGS >>"$tmp/tern.times" ;;
        qemu) boot_once qemu "$QEMU" -accel "$ACCEL" $ARGS >>"$tmp/qemu.times" ;;
        esac
    done
done

printf '%-10s %14s %14s %10s %16s\n' "-accel $ACCEL" "wall to user" "guest uptime" "peak RSS" "first KVM_RUN"
for e in $engines; do
    w=$(cut -d' ' -f1 "$tmp/$e.times" | median fail)
    g=$(cut -d' ' -f2 "$tmp/$e.times" | median fail)
    m=$(cut -d' ' -f3 "$tmp/$e.times" | median fail)
    k=$(cut -d' ' -f4 "$tmp/$e.times" | median fail)
    printf '%-10s %13ss %13ss %7s MB %13s ms\n' "$e" "$w" "$g" "$m" "$k"
done
if [ "$engines" = "tern qemu" ]; then
    tw=$(cut -d' ' -f1 "$tmp/tern.times" | median fail)
    qw=$(cut -d' ' -f1 "$tmp/qemu.times" | median fail)
    echo "$tw $qw" | awk -v a="$ACCEL" '{ if ($2 > 0) printf "tern/QEMU wall time to userspace, -accel %s: %.2f\n", a, $1 / $2 }'
else
    echo "tern/QEMU: $QEMU is not installed (apt-get install qemu-system-x86); tern alone"
fi
grep -q fail "$tmp/tern.times" && exit 1
exit 0
