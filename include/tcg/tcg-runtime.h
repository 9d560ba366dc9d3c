/*
 * tcg-runtime.h: functions generated code calls that the execution engine
 * (accel/tcg) provides.  The back end emits calls to these; it does not know
 * what they do.
 */
#ifndef TCG_TCG_RUNTIME_H
#define TCG_TCG_RUNTIME_H

#include "tcg/tcg.h"

/* Soft-MMU slow paths.  retaddr is the host address of the access inside
 * generated code, used to restore the guest state if the access faults.
 * Loads return the value zero- or sign-extended per the MemOp. */
uint64_t helper_ld_mmu(void *env, uint64_t addr, MemOpIdx oi, uintptr_t retaddr);
void helper_st_mmu(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t retaddr);

/* lookup_and_goto_ptr: the host code of the block for the current CPU
 * state, or tcg_code_gen_epilogue if there is none (return 0 to cpu_exec). */
const void *helper_lookup_tb_ptr(void *env);

/* Jumping here from generated code returns 0 from tcg_tb_exec. */
extern const void *tcg_code_gen_epilogue;

#endif
