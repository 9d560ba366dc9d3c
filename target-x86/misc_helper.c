/*
 * misc_helper.c: helpers for port I/O, HLT, CPUID and exceptions raised
 * from translated code.
 *
 * Port I/O goes to env->io_as under the machine lock (bql), as every
 * device access does; wide accesses a device refuses are split in bytes.  The exception helpers are called with rip and
 * cc_op already stored by the translator, so they need no unwinding.
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "sysemu/runstate.h"
#include "exec/replay.h"

/*
 * One port access; a device that refuses the width (a byte-wide 16550 read
 * with inw) gets it as byte accesses to consecutive ports, as the PC's bus
 * splits it.  Unclaimed bytes read as 0xff.
 */
static uint64_t io_read(CPUX86State *env, uint32_t port, uint32_t size)
{
    uint64_t v = 0, b;
    unsigned i;

    if (address_space_ld(env->io_as, port & 0xffff, size, &v) == MEMTX_OK) {
        return v;
    }
    v = 0;
    for (i = 0; i < size; i++) {
        if (size == 1 || address_space_ld(env->io_as, (port + i) & 0xffff, 1, &b) != MEMTX_OK) {
            b = 0xff;
        }
        v |= (b & 0xff) << (8 * i);
    }
    return v;
}

static void io_write(CPUX86State *env, uint32_t port, uint64_t val, uint32_t size)
{
    unsigned i;

    if (address_space_st(env->io_as, port & 0xffff, size, val) == MEMTX_OK || size == 1) {
        return;
    }
    for (i = 0; i < size; i++) {
        address_space_st(env->io_as, (port + i) & 0xffff, 1, (val >> (8 * i)) & 0xff);
    }
}

uint64_t helper_in(CPUX86State *env, uint32_t port, uint32_t size)
{
    bool took = bql_lock_unless_held();
    uint64_t v = io_read(env, port, size);

    if (took) {
        bql_unlock();
    }
    return v;
}

void helper_out(CPUX86State *env, uint32_t port, uint64_t val, uint32_t size)
{
    bool took = bql_lock_unless_held();

    io_write(env, port, val, size);
    if (took) {
        bql_unlock();
    }
}

void helper_hlt(CPUX86State *env)
{
    CPUState *cs = env_cpu(env);

    cs->halted = 1;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

void helper_cpuid(CPUX86State *env)
{
    uint32_t a, b, c, d;

    uint64_t in = (env->regs[R_ECX] << 32) | (uint32_t)env->regs[R_EAX], ab, cd;

    cpu_x86_cpuid(env, (uint32_t)env->regs[R_EAX], (uint32_t)env->regs[R_ECX], &a, &b, &c, &d);
    /* a replaying CPU takes the reference's answer (exec/replay.h) */
    ab = replay_value(REPLAY_CPUID, NULL, in, 8, ((uint64_t)b << 32) | a);
    cd = replay_value(REPLAY_CPUID, NULL, in, 8, ((uint64_t)d << 32) | c);
    env->regs[R_EAX] = (uint32_t)ab;
    env->regs[R_EBX] = ab >> 32;
    env->regs[R_ECX] = (uint32_t)cd;
    env->regs[R_EDX] = cd >> 32;
}

void helper_raise_exception(CPUX86State *env, uint32_t vector)
{
    raise_exception(env, (int)vector);
}

void helper_raise_exception_err(CPUX86State *env, uint32_t vector, uint32_t error_code)
{
    raise_exception_err(env, (int)vector, (int)error_code);
}

void helper_raise_interrupt(CPUX86State *env, uint32_t vector, uint32_t next_eip_addend)
{
    raise_interrupt(env, (int)vector, (int)next_eip_addend);
}
