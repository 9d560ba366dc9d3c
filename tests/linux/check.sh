#!/bin/sh
# /check of the boot test's initramfs (tests/linux/boot-test.sh): one line
#   tern-check: NAME ok|FAIL DETAIL
# per check of issue 6 item 6, then "tern-check: done".  The host passes
# what the guest cannot know on the kernel command line:
#   tern.hosttime=EPOCH    the host's time when tern started
#   tern.sha256=HEX        sha256 of 16 MiB of zeros, computed on the host
# The SMP case (boot-test.sh -smp N) passes instead
#   tern.smp=N             the vCPU count: only the SMP checks run
#   tern.smpsums=V0,V1,..  what worker c's shell loop (smp_work) prints,
#                          computed on the host by the same loop
#   tern.smpiters=N        that loop's length (boot-test.sh's SMP_ITERS)
arg() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" /proc/cmdline; }
# check NAME DETAIL CONDITION: "ok" when the shell condition holds
check() {
    if eval "$3"; then r=ok; else r=FAIL; fi
    echo "tern-check: $1 $r $2"
}
has_flags() {   # the x86-64 baseline the kernel itself needs
    for f in fpu tsc cx8 cmov sse sse2 lm; do
        case " $flags " in *" $f "*) ;; *) return 1 ;; esac
    done
}

# The parallel workload's unit: a CPU-bound shell loop seeded with $1
# (boot-test.sh runs this very line on the host for tern.smpsums).
SMP_WORK='s=$1 i=0; while [ $i -lt $2 ]; do s=$(( (s * 31 + i) % 1000003 )); i=$((i + 1)); done; echo $s'
# /proc/stat's busy ticks (user + nice + system) of each CPU, one per line
busy_ticks() { awk '/^cpu[0-9]/ { print $2 + $3 + $4 }' /proc/stat; }

smp_checks() {
    n=$1
    check nproc "nproc=$(nproc)" '[ "$(nproc)" = "$n" ]'
    procs=$(grep -c '^processor' /proc/cpuinfo)
    check cpuinfo-count "$procs processors in /proc/cpuinfo" '[ "$procs" = "$n" ]'
    online=$(cat /sys/devices/system/cpu/online)
    check online "online: $online" '[ "$online" = "0-$((n - 1))" ]'
    # One worker per CPU, pinned there, all at once; every result must be
    # the host's and every CPU must have been busy.
    before=$(busy_ticks)
    c=0
    while [ $c -lt "$n" ]; do
        taskset "$(printf %x $((1 << c)))" sh -c "$SMP_WORK" work $c "$(arg tern.smpiters)" >/tmp/work$c &
        c=$((c + 1))
    done
    wait
    after=$(busy_ticks)
    got=$(c=0; while [ $c -lt "$n" ]; do cat /tmp/work$c; c=$((c + 1)); done | tr '\n' ',')
    check parallel "results ${got%,} want $(arg tern.smpsums)" '[ "${got%,}" = "$(arg tern.smpsums)" ]'
    idle=$(echo "$before" | { i=0; for a in $after; do read -r b; [ $((a - b)) -gt 0 ] || printf "cpu%d " $i; i=$((i + 1)); done; })
    check cpu-busy "${idle:+idle during the workload: }${idle:-every CPU ran a worker}" '[ -z "$idle" ]'
}

boot_checks() {
    model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    check cpuinfo-model "model name: $model" '[ -n "$model" ]'
    flags=$(sed -n 's/^flags[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    check cpuinfo-flags "flags: $flags" has_flags

    # The guest clock should read the host's start time plus the guest's
    # uptime, plus the time before the kernel's clock started (the
    # decompressor: seconds under the JIT, a minute or more under the
    # interpreter or qemu-user), which the uptime leaves out: so at least
    # that, at most 10 minutes more (a wrong zone would be hours).
    # boot-test.sh's date-host compares the date with the host's clock.
    host=$(arg tern.hosttime) now=$(date +%s)
    read -r up _ </proc/uptime
    want=$(( ${host:-0} + ${up%.*} ))
    skew=$(( now - want ))
    check date "date=$now ($(date -u)) host+uptime=$want skew=${skew}s" \
        '[ -n "$host" ] && [ "$skew" -le 600 ] && [ "$skew" -ge -60 ]'

    sum=$(dd if=/dev/zero bs=1M count=16 2>/dev/null | sha256sum | cut -d' ' -f1)
    check sha256 "16 MiB of zeros: $sum" '[ -n "$sum" ] && [ "$sum" = "$(arg tern.sha256)" ]'

    # QEMU's fw_cfg: the driver finds it by the DSDT's QEMU0002 and reads the
    # files by DMA; boot-test.sh passes opt/tern/hosttime = tern.hosttime.
    [ -f /qemu_fw_cfg.ko ] && insmod /qemu_fw_cfg.ko
    fw=/sys/firmware/qemu_fw_cfg/by_name
    e820=$(wc -c <$fw/etc/e820/raw 2>/dev/null)
    check fw_cfg-e820 "etc/e820/raw: ${e820:-missing} bytes" \
        '[ -n "$e820" ] && [ "$e820" -ge 100 ] && [ $((e820 % 20)) = 0 ]'
    opt=$(cat $fw/opt/tern/hosttime/raw 2>/dev/null)
    check fw_cfg-opt "opt/tern/hosttime: ${opt:-missing}" '[ -n "$opt" ] && [ "$opt" = "$host" ]'
}

smp=$(arg tern.smp)
if [ -n "$smp" ]; then smp_checks "$smp"; else boot_checks; fi

# Under KVM (kvm-clock offered) the TSC is the host's: the tracing clock's
# "Unstable clock detected" then speaks of the host (seen nested, where
# QEMU's TCG on a loaded machine is the "hardware"), not of tern's TSC.
host_tsc=
grep -qw kvm-clock /sys/devices/system/clocksource/clocksource0/available_clocksource 2>/dev/null &&
    host_tsc='Unstable clock detected, switching default tracing clock'
bad=$(dmesg | grep -E 'BUG|WARNING|Oops|Call Trace|[Tt]imer.*(fail|not connected|not working|doesn.t work|broken)|[Uu]nstable' |
      grep -vF "${host_tsc:-no line is this}" | head -n 3 | tr '\n' '|')
check dmesg "${bad:-no BUG/WARNING/Oops/Call Trace/timer failure lines}" '[ -z "$bad" ]'

cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
# kvm-clock: under -accel kvm (tern offers KVM's paravirtual clock leaves)
check clocksource "current_clocksource=$cs" 'case $cs in tsc|hpet|acpi_pm|kvm-clock) true ;; *) false ;; esac'

echo "tern-check: done"
