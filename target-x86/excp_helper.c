/*
 * excp_helper.c: raising guest exceptions from helpers and the soft MMU.
 *
 * A raise records the vector (cs->exception_index), its error code and
 * whether it is a software INT n in env, then unwinds to the exec loop
 * (cpu_loop_exit_restore), which delivers it with x86_cpu_do_interrupt.
 *
 * Double and triple faults (SDM vol.3 §6.15, table 6-5) are decided here,
 * at raise time: env->old_exception holds the contributory exception or
 * page fault whose delivery is in progress (-1 when none; seg_helper.c
 * resets it once a delivery completes).  A second exception raised while
 * it is set either becomes #DF or, if #DF itself was being delivered, a
 * triple fault: logged under -d int, a system reset is requested and the
 * vCPU halts until it happens (docs/cpu.md, "Reset").
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/runstate.h"
#include "target-x86/internal.h"

/* Exception classes for double-fault detection (SDM table 6-4). */
typedef enum X86ExcpClass { EXCP_CLASS_BENIGN, EXCP_CLASS_CONTRIBUTORY, EXCP_CLASS_PF } X86ExcpClass;

static X86ExcpClass excp_class(int vector)
{
    switch (vector) {
    case EXCP00_DIVZ:
    case EXCP0A_TSS:
    case EXCP0B_NOSEG:
    case EXCP0C_STACK:
    case EXCP0D_GPF:
        return EXCP_CLASS_CONTRIBUTORY;
    case EXCP0E_PAGE:
        return EXCP_CLASS_PF;
    default:
        return EXCP_CLASS_BENIGN;
    }
}

/* A triple fault: request a system reset (an exit with -no-reboot) and
 * halt this vCPU until the main thread resets it. */
static TERN_NORETURN void excp_triple_fault(CPUX86State *env)
{
    CPUState *cs = env_cpu(env);

    log_mask(LOG_INT, "Triple fault: system reset\n");
    if (log_enabled(LOG_INT)) {
        x86_cpu_dump_state(cs, log_file());
    }
    env->old_exception = -1;
    runstate_request_reset();
    cs->halted = true;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

/*
 * Combine vector with the exception being delivered (table 6-5): returns
 * the vector to deliver, possibly #DF with error code 0.
 */
static int excp_check_double(CPUX86State *env, int vector, int *error_code)
{
    int old = env->old_exception;
    X86ExcpClass first = old < 0 ? EXCP_CLASS_BENIGN : excp_class(old);
    X86ExcpClass second = excp_class(vector);

    if (old >= 0) {
        log_mask(LOG_INT, "check_exception old: 0x%x new 0x%x\n", old, vector);
    }
    if (old == EXCP08_DBLE) {
        excp_triple_fault(env);
    }
    if ((first == EXCP_CLASS_CONTRIBUTORY && second == EXCP_CLASS_CONTRIBUTORY) ||
        (first == EXCP_CLASS_PF && second != EXCP_CLASS_BENIGN)) {
        vector = EXCP08_DBLE;
        *error_code = 0;
    }
    if (vector == EXCP08_DBLE || excp_class(vector) != EXCP_CLASS_BENIGN) {
        env->old_exception = vector;
    }
    return vector;
}

static TERN_NORETURN void excp_raise(CPUX86State *env, int vector, bool is_int,
                                     int error_code, int next_eip_addend, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);

    if (!is_int) {
        vector = excp_check_double(env, vector, &error_code);
    } else {
        env->exception_next_eip = env->rip + next_eip_addend;
    }
    cs->exception_index = vector;
    env->error_code = error_code;
    env->exception_is_int = is_int;
    cpu_loop_exit_restore(cs, ra);
}

void raise_exception(CPUX86State *env, int vector)
{
    excp_raise(env, vector, false, 0, 0, 0);
}

void raise_exception_ra(CPUX86State *env, int vector, uintptr_t ra)
{
    excp_raise(env, vector, false, 0, 0, ra);
}

void raise_exception_err(CPUX86State *env, int vector, int error_code)
{
    excp_raise(env, vector, false, error_code, 0, 0);
}

void raise_exception_err_ra(CPUX86State *env, int vector, int error_code, uintptr_t ra)
{
    excp_raise(env, vector, false, error_code, 0, ra);
}

/* The state is precise here (the translator stored rip of the INT). */
void raise_interrupt(CPUX86State *env, int vector, int next_eip_addend)
{
    excp_raise(env, vector, true, 0, next_eip_addend, 0);
}
