#!/bin/sh
# bench/disk.sh: disk throughput inside the guest kit's Linux
# (tests/linux/fetch-guest.sh, rootfs.img from tests/linux/mkrootfs.sh):
# root on rootfs.img, a second, raw 256 MiB disk for the measurements, on
# IDE (-hda/-hdb: /dev/sdb) and on virtio-blk (if=virtio: /dev/vdb).  The
# guest's /sbin/init (tests/linux/rootfs-init.sh, tern.disk=bench) times
# with dd and O_DIRECT: 192 MiB sequential write (+ fsync) and read in 1 MiB
# blocks, 256 random 4 KiB writes and reads (one dd each, so the start-up
# of dd is in them: compare engines, not with the host).  Under tern and,
# when qemu-system-x86_64 is installed, under QEMU (-accel $ACCEL), runs
# interleaved; prints the medians in MB/s (4K: IOPS) and tern/QEMU.
# A benchmark, not a test: make check does not run it.
#   O      build directory (build)      GUEST  the kit (build/guest)
#   TERN   the emulator ($O/tern)       QEMU   qemu-system-x86_64
#   REPS   runs of each (3)             LIMIT  seconds per run (180)
#   ACCEL  tcg (default) or kvm
set -u
. "$(dirname "$0")/lib.sh"
LIMIT=${LIMIT:-180}
TESTS="seq-write seq-read rand-write rand-read"

if [ ! -f "$GUEST/vmlinuz" ] || [ ! -f "$GUEST/rootfs.img" ]; then
    echo "bench/disk: no guest kit with rootfs.img in $GUEST (make guest; needs e2fsprogs)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# bench_once ENGINE BUS: one boot; appends "TEST VALUE" lines (MB/s, or
# IOPS for the 4K tests) to $tmp/ENGINE-BUS, "fail" when the guest did not
# finish
bench_once() {
    cp "$GUEST/rootfs.img" "$tmp/root.img"
    rm -f "$tmp/data.img"; truncate -s 256M "$tmp/data.img"
    case $2 in
    ide)    dev=/dev/sdb drives="-drive file=$tmp/root.img,format=raw,if=ide,index=0 -drive file=$tmp/data.img,format=raw,if=ide,index=1" ;;
    virtio) dev=/dev/vdb drives="-drive file=$tmp/root.img,format=raw,if=virtio -drive file=$tmp/data.img,format=raw,if=virtio" ;;
    esac
    root=${dev%b}a
    case $1 in tern) emu=$TERN ;; qemu) emu=$QEMU ;; esac
    timeout -s KILL "$LIMIT" "$emu" -accel "$ACCEL" -m 512 -nographic -no-reboot \
        -kernel "$GUEST/vmlinuz" -initrd "$GUEST/initramfs.cpio.gz" $drives \
        -append "console=ttyS0 quiet panic=-1 root=$root tern.disk=bench tern.benchdev=$dev" \
        </dev/null >"$tmp/out" 2>&1
    st=$?
    if ! tr -d '\r' <"$tmp/out" | grep -q '^tern-disk: bench done'; then
        [ $st = 137 ] && st="killed after ${LIMIT}s"
        echo "bench/disk: $1 on $2 did not finish (status $st; last line: $(tr -d '\r' <"$tmp/out" | grep -v '^$' | tail -n 1))" >&2
        echo fail >>"$tmp/$1-$2"
        return
    fi
    tr -d '\r' <"$tmp/out" | awk '$1 == "tern-disk:" && $2 == "bench" && NF == 5 {
        s = ($5 > 0 ? $5 : 1) / 100
        if ($3 ~ /^rand/) printf "%s %.0f\n", $3, $4 / 4096 / s
        else printf "%s %.1f\n", $3, $4 / 1e6 / s
    }' >>"$tmp/$1-$2"
}

value() { awk -v t="$2" '$1 == t { print $2 }' "$tmp/$1" 2>/dev/null | median; }

engines=tern
command -v "$QEMU" >/dev/null 2>&1 && engines="tern qemu"
for r in $(seq 1 "$REPS"); do
    for bus in ide virtio; do
        for e in $engines; do bench_once $e $bus; done
    done
done

printf '%-8s %-7s %14s %14s %14s %14s\n' "-accel $ACCEL" "" "seq write MB/s" "seq read MB/s" "4K write IOPS" "4K read IOPS"
for bus in ide virtio; do
    for e in $engines; do
        printf '%-8s %-7s' "$bus" "$e"
        for t in $TESTS; do printf ' %14s' "$(value $e-$bus $t)"; done
        echo
    done
    if [ "$engines" = "tern qemu" ]; then
        printf '%-8s %-7s' "$bus" "ratio"
        for t in $TESTS; do
            printf ' %14s' "$(echo "$(value tern-$bus $t) $(value qemu-$bus $t)" |
                awk '$1 + 0 > 0 && $2 + 0 > 0 { printf "%.2f", $1 / $2; next } { print "-" }')"
        done
        echo "   (tern/QEMU, higher is better for tern)"
    fi
done
[ "$engines" = tern ] && echo "tern/QEMU: $QEMU is not installed (apt-get install qemu-system-x86); tern alone"
grep -q fail "$tmp"/tern-* && exit 1
exit 0
