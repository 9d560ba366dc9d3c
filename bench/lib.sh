# lib.sh: what the benchmarks in bench/ share, sourced after `set -u`:
# the defaults of the environment they read, and median.
#   O      build directory (build)      GUEST  the guest kit (build/guest)
#   TERN   the emulator ($O/tern)       QEMU   qemu-system-x86_64
#   ACCEL  tcg (default) or kvm         REPS   runs of each (3)
O=${O:-build}
TERN=${TERN:-$O/tern}
GUEST=${GUEST:-build/guest}
QEMU=${QEMU:-qemu-system-x86_64}
ACCEL=${ACCEL:-tcg}
REPS=${REPS:-3}

# median [NONE]: the median of the numbers on stdin, one a line (the
# upper one of an even count); NONE (default "-") when there are none.
median() { sort -n | awk -v none="${1:--}" '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : none) }'; }
