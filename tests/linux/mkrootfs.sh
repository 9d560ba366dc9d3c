#!/bin/sh
# mkrootfs.sh [DIR]: build DIR/rootfs.img (default build/guest), an ext4
# root file system for disk boots, from the guest kit's busybox (run
# tests/linux/fetch-guest.sh first, which calls this):
#   /bin/busybox + its applet links, /sbin/init (tests/linux/rootfs-init.sh),
#   /data/random.bin (4 MiB of random bytes the write test reads back;
#   its sha256 in DIR/rootfs.random.sha256 for tests without debugfs),
#   empty /dev /proc /sys /tmp /root /out
# 64 MiB, made with mke2fs -t ext4 -d (e2fsprogs; no root, no mount).
# Rebuilt only when missing or older than busybox or these scripts.
set -eu
G=${1:-build/guest}
HERE=$(cd "$(dirname "$0")" && pwd)
img=$G/rootfs.img
die() { echo "mkrootfs: $*" >&2; exit 1; }

PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null 2>&1 || die "needs mke2fs (apt-get install e2fsprogs)"
[ -x "$G/busybox" ] || die "no $G/busybox (run tests/linux/fetch-guest.sh $G)"
if [ -f "$img" ]; then
    stale=
    for f in "$G/busybox" "$HERE/mkrootfs.sh" "$HERE/rootfs-init.sh"; do
        [ -n "$(find "$f" -newer "$img")" ] && stale=1
    done
    [ -z "$stale" ] && exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=$tmp/root
for d in bin sbin usr/bin usr/sbin dev proc sys tmp root out data etc; do mkdir -p "$r/$d"; done
cp "$G/busybox" "$r/bin/busybox"
"$G/busybox" --list-full | while read -r a; do
    case $a in bin/busybox|sbin/init) ;; */*) ln -s /bin/busybox "$r/$a" ;; esac
done
cp "$HERE/rootfs-init.sh" "$r/sbin/init"
chmod 755 "$r/sbin/init" "$r/bin/busybox"
head -c 4194304 /dev/urandom >"$r/data/random.bin"
sha256sum <"$r/data/random.bin" | cut -d' ' -f1 >"$G/rootfs.random.sha256"
mke2fs -q -F -t ext4 -b 4096 -L tern-root -d "$r" "$img.tmp" 64M >"$tmp/log" 2>&1 ||
    die "mke2fs failed: $(head -n 1 "$tmp/log")"
mv "$img.tmp" "$img"
echo "mkrootfs: wrote $img (ext4, 64 MiB)"
