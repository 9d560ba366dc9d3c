#!/bin/sh
# boot-test.sh: boot Debian's kernel (the kit of tests/linux/fetch-guest.sh)
# with the boot-test initramfs, whose /check (tests/linux/check.sh) prints
# one "tern-check: NAME ok|FAIL DETAIL" line per check, then powers off.
#   PASS linux/boot/NAME        the guest's check NAME said ok
#   PASS linux/boot/date-host   the guest's clock is within a minute of ours
#   PASS linux/boot/exit        tern exited with status 0 (ACPI poweroff)
#   FAIL linux/boot...: why     a check failed or is missing, the boot
#                               stopped early, timed out or exited non-zero
#   SKIP linux/boot: why        no kit (make guest needs Debian's registry)
# The console is echoed indented.  LINUX_BOOT_TIMEOUT (default 300 s).
# boot-test.sh -smp N is the SMP case: tern -smp N, and /check runs only
# its SMP checks (nproc, /proc/cpuinfo, CPUs online, N pinned shell loops
# at once whose results must be the host's, every CPU busy, dmesg,
# clocksource), reported as linux/boot-smpN/NAME; SMP_ITERS (default
# 20000) is each worker's loop length.
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
G=${GUEST:-build/guest}
TIMEOUT=${LINUX_BOOT_TIMEOUT:-300}
ITERS=${SMP_ITERS:-20000}       # the SMP workers' loop length
SMP=
[ "${1:-}" = -smp ] && SMP=${2:?boot-test.sh -smp N}
NAME=linux/boot${SMP:+-smp$SMP}
# The checks /check runs, in its order: each must print a line.
if [ -n "$SMP" ]; then
    CHECKS="nproc cpuinfo-count online parallel cpu-busy dmesg clocksource"
else
    CHECKS="cpuinfo-model cpuinfo-flags date sha256 fw_cfg-e820 fw_cfg-opt dmesg clocksource"
fi

if [ ! -s "$G/vmlinuz" ] || [ ! -s "$G/boot-test.cpio.gz" ]; then
    echo "SKIP $NAME: no guest kit in $G (make guest: downloads Debian's kernel with apt-get)"
    exit 0
fi
if [ ! -x "$TERN" ]; then
    echo "FAIL $NAME: $TERN is not built"
    exit 0
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
sum=$(head -c 16777216 /dev/zero | sha256sum | cut -d' ' -f1)
# The SMP case: the results of check.sh's workload loop, worked out here
smp_args=
if [ -n "$SMP" ]; then
    work=$(sed -n "s/^SMP_WORK='\(.*\)'\$/\1/p" "$(dirname "$0")/check.sh")
    if [ -z "$work" ]; then
        echo "FAIL linux/boot-smp$SMP: no SMP_WORK line in $(dirname "$0")/check.sh"
        exit 0
    fi
    sums=$(c=0; while [ $c -lt "$SMP" ]; do sh -c "$work" work $c "$ITERS"; c=$((c + 1)); done | paste -sd, -)
    smp_args="tern.smp=$SMP tern.smpsums=$sums tern.smpiters=$ITERS"
fi
start=$(date +%s)
timeout "$TIMEOUT" "$TERN" -m 512 -nographic -no-reboot ${SMP:+-smp "$SMP"} -kernel "$G/vmlinuz" \
    -initrd "$G/boot-test.cpio.gz" -fw_cfg "name=opt/tern/hosttime,string=$start" \
    -append "console=ttyS0 panic=-1 tern.hosttime=$start tern.sha256=$sum $smp_args" </dev/null >"$out" 2>&1 &
pid=$!
# Poll the console: note our time when the guest reports its date, and give
# tern DONE_WAIT seconds to exit once /check is done (poweroff -f should end
# it at once; a guest that only halts would otherwise idle until TIMEOUT).
DONE_WAIT=30
seen='' done_at='' killed=''
while kill -0 $pid 2>/dev/null; do
    sleep 1
    now=$(date +%s)
    [ -z "$seen" ] && grep -q '^tern-check: date ' "$out" && seen=$now
    [ -z "$done_at" ] && grep -q '^tern-check: done' "$out" && done_at=$now
    if [ -n "$done_at" ] && [ $((now - done_at)) -ge $DONE_WAIT ]; then
        kill $pid 2>/dev/null
        killed=1
        break
    fi
done
{ wait $pid; } 2>/dev/null   # no "Terminated" from the shell
st=$?
end=$(date +%s)
[ -z "$seen" ] && seen=$end    # tern ended before the next poll
sed -i 's/\r$//' "$out"
sed 's/^/    /' "$out"
echo "    (boot test: tern status $st after $((end - start)) s)"

if ! grep -q '^tern-guest: userspace at ' "$out"; then
    if [ "$st" = 124 ] || [ "$st" = 137 ]; then why="timeout after ${TIMEOUT}s"
    else why="tern exited with status $st"; fi
    echo "FAIL $NAME: the guest never reached userspace ($why; last line: $(grep -v '^$' "$out" | tail -n 1))"
    exit 0
fi
for c in $CHECKS; do
    line=$(grep -m1 "^tern-check: $c " "$out" | sed "s/^tern-check: $c //")
    case $line in
    ok*)   echo "PASS $NAME/$c" ;;
    FAIL*) echo "FAIL $NAME/$c: ${line#FAIL }" ;;
    *)     echo "FAIL $NAME/$c: no line from the guest (it stopped before this check)" ;;
    esac
done
# Compare the guest's clock with ours when it printed it: /check's own
# comparison would not notice a guest clock that runs slow with its uptime.
guest=$(sed -n 's/^tern-check: date [a-zA-Z]* date=\([0-9]*\) .*/\1/p' "$out" | head -n 1)
if [ -n "$SMP" ]; then
    :   # no date check in the SMP case
elif [ -z "$guest" ]; then
    echo "FAIL $NAME/date-host: the guest printed no date"
elif [ $((guest - seen)) -gt 60 ] || [ $((seen - guest)) -gt 60 ]; then
    echo "FAIL $NAME/date-host: guest date $guest, host $seen when the line came"
else
    echo "PASS $NAME/date-host"
fi
if [ -n "$killed" ]; then
    echo "FAIL $NAME/exit: tern still ran ${DONE_WAIT}s after /check ended (poweroff -f did not end it)"
elif [ "$st" = 124 ] || [ "$st" = 137 ]; then
    echo "FAIL $NAME/exit: timeout after ${TIMEOUT}s"
elif [ "$st" != 0 ]; then
    echo "FAIL $NAME/exit: tern exited with status $st (want 0 from poweroff -f)"
elif ! grep -q '^tern-check: done' "$out"; then
    echo "FAIL $NAME/exit: status 0 before /check finished"
else
    echo "PASS $NAME/exit"
fi
exit 0
