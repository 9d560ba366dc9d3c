#!/bin/sh
# Unit tests: every built tests/unit binary (under $HOST_EXEC, QEMU's
# user-mode emulation, for a build this machine cannot run directly).
for t in "$O"/tests/unit/test-*; do
    case "$t" in *.o|*.d) continue ;; esac
    [ -x "$t" ] || continue
    ${HOST_EXEC:-} "$t" || { rc=$?; echo "FAIL $(basename "$t"): exited with status $rc"; }
done
exit 0
