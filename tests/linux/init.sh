#!/bin/sh
# /init of tern's guest initramfs (built by tests/linux/fetch-guest.sh).
# Mounts the pseudo file systems, prints how long the boot took (the boot
# benchmark and the boot test read this line), then runs /check when the
# archive has one (the boot test's variant) or an interactive shell on the
# console, and powers off when that ends.
export PATH=/bin:/sbin HOME=/root PS1='tern:\w# '
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
hostname tern
read -r up _ </proc/uptime
echo "tern-guest: userspace at $up s"
if [ -x /check ]; then
    /check
else
    echo "tern-guest: busybox shell; poweroff -f (or exit) ends tern, Ctrl-A x quits it"
    setsid cttyhack sh
fi
poweroff -f
