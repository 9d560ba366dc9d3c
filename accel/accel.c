/*
 * accel.c: choosing an accelerator by name (-accel tcg|kvm, -enable-kvm).
 *
 * The table of names is the only place that knows which accelerators
 * exist; KVM is in it when configure found <linux/kvm.h> (CONFIG_KVM),
 * otherwise asking for it says so.  A list of names ("-accel kvm -accel
 * tcg") is tried in order, as QEMU does.  No state, no locking.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "accel/accel.h"
#include "sysemu/runstate.h"

static const AccelOps *const accel_table[] = {
    &tcg_accel_ops,
    &compare_accel_ops,
#ifdef CONFIG_KVM
    &kvm_accel_ops,
#endif
};

const AccelOps *accel_find(const char *name, Error **errp)
{
    for (size_t i = 0; name && i < ARRAY_SIZE(accel_table); i++) {
        if (!strcmp(name, accel_table[i]->name)) {
            return accel_table[i];
        }
    }
#ifndef CONFIG_KVM
    if (name && !strcmp(name, "kvm")) {
        error_setg(errp, "-accel kvm: this tern was built without KVM "
                   "(" CONFIG_KVM_ABSENT "); use -accel tcg");
        return NULL;
    }
#endif
    error_setg(errp, "unknown accelerator '%s' (choose tcg, kvm or compare)", name ? name : "");
    return NULL;
}

void accel_print_list(FILE *f)
{
    fprintf(f, "Accelerators supported in tern:\n");
    for (size_t i = 0; i < ARRAY_SIZE(accel_table); i++) {
        fprintf(f, "%s\n", accel_table[i]->name);
    }
}

typedef struct AccelVcpuThread {
    CPUState *cs;
    void *(*fn)(void *);
} AccelVcpuThread;

/* The vCPU thread's first steps: it is cs's (cpus_current), then fn. */
static void *accel_vcpu_thread_enter(void *opaque)
{
    AccelVcpuThread t = *(AccelVcpuThread *)opaque;

    free(opaque);
    cpus_set_current(t.cs);
    return t.fn(t.cs);
}

int accel_vcpu_thread_start(CPUState *cs, void *(*fn)(void *), const char *engine,
                            Error **errp)
{
    AccelVcpuThread *t = tern_malloc0(sizeof(*t));
    char name[16];
    int err;

    t->cs = cs;
    t->fn = fn;
    cs->thread_running = true;
    err = pthread_create(&cs->thread, NULL, accel_vcpu_thread_enter, t);
    if (err) {
        free(t);
        cs->thread_running = false;
        error_setg_errno(errp, err, "cannot create the thread of CPU %d", cs->cpu_index);
        return -err;
    }
    snprintf(name, sizeof(name), "CPU %d/%s", cs->cpu_index, engine);
    pthread_setname_np(cs->thread, name);
    return 0;
}

void accel_vcpu_idle_wait(CPUState *cs, pthread_mutex_t *lock, pthread_cond_t *cond,
                          unsigned idle_ms, bool (*should_sleep)(CPUState *cs, void *opaque),
                          void *opaque)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += (long)idle_ms * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(lock);
    if (should_sleep(cs, opaque)) {
        /* release: the pauser reads our state after seeing it (runstate.c) */
        __atomic_store_n(&cs->stopped, __atomic_load_n(&cs->stop, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELEASE);
        pthread_cond_timedwait(cond, lock, &ts);
    }
    pthread_mutex_unlock(lock);
}

static void (*accel_debug_hook)(CPUState *cs);   /* set before the vCPUs start */

void accel_set_debug_hook(void (*hook)(CPUState *cs))
{
    accel_debug_hook = hook;
}

void accel_debug_stopped(CPUState *cs)
{
    if (accel_debug_hook) {
        accel_debug_hook(cs);
    }
}

const AccelOps *accel_choose(const char *list, Error **errp)
{
    char name[32];
    const char *p = list;
    Error *err = NULL;

    for (;;) {
        size_t len = strcspn(p, ":");
        const AccelOps *ops;

        snprintf(name, sizeof(name), "%.*s", (int)MIN(len, sizeof(name) - 1), p);
        ops = accel_find(name, errp);
        if (!ops) {
            error_free(err);
            return NULL;            /* a misspelt name is an error, not a fallback */
        }
        error_free(err);
        err = NULL;
        if (ops->available(&err)) {
            return ops;
        }
        if (!p[len]) {
            error_propagate(errp, err);
            return NULL;
        }
        p += len + 1;
        error_report("%s; falling back to -accel %.*s", error_get_pretty(err),
                     (int)strcspn(p, ":"), p);
    }
}
