/*
 * msr.c: RDMSR and WRMSR that may fault (guest only), for the tests of
 * MSRs that exist on some models, refuse some values or do not exist:
 * tern_catch_fault runs the instruction, so a #GP comes back as a vector.
 */
#include "tern.h"

uint32_t tern_msr_idx;
uint64_t tern_msr_in, tern_msr_out;
FAULT_FN(tern_rdmsr_fn, "mov tern_msr_idx(%rip), %ecx\n\trdmsr\n\tshl $32, %rdx\n\t"
                        "mov %eax, %eax\n\tor %rdx, %rax\n\tmov %rax, tern_msr_out(%rip)");
FAULT_FN(tern_wrmsr_fn, "mov tern_msr_idx(%rip), %ecx\n\tmov tern_msr_in(%rip), %rax\n\t"
                        "mov %rax, %rdx\n\tshr $32, %rdx\n\twrmsr");

int tern_rdmsr_catch(uint32_t idx, uint64_t *v)
{
    int f;

    tern_msr_idx = idx;
    tern_msr_out = 0xdeadull;
    f = tern_catch_fault(tern_rdmsr_fn);
    *v = tern_msr_out;
    return f;
}

int tern_wrmsr_catch(uint32_t idx, uint64_t v)
{
    tern_msr_idx = idx;
    tern_msr_in = v;
    return tern_catch_fault(tern_wrmsr_fn);
}

int tern_wrmsr_refused(uint32_t idx, uint64_t v)
{
    uint64_t before, after;

    return tern_rdmsr_catch(idx, &before) == -1 && tern_wrmsr_catch(idx, v) == 13 &&
           tern_last_fault.error_code == 0 && tern_rdmsr_catch(idx, &after) == -1 &&
           before == after;
}
