# guest-lib.sh: running a test guest and judging its output, shared by the
# suites that boot guests written with the tests/x86 runtime (suite-x86,
# suite-multiboot, suite-linuxboot).  Sourced, not run: the caller sets
# TERN and TIMEOUT first.  check.sh runs only suite-*.sh, so this file is
# not a suite.

# guest_run OUT INPUT ARGS...: run tern -nographic ARGS with the
# isa-debug-exit device that test_done() writes to and INPUT (printf %b
# escapes) on stdin.  The output, CRs dropped, goes to OUT; tern's exit
# status (124 or 137: timeout; busybox's timeout, tests/kvm, passes on
# tern's own status: 0 after "tern: terminating on signal 15") to $st.
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
    if [ "$st" = 124 ] || [ "$st" = 137 ] || [ "$st" = 143 ] ||
       grep -q '^tern: terminating on signal 15' "$_out"; then
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

# guest_accels OUT PROBE: the accelerators to run guests under, in
# $accels: tcg, and kvm when tern -accel kvm boots PROBE (a guest that
# prints PASS/FAIL lines); otherwise $kvm_reason says why not (tern's
# one-line refusal).  X86_ACCEL=kvm leaves TCG out (tests/kvm/nested.sh:
# TCG inside QEMU's TCG is too slow); X86_ACCEL=tcg leaves KVM out, without
# SKIP lines (suite-hosts.sh: the other hosts' builds have no KVM).
guest_accels() {
    accels=tcg
    kvm_reason=
    if [ "${X86_ACCEL:-}" = tcg ]; then
        return 0
    elif [ ! -e /dev/kvm ]; then
        kvm_reason="no /dev/kvm on this host"
    elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
        kvm_reason="/dev/kvm is not readable and writable by $(id -un)"
    else
        guest_run "$1" "" -accel kvm -kernel "$2" -no-reboot
        if grep -qE '^(PASS|FAIL) ' "$1"; then     # the guest ran
            accels="tcg kvm"
        else
            kvm_reason=$(grep -v '^[[:space:]]*$' "$1" | head -n 1)
            kvm_reason=${kvm_reason:-tern -accel kvm exited with status $st}
        fi
    fi
    [ "${X86_ACCEL:-}" = kvm ] && accels=${accels#tcg}
    return 0
}

# guest_markers SRC ACCEL: the "// tern-kvm: ..." lines of the test source
# SRC that apply under ACCEL kvm, and under nested KVM (TERN_NESTED=1,
# tests/kvm/guest-tests.sh) its "// tern-nested: ..." lines too, as "kvm:
# skip|allow ..." / "nested: skip|allow ..." (docs/testing.md, "Tests under
# KVM"); under ACCEL native-amd (suite-x86-native.sh on an AMD host) its
# "// tern-native-amd: ..." lines, as "native-amd: allow ...".
guest_markers() {
    case $2 in
    kvm)
        sed -n 's|^// tern-kvm: *|kvm: |p' "$1" 2>/dev/null
        [ "${TERN_NESTED:-0}" = 0 ] || sed -n 's|^// tern-nested: *|nested: |p' "$1" 2>/dev/null ;;
    native-amd)
        sed -n 's|^// tern-native-amd: *|native-amd: |p' "$1" 2>/dev/null ;;
    esac
}

# guest_allow OUT MARKERS [FAILED CLEAN]: the checks that MARKERS' "allow
# PATTERN REASON" lines name (a shell-style glob: *, ?) may fail: each
# such FAIL line in OUT becomes an indented "SKIP NAME: kvm|nested|
# native-amd: REASON (got: ...)" line, and test_done()'s "N passed, M
# failed" counts only the others.  Any other FAIL line stays, so the judge
# still fails the test on it.  When only allowed checks failed, the exit
# status $st of a failed test_done(), FAILED (tern's 3; natively 1),
# becomes that of a clean one, CLEAN (tern's 1; natively 0).
guest_allow() {
    printf '%s\n' "$2" | grep -q '^[a-z-]*: allow ' || return 0
    printf '%s\n' "$2" | awk -v out="$1" '
        BEGIN { n = 0; allowed = 0 }
        $2 == "allow" {
            pat = $3; reason = $0; sub(/^[^ ]+ +allow +[^ ]+ */, "", reason)
            gsub(/[.+^$(){}|]/, "\\\\&", pat); gsub(/\*/, ".*", pat); gsub(/\?/, ".", pat)
            re[n] = "^" pat "$"; why[n] = $1 " " reason; n++
        }
        END {
            while ((getline l < out) > 0) {
                if (l ~ /^FAIL /) {
                    name = substr(l, 6); sub(/: .*/, "", name)
                    for (i = 0; i < n; i++) {
                        if (name ~ re[i]) {
                            rest = substr(l, 6 + length(name) + 2)
                            l = "    SKIP " name ": " why[i] " (got: " rest ")"; allowed++
                            break
                        }
                    }
                }
                if (l ~ /^[0-9]+ passed, [0-9]+ failed$/ && allowed) {
                    split(l, w, " ")
                    l = w[1] " passed, " (w[3] - allowed) " failed"
                    l = l "\n    (" allowed " allowed to fail here: SKIP lines above)"
                }
                print l
            }
        }' >"$1.allow" && mv "$1.allow" "$1"
    # test_done() exits with 1 (tern: 3) on any failure: when only allowed
    # checks failed, judge it as the clean exit (tern: 1) it would have been
    if [ "${st:-}" = "${3:-3}" ] && grep -q '^    ([0-9]* allowed to fail here' "$1" &&
       grep -qE '^[0-9]+ passed, 0 failed$' "$1"; then
        st=${4:-1}
    fi
}
