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
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
G=${GUEST:-build/guest}
TIMEOUT=${LINUX_BOOT_TIMEOUT:-300}
# The checks /check runs, in its order: each must print a line.
CHECKS="cpuinfo-model cpuinfo-flags date sha256 fw_cfg-e820 fw_cfg-opt dmesg clocksource"

if [ ! -s "$G/vmlinuz" ] || [ ! -s "$G/boot-test.cpio.gz" ]; then
    echo "SKIP linux/boot: no guest kit in $G (make guest: downloads Debian's kernel with apt-get)"
    exit 0
fi
if [ ! -x "$TERN" ]; then
    echo "FAIL linux/boot: $TERN is not built"
    exit 0
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
sum=$(head -c 16777216 /dev/zero | sha256sum | cut -d' ' -f1)
start=$(date +%s)
timeout "$TIMEOUT" "$TERN" -m 512 -nographic -no-reboot -kernel "$G/vmlinuz" \
    -initrd "$G/boot-test.cpio.gz" -fw_cfg "name=opt/tern/hosttime,string=$start" \
    -append "console=ttyS0 panic=-1 tern.hosttime=$start tern.sha256=$sum" </dev/null >"$out" 2>&1 &
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
    echo "FAIL linux/boot: the guest never reached userspace ($why; last line: $(grep -v '^$' "$out" | tail -n 1))"
    exit 0
fi
for c in $CHECKS; do
    line=$(grep -m1 "^tern-check: $c " "$out" | sed "s/^tern-check: $c //")
    case $line in
    ok*)   echo "PASS linux/boot/$c" ;;
    FAIL*) echo "FAIL linux/boot/$c: ${line#FAIL }" ;;
    *)     echo "FAIL linux/boot/$c: no line from the guest (it stopped before this check)" ;;
    esac
done
# Compare the guest's clock with ours when it printed it: /check's own
# comparison would not notice a guest clock that runs slow with its uptime.
guest=$(sed -n 's/^tern-check: date [a-zA-Z]* date=\([0-9]*\) .*/\1/p' "$out" | head -n 1)
if [ -z "$guest" ]; then
    echo "FAIL linux/boot/date-host: the guest printed no date"
elif [ $((guest - seen)) -gt 60 ] || [ $((seen - guest)) -gt 60 ]; then
    echo "FAIL linux/boot/date-host: guest date $guest, host $seen when the line came"
else
    echo "PASS linux/boot/date-host"
fi
if [ -n "$killed" ]; then
    echo "FAIL linux/boot/exit: tern still ran ${DONE_WAIT}s after /check ended (poweroff -f did not end it)"
elif [ "$st" = 124 ] || [ "$st" = 137 ]; then
    echo "FAIL linux/boot/exit: timeout after ${TIMEOUT}s"
elif [ "$st" != 0 ]; then
    echo "FAIL linux/boot/exit: tern exited with status $st (want 0 from poweroff -f)"
elif ! grep -q '^tern-check: done' "$out"; then
    echo "FAIL linux/boot/exit: status 0 before /check finished"
else
    echo "PASS linux/boot/exit"
fi
exit 0
