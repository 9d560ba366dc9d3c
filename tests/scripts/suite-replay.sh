#!/bin/sh
# suite-replay: -record FILE / -replay FILE (docs/compare.md, "Record and
# replay"): a single-stepped TCG run logged to a file, and the shadow CPU
# alone replaying it without devices.
#   PASS replay/record/NAME    tests/x86/NAME passes under -record as under
#                              TCG (status 1, PASS lines, test_done())
#   PASS replay/replay/NAME    -replay of that file says the final state
#                              matches after the recorded number of steps,
#                              exits with the guest's status (1) and prints
#                              none of the guest's serial output (no device
#                              is touched)
#   PASS replay/corrupt/...    a recording with one value changed (a serial
#                              byte written, a final register) replays to a
#                              divergence report naming it, exit status 2
#   PASS replay/bad/...        truncated, garbage, another guest's or a
#                              mismatched file, bad command lines: one
#                              "tern: " line naming the file, exit status 1
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
TIMEOUT=${REPLAY_TIMEOUT:-60}
SRC_DIR=$(dirname "$0")/../x86
. "$(dirname "$0")/guest-lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Port I/O (hello, io: the serial port), interrupts through the 8259 (pic)
# and the local APIC's timer with TSC reads and MSRs (apic), DMA into RAM
# (fwcfg: fw_cfg's DMA interface).
GUESTS=${REPLAY_GUESTS:-"hello io pic apic fwcfg"}

for g in $GUESTS; do
    elf=$O/tests/x86/$g.elf
    if [ ! -f "$elf" ]; then
        echo "FAIL replay/record/$g: $elf is not built (make tests-x86)"
        continue
    fi
    # the guest's own options (suite-x86's "// tern-args:" line); no spaces
    # inside one argument there
    args=$(sed -n 's|^// tern-args: *||p' "$SRC_DIR/$g.c" 2>/dev/null | head -n 1)
    # shellcheck disable=SC2086
    TERN_COMPARE_VERBOSE=1 guest_run "$tmp/rec" "" $args -record "$tmp/$g.rr" -kernel "$elf" \
        -no-reboot
    guest_judge "replay/record/$g" "$tmp/rec" 1 yes || continue
    steps=$(sed -n 's/^tern: record: \([0-9]*\) steps$/\1/p' "$tmp/rec")
    if [ -z "$steps" ]; then
        echo "FAIL replay/record/$g: no 'tern: record: N steps' line"
        continue
    fi
    echo "PASS replay/record/$g ($steps steps, $(wc -c <"$tmp/$g.rr" | tr -d ' ') bytes)"
    # shellcheck disable=SC2086
    guest_run "$tmp/rep" "" $args -replay "$tmp/$g.rr" -kernel "$elf" -no-reboot
    sed 's/^/    /' "$tmp/rep"
    want="tern: replay: final state matches the recording ($steps steps)"
    if [ "$st" != 1 ]; then
        echo "FAIL replay/replay/$g: exit status $st (want the guest's 1)"
    elif ! grep -qxF "$want" "$tmp/rep"; then
        echo "FAIL replay/replay/$g: no '$want' line"
    elif grep -q '^PASS\|passed' "$tmp/rep"; then
        echo "FAIL replay/replay/$g: the guest's serial output appeared (a device was touched)"
    else
        echo "PASS replay/replay/$g"
    fi
done
if [ -f "$tmp/fwcfg.rr" ]; then
    if grep -q '^dma 0x[0-9a-f]* [0-9a-f]' "$tmp/fwcfg.rr"; then
        echo "PASS replay/dma/fwcfg ($(grep -c '^dma ' "$tmp/fwcfg.rr") DMA writes recorded)"
    else
        echo "FAIL replay/dma/fwcfg: the recording holds no 'dma' line"
    fi
fi

# The check can fail: change one value and the replay must say where.
rr=$tmp/io.rr
elf=$O/tests/x86/io.elf
args=
corrupt() {   # NAME WANT-LINE-REGEX FILTER...: FILTER turns $rr into a bad copy
    name=$1 want=$2
    shift 2
    "$@" <"$rr" >"$tmp/bad.rr"
    if cmp -s "$rr" "$tmp/bad.rr"; then
        echo "FAIL replay/corrupt/$name: the filter changed nothing"
        return
    fi
    # shellcheck disable=SC2086
    guest_run "$tmp/cor" "" $args -replay "$tmp/bad.rr" -kernel "$elf" -no-reboot
    sed 's/^/    /' "$tmp/cor"
    if [ "$st" != 2 ]; then
        echo "FAIL replay/corrupt/$name: exit status $st (want 2)"
    elif ! grep -q '^tern: replay: the replay diverged from the recording at step [0-9]' "$tmp/cor"; then
        echo "FAIL replay/corrupt/$name: no 'diverged from the recording at step N' line"
    elif ! grep -Eq "$want" "$tmp/cor"; then
        echo "FAIL replay/corrupt/$name: no line matching '$want'"
    else
        echo "PASS replay/corrupt/$name"
    fi
}
if [ ! -f "$rr" ]; then
    echo "FAIL replay/corrupt: no recording of io to corrupt"
else
    # the 100th byte io writes to the serial port becomes 'Z'
    n=$(grep -n '^io-write 1 [0-9]*:serial 0x0 ' "$rr" | sed -n 100p | cut -d: -f1)
    corrupt write \
        '^  events: the shadow wrote port 0x3f8 \(serial\) .*value 0x[0-9a-f]+\); the reference wrote port 0x3f8 \(serial\) .*value 0x5a\)' \
        sed "${n:-1}s/ 0x[0-9a-f]*\$/ 0x5a/"
    corrupt final-rbx '^  RBX +reference 0x0*1234  shadow ' sed 's/^gpr3 .*/gpr3 0x1234/'
    corrupt step-rip '^  RIP +reference 0x0*1  shadow ' sed '/^step 1000 /s/ 0x[0-9a-f]*$/ 0x1/'
fi
# DMA is replayed too: the first byte fw_cfg's DMA wrote, changed
if [ -f "$tmp/fwcfg.rr" ]; then
    rr=$tmp/fwcfg.rr elf=$O/tests/x86/fwcfg.elf
    args=$(sed -n 's|^// tern-args: *||p' "$SRC_DIR/fwcfg.c" | head -n 1)
    corrupt dma '^  ' awk '!done && /^dma / {
        b = substr($3, 1, 2); $3 = (b == "a5" ? "5a" : "a5") substr($3, 3); done = 1 } { print }'
    rr=$tmp/io.rr elf=$O/tests/x86/io.elf args=
fi

# Bad input: one line naming the file, status 1.
bad() {   # NAME WANT ARGS...
    name=$1 want=$2
    shift 2
    timeout 20 "$TERN" -nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        "$@" </dev/null >"$tmp/bout" 2>"$tmp/berr"
    rc=$?
    if [ "$rc" != 1 ]; then
        echo "FAIL replay/bad/$name: exit status $rc (want 1)"
    elif [ "$(wc -l <"$tmp/berr" | tr -d ' ')" != 1 ]; then
        echo "FAIL replay/bad/$name: $(wc -l <"$tmp/berr" | tr -d ' ') lines on stderr (want 1)"
    elif ! grep -qF "$want" "$tmp/berr"; then
        echo "FAIL replay/bad/$name: stderr '$(cat "$tmp/berr")' lacks '$want'"
    else
        echo "PASS replay/bad/$name"
    fi
}
if [ -f "$rr" ]; then
    size=$(wc -c <"$rr")
    head -c $((size / 2)) "$rr" >"$tmp/half.rr"
    bad truncated "tern: -replay $tmp/half.rr:" -replay "$tmp/half.rr" -kernel "$elf"
    grep -v '^done$' "$rr" >"$tmp/nodone.rr"
    bad no-done "truncated?" -replay "$tmp/nodone.rr" -kernel "$elf"
    # random bytes after an 'x', so that line 1 is neither blank nor a
    # comment (those the reader skips: the error would name a later line)
    { printf x; head -c 4096 /dev/urandom; } >"$tmp/garbage.rr"
    bad garbage "tern: -replay $tmp/garbage.rr:1: not a tern recording" \
        -replay "$tmp/garbage.rr" -kernel "$elf"
    bad other-guest "tern: -replay $rr:2: recorded from another guest image" \
        -replay "$rr" -kernel "$O/tests/x86/hello.elf"
    bad other-ram "tern: -replay $rr:2: recorded with 0x8000000 bytes of RAM" \
        -replay "$rr" -kernel "$elf" -m 64
    sed '0,/^io-read 1 [0-9]*:serial/s/^io-read 1 [0-9]*:serial/io-read 1 9999:serial/' \
        "$rr" >"$tmp/region.rr"
    bad region "is not a device region of this machine" -replay "$tmp/region.rr" -kernel "$elf"
    sed '0,/^step /s/^step /stop /' "$rr" >"$tmp/record.rr"
    bad unknown-record "unknown record 'stop'" -replay "$tmp/record.rr" -kernel "$elf"
fi
bad no-file "tern: -replay $tmp/none.rr: No such file" -replay "$tmp/none.rr" \
    -kernel "$O/tests/x86/hello.elf"
bad with-accel "tern: -record: runs under TCG by itself" -record "$tmp/x.rr" -accel kvm \
    -kernel "$O/tests/x86/hello.elf"
bad both "only one -record or -replay" -record "$tmp/x.rr" -replay "$tmp/y.rr" \
    -kernel "$O/tests/x86/hello.elf"
