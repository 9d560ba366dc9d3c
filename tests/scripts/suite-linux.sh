#!/bin/sh
# suite-linux: the Linux boot test (tests/linux/boot-test.sh).  Off unless
# LINUX_BOOT_TEST=1 (make check LINUX_BOOT_TEST=1, or make check-linux):
# tern cannot boot Linux yet, and the kit is a 70 MB download.  With it on,
# make fetches the kit first; without a kit the test reports SKIP.
#   SKIP linux/boot: off ...    not enabled
#   (boot-test.sh's lines)      enabled
set -u
if [ "${LINUX_BOOT_TEST:-0}" != 1 ]; then
    echo "SKIP linux/boot: off until tern boots Linux (make check LINUX_BOOT_TEST=1 or make check-linux runs it)"
    exit 0
fi
exec sh tests/linux/boot-test.sh
