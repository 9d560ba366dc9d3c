#!/bin/sh
# /init of tern's guest initramfs (built by tests/linux/fetch-guest.sh).
# Mounts the pseudo file systems, prints how long the boot took (the boot
# benchmark and the boot test read this line), then switches to the disk
# root=DEV when the command line names one, else runs /check when the
# archive has one (the boot test's variant) or an interactive shell on the
# console, and powers off when that ends.
export PATH=/bin:/sbin HOME=/root PS1='tern:\w# '
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
hostname tern
read -r up _ </proc/uptime
echo "tern-guest: userspace at $up s"
# root=DEV on the command line (a disk boot, tests/linux/disk-test.sh): load
# the disk drivers and ext4 (modules in Debian's kernel), wait for DEV and
# hand over to its /sbin/init.
root=
for w in $(cat /proc/cmdline); do case $w in root=*) root=${w#root=} ;; esac; done
if [ -n "$root" ]; then
    modprobe -a ata_piix sd_mod sr_mod virtio_pci virtio_blk crc32c_generic ext4
    # the disk may show up, or be readable, only a while after the modules
    # loaded: try for up to 60 s
    mkdir -p /newroot
    n=0
    until mount -t ext4 "$root" /newroot 2>/dev/null || [ $n -ge 600 ]; do usleep 100000; n=$((n + 1)); done
    if [ $n -lt 600 ] || mount -t ext4 "$root" /newroot; then
        umount /proc /sys
        mount --move /dev /newroot/dev
        exec switch_root /newroot /sbin/init
    fi
    echo "tern-guest: cannot mount root=$root as ext4; staying in the initramfs"
fi
if [ -x /check ]; then
    /check
else
    echo "tern-guest: busybox shell; poweroff -f (or exit) ends tern, Ctrl-A x quits it"
    setsid cttyhack sh
fi
poweroff -f
