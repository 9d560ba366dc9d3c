#!/bin/sh
# suite-hosts: tern built for the other hosts, each running a representative
# subset of make check (docs/porting-a-host.md, "Tests that prove a back end").
# One row per configuration below:
#   tci       ./configure --enable-tcg-interpreter (the portable back end),
#             run natively, with the x87 transcendentals in software
#             (TERN_X87_SOFT=1: what every host but x86 runs)
#   aarch64   ./configure --cross-prefix=aarch64-linux-gnu- (tcg/aarch64),
#             run under QEMU's user-mode emulation (qemu-aarch64)
# Each is configured and built in its own directory (build-NAME), then runs:
# every unit test, every guest test (tests/x86, the firmware images) under
# TCG, the difftest replay of the recorded corpus and, for rows that say so,
# the Linux boot test (one CPU; without the guest kit it says SKIP).  Result lines are the sub-suites'
# own, prefixed NAME/:
#   PASS tci/x86/tcg/alu, FAIL aarch64/diff/replay: ..., ...
#   FAIL NAME/build: why        configure or make failed (the log's tail indented)
#   SKIP NAME: why              what this machine lacks (configure --install-deps
#                               installs the cross toolchain and qemu-user)
# HOSTS="tci" runs only those rows; HOSTS= (empty) none.  Only the native
# build's make check runs them (not a sanitizer build's, nor theirs).
set -u
O=${O:-build}
HOSTS=${HOSTS-tci aarch64}
own=$(sed -n 's/^CONFIGURE_ARGS = //p' "$O/config.mak" 2>/dev/null)
case "$own" in
*--cross-prefix*|*--enable-tcg-interpreter*|*--enable-sanitizers*|*--enable-tsan*)
    echo "SKIP hosts: $O is not a native build (the native build's make check runs these)"; exit 0 ;;
esac
[ -e "$O/config.mak" ] || { echo "SKIP hosts: $O is a sanitizer build (the plain one runs these)"; exit 0; }
# the builds below are their own: none of this make's variables (SANITIZE=1 ...)
unset MAKEFLAGS MFLAGS MAKELEVEL
MAKE=${MAKE:-make}

# row NAME: "CONFIGURE-ARGS|ENV|BOOT|NEEDS" (ENV: VAR=VALUE for its tests;
# BOOT: yes for the Linux boot test; NEEDS: commands or /paths)
row() {
    case "$1" in
    tci) echo "--enable-tcg-interpreter|TERN_X87_SOFT=1|no|" ;;
    aarch64) echo "--cross-prefix=aarch64-linux-gnu-||yes|aarch64-linux-gnu-gcc qemu-aarch64 \
/usr/lib/aarch64-linux-gnu/pkgconfig/glib-2.0.pc /usr/lib/aarch64-linux-gnu/pkgconfig/capstone.pc \
/usr/lib/aarch64-linux-gnu/pkgconfig/libelf.pc /usr/lib/aarch64-linux-gnu/libatomic.so.1 tcg/aarch64/tcg-target.c" ;;
    esac
}

# missing NEEDS...: the first one this machine lacks
missing() {
    for n in "$@"; do
        case "$n" in
        /*|*/*) [ -e "$n" ] || { echo "$n"; return; } ;;
        *) command -v "$n" >/dev/null 2>&1 || { echo "$n"; return; } ;;
        esac
    done
}

# prefixed NAME: the result lines of stdin, named NAME/...; the rest indented
prefixed() {
    sed -e "s#^\(PASS\|FAIL\|SKIP\) #\1 $1/#" -e '/^\(PASS\|FAIL\|SKIP\) /!s/^/    /'
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

for name in $HOSTS; do
    r=$(row "$name")
    args=${r%%|*}
    r=${r#*|}
    env=${r%%|*}
    r=${r#*|}
    boot=${r%%|*}
    lack=$(missing ${r#*|})
    if [ -n "$lack" ]; then
        echo "SKIP $name: no $lack here (./configure --install-deps installs the cross tools)"
        continue
    fi
    b=build-$name
    # configure again only when the arguments changed (a rebuild is minutes)
    if ! grep -qx "CONFIGURE_ARGS = $args --builddir=$b" "$b/config.mak" 2>/dev/null; then
        ./configure $args --builddir="$b" >"$log" 2>&1 || {
            echo "FAIL $name/build: configure $args failed"; tail -n 5 "$log" | sed 's/^/    /'
            continue
        }
    fi
    if ! $MAKE -j2 BUILD="$b" all tests-unit tests-x86 tests-diff >"$log" 2>&1; then
        echo "FAIL $name/build: make failed"; tail -n 10 "$log" | sed 's/^/    /'
        continue
    fi
    X=$(sed -n 's/^HOST_EXEC = //p' "$b/config.mak")
    tern=$b/tern
    [ -z "$X" ] || tern=$b/tern-run
    O=$b HOST_EXEC=$X env $env sh tests/scripts/suite-unit.sh 2>&1 | prefixed "$name"
    O=$b TERN=$tern X86_ACCEL=tcg X86_TIMEOUT=${HOSTS_X86_TIMEOUT:-180} \
        env $env sh tests/scripts/suite-x86.sh 2>&1 | prefixed "$name"
    # the replay only: its decode and native parts are the same on every host
    O=$b TERN=$tern HOST_EXEC=$X DIFF_ONLY=replay env $env sh tests/scripts/suite-diff.sh 2>&1 |
        prefixed "$name"
    if [ "$boot" = yes ] && [ "${LINUX_BOOT_TEST:-1}" != 0 ]; then
        O=$b TERN=$tern LINUX_BOOT_TIMEOUT=${HOSTS_BOOT_TIMEOUT:-900} env $env \
            sh tests/linux/boot-test.sh 2>&1 | prefixed "$name"
    fi
done
exit 0
