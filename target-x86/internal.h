/*
 * internal.h: declarations shared inside target-x86 only.
 */
#ifndef TARGET_X86_INTERNAL_H
#define TARGET_X86_INTERNAL_H

#include "target-x86/cpu.h"
#include "exec/exec-all.h"

/* Raise a guest exception from a helper; ra = GETPC() (0: state precise).
 * Implemented in excp_helper.c. */
TERN_NORETURN void raise_exception(CPUX86State *env, int vector);
TERN_NORETURN void raise_exception_ra(CPUX86State *env, int vector, uintptr_t ra);
TERN_NORETURN void raise_exception_err(CPUX86State *env, int vector, int error_code);
TERN_NORETURN void raise_exception_err_ra(CPUX86State *env, int vector, int error_code,
                                          uintptr_t ra);
/* Software interrupt (INT n, INT3, INTO): next_eip_addend is the
 * instruction length, so delivery pushes the following rip. */
TERN_NORETURN void raise_interrupt(CPUX86State *env, int vector, int next_eip_addend);

/* The CPU model's CPUID leaves (cpu.c). */
void cpu_x86_cpuid(CPUX86State *env, uint32_t leaf, uint32_t subleaf,
                   uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx);

#endif
