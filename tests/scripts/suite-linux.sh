#!/bin/sh
# suite-linux: the Linux boot test (tests/linux/boot-test.sh).  On by
# default: make check fetches the kit first (apt-get download, cached in
# build/guest); without a kit (no network) the test reports SKIP.
# LINUX_BOOT_TEST=0 turns it off.
#   SKIP linux/boot: off ...    LINUX_BOOT_TEST=0
#   (boot-test.sh's lines)      otherwise: one boot, then the SMP case
#                               (boot-test.sh -smp 4: linux/boot-smp4/...)
set -u
if [ "${LINUX_BOOT_TEST:-1}" = 0 ]; then
    echo "SKIP linux/boot: off (LINUX_BOOT_TEST=0)"
    exit 0
fi
sh tests/linux/boot-test.sh
exec sh tests/linux/boot-test.sh -smp 4
