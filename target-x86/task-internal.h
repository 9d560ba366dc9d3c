/*
 * task-internal.h: hardware task switches (task_helper.c), entered from
 * the four sources the SDM names (vol.3 8.3): far JMP and CALL
 * (far_helper.c), an interrupt or exception through a task gate and IRET
 * with EFLAGS.NT = 1 (seg_helper.c).  Outside IA-32e mode only; the
 * callers keep long mode's #GP.
 */
#ifndef TARGET_X86_TASK_INTERNAL_H
#define TARGET_X86_TASK_INTERNAL_H

#include "target-x86/internal.h"

/* Far JMP or CALL to selector (protected mode, not IA-32e): if it names a
 * TSS or a task gate, check it, switch tasks (next_eip: the EIP the old
 * task resumes at) and return true; otherwise return false with nothing
 * changed, and the caller treats it as a code segment or call gate. */
bool task_far_transfer(CPUX86State *env, uint32_t selector, uint64_t next_eip, bool is_call,
                       uintptr_t ra);

/* IRET with EFLAGS.NT = 1 (protected mode, not IA-32e): back to the task
 * the current TSS's back link names, which must be a busy TSS (#TS). */
void task_iret(CPUX86State *env, uint64_t next_eip, uintptr_t ra);

/* Event delivery through the task gate whose low dword is gate_e1 (the
 * gate's DPL and P already checked): ext is the EXT bit of its error
 * codes; has_error_code: push error_code on the new task's stack;
 * old_eip: the EIP the interrupted task resumes at. */
void task_gate_interrupt(CPUX86State *env, uint32_t gate_e1, unsigned ext, bool has_error_code,
                         uint32_t error_code, uint64_t old_eip);

#endif
