/*
 * host-cpu.h: what tern needs to know about the CPU it runs on.
 *
 * tern models an Intel CPU.  A few helpers can run the guest's instruction
 * on the host (the x87 transcendentals): bit-exact with the model only
 * when the host is an Intel CPU too, since AMD's x87 and Intel's differ in
 * the last bits.  The vendor is read once (CPUID leaf 0) and kept.
 */
#ifndef UTIL_HOST_CPU_H
#define UTIL_HOST_CPU_H

#include <stdbool.h>

/* The host's CPUID vendor string ("GenuineIntel", "AuthenticAMD", ...);
 * "" on a host that is not x86. */
const char *host_cpu_vendor(void);

/* Whether the host is an Intel x86 CPU (its instructions give the model's
 * results where the SDM leaves them to the implementation). */
bool host_cpu_is_intel(void);

#endif
