#!/bin/sh
# bench/loop.sh: time each bench guest natively and under tern (3 runs
# each, interleaved), print the median times and the tern/native slowdown,
# and check that both runs print the same checksum.  A benchmark, not a
# test: make check does not run it.
#   O       build directory (build)
#   TERN    the emulator ($O/tern)
#   ACCEL   accelerator for tern (tcg)
#   REPS    runs of each (3)
# Exit status: 0 when every tern run finished and every checksum matched.
set -u
. "$(dirname "$0")/lib.sh"
DEV="-device isa-debug-exit,iobase=0xf4,iosize=0x04"
progs="intloop memloop"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
printf '%-10s %12s %12s %10s  %s\n' bench "native (s)" "tern (s)" slowdown checksum
for p in $progs; do
    native=$O/bench/$p-native
    elf=$O/bench/$p.elf
    for f in "$native" "$elf"; do
        [ -e "$f" ] || { echo "loop.sh: $f missing (make bench-build)" >&2; exit 1; }
    done
    : >"$tmp/$p.native" ; : >"$tmp/$p.tern"
    nsum= tsum= note=
    i=0
    while [ $i -lt "$REPS" ]; do
        i=$((i + 1))
        set -- $(time_run "$tmp/out" "$native")
        echo "$1" >>"$tmp/$p.native"
        [ "$2" = 0 ] || note="native exited $2"
        nsum=$(checksum_of "$tmp/out")
        if [ -x "$TERN" ]; then
            set -- $(time_run "$tmp/out" timeout 600 "$TERN" -nographic -accel "$ACCEL" \
                     -kernel "$elf" $DEV)
            if [ "$2" = 1 ]; then
                echo "$1" >>"$tmp/$p.tern"
                tsum=$(checksum_of "$tmp/out")
            else
                note="tern exited $2: $(grep -v '^checksum' "$tmp/out" | head -n 1)"
            fi
        else
            note="$TERN not built"
        fi
    done
    nmed=$(median <"$tmp/$p.native")
    tmed=$(median <"$tmp/$p.tern")
    if [ "$tmed" != - ] && [ "$nmed" != - ]; then
        ratio=$(awk -v t="$tmed" -v n="$nmed" 'BEGIN { if (n > 0) printf "%.1fx", t / n; else print "-" }')
    else
        ratio=-
    fi
    if [ -z "$note" ]; then
        if [ -n "$nsum" ] && [ "$nsum" = "$tsum" ]; then
            note="$nsum (same)"
        else
            note="MISMATCH native ${nsum:-none} tern ${tsum:-none}"
        fi
    fi
    case $note in *"(same)") ;; *) status=1 ;; esac
    printf '%-10s %12s %12s %10s  %s\n' "$p" "$nmed" "$tmed" "$ratio" "$note"
done
exit $status
