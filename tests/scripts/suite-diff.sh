#!/bin/sh
# suite-diff: the differential tester and the decoder cross-check (tests/diff).
#   PASS diff/CLASS                   every sequence of the class matched the host CPU
#   FAIL diff/CLASS: why              how many differed, and the first reproducer
#   SKIP diff/CLASS: why              pending (tern does not decode it yet) or the
#                                     host CPU lacks it
#   PASS decode/capstone              tern's decoder agrees with capstone (errata aside)
#   PASS bcd/host                     DAA..AAD natively in compat mode = tern's model
#   SKIP bcd/host: why                (the kernel has no 32-bit user code segment)
#   PASS diff/replay                  tern against tests/diff/corpus.txt, the native
#                                     results recorded on an x86-64 host (the check
#                                     a host that is not x86 runs; here it proves
#                                     the replay and that the corpus is current)
#   SKIP decode/known-bugs: ...       strings that hit tests/diff/decoder-bugs.txt
#   SKIP diff/native: ...             a host that is not x86-64 (no bcdcheck
#                                     built): only the replay and decode run
# A fixed seed and DIFF_N sequences (default 51,000: each of the 63 classes runs
# >= 800; mismatches beyond 3 per class are counted, not re-run and dumped),
# then DECODE_N (default 1,000,000) decoder strings.  Details are indented.
# DIFF_ONLY=replay runs only the replay (suite-hosts.sh: the other parts
# test the decoder and the host CPU, not the back end).
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
DIFF_N=${DIFF_N:-51000}
DECODE_N=${DECODE_N:-1000000}
D=$O/tests/diff

# HOST_EXEC: how to run this build's host programs (a cross build's; Makefile)
X=${HOST_EXEC:-}
native=yes
[ -e "$D/bcdcheck" ] || [ ! -e "$D/difftest" ] || native=no
for t in "$D/difftest" "$D/decodecheck" "$D/difftest.elf" "$TERN"; do
    if [ ! -e "$t" ]; then
        echo "FAIL diff: $t is not built (make tests-diff)"
        exit 0
    fi
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# Print a tool's result lines and indent the rest; a tool that gave no
# result line (it did not start, or died; a SKIP counts with exit status 0)
# is a FAIL named $1.
report() {
    grep -E '^(PASS|FAIL|SKIP) ' "$out"
    grep -vE '^(PASS|FAIL|SKIP) ' "$out" | sed 's/^/    /'
    if ! grep -qE '^(PASS|FAIL) ' "$out" && ! { [ "$2" = 0 ] && grep -qE '^SKIP ' "$out"; }; then
        echo "FAIL $1: exit status $2 and no result ($(grep -vE '^(PASS|FAIL|SKIP) ' "$out" | tail -n 1))"
    fi
}

only=${DIFF_ONLY:-}
if [ -n "$only" ]; then
    :
elif [ $native = yes ]; then
    $X "$D/difftest" -n "$DIFF_N" -s 0x5eed --lines --tern "$TERN" --elf "$D/difftest.elf" >"$out" 2>&1
    report diff $?
else
    echo "SKIP diff/native: this host is not x86-64; the recorded corpus is the oracle"
fi
# the corpus: one line for the whole replay
$X "$D/difftest" --replay tests/diff/corpus.txt --tern "$TERN" --elf "$D/difftest.elf" >"$out" 2>&1
st=$?
sum=$(grep -E '^[0-9]+ sequences, [0-9]+ mismatches' "$out")
if [ "$st" = 0 ] && [ -n "$sum" ]; then
    echo "PASS diff/replay"
    echo "    $sum"
else
    echo "FAIL diff/replay: ${sum:-$(tail -n 1 "$out")}"
    grep -E '^ +(MISMATCH|replayed|reproduce)' "$out" | head -n 9
fi
[ -z "$only" ] || exit 0
$X "$D/decodecheck" -n "$DECODE_N" -s 0x5eed --lines -e tests/diff/capstone-errata.txt \
    -k tests/diff/decoder-bugs.txt >"$out" 2>&1
report decode/capstone $?
if [ $native = yes ]; then
    "$D/bcdcheck" >"$out" 2>&1
    report bcd/host $?
fi
exit 0
