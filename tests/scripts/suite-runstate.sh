#!/bin/sh
# suite-runstate: how a guest's own shutdown ends tern (docs/cpu.md,
# "Reset"), for the cases a guest test cannot judge from inside:
#   PASS runstate/no-shutdown    -no-reboot -no-shutdown: the triple fault
#                                of tests/x86/triple.c stops the guest
#                                (one line on stderr) and tern keeps
#                                running until the console's Ctrl-A x,
#                                typed a second later, ends it with 0
#   PASS runstate/no-shutdown-acpi  the same for the ACPI S5 power-off of
#                                tests/x86/acpipm.c (SLP_EN to PM1a_CNT)
#   PASS runstate/signal-SIG     SIGTERM, SIGINT or SIGHUP a second after
#                                start (the guest stopped as above) ends
#                                tern cleanly: "terminating on signal N"
#                                on stderr and status 0, as QEMU
#   FAIL runstate/NAME: why
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# no_shutdown NAME ELF WHAT: ELF's guest shuts down (WHAT) after a PASS line
no_shutdown() {
    name=$1 elf=$2 what=$3
    if [ ! -x "$TERN" ] || [ ! -f "$elf" ]; then
        echo "FAIL $name: $TERN or $elf is not built (make tests-x86)"
        return
    fi
    { sleep 1; printf '\001x'; } | timeout 30 "$TERN" -nographic -no-reboot -no-shutdown \
        -kernel "$elf" -device isa-debug-exit,iobase=0xf4,iosize=0x04 >"$out" 2>"$err"
    st=$?
    if [ "$st" != 0 ]; then
        echo "FAIL $name: tern exited with status $st (want 0 from Ctrl-A x)"
    elif ! grep -q '^PASS ' "$out"; then
        echo "FAIL $name: the guest printed no PASS line before its $what"
    elif grep -q '^FAIL ' "$out"; then
        echo "FAIL $name: the guest: $(grep -m 1 '^FAIL ' "$out")"
    elif ! grep -q 'stopped (-no-shutdown)' "$err"; then
        echo "FAIL $name: tern exited without stopping the guest (stderr: $(head -n 1 "$err"))"
    elif ! grep -q 'terminated (Ctrl-A x)' "$out"; then
        echo "FAIL $name: tern did not end by Ctrl-A x"
    else
        echo "PASS $name"
    fi
}

# on_signal SIG NUM: tern, its guest stopped, gets SIG from outside
on_signal() {
    name=runstate/signal-$1 elf=$O/tests/x86/triple.elf
    if [ ! -x "$TERN" ] || [ ! -f "$elf" ]; then
        echo "FAIL $name: $TERN or $elf is not built (make tests-x86)"
        return
    fi
    timeout -s KILL 30 "$TERN" -nographic -no-reboot -no-shutdown -kernel "$elf" \
        </dev/null >"$out" 2>"$err" &
    pid=$!
    sleep 1
    pkill -"$1" -P "$pid" -x tern
    wait "$pid"
    st=$?
    if [ "$st" != 0 ]; then
        echo "FAIL $name: tern exited with status $st (want 0)"
    elif ! grep -q "^tern: terminating on signal $2\$" "$err"; then
        echo "FAIL $name: no 'terminating on signal $2' line (stderr: $(tail -n 1 "$err"))"
    else
        echo "PASS $name"
    fi
}

on_signal TERM 15
on_signal INT 2
on_signal HUP 1
no_shutdown runstate/no-shutdown "$O/tests/x86/triple.elf" "triple fault"
no_shutdown runstate/no-shutdown-acpi "$O/tests/x86/acpipm.elf" "ACPI power-off"
exit 0
