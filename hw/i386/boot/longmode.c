/*
 * longmode.c: the 64-bit boot state for -kernel ELF guests (docs/boot.md);
 * the Linux boot (linux.c) shares boot_enter_longmode with its own GDT.
 *
 * tern plays the firmware's part: it writes identity-mapping page tables
 * (2 MiB pages over the first 4 GiB), a three-entry GDT, the boot info
 * block and the command line into low RAM, then sets the registers as if
 * the guest had already switched to long mode itself.  The segment caches
 * are loaded from the same descriptors that sit in the GDT, so a guest that
 * reloads its selectors gets exactly what it started with.  All guest
 * memory is written little-endian byte by byte, whatever the host.
 */
#include "util/osdep.h"
#include "hw/i386/boot.h"


/* The GDT: null, 64-bit code (DPL 0, readable, accessed), flat data
 * (writable, accessed, 4 GiB, big). */
static const uint64_t boot_gdt[] = {
    0,
    BOOT_DESC_CODE64,
    BOOT_DESC_DATA,
};

#define PTE_P  0x001ull
#define PTE_RW 0x002ull
#define PTE_PS 0x080ull     /* 2 MiB page in a page directory entry */

int boot_write(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len,
               const char *what, Error **errp)
{
    if (address_space_write(as, addr, buf, len) != MEMTX_OK) {
        error_setg(errp, "cannot write the %s at 0x%" PRIx64 " (not RAM?)", what, addr);
        return -EIO;
    }
    return 0;
}

/* The cached segment flags are the descriptor's upper dword, as a
 * descriptor load would leave them. */
static void boot_load_seg(CPUX86State *env, const uint64_t *gdt, int seg, uint32_t sel)
{
    cpu_x86_load_seg_cache(env, seg, sel, 0, 0xffffffff, (uint32_t)(gdt[sel >> 3] >> 32));
}

void boot_set_flat_state(CPUX86State *env, uint64_t entry, const uint64_t *gdt,
                         unsigned gdt_entries, uint32_t code_sel, uint32_t data_sel,
                         uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer)
{
    memset(env->regs, 0, sizeof(env->regs));
    env->rip = entry;

    /* RFLAGS = 0x2: arithmetic flags held as bits (all clear), DF clear. */
    env->eflags = 0x2;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = 0;
    env->cc_dst = 0;
    env->cc_src2 = 0;
    env->df = 1;

    env->cr[0] = cr0;
    env->cr[2] = 0;
    env->cr[3] = cr3;
    env->cr[4] = cr4;
    env->efer = efer;

    env->gdt.base = BOOT_GDT_ADDR;
    env->gdt.limit = gdt_entries * 8 - 1;
    env->idt.base = 0;
    env->idt.limit = 0;

    boot_load_seg(env, gdt, R_CS, code_sel);
    boot_load_seg(env, gdt, R_SS, data_sel);
    boot_load_seg(env, gdt, R_DS, data_sel);
    boot_load_seg(env, gdt, R_ES, data_sel);
    boot_load_seg(env, gdt, R_FS, data_sel);
    boot_load_seg(env, gdt, R_GS, data_sel);
    /* LDT unused; TR a present busy TSS, as after reset (hardware
     * virtualisation refuses an unusable TR in long mode). */
    env->ldt = (SegmentCache){ 0, 0, 0xffff, DESC_P_MASK | (2u << DESC_TYPE_SHIFT) };
    env->tr = (SegmentCache){ 0, 0, 0xffff, DESC_P_MASK | (11u << DESC_TYPE_SHIFT) };

    x86_update_hflags(env);
}

int boot_enter_longmode(AddressSpace *as, CPUX86State *env, uint64_t entry, const uint64_t *gdt,
                        unsigned gdt_entries, uint32_t code_sel, uint32_t data_sel,
                        Error **errp)
{
    /* PML4, PDPT and four PDs are contiguous: 0x1000..0x6fff. */
    enum { PT_BYTES = BOOT_INFO_ADDR - BOOT_PML4_ADDR };
    _Static_assert(BOOT_PDPT_ADDR == BOOT_PML4_ADDR + 0x1000, "table layout");
    _Static_assert(BOOT_PD_ADDR == BOOT_PDPT_ADDR + 0x1000, "table layout");
    _Static_assert(BOOT_PD_ADDR + 4 * 0x1000 == BOOT_INFO_ADDR, "table layout");
    uint8_t *pt = tern_malloc0(PT_BYTES);
    uint8_t *gdt_bytes = tern_malloc0(gdt_entries * 8);
    int ret;

    st_le(pt + (BOOT_PML4_ADDR - BOOT_PML4_ADDR), BOOT_PDPT_ADDR | PTE_P | PTE_RW, 8);
    for (unsigned i = 0; i < 4; i++) {
        st_le(pt + (BOOT_PDPT_ADDR - BOOT_PML4_ADDR) + 8 * i,
               (BOOT_PD_ADDR + 0x1000ull * i) | PTE_P | PTE_RW, 8);
    }
    for (uint64_t i = 0; i < 4 * 512; i++) {
        st_le(pt + (BOOT_PD_ADDR - BOOT_PML4_ADDR) + 8 * i,
               (i << 21) | PTE_P | PTE_RW | PTE_PS, 8);
    }
    for (unsigned i = 0; i < gdt_entries; i++) {
        st_le(gdt_bytes + 8 * i, gdt[i], 8);
    }
    if ((ret = boot_write(as, BOOT_PML4_ADDR, pt, PT_BYTES, "page tables", errp)) == 0 &&
        (ret = boot_write(as, BOOT_GDT_ADDR, gdt_bytes, gdt_entries * 8, "GDT", errp)) == 0) {
        boot_set_flat_state(env, entry, gdt, gdt_entries, code_sel, data_sel,
                            CR0_PE_MASK | CR0_MP_MASK | CR0_ET_MASK | CR0_NE_MASK |
                            CR0_WP_MASK | CR0_PG_MASK, BOOT_PML4_ADDR,
                            CR4_PAE_MASK | CR4_OSFXSR_MASK | CR4_OSXMMEXCPT_MASK,
                            EFER_LME | EFER_LMA | EFER_NXE);
        env->regs[R_ESP] = BOOT_STACK_TOP;
    }
    free(gdt_bytes);
    free(pt);
    return ret;
}

int x86_boot_longmode_setup(AddressSpace *as, CPUX86State *env, uint64_t entry,
                            uint64_t ram_size, const char *cmdline, Error **errp)
{
    uint8_t info[24];
    size_t cmdlen = cmdline ? strlen(cmdline) : 0;
    int ret;

    if (cmdline && cmdlen >= BOOT_CMDLINE_SIZE) {
        error_setg(errp, "-append: command line too long (%zu bytes, maximum %d)",
                   cmdlen, BOOT_CMDLINE_SIZE - 1);
        return -EINVAL;
    }
    st_le(info + 0, BOOT_INFO_MAGIC, 4);
    st_le(info + 4, BOOT_INFO_VERSION, 4);
    st_le(info + 8, ram_size, 8);
    st_le(info + 16, cmdline ? BOOT_CMDLINE_ADDR : 0, 8);

    if ((ret = boot_write(as, BOOT_INFO_ADDR, info, sizeof(info), "boot info", errp)) < 0) {
        return ret;
    }
    if (cmdline &&
        (ret = boot_write(as, BOOT_CMDLINE_ADDR, cmdline, cmdlen + 1, "command line",
                          errp)) < 0) {
        return ret;
    }
    ret = boot_enter_longmode(as, env, entry, boot_gdt, ARRAY_SIZE(boot_gdt), BOOT_SEL_CODE,
                              BOOT_SEL_DATA, errp);
    if (ret == 0) {
        env->regs[R_EDI] = BOOT_INFO_ADDR;
    }
    return ret;
}
