/*
 * disas-capstone.c: host code disassembly for -d out_asm, via capstone, for
 * the back ends that emit machine code: each names its capstone
 * architecture and mode in tcg-target.h (TCG_TARGET_CAPSTONE); tcg/tci
 * disassembles its bytecode itself.
 *
 * Stateless: a capstone handle is opened per call, so concurrent
 * translators need no locking here (log output itself is line-buffered).
 */
#include "util/osdep.h"
#include "tcg/tcg.h"
#include "tcg-target.h"

#include <capstone/capstone.h>

void disas_host(FILE *f, const void *code, size_t size)
{
    csh handle;
    cs_insn *insn;
    size_t count;

    if (cs_open(TCG_TARGET_CAPSTONE, &handle) != CS_ERR_OK) {
        fprintf(f, "  (capstone unavailable: %zu bytes at %p)\n", size, code);
        return;
    }
    count = cs_disasm(handle, code, size, (uint64_t)(uintptr_t)code, 0, &insn);
    for (size_t i = 0; i < count; i++) {
        fprintf(f, "0x%016" PRIx64 ":  %-8s %s\n", insn[i].address, insn[i].mnemonic,
                insn[i].op_str);
    }
    if (count) {
        size_t done = insn[count - 1].address + insn[count - 1].size -
                      (uint64_t)(uintptr_t)code;
        if (done < size) {
            fprintf(f, "  (%zu undecodable bytes)\n", size - done);
        }
        cs_free(insn, count);
    }
    cs_close(&handle);
}
