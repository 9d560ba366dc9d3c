/*
 * shadow.c: the compare engine's shadow: a second TCG CPU that runs the
 * guest in a copy of its RAM and gets everything else from the log.
 *
 * Its memory map mirrors the machine's region tree, region by region, so
 * that both flatten to the same ranges and split accesses the same way:
 * RAM regions become copies (filled by compare_shadow_sync), device
 * regions become replay regions with the device's access sizes, whose
 * callbacks do nothing: the shadow's replay hook (set around its step)
 * sees every access first, returns the reference's logged value for a
 * read and compares a write with the reference's instead of performing
 * it.  The same hook hands out the logged TSC, RDRAND, MSR, CR8 values
 * and interrupt vectors.  Any access or value asked for that the log does
 * not hold next is a divergence (compare_note).
 *
 * The mirror is taken once: a memory map that changes later (PCI BARs,
 * PAM) is not followed yet (docs/compare.md).
 */
#include "util/osdep.h"
#include "util/error.h"
#include "sysemu/runstate.h"
#include "accel/compare/compare.h"
#include "accel/tcg/internal.h"
#include "util/write-undo.h"

typedef struct ReplayRegion {
    MemoryRegion mr;
    MemoryRegionOps ops;       /* the device's access sizes, our callbacks */
    MemoryRegion *orig;
} ReplayRegion;

static uint64_t replay_region_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;                  /* the hook returned the logged value */
}

static void replay_region_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

/* ---- the mirrored memory map ------------------------------------------ */

static MemoryRegion *mirror_find(CompareShadow *sh, const MemoryRegion *orig)
{
    for (size_t i = 0; i < sh->nr_mirror; i++) {
        if (sh->mirror_orig[i] == orig) {
            return sh->mirror_copy[i];
        }
    }
    return NULL;
}

static void mirror_add(CompareShadow *sh, MemoryRegion *orig, MemoryRegion *copy)
{
    if (sh->nr_mirror == sh->cap_mirror) {
        sh->cap_mirror = sh->cap_mirror ? 2 * sh->cap_mirror : 64;
        sh->mirror_orig = realloc(sh->mirror_orig, sh->cap_mirror * sizeof(*sh->mirror_orig));
        sh->mirror_copy = realloc(sh->mirror_copy, sh->cap_mirror * sizeof(*sh->mirror_copy));
        assert(sh->mirror_orig && sh->mirror_copy);
    }
    sh->mirror_orig[sh->nr_mirror] = orig;
    sh->mirror_copy[sh->nr_mirror++] = copy;
}

static MemoryRegion *mirror(CompareShadow *sh, MemoryRegion *mr, Error **errp)
{
    MemoryRegion *m = mirror_find(sh, mr);

    if (m) {
        return m;              /* a region aliased more than once */
    }
    switch (mr->type) {
    case MR_RAM:
        m = tern_malloc0(sizeof(*m));
        if (memory_region_init_ram(m, mr->name, mr->size, errp) < 0) {
            free(m);
            return NULL;
        }
        sh->ram = realloc(sh->ram, (sh->nr_ram + 1) * sizeof(*sh->ram));
        assert(sh->ram);
        sh->ram[sh->nr_ram++] = (ShadowRam){ mr, m };
        break;
    case MR_IO: {
        ReplayRegion *rr = tern_malloc0(sizeof(*rr));

        rr->orig = mr;
        rr->ops.read = replay_region_read;
        rr->ops.write = replay_region_write;
        rr->ops.valid = mr->ops->valid;
        rr->ops.impl = mr->ops->impl;
        memory_region_init_io(&rr->mr, &rr->ops, rr, mr->name, mr->size);
        m = &rr->mr;
        break;
    }
    case MR_ALIAS: {
        MemoryRegion *target = mirror(sh, mr->alias, errp);

        if (!target) {
            return NULL;
        }
        m = tern_malloc0(sizeof(*m));
        memory_region_init_alias(m, mr->name, target, mr->alias_offset, mr->size);
        break;
    }
    case MR_CONTAINER:
        m = tern_malloc0(sizeof(*m));
        memory_region_init_container(m, mr->name, mr->size);
        /* in (priority, insertion) order: the copies tie-break the same way */
        for (unsigned i = 0; i < mr->nr_subregions; i++) {
            MemoryRegion *sub = mr->subregions[i];
            MemoryRegion *c = mirror(sh, sub, errp);

            if (!c) {
                return NULL;
            }
            memory_region_add_subregion_overlap(m, sub->addr, c, sub->priority);
        }
        break;
    }
    mirror_add(sh, mr, m);
    if (mr->readonly) {
        memory_region_set_readonly(m, true);
    }
    if (!mr->enabled) {
        memory_region_set_enabled(m, false);
    }
    return m;
}

/* ---- replaying the log -------------------------------------------------- */

static const char *const replay_kind_name[REPLAY_NR_KINDS] = {
    [REPLAY_IO_READ] = "read", [REPLAY_IO_WRITE] = "wrote",
    [REPLAY_IRQ] = "took an interrupt", [REPLAY_NMI] = "took an NMI",
    [REPLAY_TSC] = "read the TSC", [REPLAY_RAND] = "read RDRAND/RDSEED",
    [REPLAY_MSR] = "read an MSR", [REPLAY_CR8] = "read CR8",
    [REPLAY_MSR_WRITE] = "wrote an MSR", [REPLAY_MSR_OK] = "completed WRMSR",
    [REPLAY_CPUID] = "ran CPUID",
};

void compare_describe_event(CompareShadow *sh, const CompareEvent *e, char *buf, size_t len)
{
    char where[96];

    switch (e->kind) {
    case REPLAY_IO_READ:
    case REPLAY_IO_WRITE:
        compare_describe_io(sh, e->obj, e->key, where, sizeof(where));
        snprintf(buf, len, "%s %s (%u bytes, value 0x%" PRIx64 ")", replay_kind_name[e->kind],
                 where, e->size, e->val);
        break;
    case REPLAY_MSR:
        snprintf(buf, len, "read MSR 0x%" PRIx64, e->key);
        break;
    case REPLAY_MSR_WRITE:
        snprintf(buf, len, "wrote 0x%" PRIx64 " to MSR 0x%" PRIx64, e->val, e->key);
        break;
    case REPLAY_CPUID:
        snprintf(buf, len, "ran CPUID 0x%x.%u (EBX:EAX or EDX:ECX 0x%" PRIx64 ")",
                 (uint32_t)e->key, (uint32_t)(e->key >> 32), e->val);
        break;
    default:
        snprintf(buf, len, "%s", replay_kind_name[e->kind]);
        break;
    }
}

static uint64_t shadow_value(ReplayHook *h, ReplayKind kind, const void *obj, uint64_t key,
                             unsigned size, uint64_t val)
{
    CompareShadow *sh = container_of(h, CompareShadow, hook);
    CompareLog *log = sh->log;
    CompareEvent mine = { kind, size, obj, key, val };
    char a[160], b[160];

    if (kind == REPLAY_IO_READ || kind == REPLAY_IO_WRITE) {
        mine.obj = compare_shadow_orig(obj);
    }
    if (sh->free_run && kind == REPLAY_IRQ) {
        /* an interrupt the reference holds can be taken here: stop */
        sh->window = true;
        __atomic_store_n(&sh->cpu->parent.exit_request, 1, __ATOMIC_RELEASE);
        return (uint64_t)-1;
    }
    if (log->next == log->n && sh->refill) {
        sh->refill(sh, kind);
    }
    if (log->next == log->n) {
        compare_describe_event(sh, &mine, a, sizeof(a));
        compare_note(sh->report, "events: the shadow %s; the reference did not", a);
        return val;
    }
    const CompareEvent *e = &log->ev[log->next];
    if (e->kind != kind || e->obj != mine.obj || e->key != key || e->size != size) {
        compare_describe_event(sh, &mine, a, sizeof(a));
        compare_describe_event(sh, e, b, sizeof(b));
        compare_note(sh->report, "events: the shadow %s; the reference %s", a, b);
        return val;
    }
    log->next++;
    if (sh->free_run && log->next == log->n) {
        /* the reference is at this instruction: stop right after it
         * (device accesses come from blocks of one instruction, outside
         * reads end theirs) and compare */
        __atomic_store_n(&sh->cpu->parent.exit_request, 1, __ATOMIC_RELEASE);
    }
    if (kind == REPLAY_IO_WRITE || kind == REPLAY_MSR_WRITE) {
        if (e->val != val) {
            compare_describe_event(sh, &mine, a, sizeof(a));
            compare_describe_event(sh, e, b, sizeof(b));
            compare_note(sh->report, "events: the shadow %s; the reference %s", a, b);
        }
        return val;
    }
    return e->val;
}

const void *compare_shadow_orig(const void *region)
{
    return ((const ReplayRegion *)((const MemoryRegion *)region)->opaque)->orig;
}

/* The shadow has no interrupt controller: the hook supplies the vector. */
static int shadow_no_pic(void *opaque)
{
    return -1;
}

/* ---- lifecycle ------------------------------------------------------------ */

int compare_shadow_init(CompareShadow *sh, CPUState *ref, Error **errp)
{
    CPUX86State *env = cpu_env(ref);
    CPUState *cs;

    sh->machine_mem_as = ref->as;
    sh->machine_io_as = env->io_as;
    memory_region_transaction_begin();
    sh->mem_root = mirror(sh, ref->as->root, errp);
    sh->io_root = sh->mem_root ? mirror(sh, env->io_as->root, errp) : NULL;
    memory_region_transaction_commit();
    if (!sh->io_root) {
        return -ENOMEM;
    }
    address_space_init(&sh->mem_as, sh->mem_root, "shadow-memory");
    address_space_init(&sh->io_as, sh->io_root, "shadow-io");
    sh->cpu = x86_cpu_create(ref->cpu_index, &sh->mem_as, &sh->io_as, errp);
    if (!sh->cpu) {
        return -EINVAL;
    }
    cs = &sh->cpu->parent;
    cs->singlestep = true;
    cs->step_events = true;
    cs->shadow = true;
    sh->cpu->env.get_pic_interrupt = shadow_no_pic;
    sh->undo = write_undo_new();
    for (size_t i = 0; i < sh->nr_ram; i++) {
        if (write_undo_add_range(sh->undo, sh->ram[i].copy->ram_ptr, sh->ram[i].copy->size,
                                 errp) < 0) {
            return -EINVAL;
        }
    }
    sh->hook.value = shadow_value;
    tcg_vcpu_get_or_create(cs);
    tcg_add_private_cpu(cs);
    return 0;
}

void compare_shadow_sync(CompareShadow *sh, CPUState *ref)
{
    CPUX86State *renv = cpu_env(ref), *senv = &sh->cpu->env;
    CPUState *cs = &sh->cpu->parent;

    /* the architectural state and the CPU model; not the machine's wiring
     * (I/O space, interrupt controller, APIC) nor the TLB */
    memcpy(senv, renv, offsetof(CPUX86State, io_as));
    for (unsigned i = 0; i < ARRAY_SIZE(senv->cpu_watchpoint); i++) {
        senv->cpu_watchpoint[i] = NULL;   /* DR0-3 data breakpoints: not mirrored */
    }
    cs->halted = ref->halted;
    cs->exception_index = EXCP_NONE;
    cs->interrupt_request = 0;
    for (size_t i = 0; i < sh->nr_ram; i++) {
        memcpy(sh->ram[i].copy->ram_ptr, sh->ram[i].orig->ram_ptr, sh->ram[i].orig->size);
    }
    tlb_flush(cs);
    tcg_jmp_cache_clear(cs);
}

void compare_shadow_checkpoint(CompareShadow *sh)
{
    memcpy(&sh->saved, &sh->cpu->env, offsetof(CPUX86State, io_as));
    sh->saved_halted = sh->cpu->parent.halted;
    write_undo_begin(sh->undo);
}

void compare_shadow_rewind(CompareShadow *sh)
{
    CPUState *cs = &sh->cpu->parent;
    bool wrote = write_undo_pages(sh->undo) != 0;

    write_undo_restore(sh->undo);
    memcpy(&sh->cpu->env, &sh->saved, offsetof(CPUX86State, io_as));
    cs->halted = sh->saved_halted;
    cs->exception_index = EXCP_NONE;
    tlb_flush(cs);
    if (wrote) {
        tb_flush(cs);        /* code the interval wrote is back as it was */
    }
}

void compare_shadow_ram_to_ref(CompareShadow *sh)
{
    for (size_t i = 0; i < sh->nr_ram; i++) {
        uint8_t *o = sh->ram[i].orig->ram_ptr, *c = sh->ram[i].copy->ram_ptr;

        for (uint64_t off = 0; off < sh->ram[i].orig->size; off += TARGET_PAGE_SIZE) {
            if (memcmp(o + off, c + off, TARGET_PAGE_SIZE)) {
                memcpy(o + off, c + off, TARGET_PAGE_SIZE);
            }
        }
    }
}

void compare_shadow_dma(CompareShadow *sh, uint64_t addr, const void *buf, uint64_t len)
{
    address_space_write(&sh->mem_as, addr, buf, len);
}

static CompareStep shadow_run(CompareShadow *sh, CompareLog *log, unsigned irq)
{
    CPUState *cs = &sh->cpu->parent;
    int ret;

    cs->interrupt_request = irq;
    cs->exit_request = 0;      /* a kick meant for an earlier interval */
    sh->log = log;
    replay_hook = &sh->hook;
    cpu_exec_start(cs);
    ret = cpu_exec(cs);
    cpu_exec_end(cs);
    replay_hook = NULL;
    cs->interrupt_request = 0;
    cs->exit_request = 0;
    return ret == EXCP_DEBUG ? COMPARE_STEP_INSN : ret == EXCP_HLT ? COMPARE_STEP_HLT
         : COMPARE_STEP_NONE;
}

CompareStep compare_shadow_step(CompareShadow *sh, CompareLog *log)
{
    unsigned irq = 0;

    /* the interrupts the reference took in this step are pending here */
    for (size_t i = 0; i < log->n; i++) {
        irq |= log->ev[i].kind == REPLAY_IRQ ? CPU_INTERRUPT_HARD
             : log->ev[i].kind == REPLAY_NMI ? CPU_INTERRUPT_NMI : 0;
    }
    log->next = 0;
    return shadow_run(sh, log, irq);
}

CompareStep compare_shadow_step_more(CompareShadow *sh, CompareLog *log)
{
    return shadow_run(sh, log, 0);
}

static uint64_t shadow_pc(CompareShadow *sh)
{
    return sh->cpu->env.segs[R_CS].base + sh->cpu->env.rip;
}

/* step=event's free runs: normal blocks, no return after each event,
 * device accesses alone in their block; off: single steps again. */
static void shadow_free_run(CompareShadow *sh, bool on)
{
    CPUState *cs = &sh->cpu->parent;

    cs->singlestep = !on;
    cs->step_events = !on;
    cs->io_alone = on;
    sh->free_run = on;
}

CompareStep compare_shadow_run(CompareShadow *sh, CompareLog *log, bool irq)
{
    uint64_t start = shadow_pc(sh);
    CompareStep st;

    shadow_free_run(sh, true);
    sh->window = false;
    log->next = 0;
    /* a stop with no event where the run started (a loop's head) would
     * be no progress, and the reference's first arrival there is at once:
     * go on to another */
    do {
        st = shadow_run(sh, log, irq ? CPU_INTERRUPT_HARD : 0);
    } while (st != COMPARE_STEP_HLT && !sh->window && !log->n && shadow_pc(sh) == start &&
             !sh->report->diverged && !runstate_shutdown_requested());
    shadow_free_run(sh, false);
    /* cpu_exec's return says nothing more: it stopped at a block boundary */
    return st == COMPARE_STEP_HLT ? st : COMPARE_STEP_INSN;
}

bool compare_shadow_run_to(CompareShadow *sh, CompareLog *log, uint64_t pc, unsigned slices)
{
    CPUState *cs = &sh->cpu->parent;
    int ret;

    cs->breakpoints[0] = pc;
    cs->nb_breakpoints = 1;
    tb_flush(cs);
    shadow_free_run(sh, true);
    sh->log = log;
    replay_hook = &sh->hook;
    do {
        cpu_exec_start(cs);
        ret = cpu_exec(cs);
        cpu_exec_end(cs);
        cs->exit_request = 0;
    } while (ret != EXCP_DEBUG && ret != EXCP_HLT && !sh->report->diverged &&
             !runstate_shutdown_requested() && slices--);
    replay_hook = NULL;
    shadow_free_run(sh, false);
    cs->nb_breakpoints = 0;
    tb_flush(cs);
    return ret == EXCP_DEBUG && shadow_pc(sh) == pc;
}

/* Where the machine maps region mr (depth-first through its tree). */
static bool find_region(const MemoryRegion *root, const void *mr, uint64_t base,
                        uint64_t *at)
{
    if (root == mr) {
        *at = base;
        return true;
    }
    if (root->type == MR_CONTAINER) {
        for (unsigned i = 0; i < root->nr_subregions; i++) {
            const MemoryRegion *sub = root->subregions[i];

            if (find_region(sub, mr, base + sub->addr, at)) {
                return true;
            }
        }
    }
    return false;
}

void compare_describe_io(CompareShadow *sh, const void *mr, uint64_t off, char *buf,
                         size_t len)
{
    const MemoryRegion *r = mr;
    uint64_t at;

    if (find_region(sh->machine_io_as->root, mr, 0, &at)) {
        snprintf(buf, len, "port 0x%" PRIx64 " (%s)", at + off, r->name);
    } else if (find_region(sh->machine_mem_as->root, mr, 0, &at)) {
        snprintf(buf, len, "MMIO 0x%" PRIx64 " (%s)", at + off, r->name);
    } else {
        snprintf(buf, len, "%s+0x%" PRIx64, r->name, off);
    }
}
