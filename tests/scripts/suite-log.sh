#!/bin/sh
# suite-log.sh: the -d items, -D and -dfilter on real guests.  Each case
# runs a guest from tests/x86 ($O/tests/x86/NAME.elf) with one item and
# asserts something that item alone writes (docs/debugging.md, "Logging"):
#   in_asm    the guest's first instruction, disassembled, at its entry
#   op/op_opt the IR of the first block, before and after optimisation
#   out_asm   the prologue and a block's host code
#   exec      a Trace line for the entry block, and chain links
#   nochain   (with exec) a Trace line per block, far more, and no links
#   cpu       the registers at the entry, before the first block runs
#   int       the #UD the faults guest provokes
#   mmu       the page walk of the entry's fetch, and a #PF's fault
#   page      the entry page of the first block
#   guest_errors, unimp: the io and msr guests' bad accesses
#   -D        the log goes to the file, not to stderr
#   -dfilter  in_asm and exec only for blocks in the range
#   -perfmap  /tmp/perf-PID.map names the prologue and the blocks
# Prints "PASS log/NAME" or "FAIL log/NAME: why".
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
TIMEOUT=${LOG_TIMEOUT:-60}
HELLO=$O/tests/x86/hello.elf

for f in "$TERN" "$HELLO" "$O/tests/x86/faults.elf" "$O/tests/x86/msr.elf" "$O/tests/x86/io.elf"; do
    if [ ! -e "$f" ]; then
        echo "FAIL log: $f is not built (make all tests-x86)"
        exit 1
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The entry point, as the 16-digit hex the logs print.
entry=$(readelf -h "$HELLO" | awk '/Entry point/ { print $4 }')
entry16=$(printf '%016x' "$entry")

# run GUEST LOG ARGS...: run the guest to its end with ARGS, log in LOG
# (stderr, with the serial output, in LOG.err).
run() {
    _g=$1 _log=$2
    shift 2
    timeout "$TIMEOUT" "$TERN" -nographic -kernel "$O/tests/x86/$_g.elf" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -D "$_log" "$@" \
        </dev/null >"$_log.err" 2>&1
    _st=$?
    # test_done(): tern exits 1 for a passing guest
    if [ "$_st" != 1 ]; then
        echo "FAIL log/$name: tern exited with status $_st (want 1)"
        return 1
    fi
}

# has NAME LOG PATTERN WHAT: PATTERN (grep -E) is in LOG, else FAIL.
has() {
    if grep -qE -- "$3" "$2"; then
        return 0
    fi
    echo "FAIL log/$1: no $4 in the log (want /$3/)"
    return 1
}

# lacks NAME LOG PATTERN WHAT: PATTERN is not in LOG, else FAIL.
lacks() {
    if ! grep -qE -- "$3" "$2"; then
        return 0
    fi
    echo "FAIL log/$1: $4 in the log: $(grep -m1 -E -- "$3" "$2")"
    return 1
}

# is NAME GOT WANT WHAT: GOT equals WANT, else FAIL.
is() {
    if [ "$2" = "$3" ]; then
        return 0
    fi
    echo "FAIL log/$1: $4 is '$2', want '$3'"
    return 1
}

name=in_asm
# objdump's mnemonic of the guest's first instruction (Intel syntax, as
# capstone prints it)
first=$(objdump -d -M intel --start-address="$entry" --stop-address=$((entry + 16)) "$HELLO" |
        awk -F'\t' '/^ *[0-9a-f]+:\t/ { split($3, w, " "); print w[1]; exit }')
run hello "$tmp/in_asm" -d in_asm &&
    has $name "$tmp/in_asm" "^0x$entry16:  ${first:-mov} " "first instruction ($first at 0x$entry16)" &&
    is $name "$(sed -n 2p "$tmp/in_asm")" "IN: " "the log's second line" &&
    lacks $name "$tmp/in_asm" "^(OP|OUT|Trace)" "another item's output" &&
    echo "PASS log/$name"

name=op
run hello "$tmp/op" -d op &&
    has $name "$tmp/op" "^OP:$" "OP: header" &&
    has $name "$tmp/op" "^ ---- $entry16 " "first block's insn_start" &&
    lacks $name "$tmp/op" "^OP after" "op_opt's header" &&
    echo "PASS log/$name"

name=op_opt
run hello "$tmp/op_opt" -d op_opt &&
    has $name "$tmp/op_opt" "^OP after optimization and liveness analysis:$" "op_opt header" &&
    has $name "$tmp/op_opt" "^ ---- $entry16 " "first block's insn_start" &&
    lacks $name "$tmp/op_opt" "^OP:$" "op's header" &&
    echo "PASS log/$name"

name=out_asm
run hello "$tmp/out_asm" -d out_asm &&
    has $name "$tmp/out_asm" "^PROLOGUE: \[size=[1-9]" "prologue" &&
    has $name "$tmp/out_asm" "^OUT: \[size=[1-9]" "block's host code" &&
    echo "PASS log/$name"

name=exec
run hello "$tmp/exec" -d exec &&
    has $name "$tmp/exec" "^Trace 0: 0x[0-9a-f]+ \[$entry16/" "Trace line for the entry" &&
    has $name "$tmp/exec" "^Linking TBs " "chain link" &&
    echo "PASS log/$name"

name=nochain
run hello "$tmp/nochain" -d exec,nochain && {
    chained=$(grep -c '^Trace ' "$tmp/exec")
    unchained=$(grep -c '^Trace ' "$tmp/nochain")
    # the guest's loops run inside chained blocks with exec alone
    if [ "$unchained" -le $((chained * 10)) ]; then
        echo "FAIL log/$name: $unchained Trace lines with nochain, $chained without: want many more"
    else
        lacks $name "$tmp/nochain" "^Linking TBs" "chain link" && echo "PASS log/$name"
    fi
}

name=cpu
run hello "$tmp/cpu" -d cpu &&
    is $name "$(grep -m1 '^RIP=' "$tmp/cpu" | cut -c1-20)" "RIP=$entry16" "the first dump's RIP" &&
    has $name "$tmp/cpu" "^RAX=[0-9a-f]{16} RBX=" "register dump" &&
    lacks $name "$tmp/cpu" "^Trace" "exec's Trace line" &&
    echo "PASS log/$name"

name=int
run faults "$tmp/int" -d int &&
    has $name "$tmp/int" "^ +[0-9]+: v=06 e=0000 i=0 cpl=0 IP=0008:" "#UD (v=06)" &&
    echo "PASS log/$name"

name=mmu
run faults "$tmp/mmu" -d mmu &&
    has $name "$tmp/mmu" "^tlb_fill: CPU 0 x vaddr 0x$entry16 mmu [0-9]+ -> paddr 0x[0-9a-f]{16} prot r.x" \
        "fetch of the entry page" &&
    has $name "$tmp/mmu" "^tlb_fill: CPU 0 [rw] vaddr 0x[0-9a-f]{16} mmu [0-9]+ -> fault vector 14 error 0x" \
        "#PF of the faults guest" &&
    echo "PASS log/$name"

name=page
run hello "$tmp/page" -d page &&
    has $name "$tmp/page" "^page: TB 0x[0-9a-f]+ pc 0x$entry16 size [1-9][0-9]*: virt 0x$(printf '%016x' $((entry & ~0xfff))) phys 0x" \
        "entry block's page" &&
    echo "PASS log/$name"

name=guest_errors
run io "$tmp/guest_errors" -d guest_errors &&
    has $name "$tmp/guest_errors" "^serial: write 0x[0-9a-f]+ to read-only register" "read-only register write" &&
    lacks $name "$tmp/guest_errors" "^(rdmsr|wrmsr):" "unimp's lines" &&
    echo "PASS log/$name"

name=unimp
run msr "$tmp/unimp" -d unimp &&
    has $name "$tmp/unimp" "^rdmsr: unknown MSR 0x" "unknown-MSR line" &&
    echo "PASS log/$name"

name=D-file
# without -D the log goes to stderr; with it, to the file only
timeout "$TIMEOUT" "$TERN" -nographic -kernel "$HELLO" -d in_asm \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >/dev/null 2>"$tmp/stderr"
has $name "$tmp/stderr" "^IN: $" "in_asm on stderr without -D" &&
    lacks $name "$tmp/in_asm.err" "^IN: $" "in_asm on stderr with -D" &&
    echo "PASS log/$name"

name=dfilter
# one byte at the entry, and the second block in_asm showed above: only
# those two blocks appear, in in_asm and in exec
second=$(awk '/^IN: $/ { n++ } n == 2 && /^0x/ { print substr($1, 3, 16); exit }' "$tmp/in_asm")
run hello "$tmp/dfilter" -d in_asm,exec -dfilter "0x$entry16+1,0x$second..0x$second" &&
    is $name "$(grep -c '^IN: $' "$tmp/dfilter")" 2 "the number of in_asm blocks" &&
    is $name "$(grep -A1 '^IN: $' "$tmp/dfilter" | grep '^0x' | cut -c3-18 | tr '\n' ' ')" \
        "$entry16 $second " "the in_asm blocks' pcs" &&
    has $name "$tmp/dfilter" "^Trace 0: 0x[0-9a-f]+ \[$entry16/" "Trace line for the entry" &&
    is $name "$(grep '^Trace ' "$tmp/dfilter" | grep -v -e "\[$entry16/" -e "\[$second/" | head -n 1)" \
        "" "the first Trace line out of range" &&
    echo "PASS log/$name"

name=perfmap
# -perfmap: /tmp/perf-PID.map names the prologue and each block by its
# guest pc, with host addresses inside the code buffer tern mapped (the
# entry block's line among them)
# (tern itself in the background, for its pid; a watchdog for the timeout)
"$TERN" -nographic -kernel "$HELLO" -perfmap \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >/dev/null 2>&1 &
pid=$!
(sleep "$TIMEOUT"; kill "$pid") >/dev/null 2>&1 &
dog=$!
wait $pid
kill $dog 2>/dev/null
map=/tmp/perf-$pid.map
if [ ! -s "$map" ]; then
    echo "FAIL log/$name: $map is missing or empty"
else
    mv "$map" "$tmp/perfmap"
    has $name "$tmp/perfmap" "^[0-9a-f]+ [0-9a-f]+ tcg-prologue$" "prologue line" &&
        has $name "$tmp/perfmap" "^[0-9a-f]+ [1-9a-f][0-9a-f]* tb:0x$(printf '%x' "$entry")$" "entry block's line" &&
        is $name "$(grep -cvE '^[0-9a-f]+ [0-9a-f]+ (tcg-prologue|tb:0x[0-9a-f]+)$' "$tmp/perfmap")" 0 \
            "the number of malformed lines" &&
        echo "PASS log/$name"
fi
