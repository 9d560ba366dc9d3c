#!/bin/sh
# mkinitramfs.sh GUEST OUT RUNNER PROGRAM...: the initramfs of
# bench/linux.sh, gzipped, to OUT: the guest kit's busybox archive
# (tests/linux/fetch-guest.sh --spec, less the kernel modules, which no
# benchmark loads) with RUNNER (bench/linux/runbench.c) as /bench/runbench, bench/linux/init.sh as /check, and each static
# PROGRAM as /bench/bin/NAME (NAME: its file name without "-static").
set -eu
[ $# -ge 3 ] || { echo "usage: mkinitramfs.sh GUEST OUT RUNNER PROGRAM..." >&2; exit 2; }
G=$1 OUT=$2 RUNNER=$3
shift 3
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

{
    sh "$ROOT/tests/linux/fetch-guest.sh" "$G" --spec | grep -v '^[a-z]* /lib/modules'
    echo "file /check $HERE/init.sh 0755"
    echo "dir /bench 0755"
    echo "dir /bench/bin 0755"
    echo "file /bench/runbench $RUNNER 0755"
    for p do
        n=${p##*/}
        echo "file /bench/bin/${n%-static} $p 0755"
    done
} | sh "$ROOT/tests/linux/mkcpio.sh" | gzip -9n >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
