# guest-lib.sh: running a test guest and judging its output, shared by the
# suites that boot guests written with the tests/x86 runtime (suite-x86,
# suite-multiboot, suite-linuxboot).  Sourced, not run: the caller sets
# TERN and TIMEOUT first.  check.sh runs only suite-*.sh, so this file is
# not a suite.

# guest_run OUT INPUT ARGS...: run tern -nographic ARGS with the
# isa-debug-exit device that test_done() writes to and INPUT (printf %b
# escapes) on stdin.  The output, CRs dropped, goes to OUT; tern's exit
# status (124 or 137: timeout; 143 from busybox timeout, tests/kvm) to $st.
guest_run() {
    _out=$1 _in=$2
    shift 2
    { printf '%b' "$_in" | timeout "$TIMEOUT" "$TERN" -nographic "$@" \
          -device isa-debug-exit,iobase=0xf4,iosize=0x04 2>&1
      echo "tern-suite-status $?"; } | tr -d '\r' >"$_out"
    st=$(sed -n 's/^tern-suite-status //p' "$_out" | tail -n 1)
    sed -i '/^tern-suite-status /d' "$_out"
}

# guest_judge NAME OUT WANT DONE: echo the guest's output indented (check.sh
# counts only column-0 lines), then fail NAME with one FAIL line, returning
# 1, on a timeout, the guest's first FAIL line, an exit status other than
# WANT, no PASS line, or (DONE=yes) no "N passed, 0 failed" summary from
# test_done().  Returns 0 and prints nothing more when all hold: the caller
# adds its own checks and the PASS line.
guest_judge() {
    _name=$1 _out=$2 _want=$3 _done=$4
    sed 's/^/    /' "$_out"
    _fail=$(grep -m1 '^FAIL ' "$_out" | sed 's/^FAIL //')
    if [ "$st" = 124 ] || [ "$st" = 137 ] || [ "$st" = 143 ]; then
        echo "FAIL $_name: timeout after ${TIMEOUT}s"
    elif [ -n "$_fail" ]; then
        echo "FAIL $_name: $_fail"
    elif [ "$st" != "$_want" ]; then
        echo "FAIL $_name: tern exited with status $st (want $_want)"
    elif ! grep -q '^PASS ' "$_out"; then
        echo "FAIL $_name: no PASS line"
    elif [ "$_done" = yes ] && ! grep -qE '^[1-9][0-9]* passed, 0 failed$' "$_out"; then
        echo "FAIL $_name: the guest stopped before test_done() (last line: $(tail -n 1 "$_out"))"
    else
        return 0
    fi
    return 1
}
