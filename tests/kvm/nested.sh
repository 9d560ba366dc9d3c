#!/bin/sh
# nested.sh: run tern's KVM tests, or any command, inside a Linux guest
# that has a real /dev/kvm, on a host without hardware virtualisation.
# QEMU's TCG emulates AMD SVM with nested paging, so the guest kit's
# kernel (tests/linux/fetch-guest.sh) under
#   qemu-system-x86_64 -accel tcg -cpu max -m 2G
# loads kvm_amd and offers /dev/kvm (docs/kvm.md, "Testing without
# hardware virtualisation").  Guest code runs at TCG speed and every exit
# to userspace is slow, so keep commands small.
#
# Usage (from the repository root; O=build, TERN=$O/tern by default):
#   tests/kvm/nested.sh                   the KVM test list (guest-tests.sh):
#                                         its PASS/FAIL/SKIP lines named
#                                         nested/NAME, the rest indented;
#                                         status 0 if the run finished, else
#                                         FAIL kvm/nested: why
#   tests/kvm/nested.sh -c 'COMMAND'      run COMMAND (sh -c) inside, print its
#                                         output, exit with its status, e.g.
#     tests/kvm/nested.sh -c 'tern -accel kvm -nographic -kernel build/tests/x86/hello.elf'
#     tests/kvm/nested.sh -c 'kvm-smoke'
# Inside, the command runs in /tern with PATH=/tern/build:/bin:/sbin and
# busybox only: /tern/build holds tern (with every shared library ldd
# lists, at the same paths), kvm-smoke, tests/x86/*.elf,
# tests/firmware/*.bin and guest/{vmlinuz,boot-test.cpio.gz};
# /tern/tests holds the scripts and the tests/x86 sources.  Status 125:
# the guest never finished the command (the console of the last run is in
# $O/tests/kvm/nested.log; the message says whether the nested machine
# itself still ran, by its heartbeat).  A run whose machine stops (no
# heartbeat for NESTED_STALL s, default 120, or the kernel ended without
# the command's status) is run once more; the test list goes on from the
# step it was in (below, "The test list").
# Environment: NESTED_TIMEOUT (s, default 600), NESTED_STEPS (the list's
# steps to run, default all: guest-tests.sh's STEPS),
# NESTED_SMP (default 1: -smp 2 hung the guest twice), GUEST (the kit,
# default build/guest), QEMU.  Tests that break QEMU itself are left out:
# tests/kvm/nested-skip.txt.
#
# The archive is cached in $O/tests/kvm/nested.cpio and rebuilt when one of
# its files changed; the command travels in a second, tiny archive
# appended to it (the kernel unpacks both).
set -eu
O=${O:-build}
TERN=${TERN:-$O/tern}
GUEST=${GUEST:-build/guest}
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${NESTED_TIMEOUT:-600}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
die() { echo "nested: $*" >&2; exit 125; }

cmd=
case ${1:-} in
-c) [ $# -eq 2 ] || die "usage: $0 [-c COMMAND]"; cmd=$2 ;;
'') ;;
*)  die "usage: $0 [-c COMMAND]" ;;
esac

command -v "$QEMU" >/dev/null 2>&1 || die "$QEMU is not installed (apt-get install qemu-system-x86)"
[ -x "$TERN" ] || die "$TERN is not built (make)"
sh "$ROOT/tests/linux/fetch-guest.sh" "$GUEST" >&2 || die "no guest kit (make guest)"
GUEST=$(cd "$GUEST" && pwd)
D=$O/tests/kvm
mkdir -p "$D"

# --- the archive -----------------------------------------------------------
# dirs PATH...: mkcpio "dir" lines for every parent of each PATH.
dirs() {
    for p do
        p=${p%/*}
        while [ -n "$p" ]; do echo "dir $p 0755"; p=${p%/*}; done
    done | sort -u
}
# put SRC DEST: a file, with its directories.
put() { dirs "$2"; echo "file $2 $1 0755"; }
# put_prog SRC DEST: a dynamically linked program and, at the paths ldd
# gives, its shared libraries and the dynamic loader.
put_prog() {
    put "$1" "$2"
    ldd "$1" | sed -n 's|.*=> \(/[^ ]*\) .*|\1|p; s|^[[:space:]]*\(/[^ ]*\) .*|\1|p' |
        while read -r lib; do put "$lib" "$lib"; done
}
nested_spec() {
    sh "$ROOT/tests/linux/fetch-guest.sh" "$GUEST" --spec
    echo "file /check $HERE/guest-check.sh 0755"
    put_prog "$TERN" /tern/build/tern
    [ ! -x "$D/kvm-smoke" ] || put_prog "$D/kvm-smoke" /tern/build/kvm-smoke
    # the compare mode's planted bug (guest-tests.sh), when make check built it
    [ ! -x "$O/tern-planted" ] || put_prog "$O/tern-planted" /tern/build/tern-planted
    skip=" $(awk '!/^#/ && NF { print $1 }' "$HERE/nested-skip.txt" | tr '\n' ' ') "
    for f in "$O"/tests/x86/*.elf "$O"/tests/firmware/*.bin; do
        case $skip in *" $(basename "${f%.*}") "*) continue ;; esac
        [ -e "$f" ] && put "$f" "/tern/build/${f#"$O"/}"
    done
    for f in "$O"/tests/multiboot/mbtest*.elf "$O"/tests/multiboot/mbtest*.bin \
             "$O"/tests/linuxboot/lbtest*.bzImage "$O"/tests/linuxboot/lbtest.elf \
             "$O"/tests/linuxboot/lbtest.elf.cksum; do
        [ -e "$f" ] && put "$f" "/tern/build/${f#"$O"/}"
    done
    for f in "$ROOT"/tests/multiboot/mod*.txt; do
        put "$f" "/tern/${f#"$ROOT"/}"
    done
    put "$GUEST/vmlinuz" /tern/build/guest/vmlinuz
    put "$GUEST/boot-test.cpio.gz" /tern/build/guest/boot-test.cpio.gz
    if [ -f "$GUEST/rootfs.img" ]; then      # the disk boots (guest-tests.sh)
        for f in initramfs.cpio.gz rootfs.img rootfs.random.sha256; do
            put "$GUEST/$f" "/tern/build/guest/$f"
        done
    fi
    for f in "$ROOT"/tests/x86/*.c "$ROOT"/tests/firmware/*.S "$ROOT"/tests/scripts/suite-x86.sh "$ROOT"/tests/scripts/guest-lib.sh \
             "$ROOT"/tests/scripts/suite-multiboot.sh "$ROOT"/tests/scripts/suite-linuxboot.sh \
             "$ROOT"/tests/scripts/check.sh "$ROOT"/tests/linux/boot-test.sh "$ROOT"/tests/linux/check.sh \
             "$HERE"/guest-tests.sh \
             "$HERE"/nested-skip.txt; do
        put "$f" "/tern/${f#"$ROOT"/}"
    done
}
arch=$D/nested.cpio
nested_spec >"$D/nested.spec.$$"
stale=
if [ ! -f "$arch" ] || ! cmp -s "$D/nested.spec.$$" "$D/nested.spec"; then
    stale=1
else
    for f in $(awk '$1 == "file" { print $3 }' "$D/nested.spec.$$"); do
        [ -n "$(find "$f" -newer "$arch")" ] && { stale=1; break; }
    done
fi
if [ -n "$stale" ]; then
    # Uncompressed: unpacking gzip at TCG speed costs more than the copy.
    sh "$ROOT/tests/linux/mkcpio.sh" <"$D/nested.spec.$$" >"$arch.$$"
    mv "$arch.$$" "$arch"
    echo "nested: wrote $arch ($(wc -c <"$arch") bytes)" >&2
fi
mv "$D/nested.spec.$$" "$D/nested.spec"

# --- the run ---------------------------------------------------------------
tmp=$(mktemp -d)
trap 'kill "${qpid:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
# set_cmd TEXT: the command the next boot runs, in a second, tiny archive
# after the cached one.
set_cmd() {
    printf '%s\n' "$1" >"$tmp/cmd"
    echo "file /tern/cmd $tmp/cmd 0644" | sh "$ROOT/tests/linux/mkcpio.sh" >"$tmp/cmd.cpio"
    cat "$arch" "$tmp/cmd.cpio" >"$tmp/initrd"
}

log=$tmp/console    # copied to $D/nested.log at the end: runs may overlap
STALL=${NESTED_STALL:-120}
# run_guest SECONDS: one boot of the nested guest, stopped after SECONDS.
# Its heartbeat (guest-check.sh, every 20 s) tells a machine that stopped
# from a command that hangs in a live one (whose own timeouts report it):
# with none for $STALL s QEMU is stopped and stalled=1 (seen in full make
# check runs: the nested machine went silent for 845 s after a test had
# passed; twice in a row during linux/kvm/boot on a loaded CI machine,
# never by hand).  qst: QEMU's status (124: stopped here); alive: what the
# heartbeat said, for the messages.
run_guest() {
    "$QEMU" -accel tcg -cpu max -m 2G -smp "${NESTED_SMP:-1}" \
        -nographic -no-reboot -nic none -kernel "$GUEST/vmlinuz" -initrd "$tmp/initrd" \
        -append "console=ttyS0 panic=-1 quiet" </dev/null >"$log.raw" 2>&1 &
    qpid=$!
    stalled= beats=0 silent=0 waited=0 qst=
    while kill -0 "$qpid" 2>/dev/null; do
        sleep 5
        waited=$((waited + 5))
        n=$(grep -cE '^tern-nested: (begin|alive)' "$log.raw")   # "begin": the first beat
        if [ "$n" != "$beats" ]; then beats=$n silent=0; else silent=$((silent + 5)); fi
        if [ "$beats" -gt 0 ] && [ "$silent" -ge "$STALL" ]; then
            stalled=1
        elif [ "$waited" -lt "$1" ]; then
            continue
        fi
        kill "$qpid" 2>/dev/null
        wait "$qpid"
        qst=124
        break
    done
    [ -n "$qst" ] || { wait "$qpid"; qst=$?; }
    tr -d '\r' <"$log.raw" | sed 's/\x1bc//g; s/\x1b\[[0-9;?]*[A-Za-z]//g' |
        grep -v '^tern-nested: alive$' >"$log"   # no CRs, no terminal codes, no heartbeat
    rm -f "$log.raw"
    cp "$log" "$D/nested.log"
    if [ -n "$stalled" ]; then
        alive="the nested machine stopped: no heartbeat for $silent s"
    elif [ "$beats" -le 1 ]; then
        alive="no heartbeat from the nested machine"
    else
        alive="the nested machine was alive (a heartbeat ${silent} s before the end)"
    fi
}
# Did the last boot's machine stop under the command (no heartbeat, or
# QEMU ended by itself: a kernel panic) before its status?
machine_stopped() { [ -z "$(status)" ] && { [ -n "$stalled" ] || [ "$qst" != 124 ]; }; }
# The command's output in the last boot's console: the lines after
# "begin", up to "status N" (to the end when the boot stopped first).
output() { sed -n '/^tern-nested: begin$/,$p' "$log" | sed '1d; /^tern-nested: status [0-9]*$/,$d'; }
status() { sed -n 's/^tern-nested: status \([0-9]*\)$/\1/p' "$log" | tail -n 1; }
left() { echo $((TIMEOUT - ($(date +%s) - t0))); }
t0=$(date +%s)
info() {
    grep -E '^tern-(guest|nested): (userspace|kvm ready|no kvm|modprobe)' "$log" |
        sed 's/^tern-[a-z]*: //' | tr '\n' ';' | sed 's/;/; /g'
}
set +e

if [ -n "$cmd" ]; then
    set_cmd "$cmd"
    run_guest "$TIMEOUT"
    if machine_stopped; then
        echo "    nested: $alive, after: $(output | grep -E '^(PASS|FAIL|SKIP) ' | tail -n 1 | cut -c1-80);" \
             "running it once more" >&2
        run_guest "$(left)"
    fi
    output
    echo "nested: $(info)finished in $(( $(date +%s) - t0 )) s" >&2
    status=$(status)
    [ -n "$status" ] || { echo "nested: the guest did not finish ($alive; console: $D/nested.log; last line: $(tail -n 1 "$log"))" >&2; exit 125; }
    exit "$status"
fi

# The test list.  When the nested machine stops (a stall, above), it is
# booted again from the step it was in (guest-tests.sh's "tern-nested:
# step NAME" lines), keeping what the steps before printed; a step during
# which it stopped twice is left out, one SKIP line naming it.  At most
# four boots, all within $TIMEOUT.
out=$tmp/out
: >"$out"
from= omit= stops= boots=0
while :; do
    set_cmd "NESTED_STEPS='${NESTED_STEPS:-}' NESTED_FROM='$from' NESTED_OMIT='$omit' exec sh tests/kvm/guest-tests.sh"
    run_guest "$(left)"
    boots=$((boots + 1))
    status=$(status)
    step=$(output | sed -n 's/^tern-nested: step //p' | tail -n 1)
    if ! machine_stopped || [ -z "$step" ] || [ "$boots" -ge 4 ] || [ "$(left)" -lt 60 ]; then
        output >>"$out"
        break
    fi
    output | sed "/^tern-nested: step $step\$/,\$d" >>"$out"
    cp "$log" "$D/nested-stop$boots.log"
    echo "    nested: $alive, during step $step (console: $D/nested-stop$boots.log); booting it again" >>"$out"
    case " $stops " in
    *" $step "*)
        omit="$omit $step"
        echo "SKIP steps/$step: the nested machine itself stopped twice while this step ran" \
             "(QEMU's TCG or the nested kernel, not a test: consoles in $D/nested-stop*.log)" >>"$out" ;;
    esac
    stops="$stops $step"
    from=$step
done
secs=$(( $(date +%s) - t0 ))

# Result lines get "nested/" in front (x86/kvm/alu -> nested/x86/kvm/alu):
# the host's own suites may report the same names as SKIP.
sed 's/^\(PASS\|FAIL\|SKIP\) /\1 nested\//; t; s/^/    /' "$out"
echo "    nested: $(info)finished in $secs s ($boots boots)"
if [ -z "$status" ]; then
    # Every test the run did not reach, by name.
    for f in $(awk '$1 == "file" && $2 ~ /^\/tern\/build\/tests\/(x86|firmware)\// { print $2 }' "$D/nested.spec"); do
        case $f in *.bin) n=firmware-$(basename "$f" .bin) ;; *) n=$(basename "$f" .elf) ;; esac
        grep -qE "^(PASS|FAIL|SKIP) x86/kvm/$n(:|$)" "$out" ||
            echo "FAIL nested/x86/kvm/$n: not run (the nested guest did not finish)"
    done
    grep -qE '^(PASS|FAIL|SKIP) (linux/kvm/boot|steps/linux-boot)' "$out" ||
        echo "FAIL nested/linux/kvm/boot: not run (the nested guest did not finish)"
    last=$(grep -E '^(PASS|FAIL|SKIP) ' "$out" | tail -n 1 | cut -d: -f1)
    echo "FAIL kvm/nested: the guest did not finish (after ${last:-no result}; QEMU's status $qst," \
         "timeout ${TIMEOUT}s; $alive; console: $D/nested.log; last line: $(tail -n 1 "$log"))"
    exit 1
fi
