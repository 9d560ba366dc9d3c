#!/bin/sh
# /sbin/init of rootfs.img (tests/linux/mkrootfs.sh): the root file system
# the initramfs (tests/linux/init.sh) switches to on a disk boot.  What it
# does is chosen on the kernel command line with tern.disk=MODE:
#   write    read /data/random.bin, write the files of /out (below), sync,
#            power off; tests/linux/disk-test.sh checks them on the host
#   verify   after a write boot: print the sums of /out's files (the
#            nested KVM test reads them back this way: no debugfs there)
#   crash    append fixed-size records to /out/log.R (R: tern.round=R),
#            each followed by fsync and "tern-disk: flushed N", until the
#            host kills tern
#   bench    time dd on the raw disk tern.benchdev=DEV (bench/disk.sh)
#   (none)   a shell on the console (the issue's command line)
# Every line for the host starts with "tern-disk: ".
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root PS1='tern-disk:\w# '
mount -t proc proc /proc
mount -t sysfs sysfs /sys
[ -c /dev/null ] || mount -t devtmpfs devtmpfs /dev
mode= round=0
for w in $(cat /proc/cmdline); do
    case $w in tern.disk=*) mode=${w#tern.disk=} ;; tern.round=*) round=${w#tern.round=} ;; esac
done
echo "tern-disk: root $(awk '$2 == "/" { print $1 }' /proc/mounts) mode ${mode:-shell}"

case $mode in
write)
    # read path: the host knows the sum of the file it put in the image
    echo "tern-disk: read random.bin $(sha256sum /data/random.bin | cut -d' ' -f1)"
    mkdir -p /out
    cp /data/random.bin /out/copy.bin
    seq 1 300000 >/out/seq.txt
    head -c 1048576 /dev/urandom >/out/urandom.bin
    echo "tern-disk: wrote urandom.bin $(sha256sum /out/urandom.bin | cut -d' ' -f1)"
    echo "hello from tern" >/out/hello.txt
    sync
    echo "tern-disk: synced"
    ;;
verify)
    for f in copy.bin urandom.bin seq.txt hello.txt; do
        echo "tern-disk: sum $f $(sha256sum /out/$f 2>/dev/null | cut -d' ' -f1)"
    done
    ;;
crash)
    # fixed-size records; disk-test.sh makes the same lines to compare
    mkdir -p /out
    sync
    n=0
    while :; do
        n=$((n + 1))
        # dd conv=fsync: write and fsync on one descriptor (no fsync applet)
        printf 'round %d record %08d %032d\n' "$round" "$n" "$n" |
            dd of="/out/log.$round" oflag=append conv=notrunc,fsync 2>/dev/null ||
            { echo "tern-disk: write+fsync failed at $n"; break; }
        echo "tern-disk: flushed $n"
    done
    ;;
bench)
    # bench/disk.sh: dd on the raw disk tern.benchdev=DEV (no file system),
    # O_DIRECT past the page cache; each line "tern-disk: bench NAME BYTES
    # CENTISECONDS" (guest uptime: busybox date has no %N).  The 4K random
    # ops are one dd each, so they include the dd's start-up.
    dev=
    for w in $(cat /proc/cmdline); do case $w in tern.benchdev=*) dev=${w#tern.benchdev=} ;; esac; done
    cs() { read -r u _ </proc/uptime; echo "${u%.*}${u#*.}"; }
    run() {     # NAME BYTES COMMAND...
        _n=$1 _b=$2; shift 2
        _t=$(cs); "$@" 2>/dev/null; echo "tern-disk: bench $_n $_b $(( $(cs) - _t ))"
    }
    blocks=$(( $(blockdev --getsize64 "$dev") / 4096 ))
    offs=$(awk -v n="$blocks" 'BEGIN { srand(1); for (i = 0; i < 256; i++) printf "%d ", int(rand() * n) }')
    randw() { for o in $offs; do dd if=/dev/zero of="$dev" bs=4096 count=1 seek="$o" oflag=direct conv=notrunc; done; sync; }
    randr() { for o in $offs; do dd if="$dev" of=/dev/null bs=4096 count=1 skip="$o" iflag=direct; done; }
    run seq-write $((192 << 20)) dd if=/dev/zero of="$dev" bs=1M count=192 oflag=direct conv=fsync
    run seq-read $((192 << 20)) dd if="$dev" of=/dev/null bs=1M count=192 iflag=direct
    run rand-write $((256 * 4096)) randw
    run rand-read $((256 * 4096)) randr
    echo "tern-disk: bench done"
    ;;
*)
    echo "tern-disk: shell"
    setsid cttyhack sh
    ;;
esac
poweroff -f
