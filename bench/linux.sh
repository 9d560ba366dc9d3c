#!/bin/sh
# bench/linux.sh: the system-heavy (bench/linux/) and CPU-bound static
# Linux programs natively, and in the guest kit's Linux under tern and,
# when qemu-system-x86_64 is installed, under QEMU -accel $ACCEL with the
# same kernel, initramfs (bench/linux/mkinitramfs.sh) and command line.
# One boot runs every program once; REPS boots of each emulator and REPS
# native rounds, interleaved.  The runner (bench/linux/runbench.c) times
# each program with CLOCK_MONOTONIC in the same way in both places; the
# medians are compared and every checksum must equal the native one.
# Output: with $BENCH_ROWS, one line per program appended to that file,
#   NAME NATIVE_S TERN_S QEMU_S STATUS     (STATUS ok, MISMATCH or fail;
#                                           "-" for a missing time)
# else a table with the ratios, and how the guest clock kept up with the
# host's.  A benchmark, not a test: make check does not run it.
#   O, TERN, GUEST, QEMU, ACCEL, REPS   see bench/lib.sh
#   INITRD  the archive ($O/bench/linux/bench.cpio.gz)
#   RUNNER  the runner ($O/bench/linux/runbench)
#   PROGS   the static programs the archive carries (make bench-linux
#           passes them; default: bench/linux's and $O/bench/*-static)
#   LIMIT   seconds per boot (600)
#   BENCH   a,b: only these programs (the others are left out natively and
#           the guest is told, through bench= on its command line, to skip
#           them); none of them here: nothing runs
# Exit status: 0 when every program ran everywhere with the native checksum.
set -u
. "$(dirname "$0")/lib.sh"
LIMIT=${LIMIT:-600}
INITRD=${INITRD:-$O/bench/linux/bench.cpio.gz}
RUNNER=${RUNNER:-$O/bench/linux/runbench}
PROGS=${PROGS:-$(ls "$O"/bench/linux/sys "$O"/bench/linux/pagefault "$O"/bench/linux/ctxswitch \
                    "$O"/bench/*-static 2>/dev/null)}
ARGS="-m 1024 -nographic -no-reboot -kernel $GUEST/vmlinuz -initrd $INITRD"
# mitigations=off: the two default virtual CPUs differ (tern's Intel "max",
# QEMU's AMD "qemu64") and Linux picks its speculation mitigations by CPU
# model: on tern's a branch-history clearing loop on every system call, on
# QEMU's retpolines for every indirect branch.  Without them both guests
# run the same kernel code, which is what the comparison is about.
APPEND="console=ttyS0 quiet mitigations=off"
if [ -n "${BENCH:-}" ]; then
    keep=
    for p in $PROGS; do
        n=${p##*/}
        case ",$BENCH," in *",${n%-static},"*) keep="$keep $p" ;; esac
    done
    PROGS=$keep
    [ -n "$PROGS" ] || exit 0
    APPEND="$APPEND bench=$BENCH"
fi

for f in "$GUEST/vmlinuz" "$INITRD" "$RUNNER" $PROGS; do
    [ -e "$f" ] || { echo "bench/linux: $f missing (make bench-linux-build)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }
name_of() { n=${1##*/}; echo "${n%-static}"; }

# record ENGINE: the runner's "bench NAME SECONDS CHECKSUM" lines on stdin
# to $tmp/ENGINE.NAME, one "SECONDS CHECKSUM" line per run.
record() {
    tr -d '\r' | while read -r tag name secs sum; do
        [ "$tag" = bench ] && echo "$secs $sum" >>"$tmp/$1.$name"
    done
}

# boot_once ENGINE CMD...: one boot running every program; records its
# lines and appends "GUEST_S HOST_S" to $tmp/ENGINE.clock: the sum of the
# guest's times and the host's wall time from the userspace line to
# "bench-done" (what the guest clock is checked against).
boot_once() {
    e=$1; shift
    out=$tmp/$e.out
    timeout "$LIMIT" "$@" -append "$APPEND" </dev/null >"$out" 2>&1 &
    pid=$!
    tu= td=
    while kill -0 "$pid" 2>/dev/null; do
        if [ -z "$tu" ]; then
            grep -q 'tern-guest: userspace at' "$out" && tu=$(now)
        elif grep -q 'bench-done' "$out"; then
            td=$(now)
            break
        fi
        sleep 0.1      # fine enough for the clock check; few forks beside the emulator
    done
    wait "$pid"
    # a guest faster than the polling: the times at its exit
    if [ -z "$td" ] && grep -q 'bench-done' "$out"; then
        td=$(now)
        tu=${tu:-$td}
    fi
    record "$e" <"$out"
    if [ -n "$td" ]; then
        tr -d '\r' <"$out" | awk -v h="$(( (td - tu) / 1000000 ))" \
            '$1 == "bench" && $3 != "fail" { g += $3 } END { printf "%.3f %.3f\n", g, h / 1000 }' >>"$tmp/$e.clock"
    else
        echo "bench/linux: $e: the guest did not finish: $(tr -d '\r' <"$out" | tail -n 1)" >&2
    fi
}

engines="native tern"
command -v "$QEMU" >/dev/null 2>&1 && engines="$engines qemu"
for r in $(seq 1 "$REPS"); do
    for e in $engines; do
        case $e in
        native) for p in $PROGS; do "$RUNNER" "$(name_of "$p")" "$p"; done </dev/null | record native ;;
        tern)   boot_once tern "$TERN" -accel "$ACCEL" $ARGS ;;
        qemu)   boot_once qemu "$QEMU" -accel "$ACCEL" $ARGS ;;
        esac
    done
done

# time_of ENGINE NAME: the median of its successful runs, or "-"
time_of() { [ -f "$tmp/$1.$2" ] && awk '$1 != "fail" { print $1 }' "$tmp/$1.$2" | median || echo -; }
# status_of NAME: MISMATCH when a checksum differs from the native one,
# fail when a run failed or is missing, else ok
status_of() {
    ref=$(awk '$1 != "fail" { print $2; exit }' "$tmp/native.$1" 2>/dev/null)
    st=ok
    for e in $engines; do
        f=$tmp/$e.$1
        [ -f "$f" ] && [ "$(wc -l <"$f")" -ge "$REPS" ] && ! grep -q '^fail' "$f" || st=fail
        [ -f "$f" ] && awk -v r="$ref" '$1 != "fail" && $2 != r { bad = 1 } END { exit !bad }' "$f" && { echo MISMATCH; return; }
    done
    echo "$st"
}

status=0
: >"$tmp/rows"
for p in $PROGS; do
    n=$(name_of "$p")
    q=-
    case $engines in *qemu*) q=$(time_of qemu "$n") ;; esac
    s=$(status_of "$n")
    [ "$s" = ok ] || status=1
    echo "$n $(time_of native "$n") $(time_of tern "$n") $q $s" >>"$tmp/rows"
done

if [ -n "${BENCH_ROWS:-}" ]; then
    cat "$tmp/rows" >>"$BENCH_ROWS"
    exit $status
fi
printf '%-12s %10s %10s %10s %10s %12s  %s\n' program "native s" "tern s" "qemu s" tern/qemu tern/native status
awk '
function ratio(a, b) { return (a == "-" || b == "-" || a + 0 <= 0) ? "-" : sprintf("%.2f", b / a) }
{ printf "%-12s %10s %10s %10s %10s %12s  %s\n", $1, $2, $3, $4, ratio($3, $4), ratio($2, $3), $5 }' "$tmp/rows"
echo "(tern/qemu = qemu time / tern time: > 1, tern is faster; tern/native = the slowdown)"
emulated_note
for e in tern qemu; do
    [ -f "$tmp/$e.clock" ] || continue
    g=$(cut -d' ' -f1 "$tmp/$e.clock" | median)
    h=$(cut -d' ' -f2 "$tmp/$e.clock" | median)
    echo "$g $h" | awk -v e="$e" '{ printf "%s guest clock: the programs took %s s of guest time in %s s of host wall time (median boot; guest/host %.2f)\n", e, $1, $2, ($2 > 0 ? $1 / $2 : 0) }'
done
case $engines in *qemu*) ;; *) echo "tern/qemu: $QEMU is not installed (apt-get install qemu-system-x86); tern and native only" ;; esac
exit $status
