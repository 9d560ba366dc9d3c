# lib.sh: what the benchmarks in bench/ share, sourced after `set -u`:
# the defaults of the environment they read, median, time_run and checksum_of.
#   O      build directory (build)      GUEST  the guest kit (build/guest)
#   TERN   the emulator ($O/tern)       QEMU   qemu-system-x86_64
#   ACCEL  tcg (default) or kvm         REPS   runs of each (3)
O=${O:-build}
TERN=${TERN:-$O/tern}
GUEST=${GUEST:-build/guest}
QEMU=${QEMU:-qemu-system-x86_64}
ACCEL=${ACCEL:-tcg}
REPS=${REPS:-3}

# emulated_note: for a tern built for another host and run here under
# HOST_EXEC (QEMU's user-mode emulation; Makefile), the line every table
# carries: its times are the emulator's, not the host's
emulated_note() {
    [ -n "${HOST_EXEC:-}" ] || return 0
    echo "EMULATED TIMING: tern is the $(sed -n 's/^HOST_CPU = //p' "$O/config.mak" 2>/dev/null) build run under '$HOST_EXEC'" \
         "on this $(uname -m) machine; its times and ratios measure that emulation, not real hardware of that kind."
}

# median [NONE]: the median of the numbers on stdin, one a line (the
# upper one of an even count); NONE (default "-") when there are none.
median() { sort -n | awk -v none="${1:--}" '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : none) }'; }

# time_run OUTFILE CMD...: run CMD (stdin /dev/null, stdout and stderr to
# OUTFILE); prints "SECONDS STATUS".
time_run() {
    f=$1; shift
    t0=$(date +%s%N)
    "$@" </dev/null >"$f" 2>&1
    rc=$?
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $rc" | awk '{ printf "%.3f %d\n", $1 / 1e6, $2 }'
}

# checksum_of FILE: the hex of the first "checksum HEX" in FILE (anywhere
# on a line: QEMU's firmware leaves escape sequences before it).
checksum_of() { tr -d '\r' <"$1" | grep -o 'checksum [0-9a-f]\{16\}' | head -n 1 | cut -d' ' -f2; }
