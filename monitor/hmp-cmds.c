/*
 * hmp-cmds.c: the human monitor's commands (monitor/monitor.h).
 *
 * Two tables, one for the commands and one for "info" items; help lists
 * both.  A command gets the rest of its line and appends its output to a
 * GString; an error is one line ("x: ...") and changes nothing.  Commands
 * that read vCPU state are marked HMP_CPU: around them the vCPUs of a
 * running VM pause (vm_inspect_begin) and the accelerator brings its copy
 * of the registers into env (KVM keeps them in the kernel while running).
 *
 * Numbers and addresses are expressions: C numbers (0x1f, 017, 42),
 * registers ($rax, $eax, $pc, $eflags, $cr3, $cs, ...), ( ), unary -, and
 * * / % + - & | ^ with C's precedence, in 64-bit arithmetic.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "monitor/monitor-internal.h"
#include "monitor/hmp-mmu.h"
#include "accel/accel.h"
#include "hw/core/machine.h"
#include "hw/i386/pc.h"
#include "sysemu/runstate.h"
#include "target-x86/cpu.h"

#if __has_include("exec/gdbstub.h")
#include "exec/gdbstub.h"
#define HMP_HAVE_GDBSTUB 1
#endif

#include <capstone/capstone.h>
#include <ctype.h>

#define HMP_X_MAX_BYTES 65536    /* the most one x/xp shows */
#define HMP_STRING_MAX 256       /* x/s: the longest string shown */
#define HMP_X_MAX_ITEMS 1024     /* x/i, x/s: the most items at once */

static MachineState *hmp_ms;
static const AccelOps *hmp_ops;
static unsigned hmp_cpu_index;   /* the "cpu N" the commands look at */

typedef struct HMPCommand {
    const char *name;
    const char *alias;           /* NULL: none */
    const char *args;            /* for help */
    const char *help;
    unsigned flags;
    void (*fn)(const char *args, GString *out);
} HMPCommand;

#define HMP_CPU 1u               /* reads vCPU state */

void monitor_set_machine(MachineState *ms, const AccelOps *ops)
{
    hmp_ms = ms;
    hmp_ops = ops;
}

MachineState *hmp_machine(void)
{
    return hmp_ms;
}

static PCMachineState *hmp_pc(void)
{
    return hmp_ms ? hmp_ms->board : NULL;
}

static CPUState *hmp_cpu(void)
{
    return cpus_get(hmp_cpu_index);
}

static const char *skip_spaces(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

/* Run fn(f, opaque) and append what it printed to out. */
static void hmp_capture(GString *out, void (*fn)(FILE *f, void *opaque), void *opaque)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);

    if (!f) {
        g_string_append(out, "out of memory\n");
        return;
    }
    fn(f, opaque);
    fclose(f);
    g_string_append_len(out, buf, (gssize)size);
    free(buf);
}

/* ---- expressions ---------------------------------------------------------- */

typedef struct Expr {
    const char *p;
    const char *err;             /* the first error, NULL while fine */
} Expr;

static const char *const reg64_names[CPU_NB_REGS] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const reg32_names[8] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
};
static const char *const seg_names[NB_SEGS] = { "es", "cs", "ss", "ds", "fs", "gs" };

/* A register of the monitor's CPU by name (without '$'). */
static bool hmp_reg_value(const char *name, size_t len, uint64_t *val)
{
    CPUState *cs = hmp_cpu();
    CPUX86State *env;

    if (!cs) {
        return false;
    }
    env = cpu_env(cs);
#define IS(s) (len == strlen(s) && !strncmp(name, s, len))
    for (unsigned i = 0; i < CPU_NB_REGS; i++) {
        if (IS(reg64_names[i])) {
            *val = env->regs[i];
            return true;
        }
        if (i < 8 && IS(reg32_names[i])) {
            *val = (uint32_t)env->regs[i];
            return true;
        }
    }
    for (unsigned i = 0; i < NB_SEGS; i++) {
        if (IS(seg_names[i])) {
            *val = env->segs[i].selector;
            return true;
        }
    }
    if (IS("pc")) {
        *val = env->segs[R_CS].base + env->rip;    /* linear, as QEMU's $pc */
    } else if (IS("rip") || IS("eip")) {
        *val = env->rip;
    } else if (IS("eflags") || IS("rflags")) {
        *val = cpu_compute_eflags(env);
    } else if (IS("cr0") || IS("cr2") || IS("cr3") || IS("cr4")) {
        *val = env->cr[name[2] - '0'];
    } else if (IS("efer")) {
        *val = env->efer;
    } else {
        return false;
    }
#undef IS
    return true;
}

static uint64_t expr_or(Expr *e);

static uint64_t expr_fail(Expr *e, const char *why)
{
    if (!e->err) {
        e->err = why;
    }
    return 0;
}

static uint64_t expr_primary(Expr *e)
{
    uint64_t v;

    e->p = skip_spaces(e->p);
    if (*e->p == '(') {
        e->p++;
        v = expr_or(e);
        e->p = skip_spaces(e->p);
        if (*e->p != ')') {
            return expr_fail(e, "')' expected");
        }
        e->p++;
        return v;
    }
    if (*e->p == '-') {
        e->p++;
        return -expr_primary(e);
    }
    if (*e->p == '+') {
        e->p++;
        return expr_primary(e);
    }
    if (*e->p == '$') {
        const char *name = ++e->p;

        while (isalnum((unsigned char)*e->p)) {
            e->p++;
        }
        if (!hmp_reg_value(name, (size_t)(e->p - name), &v)) {
            return expr_fail(e, "unknown register");
        }
        return v;
    }
    if (isdigit((unsigned char)*e->p)) {
        char *end;

        errno = 0;
        v = strtoull(e->p, &end, 0);
        if (errno || isalnum((unsigned char)*end)) {
            return expr_fail(e, "invalid number");
        }
        e->p = end;
        return v;
    }
    return expr_fail(e, *e->p ? "invalid char in expression" : "expression expected");
}

static uint64_t expr_mul(Expr *e)
{
    uint64_t v = expr_primary(e);

    for (;;) {
        char op = *(e->p = skip_spaces(e->p));
        uint64_t r;

        if (op != '*' && op != '/' && op != '%') {
            return v;
        }
        e->p++;
        r = expr_primary(e);
        if (op == '*') {
            v *= r;
        } else if (r == 0) {
            return expr_fail(e, "division by zero");
        } else {
            v = op == '/' ? v / r : v % r;
        }
    }
}

static uint64_t expr_add(Expr *e)
{
    uint64_t v = expr_mul(e);

    for (;;) {
        char op = *(e->p = skip_spaces(e->p));

        if (op != '+' && op != '-') {
            return v;
        }
        e->p++;
        v = op == '+' ? v + expr_mul(e) : v - expr_mul(e);
    }
}

static uint64_t expr_or(Expr *e)
{
    uint64_t v = expr_add(e);

    for (;;) {
        char op = *(e->p = skip_spaces(e->p));

        if (op != '&' && op != '|' && op != '^') {
            return v;
        }
        e->p++;
        uint64_t r = expr_add(e);
        v = op == '&' ? v & r : op == '|' ? v | r : v ^ r;
    }
}

/* The whole of args as one expression; false with an error line in out. */
static bool hmp_eval(const char *cmd, const char *args, uint64_t *val, GString *out)
{
    Expr e = { args, NULL };

    *val = expr_or(&e);
    if (!e.err && *skip_spaces(e.p)) {
        e.err = "junk after the expression";
    }
    if (e.err) {
        g_string_append_printf(out, "%s: %s\n", cmd, e.err);
        return false;
    }
    return true;
}

/* ---- /fmt --------------------------------------------------------------- */

typedef struct HMPFormat {
    unsigned count;
    char format;                 /* x d u o c i s */
    unsigned size;               /* 1 2 4 8 */
} HMPFormat;

/* Parse an optional "/[count][format][size]" at *args. */
static bool hmp_parse_format(const char *cmd, const char **args, HMPFormat *f,
                             char default_format, GString *out)
{
    const char *p = skip_spaces(*args);
    bool size_given = false;

    *f = (HMPFormat){ 1, default_format, 4 };
    if (*p != '/') {
        *args = p;
        return true;
    }
    p++;
    if (isdigit((unsigned char)*p)) {
        unsigned long n = strtoul(p, (char **)&p, 10);

        if (n == 0 || n > HMP_X_MAX_BYTES) {
            g_string_append_printf(out, "%s: count must be 1 to %d\n", cmd, HMP_X_MAX_BYTES);
            return false;
        }
        f->count = (unsigned)n;
    }
    for (; *p && *p != ' ' && *p != '\t'; p++) {
        switch (*p) {
        case 'x': case 'd': case 'u': case 'o': case 'c': case 'i': case 's':
            f->format = *p;
            break;
        case 'b': f->size = 1; size_given = true; break;
        case 'h': f->size = 2; size_given = true; break;
        case 'w': f->size = 4; size_given = true; break;
        case 'g': f->size = 8; size_given = true; break;
        default:
            g_string_append_printf(out, "%s: invalid char in format: '%c'\n", cmd,
                                   isprint((unsigned char)*p) ? *p : '?');
            return false;
        }
    }
    if (f->format == 'c' || (f->format == 's' && !size_given)) {
        f->size = 1;
    }
    *args = skip_spaces(p);
    return true;
}

/* ---- memory dumps (x, xp) ------------------------------------------------- */

static bool hmp_read(bool virt, uint64_t addr, uint8_t *buf, size_t len)
{
    if (virt) {
        return hmp_mmu_read_virtual(hmp_cpu(), addr, buf, len);
    }
    return address_space_read(&hmp_ms->address_space_memory, addr, buf, len) == MEMTX_OK;
}

static void hmp_print_value(GString *out, char format, unsigned size, uint64_t v)
{
    unsigned bits = size * 8;
    int64_t sv = bits == 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);

    switch (format) {
    case 'd':
        g_string_append_printf(out, " %" PRId64, sv);
        break;
    case 'u':
        g_string_append_printf(out, " %" PRIu64, v);
        break;
    case 'o':
        g_string_append_printf(out, " %#" PRIo64, v);
        break;
    case 'c':
        if (isprint((int)v) && v != '\'' && v != '\\') {
            g_string_append_printf(out, " '%c'", (int)v);
        } else {
            g_string_append_printf(out, " '\\x%02x'", (unsigned)v);
        }
        break;
    default:
        g_string_append_printf(out, " 0x%0*" PRIx64, (int)size * 2, v);
        break;
    }
}

static void hmp_dump_disas(bool virt, uint64_t addr, unsigned count, GString *out)
{
    CPUState *cs = hmp_cpu();
    uint32_t hf = cs ? cpu_env(cs)->hflags : 0;
    cs_mode mode = hf & HF_CS64_MASK ? CS_MODE_64 : hf & HF_CS32_MASK ? CS_MODE_32 : CS_MODE_16;
    csh handle;

    if (cs_open(CS_ARCH_X86, mode, &handle) != CS_ERR_OK) {
        g_string_append(out, "x: the disassembler is not available\n");
        return;
    }
    cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    for (unsigned n = 0; n < count; n++) {
        uint8_t code[16];
        cs_insn *insn;

        if (!hmp_read(virt, addr, code, sizeof(code))) {
            g_string_append_printf(out, "0x%016" PRIx64 ": Cannot access memory\n", addr);
            break;
        }
        if (cs_disasm(handle, code, sizeof(code), addr, 1, &insn) != 1) {
            g_string_append_printf(out, "0x%016" PRIx64 ":  %02x                       (bad)\n",
                                   addr, code[0]);
            addr++;
            continue;
        }
        g_string_append_printf(out, "0x%016" PRIx64 ": ", addr);
        for (unsigned i = 0; i < 8; i++) {
            if (i < insn->size) {
                g_string_append_printf(out, " %02x", insn->bytes[i]);
            } else {
                g_string_append(out, "   ");
            }
        }
        g_string_append_printf(out, "  %-8s %s\n", insn->mnemonic, insn->op_str);
        addr += insn->size;
        cs_free(insn, 1);
    }
    cs_close(&handle);
}

static void hmp_dump_strings(bool virt, uint64_t addr, unsigned count, GString *out)
{
    for (unsigned n = 0; n < count; n++) {
        uint8_t c;
        unsigned len = 0;

        g_string_append_printf(out, "%016" PRIx64 ": \"", addr);
        for (; len < HMP_STRING_MAX; len++) {
            if (!hmp_read(virt, addr + len, &c, 1)) {
                g_string_append(out, "\" <cannot access memory>\n");
                return;
            }
            if (c == 0) {
                break;
            }
            if (isprint(c) && c != '"' && c != '\\') {
                g_string_append_c(out, (char)c);
            } else {
                g_string_append_printf(out, "\\x%02x", c);
            }
        }
        g_string_append(out, len == HMP_STRING_MAX ? "\"...\n" : "\"\n");
        addr += len + 1;
    }
}

static void hmp_memory_dump(const char *cmd, bool virt, const char *args, GString *out)
{
    HMPFormat f;
    uint64_t addr;
    unsigned line_bytes;
    uint8_t buf[16];

    if (!hmp_parse_format(cmd, &args, &f, 'x', out)) {
        return;
    }
    if (!*args) {
        g_string_append_printf(out, "%s: address expected\n", cmd);
        return;
    }
    if (!hmp_eval(cmd, args, &addr, out)) {
        return;
    }
    if ((f.format == 'i' || f.format == 's') && f.count > HMP_X_MAX_ITEMS) {
        g_string_append_printf(out, "%s: at most %d instructions or strings at once\n", cmd,
                               HMP_X_MAX_ITEMS);
        return;
    }
    if (f.format == 'i') {
        hmp_dump_disas(virt, addr, f.count, out);
        return;
    }
    if (f.format == 's') {
        hmp_dump_strings(virt, addr, f.count, out);
        return;
    }
    if ((uint64_t)f.count * f.size > HMP_X_MAX_BYTES) {
        g_string_append_printf(out, "%s: at most %d bytes at once\n", cmd, HMP_X_MAX_BYTES);
        return;
    }
    line_bytes = f.size == 1 ? 8 : 16;         /* as QEMU */
    for (unsigned done = 0, total = f.count * f.size; done < total;) {
        unsigned n = MIN(line_bytes, total - done);

        if (!hmp_read(virt, addr + done, buf, n)) {
            g_string_append_printf(out, "%016" PRIx64 ": Cannot access memory\n", addr + done);
            return;
        }
        g_string_append_printf(out, "%016" PRIx64 ":", addr + done);
        for (unsigned i = 0; i < n; i += f.size) {
            uint64_t v = 0;

            memcpy(&v, buf + i, f.size);             /* little-endian host */
            hmp_print_value(out, f.format, f.size, v);
        }
        g_string_append_c(out, '\n');
        done += n;
    }
}

static void hmp_x(const char *args, GString *out)
{
    hmp_memory_dump("x", true, args, out);
}

static void hmp_xp(const char *args, GString *out)
{
    hmp_memory_dump("xp", false, args, out);
}

static void hmp_print(const char *args, GString *out)
{
    HMPFormat f;
    uint64_t v;

    if (!hmp_parse_format("print", &args, &f, 'd', out)) {
        return;
    }
    if (!hmp_eval("print", args, &v, out)) {
        return;
    }
    if (f.format == 'i' || f.format == 's') {
        g_string_append_printf(out, "print: format '%c' is for x and xp\n", f.format);
        return;
    }
    if (f.format == 'x') {
        g_string_append_printf(out, "%#" PRIx64 "\n", v);
        return;
    }
    GString *text = g_string_new(NULL);

    hmp_print_value(text, f.format, f.format == 'c' ? 1 : 8, v);
    g_string_append_printf(out, "%s\n", text->str + 1);     /* without the leading blank */
    g_string_free(text, true);
}

/* ---- run state ---------------------------------------------------------- */

static void hmp_stop(const char *args, GString *out)
{
    vm_stop();
}

static void hmp_cont(const char *args, GString *out)
{
    if (runstate_shutdown_requested()) {
        g_string_append(out, "cont: the VM is shutting down\n");
        return;
    }
    vm_start();
}

static void hmp_system_reset(const char *args, GString *out)
{
    runstate_request_reset();
}

static void hmp_system_powerdown(const char *args, GString *out)
{
    PCMachineState *pcms = hmp_pc();

    if (!pcms || !pcms->acpi_pm) {
        g_string_append(out, "system_powerdown: this machine has no ACPI power button\n");
        return;
    }
    acpi_pm_power_button(pcms->acpi_pm);
}

static void hmp_quit(const char *args, GString *out)
{
    runstate_request_shutdown(0);
}

static void hmp_cpu_select(const char *args, GString *out)
{
    uint64_t n;

    if (!*args) {
        g_string_append(out, "cpu: CPU index expected\n");
        return;
    }
    if (!hmp_eval("cpu", args, &n, out)) {
        return;
    }
    if (n >= cpus_count()) {
        g_string_append_printf(out, "cpu: invalid CPU index (0 to %u)\n", cpus_count() - 1);
        return;
    }
    hmp_cpu_index = (unsigned)n;
}

static void hmp_gdbserver(const char *args, GString *out)
{
    const char *dev = *args ? args : "tcp::1234";

#ifdef HMP_HAVE_GDBSTUB
    Error *err = NULL;

    if (gdbserver_start(dev, hmp_ops, &err) < 0) {
        g_string_append_printf(out, "gdbserver: %s\n", error_get_pretty(err));
        error_free(err);
        return;
    }
    g_string_append_printf(out, "Waiting for gdb connection on device '%s'\n", dev);
#else
    g_string_append_printf(out, "gdbserver: no gdbstub in this build (%s)\n", dev);
#endif
}

static void dump_log_items(FILE *f, void *opaque)
{
    log_list_items(f);
}

static void hmp_log(const char *args, GString *out)
{
    Error *err = NULL;

    if (!*args) {
        g_string_append(out, "log: items expected (log help lists them)\n");
        return;
    }
    if (!strcmp(args, "help")) {
        hmp_capture(out, dump_log_items, NULL);
        return;
    }
    if (!strcmp(args, "none")) {
        tern_log_mask = 0;       /* as QEMU's "log none" */
        return;
    }
    if (log_set_items(args, &err) < 0) {
        g_string_append_printf(out, "log: %s\n", error_get_pretty(err));
        error_free(err);
    }
}

/* ---- info --------------------------------------------------------------- */

static void info_status(const char *args, GString *out)
{
    const char *name = runstate_name();

    g_string_append_printf(out, "VM status: %s\n",
                           !strcmp(name, "shutdown") ? "paused (shutdown)" : name);
}

static void info_version(const char *args, GString *out)
{
    g_string_append(out, TERN_VERSION "\n");
}

static void dump_cpu(FILE *f, void *opaque)
{
    x86_cpu_dump_state(opaque, f);
}

static void info_registers(const char *args, GString *out)
{
    bool all = !strcmp(args, "-a");

    if (*args && !all) {
        g_string_append(out, "info registers: only -a (all CPUs) is known\n");
        return;
    }
    for (unsigned i = 0; i < cpus_count(); i++) {
        if (all || i == hmp_cpu_index) {
            g_string_append_printf(out, "\nCPU#%u\n", i);
            hmp_capture(out, dump_cpu, cpus_get(i));
        }
    }
}

static void info_cpus(const char *args, GString *out)
{
    for (unsigned i = 0; i < cpus_count(); i++) {
        CPUState *cs = cpus_get(i);
        CPUX86State *env = cpu_env(cs);

        g_string_append_printf(out, "%c CPU #%u: pc=0x%016" PRIx64 "%s\n",
                               i == hmp_cpu_index ? '*' : ' ', i,
                               env->segs[R_CS].base + env->rip, cs->halted ? " (halted)" : "");
    }
}

static void info_tlb(const char *args, GString *out)
{
    hmp_mmu_info_tlb(hmp_cpu(), out);
}

static void info_mem(const char *args, GString *out)
{
    hmp_mmu_info_mem(hmp_cpu(), out);
}

static void dump_mtree(FILE *f, void *opaque)
{
    fprintf(f, "address-space: memory\n");
    memory_region_print_tree(f, hmp_ms->system_memory);
    fprintf(f, "\naddress-space: I/O\n");
    memory_region_print_tree(f, hmp_ms->system_io);
}

static void info_mtree(const char *args, GString *out)
{
    hmp_capture(out, dump_mtree, NULL);
}

static void info_pci(const char *args, GString *out)
{
    PCMachineState *pcms = hmp_pc();

    for (unsigned devfn = 0; pcms && pcms->pci_bus && devfn < PCI_DEVFN_MAX; devfn++) {
        PCIDevice *d = pcms->pci_bus->devices[devfn];

        if (!d) {
            continue;
        }
        g_string_append_printf(out, "  Bus  0, device %3u, function %u:\n", PCI_SLOT(devfn),
                               PCI_FUNC(devfn));
        g_string_append_printf(out, "    Class %04x: PCI device %04x:%04x\n",
                               pci_get_word(d->config + PCI_CLASS_DEVICE),
                               pci_get_word(d->config + PCI_VENDOR_ID),
                               pci_get_word(d->config + PCI_DEVICE_ID));
        if (d->config[PCI_INTERRUPT_PIN]) {
            g_string_append_printf(out, "      IRQ %u, pin %c\n", d->config[PCI_INTERRUPT_LINE],
                                   'A' + d->config[PCI_INTERRUPT_PIN] - 1);
        }
        for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
            const PCIBar *b = &d->bars[i];

            if (!b->size) {
                continue;
            }
            g_string_append_printf(out, "      BAR%u: %s at 0x%" PRIx64 " [size 0x%" PRIx64 "]\n",
                                   i, b->type & PCI_BASE_ADDRESS_SPACE_IO ? "I/O" : "memory",
                                   b->addr == PCI_BAR_UNMAPPED ? 0 : b->addr, b->size);
        }
        g_string_append_printf(out, "      id \"%s\"\n", d->name ? d->name : "");
    }
}

static void info_irq(const char *args, GString *out)
{
    PCMachineState *pcms = hmp_pc();

    if (!pcms || pcms->irqchip) {
        g_string_append(out, "info irq: the interrupt controllers are the accelerator's "
                             "(KVM's in-kernel irqchip)\n");
        return;
    }
    for (unsigned i = 0; i < 2; i++) {
        I8259State *pic = pcms->pic[i];

        if (pic) {
            g_string_append_printf(out, "pic%u (%s): irr=%02x imr=%02x isr=%02x\n", i,
                                   i ? "slave, IRQ 8-15" : "master, IRQ 0-7",
                                   pic->irr, pic->imr, pic->isr);
        }
    }
    if (pcms->ioapic) {
        g_string_append_printf(out, "ioapic: irr=%06x\n", pcms->ioapic->irr);
    }
}

static void info_roms(const char *args, GString *out)
{
    PCMachineState *pcms = hmp_pc();

    if (hmp_ms->bios_filename && pcms) {
        g_string_append_printf(out, "addr=%016" PRIx64 " size=0x%06" PRIx64 " mem=rom name=\"%s\"\n",
                               (uint64_t)0x100000000ull - pcms->bios.size, pcms->bios.size,
                               hmp_ms->bios_filename);
    }
    if (hmp_ms->kernel_filename) {
        g_string_append_printf(out, "kernel name=\"%s\"\n", hmp_ms->kernel_filename);
    }
    if (hmp_ms->initrd_filename) {
        g_string_append_printf(out, "initrd name=\"%s\"\n", hmp_ms->initrd_filename);
    }
}

/* Where drive d is attached: its if=, or the -device that claimed it. */
static void info_block_attached(const DriveTable *t, const DriveInfo *d, GString *out)
{
    int bus = d->bus, unit = d->unit;
    bool ide = d->iface == DRIVE_IF_IDE, cd = d->media == DRIVE_MEDIA_CDROM;

    for (unsigned i = 0; d->iface == DRIVE_IF_NONE && i < t->device_count; i++) {
        const DriveDevice *dev = &t->devices[i];

        if (dev->drive == d) {
            ide = dev->kind != DRIVE_DEVICE_VIRTIO_BLK;
            cd = dev->kind == DRIVE_DEVICE_IDE_CD;
            bus = dev->bus;
            unit = dev->unit;
        }
    }
    g_string_append(out, "    Attached to:      ");
    if (!d->claimed) {
        g_string_append(out, "nothing (no -device uses it)\n");
    } else if (ide) {
        g_string_append_printf(out, "IDE bus %d unit %d (%s)\n", bus, unit, cd ? "CD-ROM" : "disk");
    } else {
        g_string_append(out, "virtio-blk-pci\n");
    }
}

/* QEMU's layout: "ID: FILE (raw[, read-only])", then where the drive is
 * attached and its cache mode; a CD-ROM drive without a disc is
 * "[not inserted]". */
static void info_block(const char *args, GString *out)
{
    DriveTable *t = hmp_ms->drives;

    for (unsigned i = 0; t && i < t->count; i++) {
        const DriveInfo *d = &t->drives[i];
        const BlockBackend *blk = d->blk;

        if (i) {
            g_string_append_c(out, '\n');
        }
        if (!blk) {
            g_string_append_printf(out, "%s: [not inserted]\n", d->id);
        } else {
            g_string_append_printf(out, "%s: %s (raw%s%s)\n", d->id, blk_filename(blk),
                                   blk_is_read_only(blk) ? ", read-only" : "",
                                   blk_is_snapshot(blk) ? ", snapshot" : "");
        }
        info_block_attached(t, d, out);
        if (blk) {
            g_string_append_printf(out, "    Cache mode:       %s\n",
                                   option_drive_cache_name(blk_cache_mode(blk)));
        }
    }
}

static void info_chardev_defined(void *opaque, const Chardev *chr)
{
    g_string_append_printf(opaque, "%s: filename=%s\n", chardev_id(chr), chardev_filename(chr));
}

static void info_chardev(const char *args, GString *out)
{
    PCMachineState *pcms = hmp_ms->board;

    if (pcms && pcms->serial_chr && !chardev_id(pcms->serial_chr)) {
        g_string_append_printf(out, "serial0: filename=%s\n", chardev_filename(pcms->serial_chr));
    }
    monitor_info_chardev(out);
    chardev_foreach_defined(info_chardev_defined, out);
}

static void hmp_info(const char *args, GString *out);
static void hmp_help(const char *args, GString *out);

static const HMPCommand info_table[] = {
    { "block", NULL, "", "show the block devices", 0, info_block },
    { "chardev", NULL, "", "show the character devices", 0, info_chardev },
    { "cpus", NULL, "", "show the CPUs", HMP_CPU, info_cpus },
    { "irq", NULL, "", "show the interrupt controllers' pending and masked lines", 0, info_irq },
    { "mem", NULL, "", "show the active virtual memory mappings", HMP_CPU, info_mem },
    { "mtree", NULL, "", "show the memory tree", 0, info_mtree },
    { "pci", NULL, "", "show the PCI devices", 0, info_pci },
    { "registers", NULL, "[-a]", "show the CPU registers (-a: of all CPUs)", HMP_CPU, info_registers },
    { "roms", NULL, "", "show the firmware and boot images", 0, info_roms },
    { "status", NULL, "", "show the VM's run state", 0, info_status },
    { "tlb", NULL, "", "show the page table mappings", HMP_CPU, info_tlb },
    { "version", NULL, "", "show the version of tern", 0, info_version },
};

static const HMPCommand hmp_table[] = {
    { "cont", "c", "", "resume the VM", 0, hmp_cont },
    { "cpu", NULL, "index", "set the CPU the other commands look at", 0, hmp_cpu_select },
    { "gdbserver", NULL, "[device]", "start the gdbstub on device (default tcp::1234)", 0,
      hmp_gdbserver },
    { "help", "?", "[cmd]", "show the help", 0, hmp_help },
    { "info", NULL, "[subcommand]", "show the state of the system", 0, hmp_info },
    { "log", NULL, "item1[,...]", "enable debug log items (log help lists them, none: off)", 0,
      hmp_log },
    { "print", "p", "/fmt expr", "print an expression's value ($reg for registers)", HMP_CPU,
      hmp_print },
    { "quit", "q", "", "quit tern", 0, hmp_quit },
    { "stop", NULL, "", "stop the VM", 0, hmp_stop },
    { "system_powerdown", NULL, "", "press the ACPI power button", 0, hmp_system_powerdown },
    { "system_reset", NULL, "", "reset the system", 0, hmp_system_reset },
    { "x", NULL, "/fmt addr", "dump virtual memory (fmt: count, x d u o c i s, b h w g)", HMP_CPU,
      hmp_x },
    { "xp", NULL, "/fmt addr", "dump physical memory (fmt as for x)", HMP_CPU, hmp_xp },
};

static const HMPCommand *hmp_find(const HMPCommand *table, size_t n, const char *name,
                                  size_t len)
{
    for (size_t i = 0; i < n; i++) {
        const HMPCommand *c = &table[i];

        if ((strlen(c->name) == len && !strncmp(c->name, name, len)) ||
            (c->alias && strlen(c->alias) == len && !strncmp(c->alias, name, len))) {
            return c;
        }
    }
    return NULL;
}

static void hmp_help_list(const char *prefix, const HMPCommand *table, size_t n, GString *out)
{
    for (size_t i = 0; i < n; i++) {
        const HMPCommand *c = &table[i];

        g_string_append_printf(out, "%s%s%s%s%s%s -- %s\n", prefix, c->name,
                               c->alias ? "|" : "", c->alias ? c->alias : "",
                               *c->args ? " " : "", c->args, c->help);
    }
}

static void hmp_help(const char *args, GString *out)
{
    const HMPCommand *c;

    if (!*args) {
        hmp_help_list("", hmp_table, ARRAY_SIZE(hmp_table), out);
        return;
    }
    if (!strcmp(args, "info")) {
        hmp_help_list("info ", info_table, ARRAY_SIZE(info_table), out);
        return;
    }
    c = hmp_find(hmp_table, ARRAY_SIZE(hmp_table), args, strlen(args));
    if (!c) {
        g_string_append_printf(out, "help: unknown command: '%s'\n", args);
        return;
    }
    hmp_help_list("", c, 1, out);
}

/* Run c with args, with the vCPUs paused and synchronised if it reads them. */
static void hmp_dispatch(const HMPCommand *c, const char *args, GString *out)
{
    bool paused = false;

    if ((c->flags & HMP_CPU) && hmp_ms) {
        paused = vm_inspect_begin();
        for (unsigned i = 0; hmp_ops && i < cpus_count(); i++) {
            hmp_ops->synchronize_state(cpus_get(i));
        }
    }
    c->fn(args, out);
    vm_inspect_end(paused);
}

static void hmp_info(const char *args, GString *out)
{
    size_t len = strcspn(args, " \t");
    const HMPCommand *c;

    if (!len) {
        hmp_help_list("info ", info_table, ARRAY_SIZE(info_table), out);
        return;
    }
    c = hmp_find(info_table, ARRAY_SIZE(info_table), args, len);
    if (!c) {
        g_string_append_printf(out, "unknown command: 'info %.*s'\n", (int)MIN(len, 64), args);
        return;
    }
    hmp_dispatch(c, skip_spaces(args + len), out);
}

void monitor_run_command(const char *line, GString *out)
{
    const char *p = skip_spaces(line);
    size_t len = strcspn(p, " \t/");
    const HMPCommand *c;
    char *args;

    if (!len && *p != '/') {
        return;                  /* an empty line */
    }
    c = hmp_find(hmp_table, ARRAY_SIZE(hmp_table), p, len);
    if (!c) {
        g_string_append_printf(out, "unknown command: '%.*s'\n", (int)MIN(len, 64), p);
        return;
    }
    if (!hmp_ms && c->fn != hmp_help && c->fn != hmp_log) {
        g_string_append_printf(out, "%s: no machine yet\n", c->name);
        return;
    }
    /* the arguments without trailing blanks */
    args = g_strdup(skip_spaces(p + len));
    g_strchomp(args);
    if (c->fn == hmp_info) {
        hmp_info(args, out);     /* each item says whether it reads vCPUs */
    } else {
        hmp_dispatch(c, args, out);
    }
    g_free(args);
}
