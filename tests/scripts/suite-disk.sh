#!/bin/sh
# suite-disk: Linux on tern's disks (tests/linux/disk-test.sh): files
# written through -hda (IDE) and virtio-blk and read back on the host, a
# crash-consistency test (SIGKILL during write+fsync loops), and the
# issue's command line (-s -S, gdb, the monitor socket, -smp 2).  Like
# suite-linux: on by default with the guest kit (make check fetches it);
# without a kit, rootfs.img (e2fsprogs) or a tern with -hda it reports
# SKIP; LINUX_BOOT_TEST=0 turns it off.
#   SKIP linux/disk: off ...    LINUX_BOOT_TEST=0
#   (disk-test.sh's lines)      otherwise
set -u
if [ "${LINUX_BOOT_TEST:-1}" = 0 ]; then
    echo "SKIP linux/disk: off (LINUX_BOOT_TEST=0)"
    exit 0
fi
for t in ide virtio crash cmdline; do
    sh tests/linux/disk-test.sh $t
done
