/*
 * gdbstub.c: the x86-64 side of the gdb remote protocol
 * (target-x86/gdbstub.h).
 *
 * x86_gdb_regs is the register table, in gdb's order: the general
 * registers, rip, eflags and the selectors, the x87 stack and control
 * registers (gdb's i386 core feature), xmm0-15 and mxcsr (sse), fs_base
 * and gs_base (segments), then the system registers tern adds
 * (k_gs_base, cr0-cr8, efer).  Each entry names its feature, type and
 * size; the XML is printed from the same table.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "target-x86/cpu.h"
#include "target-x86/gdbstub.h"

#include <glib.h>

typedef enum X86GdbRegKind {
    GREG_GPR,        /* regs[idx] */
    GREG_RIP,
    GREG_EFLAGS,
    GREG_SEG,        /* segs[idx].selector */
    GREG_SEG_BASE,   /* segs[idx].base */
    GREG_KGS_BASE,
    GREG_CR,         /* cr[idx]; idx 8: cr8 */
    GREG_EFER,
    GREG_ST,         /* ST(idx): 10 bytes */
    GREG_FCTRL, GREG_FSTAT, GREG_FTAG, GREG_FISEG, GREG_FIOFF, GREG_FOSEG,
    GREG_FOOFF, GREG_FOP,
    GREG_XMM,        /* xmm_regs[idx] */
    GREG_MXCSR,
} X86GdbRegKind;

typedef struct X86GdbReg {
    const char *name;
    X86GdbRegKind kind;
    unsigned idx;
    unsigned bits;
    const char *type;
    const char *feature;
} X86GdbReg;

#define F_CORE "org.gnu.gdb.i386.core"
#define F_SSE  "org.gnu.gdb.i386.sse"
#define F_SEGS "org.gnu.gdb.i386.segments"
#define F_SYS  "org.tern.x86.system"

#define GPR(n, i, t) { n, GREG_GPR, i, 64, t, F_CORE }
#define SEG(n, i) { n, GREG_SEG, i, 32, "int32", F_CORE }
#define ST(i) { "st" #i, GREG_ST, i, 80, "i387_ext", F_CORE }
#define X87(n, k) { n, k, 0, 32, "int", F_CORE }
#define XMM(i) { "xmm" #i, GREG_XMM, i, 128, "vec128", F_SSE }

static const X86GdbReg x86_gdb_regs[] = {
    GPR("rax", R_EAX, "int64"), GPR("rbx", R_EBX, "int64"), GPR("rcx", R_ECX, "int64"),
    GPR("rdx", R_EDX, "int64"), GPR("rsi", R_ESI, "int64"), GPR("rdi", R_EDI, "int64"),
    GPR("rbp", R_EBP, "data_ptr"), GPR("rsp", R_ESP, "data_ptr"),
    GPR("r8", 8, "int64"), GPR("r9", 9, "int64"), GPR("r10", 10, "int64"),
    GPR("r11", 11, "int64"), GPR("r12", 12, "int64"), GPR("r13", 13, "int64"),
    GPR("r14", 14, "int64"), GPR("r15", 15, "int64"),
    { "rip", GREG_RIP, 0, 64, "code_ptr", F_CORE },
    { "eflags", GREG_EFLAGS, 0, 32, "i386_eflags", F_CORE },
    SEG("cs", R_CS), SEG("ss", R_SS), SEG("ds", R_DS), SEG("es", R_ES), SEG("fs", R_FS),
    SEG("gs", R_GS),
    ST(0), ST(1), ST(2), ST(3), ST(4), ST(5), ST(6), ST(7),
    X87("fctrl", GREG_FCTRL), X87("fstat", GREG_FSTAT), X87("ftag", GREG_FTAG),
    X87("fiseg", GREG_FISEG), X87("fioff", GREG_FIOFF), X87("foseg", GREG_FOSEG),
    X87("fooff", GREG_FOOFF), X87("fop", GREG_FOP),
    XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
    XMM(8), XMM(9), XMM(10), XMM(11), XMM(12), XMM(13), XMM(14), XMM(15),
    { "mxcsr", GREG_MXCSR, 0, 32, "i386_mxcsr", F_SSE },
    { "fs_base", GREG_SEG_BASE, R_FS, 64, "int", F_SEGS },
    { "gs_base", GREG_SEG_BASE, R_GS, 64, "int", F_SEGS },
    { "k_gs_base", GREG_KGS_BASE, 0, 64, "int", F_SYS },
    { "cr0", GREG_CR, 0, 64, "int", F_SYS },
    { "cr2", GREG_CR, 2, 64, "int", F_SYS },
    { "cr3", GREG_CR, 3, 64, "int", F_SYS },
    { "cr4", GREG_CR, 4, 64, "int", F_SYS },
    { "cr8", GREG_CR, 8, 64, "int", F_SYS },
    { "efer", GREG_EFER, 0, 64, "int", F_SYS },
};

#define X86_GDB_NUM_REGS (sizeof(x86_gdb_regs) / sizeof(x86_gdb_regs[0]))

/* Types gdb's own i386 descriptions define in the features that use them. */
static const char x86_gdb_core_types[] =
    "<flags id=\"i386_eflags\" size=\"4\">"
    "<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>"
    "<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>"
    "<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>"
    "<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>"
    "<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>"
    "<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>"
    "<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>"
    "<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>"
    "<field name=\"ID\" start=\"21\" end=\"21\"/></flags>";
static const char x86_gdb_sse_types[] =
    "<vector id=\"v8bf16\" type=\"bfloat16\" count=\"8\"/>"
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
    "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
    "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
    "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
    "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
    "<union id=\"vec128\"><field name=\"v8_bfloat16\" type=\"v8bf16\"/>"
    "<field name=\"v4_float\" type=\"v4f\"/><field name=\"v2_double\" type=\"v2d\"/>"
    "<field name=\"v16_int8\" type=\"v16i8\"/><field name=\"v8_int16\" type=\"v8i16\"/>"
    "<field name=\"v4_int32\" type=\"v4i32\"/><field name=\"v2_int64\" type=\"v2i64\"/>"
    "<field name=\"uint128\" type=\"uint128\"/></union>"
    "<flags id=\"i386_mxcsr\" size=\"4\">"
    "<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>"
    "<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>"
    "<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>"
    "<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>"
    "<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>"
    "<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>"
    "<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/>"
    "</flags>";

const char *x86_gdb_target_xml(void)
{
    static char *xml;   /* built once, by the main thread */
    const char *feature = NULL;
    GString *s;

    if (xml) {
        return xml;
    }
    s = g_string_new("<?xml version=\"1.0\"?>"
                     "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
                     "<target><architecture>i386:x86-64</architecture>");
    for (unsigned i = 0; i < X86_GDB_NUM_REGS; i++) {
        const X86GdbReg *r = &x86_gdb_regs[i];

        if (!feature || strcmp(feature, r->feature)) {
            if (feature) {
                g_string_append(s, "</feature>");
            }
            feature = r->feature;
            g_string_append_printf(s, "<feature name=\"%s\">", feature);
            if (!strcmp(feature, F_CORE)) {
                g_string_append(s, x86_gdb_core_types);
            } else if (!strcmp(feature, F_SSE)) {
                g_string_append(s, x86_gdb_sse_types);
            }
        }
        g_string_append_printf(s, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\"/>",
                               r->name, r->bits, r->type, i);
    }
    g_string_append(s, "</feature></target>");
    xml = g_string_free(s, false);
    return xml;
}

unsigned x86_gdb_num_regs(void)
{
    return X86_GDB_NUM_REGS;
}

/* The x87 tag word as FSTENV stores it: 11 (empty) or 00 (valid). */
static uint32_t x86_gdb_ftag(const CPUX86State *env)
{
    uint32_t tag = 0;

    for (int i = 0; i < 8; i++) {
        tag |= (env->fptags[i] ? 3u : 0u) << (2 * i);
    }
    return tag;
}

static uint64_t x86_gdb_read_value(CPUX86State *env, const X86GdbReg *r)
{
    switch (r->kind) {
    case GREG_GPR:      return env->regs[r->idx];
    case GREG_RIP:      return env->rip;
    case GREG_EFLAGS:   return cpu_compute_eflags(env);
    case GREG_SEG:      return env->segs[r->idx].selector;
    case GREG_SEG_BASE: return env->segs[r->idx].base;
    case GREG_KGS_BASE: return env->kernelgsbase;
    case GREG_CR:       return r->idx == 8 ? env->cr8 : env->cr[r->idx];
    case GREG_EFER:     return env->efer;
    case GREG_FCTRL:    return env->fpuc;
    case GREG_FSTAT:
        return (env->fpus & ~(7u << FPUS_TOP_SHIFT)) | (env->fpstt & 7) << FPUS_TOP_SHIFT;
    case GREG_FTAG:     return x86_gdb_ftag(env);
    case GREG_FISEG:    return env->fpcs;
    case GREG_FIOFF:    return env->fpip;
    case GREG_FOSEG:    return env->fpds;
    case GREG_FOOFF:    return env->fpdp;
    case GREG_FOP:      return env->fpop;
    case GREG_MXCSR:    return env->mxcsr;
    default:            return 0;   /* GREG_ST, GREG_XMM: not scalars */
    }
}

unsigned x86_gdb_read_register(CPUState *cs, unsigned n, uint8_t buf[X86_GDB_MAX_REG_BYTES])
{
    CPUX86State *env = cpu_env(cs);
    const X86GdbReg *r;
    uint64_t v;

    if (n >= X86_GDB_NUM_REGS) {
        return 0;
    }
    r = &x86_gdb_regs[n];
    if (r->kind == GREG_ST) {
        floatx80 f = env->fpregs[(env->fpstt + r->idx) & 7];

        memcpy(buf, &f.low, 8);
        memcpy(buf + 8, &f.high, 2);
        return 10;
    }
    if (r->kind == GREG_XMM) {
        memcpy(buf, env->xmm_regs[r->idx].b, 16);
        return 16;
    }
    v = x86_gdb_read_value(env, r);
    memcpy(buf, &v, r->bits / 8);   /* little-endian host and guest */
    return r->bits / 8;
}

/* A new selector: real and virtual-8086 mode load it as MOV to Sreg
 * would; in protected mode that needs a descriptor, so only the value it
 * already has is accepted (a 'G' packet writes every register). */
static int x86_gdb_write_segment(CPUX86State *env, int seg, uint32_t sel)
{
    SegmentCache *sc = &env->segs[seg];

    if (sel == sc->selector) {
        return 0;
    }
    if ((env->cr[0] & CR0_PE_MASK) && !(env->eflags & VM_MASK)) {
        return -EPERM;
    }
    sel &= 0xffff;
    cpu_x86_load_seg_cache(env, seg, sel, (uint64_t)sel << 4, sc->limit, sc->flags);
    return 0;
}

int x86_gdb_write_register(CPUState *cs, unsigned n, const uint8_t *buf, size_t len)
{
    CPUX86State *env = cpu_env(cs);
    const X86GdbReg *r;
    uint64_t v = 0;

    if (n >= X86_GDB_NUM_REGS || len != x86_gdb_regs[n].bits / 8) {
        return -EINVAL;
    }
    r = &x86_gdb_regs[n];
    if (r->kind == GREG_ST) {
        floatx80 *f = &env->fpregs[(env->fpstt + r->idx) & 7];

        memcpy(&f->low, buf, 8);
        memcpy(&f->high, buf + 8, 2);
        return 0;
    }
    if (r->kind == GREG_XMM) {
        memcpy(env->xmm_regs[r->idx].b, buf, 16);
        return 0;
    }
    memcpy(&v, buf, len);
    switch (r->kind) {
    case GREG_GPR:      env->regs[r->idx] = v; return 0;
    case GREG_RIP:      env->rip = v; return 0;
    case GREG_EFLAGS:
        /* the flags gdb may change; the mode bits (VM, IOPL) need more */
        cpu_load_eflags(env, v, CC_ALL | TF_MASK | IF_MASK | DF_MASK | NT_MASK | RF_MASK |
                                AC_MASK | ID_MASK);
        x86_update_hflags(env);
        return 0;
    case GREG_SEG:      return x86_gdb_write_segment(env, r->idx, (uint32_t)v);
    case GREG_SEG_BASE: env->segs[r->idx].base = v; return 0;
    case GREG_KGS_BASE: env->kernelgsbase = v; return 0;
    case GREG_FCTRL:    env->fpuc = (uint16_t)v; return 0;
    case GREG_FOP:      env->fpop = v & 0x7ff; return 0;
    default:
        /* control registers, EFER, MXCSR, x87 status and pointers: their
         * side effects (paging, rounding, TOP) are not modelled here;
         * writing back the value they hold is fine */
        return v == x86_gdb_read_value(env, r) ? 0 : -EPERM;
    }
}

void x86_gdb_set_pc(CPUState *cs, uint64_t addr)
{
    cpu_env(cs)->rip = addr;
}

int x86_gdb_rw_memory(CPUState *cs, uint64_t addr, uint8_t *buf, size_t len, bool write)
{
    CPUX86State *env = cpu_env(cs);

    while (len) {
        size_t chunk = MIN(len, TARGET_PAGE_SIZE - (addr & ~TARGET_PAGE_MASK));
        int64_t paddr = x86_cpu_get_phys_page_debug(env, addr);
        MemTxResult res;

        if (paddr < 0) {
            return -EFAULT;
        }
        res = write ? address_space_write(cs->as, (uint64_t)paddr, buf, chunk)
                    : address_space_read(cs->as, (uint64_t)paddr, buf, chunk);
        if (res != MEMTX_OK) {
            return -EFAULT;
        }
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return 0;
}
