#!/bin/sh
# suite-diff: the differential tester and the decoder cross-check (tests/diff).
#   PASS diff/CLASS                   every sequence of the class matched the host CPU
#   FAIL diff/CLASS: why              how many differed, and the first reproducer
#   SKIP diff/CLASS: why              pending (tern does not decode it yet, or the
#                                     runner lacks its state) or the host CPU lacks it
#   PASS decode/capstone              tern's decoder agrees with capstone (errata aside)
#   SKIP decode/known-bugs: ...       strings that hit tests/diff/decoder-bugs.txt
# A fixed seed and DIFF_N sequences (default 40,000: every class runs >= 800),
# then DECODE_N (default 1,000,000) decoder strings.  Details are indented.
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
DIFF_N=${DIFF_N:-40000}
DECODE_N=${DECODE_N:-1000000}
D=$O/tests/diff

for t in "$D/difftest" "$D/decodecheck" "$D/difftest.elf" "$TERN"; do
    if [ ! -e "$t" ]; then
        echo "FAIL diff: $t is not built (make tests-diff)"
        exit 0
    fi
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$D/difftest" -n "$DIFF_N" -s 0x5eed --lines --tern "$TERN" --elf "$D/difftest.elf" >"$out" 2>&1
grep -E '^(PASS|FAIL|SKIP) ' "$out"
grep -vE '^(PASS|FAIL|SKIP) ' "$out" | sed 's/^/    /'
"$D/decodecheck" -n "$DECODE_N" -s 0x5eed --lines -e tests/diff/capstone-errata.txt \
    -k tests/diff/decoder-bugs.txt >"$out" 2>&1
grep -E '^(PASS|FAIL|SKIP) ' "$out"
grep -vE '^(PASS|FAIL|SKIP) ' "$out" | sed 's/^/    /'
exit 0
