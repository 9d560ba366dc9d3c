#!/bin/sh
# bench/run.sh: the benchmark suite.  Each CPU-bound workload of
# bench/guest/ runs natively ($O/bench/NAME-native), under tern and under
# qemu-system-x86_64 -accel tcg, both emulators booting the same
# Multiboot image ($O/bench/mb/NAME.elf) with the same command line;
# REPS rounds of native, tern, qemu, interleaved.  Prints the median
# times, the tern/QEMU speed-up and the tern/native slowdown, whether
# every run printed the native checksum, and the geometric means of both
# ratios.  Then, when bench/linux.sh and the guest kit exist, the same
# for the static programs in the kit's Linux (rows "linux/NAME").
# A benchmark, not a test: make check does not run it.
#   O, TERN, GUEST, QEMU, REPS   see bench/lib.sh (ACCEL: tcg here)
#   BENCH_PROGS  the workloads (make bench-suite passes bench-cpu-progs)
#   BENCH=a,b    only these of them (and of linux.sh's programs)
#   QUICK=1      REPS=1
#   LIMIT        seconds per run before it counts as failed (300)
# A tern built for another host (make bench-suite BUILD=build-aarch64) runs
# under QEMU's user-mode emulation: the table says EMULATED TIMING.
# Exit status: 0 when every run finished and printed the native checksum.
set -u
. "$(dirname "$0")/lib.sh"
LIMIT=${LIMIT:-300}
[ "${QUICK:-0}" = 1 ] && REPS=1
BENCH=${BENCH:-}
BENCH_PROGS=${BENCH_PROGS:-$(make -s --no-print-directory bench-cpu-progs O="$O")}
# The guest command line both emulators get, apart from -kernel.
EMU_ARGS="-m 1024 -nographic -accel tcg -device isa-debug-exit,iobase=0xf4,iosize=0x04"

if [ -n "$BENCH" ]; then
    progs=
    for b in $(echo "$BENCH" | tr ',' ' '); do
        case " $BENCH_PROGS " in
        *" $b "*) progs="$progs $b" ;;
        *) # bench/linux.sh's own programs: bench/linux/NAME.c
           [ -f "bench/linux/$b.c" ] && [ "$b" != runbench ] ||
               { echo "run.sh: no workload $b (one of: $BENCH_PROGS)" >&2; exit 2; } ;;
        esac
    done
else
    progs=$BENCH_PROGS
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/rows"
if command -v "$QEMU" >/dev/null 2>&1; then
    have_qemu=1
else
    have_qemu=0
    echo "run.sh: $QEMU is not installed: the qemu column is \"-\" (./configure --install-deps installs it)"
fi
[ -x "$TERN" ] || { echo "run.sh: $TERN missing (make)" >&2; exit 1; }

# run_one NAME ENGINE EXPECTED_RC CMD...: one timed run; its time goes to
# $tmp/NAME.ENGINE, its checksum to $tmp/NAME.ENGINE.sum, a failure to
# $tmp/NAME.note.
run_one() {
    n=$1 e=$2 want=$3; shift 3
    set -- $(time_run "$tmp/out" timeout "$LIMIT" "$@")
    if [ "$2" = "$want" ]; then
        echo "$1" >>"$tmp/$n.$e"
        echo "$(checksum_of "$tmp/out")" >>"$tmp/$n.$e.sum"   # empty: none printed
    elif [ "$2" = 124 ]; then
        echo "$e timed out (${LIMIT} s)" >>"$tmp/$n.note"
    else
        echo "$e exited $2: $(tr -d '\r' <"$tmp/out" | grep -v '^$' | tail -n 1 | cut -c1-60)" \
            >>"$tmp/$n.note"
    fi
}

# The bare-guest rows, "NAME NATIVE_S TERN_S QEMU_S STATUS" as
# bench/linux.sh writes them, to $tmp/rows.
for p in $progs; do
    for f in "$O/bench/$p-native" "$O/bench/mb/$p.elf"; do
        [ -e "$f" ] || { echo "run.sh: $f missing (make bench-suite-build)" >&2; exit 1; }
    done
done
i=0
while [ $i -lt "$REPS" ]; do
    i=$((i + 1))
    for p in $progs; do
        run_one "$p" native 0 "$O/bench/$p-native"
        run_one "$p" tern 1 "$TERN" $EMU_ARGS -kernel "$O/bench/mb/$p.elf"
        [ $have_qemu = 1 ] && run_one "$p" qemu 1 "$QEMU" $EMU_ARGS -kernel "$O/bench/mb/$p.elf"
    done
done
# med FILE: the median of the times in FILE, "-" without any
med() { if [ -s "$1" ]; then median <"$1"; else echo -; fi; }
for p in $progs; do
    ref=$(head -n 1 "$tmp/$p.native.sum" 2>/dev/null)
    st=ok
    if [ -s "$tmp/$p.note" ]; then
        st="fail: $(sort -u "$tmp/$p.note" | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
    elif [ -z "$ref" ]; then
        st="MISMATCH: no native checksum"
    else
        for e in native tern qemu; do
            [ -f "$tmp/$p.$e.sum" ] || continue
            if grep -qvx "$ref" "$tmp/$p.$e.sum"; then
                st="MISMATCH: $e $(grep -vx "$ref" "$tmp/$p.$e.sum" | head -n 1) native $ref"
            fi
        done
    fi
    echo "$p $(med "$tmp/$p.native") $(med "$tmp/$p.tern") $(med "$tmp/$p.qemu") $st" >>"$tmp/rows"
done

# The Linux rows, prefixed linux/.
if [ -f bench/linux.sh ] && [ -e "$GUEST/vmlinuz" ]; then
    : >"$tmp/linux.rows"
    if ! BENCH_ROWS="$tmp/linux.rows" BENCH="$BENCH" O="$O" TERN="$TERN" GUEST="$GUEST" \
         QEMU="$QEMU" REPS="$REPS" sh bench/linux.sh >"$tmp/linux.out" 2>&1; then
        echo "run.sh: bench/linux.sh failed: $(tail -n 1 "$tmp/linux.out")"
        [ -s "$tmp/linux.rows" ] || echo "linux/- - - - fail: bench/linux.sh, no rows" >>"$tmp/rows"
    fi
    sed 's|^|linux/|' "$tmp/linux.rows" >>"$tmp/rows"
elif [ -f bench/linux.sh ]; then
    echo "run.sh: no guest kit at $GUEST (make guest): no linux/ rows"
fi

# The table and the geometric means (of the rows whose checksums are ok
# and that have both times).
emulated_note
awk '
function ratio(a, b) { return (a != "-" && b != "-" && a > 0 && b > 0) ? a / b : "" }
function show(r) { return r == "" ? "-" : sprintf("%.2fx", r) }
function addlog(k, r) { if (r != "") { lsum[k] += log(r); lcnt[k]++ } }
function geo(k) { return lcnt[k] ? sprintf("%.2fx (%d)", exp(lsum[k] / lcnt[k]), lcnt[k]) : "-" }
BEGIN {
    print "tern/QEMU speed-up = QEMU time / tern time: above 1 means tern is faster."
    print "tern/native slowdown = tern time / native time.  Times: medians, seconds."
    printf "%-18s %9s %9s %9s %10s %10s  %s\n", "workload", "native", "tern", "qemu",
           "tern/qemu", "tern/nat", "checksum"
}
{
    st = $5; for (i = 6; i <= NF; i++) st = st " " $i
    sp = ratio($4, $3); sl = ratio($3, $2)
    k = ($1 ~ /^linux\//) ? "linux" : "bare"
    if ($5 == "ok") {
        addlog(k "sp", sp); addlog(k "sl", sl); addlog("allsp", sp); addlog("allsl", sl)
    }
    printf "%-18s %9s %9s %9s %10s %10s  %s\n", $1, $2, $3, $4, show(sp), show(sl), st
}
END {
    print ""
    print "Geometric means over the rows with checksum ok (how many):"
    printf "%-18s %-22s %s\n", "", "tern/qemu", "tern/native"
    printf "%-18s %-22s %s\n", "bare guests", geo("baresp"), geo("baresl")
    if (lcnt["linuxsp"] || lcnt["linuxsl"]) {
        printf "%-18s %-22s %s\n", "linux programs", geo("linuxsp"), geo("linuxsl")
        printf "%-18s %-22s %s\n", "all", geo("allsp"), geo("allsl")
    }
}' "$tmp/rows"
emulated_note

! awk '$5 != "ok" { bad = 1 } END { exit !bad }' "$tmp/rows"
