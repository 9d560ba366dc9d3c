/*
 * tcg-cpus.c: what the vCPU threads of multi-threaded TCG do for each
 * other: exclusive sections and per-vCPU asynchronous work.
 *
 * Exclusive sections (QEMU's cpu_exec_start/cpu_exec_end protocol): a vCPU
 * thread marks itself running (TCGVCPU.running) while it is inside
 * cpu_exec, i.e. may execute translated code or touch the TB cache without
 * the TB lock.  start_exclusive counts the running vCPUs, kicks them
 * (exit_request) and waits until each has called cpu_exec_end; vCPUs that
 * call cpu_exec_start meanwhile wait until end_exclusive.  In between, the
 * caller is the only thread running guest code: it may reset the code
 * buffer (tb_flush) or do a guest access that has no host atomic.  The
 * caller must not be running itself (cpu_exec_exclusive_begin handles a
 * vCPU inside cpu_exec) and must hold neither the machine lock nor the TB
 * lock, which a running vCPU may be waiting for.
 * The running flag and pending_cpus are written with seq_cst atomics and
 * each side stores its own, then loads the other's: at least one of
 * cpu_exec_start and start_exclusive sees the other, so no vCPU slips in
 * uncounted.
 *
 * Asynchronous work (async_run_on_cpu): a function run by the target vCPU's
 * own thread, outside translated code and without the machine lock, at its
 * next block boundary or before it sleeps; e.g. a TLB flush requested by the
 * memory map.  Queued under TCGVCPU.lock, the same lock the sleeper checks
 * tcg_cpu_has_pending_work under, so a queued item never waits for the idle
 * timeout.
 *
 * Locking: tcg_excl_lock guards pending_cpus' updates and every
 * TCGVCPU.has_waiter; the conditions are signalled under it.
 */
#include "util/osdep.h"
#include "sysemu/runstate.h"
#include "accel/tcg/internal.h"

typedef struct TCGWorkItem {
    void (*fn)(CPUState *cs, void *data);
    void *data;
    struct TCGWorkItem *next;
} TCGWorkItem;

static pthread_mutex_t tcg_excl_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tcg_excl_cond = PTHREAD_COND_INITIALIZER;    /* last vCPU out */
static pthread_cond_t tcg_excl_resume = PTHREAD_COND_INITIALIZER;  /* section over */
static unsigned pending_cpus;   /* 0: no section; else 1 + vCPUs still to leave */
static __thread CPUState *excl_vcpu;    /* set while this vCPU thread is exclusive */
static __thread bool excl_held;

/* ---- exclusive sections --------------------------------------------------- */

static void exclusive_idle(void)
{
    while (__atomic_load_n(&pending_cpus, __ATOMIC_SEQ_CST)) {
        pthread_cond_wait(&tcg_excl_resume, &tcg_excl_lock);
    }
}

void cpu_exec_start(CPUState *cs)
{
    TCGVCPU *v = tcg_vcpu_get_or_create(cs);

    __atomic_store_n(&v->running, true, __ATOMIC_SEQ_CST);
    if (unlikely(__atomic_load_n(&pending_cpus, __ATOMIC_SEQ_CST))) {
        pthread_mutex_lock(&tcg_excl_lock);
        if (!v->has_waiter) {
            /* not counted by the section in progress: wait for its end */
            __atomic_store_n(&v->running, false, __ATOMIC_SEQ_CST);
            exclusive_idle();
            __atomic_store_n(&v->running, true, __ATOMIC_SEQ_CST);
        }
        /* counted: the kick makes us leave, and cpu_exec_end reports it */
        pthread_mutex_unlock(&tcg_excl_lock);
    }
}

void cpu_exec_end(CPUState *cs)
{
    TCGVCPU *v = tcg_vcpu_get_or_create(cs);

    __atomic_store_n(&v->running, false, __ATOMIC_SEQ_CST);
    if (unlikely(__atomic_load_n(&pending_cpus, __ATOMIC_SEQ_CST))) {
        pthread_mutex_lock(&tcg_excl_lock);
        if (v->has_waiter) {
            v->has_waiter = false;
            if (__atomic_sub_fetch(&pending_cpus, 1, __ATOMIC_SEQ_CST) == 1) {
                pthread_cond_signal(&tcg_excl_cond);
            }
        }
        pthread_mutex_unlock(&tcg_excl_lock);
    }
}

bool cpu_exec_running(CPUState *cs)
{
    TCGVCPU *v = tcg_vcpu(cs);

    return v && __atomic_load_n(&v->running, __ATOMIC_SEQ_CST);
}

void start_exclusive(void)
{
    unsigned ncpu = cpus_count(), n = 1;

    pthread_mutex_lock(&tcg_excl_lock);
    exclusive_idle();
    __atomic_store_n(&pending_cpus, 1, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < ncpu; i++) {
        CPUState *cs = cpus_get(i);
        TCGVCPU *v = tcg_vcpu(cs);

        if (v && __atomic_load_n(&v->running, __ATOMIC_SEQ_CST)) {
            v->has_waiter = true;
            n++;
            __atomic_store_n(&cs->exit_request, 1, __ATOMIC_RELEASE);
        }
    }
    __atomic_store_n(&pending_cpus, n, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&pending_cpus, __ATOMIC_SEQ_CST) > 1) {
        pthread_cond_wait(&tcg_excl_cond, &tcg_excl_lock);
    }
    pthread_mutex_unlock(&tcg_excl_lock);
    excl_held = true;
}

void end_exclusive(void)
{
    excl_held = false;
    pthread_mutex_lock(&tcg_excl_lock);
    __atomic_store_n(&pending_cpus, 0, __ATOMIC_SEQ_CST);
    pthread_cond_broadcast(&tcg_excl_resume);
    pthread_mutex_unlock(&tcg_excl_lock);
}

void cpu_exec_exclusive_begin(CPUState *cs)
{
    bool running = cpu_exec_running(cs);

    if (running) {
        cpu_exec_end(cs);
    }
    start_exclusive();
    excl_vcpu = running ? cs : NULL;
}

void cpu_exec_exclusive_end(CPUState *cs)
{
    CPUState *resume = excl_vcpu;

    assert(!resume || resume == cs);
    excl_vcpu = NULL;
    end_exclusive();
    if (resume) {
        cpu_exec_start(resume);
    }
}

void cpu_exec_exclusive_reset(CPUState *cs)
{
    if (excl_held) {
        cpu_exec_exclusive_end(cs);
    }
}

/* ---- CPUs outside the machine's list -------------------------------------- */

#define TCG_MAX_PRIVATE_CPUS 4
static CPUState *tcg_private_cpus[TCG_MAX_PRIVATE_CPUS];
static unsigned tcg_nr_private_cpus;    /* atomic: set before the CPU runs */

void tcg_add_private_cpu(CPUState *cs)
{
    unsigned n = __atomic_load_n(&tcg_nr_private_cpus, __ATOMIC_ACQUIRE);

    assert(n < TCG_MAX_PRIVATE_CPUS);
    tcg_private_cpus[n] = cs;
    __atomic_store_n(&tcg_nr_private_cpus, n + 1, __ATOMIC_RELEASE);
}

unsigned tcg_cpus_count(void)
{
    return cpus_count() + __atomic_load_n(&tcg_nr_private_cpus, __ATOMIC_ACQUIRE);
}

CPUState *tcg_cpus_get(unsigned index)
{
    unsigned n = cpus_count();

    return index < n ? cpus_get(index) : tcg_private_cpus[index - n];
}

/* ---- asynchronous work ---------------------------------------------------- */

void async_run_on_cpu(CPUState *cs, void (*fn)(CPUState *cs, void *data), void *data)
{
    TCGVCPU *v = tcg_vcpu(cs);
    TCGWorkItem *w, **tail;

    if (!v || !cs->thread_running || pthread_equal(pthread_self(), cs->thread)) {
        fn(cs, data);       /* no thread to ask, or we are it */
        return;
    }
    w = tern_malloc0(sizeof(*w));
    w->fn = fn;
    w->data = data;
    pthread_mutex_lock(&v->lock);
    for (tail = (TCGWorkItem **)&v->work; *tail; tail = &(*tail)->next) {
    }
    __atomic_store_n(tail, w, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&v->lock);
    tcg_vcpu_kick(cs);
}

bool tcg_cpu_has_pending_work(CPUState *cs)
{
    TCGVCPU *v = tcg_vcpu(cs);

    return v && __atomic_load_n(&v->work, __ATOMIC_ACQUIRE);
}

void tcg_cpu_run_work(CPUState *cs)
{
    TCGVCPU *v = tcg_vcpu(cs);
    TCGWorkItem *w;

    if (!tcg_cpu_has_pending_work(cs)) {
        return;
    }
    pthread_mutex_lock(&v->lock);
    w = v->work;
    __atomic_store_n(&v->work, NULL, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&v->lock);
    while (w) {
        TCGWorkItem *next = w->next;

        w->fn(cs, w->data);
        free(w);
        w = next;
    }
}
