// tern-args: -smp 2 -append cpus=2
/* smp2.c: tests/x86/smp.c with two CPUs. */
#include "smp.c"
