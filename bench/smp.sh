#!/bin/sh
# bench/smp.sh: SMP speed-up.  Boots bench/guest/smpwork.c (a fixed total
# of independent CPU-bound chunks shared out over every vCPU) with -smp 1,
# 2 and 4, REPS times each (interleaved), and prints per vCPU count the
# median wall time of the whole tern run, the median time of the guest's
# parallel part (its TSC), and the speed-up of each over -smp 1.  On 2
# host cores, 2 vCPUs should approach 2x and 4 vCPUs stay near 2x.  A
# benchmark, not a test: make check does not run it.
#   O       build directory (build)
#   TERN    the emulator ($O/tern)
#   ACCEL   accelerator for tern (tcg)
#   REPS    runs of each (3)
#   CPUS    the vCPU counts ("1 2 4"; the first is the reference)
# Exit status: 0 when every run finished with all its CPUs up and every
# checksum matched the first run's.
set -u
. "$(dirname "$0")/lib.sh"
CPUS=${CPUS:-1 2 4}
ELF=$O/bench/smpwork.elf

for f in "$TERN" "$ELF"; do
    [ -e "$f" ] || { echo "smp.sh: $f missing (make bench-smp)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }
field() { tr -d '\r' <"$2" | sed -n "s/^$1 //p" | head -n 1; }

status=0 want_sum=
load0=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ $i -lt "$REPS" ]; do
    i=$((i + 1))
    for n in $CPUS; do
        t0=$(now)
        timeout 600 "$TERN" -nographic -accel "$ACCEL" -smp "$n" -kernel "$ELF" \
            -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >"$tmp/out" 2>&1
        rc=$?
        t1=$(now)
        sum=$(field checksum "$tmp/out")
        want_sum=${want_sum:-$sum}
        if [ "$rc" != 1 ] || [ "$(field cpus "$tmp/out")" != "$n" ] || [ -z "$sum" ] ||
           [ "$sum" != "$want_sum" ]; then
            echo "smp.sh: -smp $n: tern exited $rc: $(tr -d '\r' <"$tmp/out" | tail -n 1)" >&2
            status=1
            continue
        fi
        awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f\n", ns / 1e9 }' >>"$tmp/wall$n"
        awk -v us="$(field work-us "$tmp/out")" 'BEGIN { printf "%.3f\n", us / 1e6 }' >>"$tmp/work$n"
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2fx", a / b; else print "-" }'; }
echo "smpwork under -accel $ACCEL on $(nproc) host cores, median of $REPS; checksum ${want_sum:-none}"
# other host load takes cores from the vCPU threads: the speed-up needs an idle host
echo "host load average before: $load0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %10s %10s %10s %10s\n' vcpus "wall (s)" speed-up "work (s)" speed-up
ref=${CPUS%% *}
wall_ref=$(median <"$tmp/wall$ref" 2>/dev/null || echo -)
work_ref=$(median <"$tmp/work$ref" 2>/dev/null || echo -)
for n in $CPUS; do
    wall=$(cat "$tmp/wall$n" 2>/dev/null | median)
    work=$(cat "$tmp/work$n" 2>/dev/null | median)
    printf '%-6s %10s %10s %10s %10s\n' "$n" "$wall" "$(ratio "$wall_ref" "$wall")" \
        "$work" "$(ratio "$work_ref" "$work")"
done
exit $status
