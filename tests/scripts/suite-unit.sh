#!/bin/sh
# Unit tests: every built tests/unit binary.
for t in "$O"/tests/unit/test-*; do
    case "$t" in *.o|*.d) continue ;; esac
    [ -x "$t" ] || continue
    "$t" || { rc=$?; echo "FAIL $(basename "$t"): exited with status $rc"; }
done
exit 0
