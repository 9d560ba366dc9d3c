/*
 * kvm-all.c: the KVM accelerator: the host CPU runs the guest.
 *
 * Start-up: available() refuses, in one line, a /dev/kvm that is missing,
 * not openable, of another API version, missing a capability tern needs,
 * or software-only (no vmx/svm flag, or the kvm_pvm module: guests stall
 * there).  init() creates the VM, sets the x86 addresses (kvm-arch.c),
 * registers a memory listener on the CPUs' address space and creates each
 * vCPU with its CPUID and the board's initial state.
 *
 * Memory: every RAM range of the FlatView is a memslot (ROM ones read-only,
 * so writes come back as MMIO exits and are dropped by the memory API);
 * ranges or pieces not page aligned are left to MMIO exits.  Slots change
 * under the machine lock, from the listener, while vCPUs may run: KVM
 * orders that itself.
 *
 * vCPUs: one host thread each, looping on KVM_RUN.  A kick sets
 * exit_request and sends KVM_SIG_KICK to the thread; the handler sets the
 * thread's run->immediate_exit, which stays set until KVM_RUN returns, so
 * a kick that lands anywhere between two KVM_RUNs makes the next one
 * return at once.  A kick from the vCPU's own thread (its I/O asked for a
 * shutdown) needs no signal: the loop checks before the next KVM_RUN.  I/O and MMIO exits go through the same AddressSpaces as TCG's
 * accesses, under the machine lock.  Interrupts: KVM's in-kernel
 * controllers by default (kvm-irqchip.c), where KVM also keeps HLT in the
 * kernel; with kernel-irqchip=off, tern's own, and KVM_EXIT_HLT sleeps on
 * the vCPU's condition variable until an interrupt the guest can take.  A triple fault
 * (KVM_EXIT_SHUTDOWN) is a reset request, as under TCG (or exits, with
 * -no-reboot).
 *
 * State: env_dirty says env is newer than KVM's copy: set at creation, by
 * synchronize_state (after reading KVM's copy into env, for a caller that
 * may change it) and by synchronize_post_reset; the vCPU thread writes env
 * back before its next KVM_RUN.
 *
 * Globals: kvm_state (one VM per process, written by init before any vCPU
 * starts, read-only afterwards except the slot table, which is changed
 * under the machine lock) and kvm_current_run (thread-local: the running
 * vCPU's run page, for the kick handler).
 */
#include "util/osdep.h"
#include "util/error.h"
#include "accel/accel.h"
#include "hw/core/machine.h"
#include "sysemu/runstate.h"
#include "sysemu/timer.h"
#include "exec/memory.h"
#include "target-x86/cpu.h"
#include "target-x86/kvm-arch.h"
#include "accel/kvm/kvm-irqchip.h"
#include "accel/kvm/kvm-ref.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#define KVM_API_VERSION_WANTED 12
#define KVM_MAX_SLOTS          32
#define KVM_PAGE_SIZE          4096ull
#define KVM_SIG_KICK           SIGUSR1
#define KVM_VCPU_IDLE_MS       100      /* a halted vCPU re-checks this often */
#define KVM_DEVICE_DEFAULT     "/dev/kvm"

/* The generic capabilities; kvm-arch.c checks the x86 ones. */
static const KVMCapability kvm_required_caps[] = {
    KVM_CAP_ENTRY(KVM_CAP_USER_MEMORY),
    KVM_CAP_ENTRY(KVM_CAP_IMMEDIATE_EXIT),
    KVM_CAP_ENTRY(KVM_CAP_READONLY_MEM),
};

typedef struct KVMSlot {
    bool used;
    uint64_t start, size;          /* the FlatRange it came from */
    struct kvm_userspace_memory_region r;
} KVMSlot;

typedef struct KVMState {
    int fd;                        /* /dev/kvm */
    int vm_fd;
    size_t run_size;               /* KVM_GET_VCPU_MMAP_SIZE */
    bool user_irqchip;             /* kernel-irqchip=off: tern's PIC/IOAPIC/LAPIC */
    MemoryListener listener;
    KVMSlot slots[KVM_MAX_SLOTS];  /* under the machine lock */
    bool stats;                    /* TERN_KVM_STATS: print measures at exit */
} KVMState;

/* Why each exit came back to userspace, for TERN_KVM_STATS. */
enum { KVM_STAT_IO, KVM_STAT_MMIO, KVM_STAT_HLT, KVM_STAT_IRQ_WINDOW, KVM_STAT_INTR,
       KVM_STAT_OTHER, KVM_STAT_NB };
static const char *const kvm_stat_names[KVM_STAT_NB] = {
    "io", "mmio", "hlt", "irq-window", "signal", "other",
};

typedef struct KVMVCPU {
    KVMArchVCPU arch;              /* fd and run page */
    bool env_dirty;                /* env is newer than KVM's copy */
    bool reset_pending;            /* the next put is a reset's */
    bool io_pending;               /* an IO/MMIO exit the next KVM_RUN completes */
    bool env_fresh;                /* compare reference: env = KVM's, read since the last run */
    AddressSpace *mmio_as;         /* compare reference: MMIO exits go here, not cs->as */
    pthread_mutex_t lock;          /* guards only the halt sleep */
    pthread_cond_t cond;
    uint64_t exits[KVM_STAT_NB];
    uint64_t kicks;                /* signals sent (atomic) */
    double first_run_ms;           /* since tern started; < 0 until the first KVM_RUN */
    struct kvm_lapic_state lapic_power_on; /* in-kernel irqchip: the reset image */
} KVMVCPU;

static KVMState kvm_state;
static __thread struct kvm_run *kvm_current_run;

static KVMVCPU *kvm_vcpu(CPUState *cs)
{
    return cs->kvm;
}

static const char *kvm_device_path(void)
{
    /* tests point it elsewhere to see each refusal (suite-badinput.sh) */
    const char *p = getenv("TERN_KVM_DEVICE");
    return p && *p ? p : KVM_DEVICE_DEFAULT;
}

/* ---- is KVM usable? ---------------------------------------------------------- */

/* Does /proc/cpuinfo's flags line name vmx or svm? */
static bool kvm_host_has_virt_flag(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[4096];
    bool found = false;

    if (!f) {
        return false;
    }
    while (!found && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "flags", 5)) {
            continue;
        }
        for (char *t = strtok(strchr(line, ':') ? strchr(line, ':') + 1 : line, " \t\n");
             t; t = strtok(NULL, " \t\n")) {
            found |= !strcmp(t, "vmx") || !strcmp(t, "svm");
        }
    }
    fclose(f);
    return found;
}

/* Open the KVM device and check it; the fd, or -1 with *errp. */
static int kvm_open_checked(Error **errp)
{
    const char *path = kvm_device_path();
    int fd = open(path, O_RDWR | O_CLOEXEC), ver;

    if (fd < 0) {
        int e = errno;
        if (e == ENOENT) {
            error_setg(errp, "-accel kvm: no %s on this host (the kvm module is not loaded, "
                       "or this is a VM without nested virtualisation)", path);
        } else if (e == EACCES || e == EPERM) {
            error_setg(errp, "-accel kvm: %s: permission denied (join the kvm group)", path);
        } else {
            error_setg_errno(errp, e, "-accel kvm: cannot open %s", path);
        }
        return -1;
    }
    ver = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (ver != KVM_API_VERSION_WANTED) {
        if (ver < 0) {
            error_setg(errp, "-accel kvm: %s is not a KVM device (KVM_GET_API_VERSION: %s)",
                       path, strerror(errno));
        } else {
            error_setg(errp, "-accel kvm: %s has KVM API version %d, tern needs %d", path,
                       ver, KVM_API_VERSION_WANTED);
        }
        goto fail;
    }
    if (getenv("TERN_KVM_ALLOW_SOFTWARE")) {
        /* ioctl-level smoke tests on a software /dev/kvm (docs/kvm.md) */
    } else if (access("/sys/module/kvm_pvm", F_OK) == 0) {
        error_setg(errp, "-accel kvm: hardware virtualisation is absent (kvm_pvm, a software "
                   "hypervisor, provides %s: guests stall there)", path);
        goto fail;
    } else if (!kvm_host_has_virt_flag()) {
        error_setg(errp, "-accel kvm: hardware virtualisation is absent (no vmx or svm in "
                   "/proc/cpuinfo: nested virtualisation is off)");
        goto fail;
    }
    const char *missing = kvm_caps_missing(fd, kvm_required_caps, ARRAY_SIZE(kvm_required_caps));
    if (!missing) {
        missing = kvm_arch_missing_cap(fd);
    }
    if (missing) {
        error_setg(errp, "-accel kvm: %s lacks %s", path, missing);
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return -1;
}

static bool kvm_accel_available(Error **errp)
{
    int fd = kvm_open_checked(errp);

    if (fd < 0) {
        return false;
    }
    close(fd);
    return true;
}

/* ---- memslots --------------------------------------------------------------- */

static int kvm_slot_set(KVMSlot *s)
{
    return ioctl(kvm_state.vm_fd, KVM_SET_USER_MEMORY_REGION, &s->r);
}

static void kvm_region_add(MemoryListener *l, const FlatRange *fr)
{
    uint64_t start, end, host;
    KVMSlot *s = NULL;

    if (fr->mr->type != MR_RAM) {
        return;
    }
    /* the page-aligned middle; the edges stay MMIO exits */
    host = (uint64_t)(uintptr_t)(fr->mr->ram_ptr + fr->offset_in_region);
    start = (fr->start + KVM_PAGE_SIZE - 1) & ~(KVM_PAGE_SIZE - 1);
    end = (fr->start + fr->size) & ~(KVM_PAGE_SIZE - 1);
    if (end <= start || ((host + (start - fr->start)) & (KVM_PAGE_SIZE - 1))) {
        return;
    }
    for (unsigned i = 0; i < KVM_MAX_SLOTS && !s; i++) {
        s = kvm_state.slots[i].used ? NULL : &kvm_state.slots[i];
    }
    if (!s) {
        error_report("kvm: out of memory slots for %s at 0x%" PRIx64 ": it runs as MMIO",
                     fr->mr->name, fr->start);
        return;
    }
    *s = (KVMSlot){
        .used = true,
        .start = fr->start,
        .size = fr->size,
        .r = {
            .slot = (uint32_t)(s - kvm_state.slots),
            .flags = fr->readonly ? KVM_MEM_READONLY : 0,
            .guest_phys_addr = start,
            .memory_size = end - start,
            .userspace_addr = host + (start - fr->start),
        },
    };
    if (kvm_slot_set(s) < 0) {
        error_report("kvm: cannot map %s at 0x%" PRIx64 " (%s): it runs as MMIO",
                     fr->mr->name, start, strerror(errno));
        s->used = false;
    }
}

static void kvm_region_del(MemoryListener *l, const FlatRange *fr)
{
    for (unsigned i = 0; i < KVM_MAX_SLOTS; i++) {
        KVMSlot *s = &kvm_state.slots[i];

        if (s->used && s->start == fr->start && s->size == fr->size) {
            s->r.memory_size = 0;       /* deletes the slot */
            if (kvm_slot_set(s) < 0) {
                error_report("kvm: cannot unmap slot %u: %s", i, strerror(errno));
            }
            s->used = false;
            return;
        }
    }
}

/* ---- the vCPU thread ---------------------------------------------------------- */

static void kvm_kick_handler(int sig)
{
    if (kvm_current_run) {
        kvm_current_run->immediate_exit = 1;
    }
}

static bool kvm_vcpu_should_sleep(CPUState *cs, void *opaque)
{
    KVMVCPU *v = opaque;

    if (runstate_shutdown_requested()) {
        return false;
    }
    return cs->stop || (cs->halted && !kvm_arch_has_work(cs, &v->arch));
}

/* An IO or MMIO exit is complete (a read's data in its register, rip
 * past the instruction) only once KVM_RUN is entered again: state read
 * or written before that is torn (seen: an AP's APIC ID read replaced by
 * the register's old value when a second SIPI made the thread sync its
 * registers in between).  So before the loop touches the vCPU's state
 * it finishes the operation with a KVM_RUN that runs no guest code
 * (immediate_exit; api.rst, "immediate_exit"); plain re-entry needs none. */
static bool kvm_vcpu_needs_state(CPUState *cs, KVMVCPU *v)
{
    unsigned req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE);

    return kvm_vcpu_should_sleep(cs, v) || v->env_dirty || v->arch.debug_dirty ||
           (kvm_state.user_irqchip && (req & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)));
}

static void kvm_vcpu_complete_io(KVMVCPU *v)
{
    v->io_pending = false;
    v->arch.run->immediate_exit = 1;
    (void)ioctl(v->arch.fd, KVM_RUN, 0);    /* -1, EINTR: done, nothing ran */
    v->arch.run->immediate_exit = 0;
}

/* A fatal exit: one clear line, the registers, and exit status 1. */
static void kvm_vcpu_fail(CPUState *cs, KVMVCPU *v, const char *fmt, ...) TERN_PRINTF(3, 4);
static void kvm_vcpu_fail(CPUState *cs, KVMVCPU *v, const char *fmt, ...)
{
    Error *err = NULL;
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    error_report("kvm: CPU %d: %s", cs->cpu_index, msg);
    if (kvm_arch_get_registers(cs, &v->arch, &err) == 0) {
        x86_cpu_dump_state(cs, stderr);
    } else {
        error_report_err(err);
    }
    runstate_request_shutdown(1);
}

static void kvm_handle_mmio(CPUState *cs, struct kvm_run *run)
{
    uint32_t len = MIN(run->mmio.len, (uint32_t)sizeof(run->mmio.data));
    bool took = bql_lock_unless_held();   /* held: a compare interval */

    AddressSpace *as = kvm_vcpu(cs)->mmio_as ? kvm_vcpu(cs)->mmio_as : cs->as;

    if (run->mmio.is_write) {
        address_space_write(as, run->mmio.phys_addr, run->mmio.data, len);
    } else {
        address_space_read(as, run->mmio.phys_addr, run->mmio.data, len);
    }
    if (took) {
        bql_unlock();
    }
}

/* Handle one exit; false when the vCPU must stop running. */
static bool kvm_handle_exit(CPUState *cs, KVMVCPU *v)
{
    struct kvm_run *run = v->arch.run;

    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        v->exits[KVM_STAT_IO]++;
        kvm_arch_handle_io(cs, &v->arch);
        v->io_pending = true;
        return true;
    case KVM_EXIT_MMIO:
        v->exits[KVM_STAT_MMIO]++;
        kvm_handle_mmio(cs, run);
        v->io_pending = true;
        return true;
    case KVM_EXIT_HLT:
        v->exits[KVM_STAT_HLT]++;
        cs->halted = true;
        return true;
    case KVM_EXIT_IRQ_WINDOW_OPEN:
        v->exits[KVM_STAT_IRQ_WINDOW]++;
        return true;
    case KVM_EXIT_INTR:
        v->exits[KVM_STAT_INTR]++;
        return true;
    case KVM_EXIT_SET_TPR:
        /* CR8 lowered: post_run gave the local APIC run->cr8, which
         * re-evaluates what it can deliver */
        v->exits[KVM_STAT_OTHER]++;
        return true;
    case KVM_EXIT_DEBUG:
        /* gdb's breakpoint, watchpoint or step: wait for it to resume us */
        v->exits[KVM_STAT_OTHER]++;
        if (kvm_arch_debug_exit(cs, &v->arch)) {
            __atomic_store_n(&cs->stop, true, __ATOMIC_RELAXED);
            accel_debug_stopped(cs);
        }
        return true;
    case KVM_EXIT_SHUTDOWN:
        /* a triple fault: the machine resets, as under TCG */
        v->exits[KVM_STAT_OTHER]++;
        runstate_request_reset();
        return true;
    case KVM_EXIT_FAIL_ENTRY:
        kvm_vcpu_fail(cs, v, "KVM could not enter the guest (hardware reason 0x%llx)",
                      (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
        return false;
    case KVM_EXIT_INTERNAL_ERROR:
        kvm_vcpu_fail(cs, v, "KVM internal error, suberror %u%s", run->internal.suberror,
                      run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
                      " (an instruction KVM cannot emulate, e.g. code in MMIO)" : "");
        return false;
    default:
        kvm_vcpu_fail(cs, v, "unhandled KVM exit reason %u", run->exit_reason);
        return false;
    }
}

static void *kvm_vcpu_thread_fn(void *opaque)
{
    CPUState *cs = opaque;
    KVMVCPU *v = kvm_vcpu(cs);
    struct kvm_run *run = v->arch.run;
    Error *err = NULL;
    sigset_t set;

    kvm_current_run = run;
    sigemptyset(&set);
    sigaddset(&set, KVM_SIG_KICK);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);

    while (!runstate_shutdown_requested()) {
        if (v->io_pending && kvm_vcpu_needs_state(cs, v)) {
            kvm_vcpu_complete_io(v);
        }
        if (kvm_vcpu_should_sleep(cs, v)) {
            accel_vcpu_idle_wait(cs, &v->lock, &v->cond, KVM_VCPU_IDLE_MS,
                                 kvm_vcpu_should_sleep, v);
            continue;
        }
        if (kvm_state.user_irqchip) {
            /* tern's local APIC sent INIT or SIPI: an AP may now wait */
            if (kvm_arch_init_sipi(cs, &v->arch, v->env_dirty, &err)) {
                v->env_dirty = true;
                continue;
            }
            if (err) {
                error_report_err(err);
                runstate_request_shutdown(1);
                break;
            }
        }
        cs->stopped = false;
        cs->halted = false;
        __atomic_store_n(&cs->exit_request, 0, __ATOMIC_SEQ_CST);
        if (v->env_dirty) {
            if (kvm_arch_put_registers(cs, &v->arch, v->reset_pending, &err) < 0) {
                error_report_err(err);
                err = NULL;
                runstate_request_shutdown(1);
                break;
            }
            if (v->reset_pending && !kvm_state.user_irqchip &&
                kvm_irqchip_vcpu_reset(v->arch.fd, &v->lapic_power_on,
                                       kvm_arch_vcpu_id(cs) == 0, &err) < 0) {
                error_report_err(err);
                err = NULL;
                runstate_request_shutdown(1);
                break;
            }
            v->env_dirty = false;
            v->reset_pending = false;
        }
        if (v->arch.debug_dirty && kvm_arch_put_guest_debug(cs, &v->arch, &err) < 0) {
            error_report_err(err);      /* gdb's breakpoints: not in effect */
            err = NULL;
        }
        /* a kick from now on finds run->immediate_exit set by the signal
         * handler, so KVM_RUN returns at once */
        kvm_arch_pre_run(cs, &v->arch);
        if (v->first_run_ms < 0) {
            v->first_run_ms = (double)(timer_clock_ns(TIMER_CLOCK_REALTIME) -
                                       timer_process_start_ns()) / 1e6;
        }
        int ret = ioctl(v->arch.fd, KVM_RUN, 0);
        int e = errno;
        run->immediate_exit = 0;
        v->io_pending = false;
        kvm_arch_post_run(cs, &v->arch);
        if (ret < 0) {
            if (e == EINTR || e == EAGAIN) {
                v->exits[KVM_STAT_INTR]++;
                continue;
            }
            kvm_vcpu_fail(cs, v, "KVM_RUN: %s", strerror(e));
            break;
        }
        if (!kvm_handle_exit(cs, v)) {
            break;
        }
    }
    cs->stopped = true;
    kvm_current_run = NULL;
    return NULL;
}

/* ---- AccelOps ------------------------------------------------------------------ */

static int kvm_vcpu_create(CPUState *cs, Error **errp)
{
    KVMVCPU *v = tern_malloc0(sizeof(*v));
    pthread_condattr_t attr;
    void *run;
    int ret;

    cs->kvm = v;
    v->first_run_ms = -1;
    pthread_mutex_init(&v->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&v->cond, &attr);
    pthread_condattr_destroy(&attr);

    v->arch.fd = ioctl(kvm_state.vm_fd, KVM_CREATE_VCPU, kvm_arch_vcpu_id(cs));
    if (v->arch.fd < 0) {
        error_setg_errno(errp, errno, "kvm: cannot create CPU %d", cs->cpu_index);
        return -errno;
    }
    run = mmap(NULL, kvm_state.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->arch.fd, 0);
    if (run == MAP_FAILED) {
        error_setg_errno(errp, errno, "kvm: cannot map the run page of CPU %d", cs->cpu_index);
        return -errno;
    }
    v->arch.run = run;
    ret = kvm_arch_vcpu_init(cs, &v->arch, kvm_state.fd, kvm_state.user_irqchip, errp);
    if (ret == 0 && !kvm_state.user_irqchip) {
        ret = kvm_irqchip_vcpu_init(v->arch.fd, &v->lapic_power_on, errp);
    }
    if (ret < 0) {
        return ret;
    }
    /* the board's state (reset, or the -kernel entry): put before the first run */
    v->env_dirty = true;
    v->reset_pending = true;
    kvm_arch_reset(cs, &v->arch);
    return 0;
}

/* Before the board: where the interrupt controllers live (kernel-irqchip). */
static int kvm_accel_configure(MachineState *ms, Error **errp)
{
    bool in_kernel;
    int ret = kvm_irqchip_configure(ms, &in_kernel, errp);

    kvm_state.user_irqchip = !in_kernel;
    ms->host_cpu_ok = true;                     /* -cpu host: KVM's CPUID */
    return ret;
}

static int kvm_accel_init(MachineState *ms, Error **errp)
{
    struct sigaction sa = { .sa_handler = kvm_kick_handler };
    sigset_t set;
    int ret;

    kvm_state.stats = getenv("TERN_KVM_STATS") != NULL;
    kvm_state.fd = kvm_open_checked(errp);
    if (kvm_state.fd < 0) {
        return -ENODEV;
    }
    ret = ioctl(kvm_state.fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (ret <= 0) {
        error_setg_errno(errp, errno, "kvm: KVM_GET_VCPU_MMAP_SIZE");
        return -EINVAL;
    }
    kvm_state.run_size = (size_t)ret;
    kvm_state.vm_fd = ioctl(kvm_state.fd, KVM_CREATE_VM, 0);
    if (kvm_state.vm_fd < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_CREATE_VM");
        return -errno;
    }
    ret = kvm_arch_vm_init(kvm_state.vm_fd, errp);
    if (ret == 0 && !kvm_state.user_irqchip) {
        ret = kvm_irqchip_create(kvm_state.fd, kvm_state.vm_fd, errp);
    }
    if (ret < 0) {
        return ret;
    }

    /* kicks interrupt KVM_RUN on the vCPU threads only: everyone else
     * (the main loop, inherited by the vCPUs) blocks the signal */
    sigaction(KVM_SIG_KICK, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, KVM_SIG_KICK);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    kvm_state.listener.region_add = kvm_region_add;
    kvm_state.listener.region_del = kvm_region_del;
    memory_listener_register(&kvm_state.listener, &ms->address_space_memory);

    for (unsigned i = 0; i < cpus_count(); i++) {
        ret = kvm_vcpu_create(cpus_get(i), errp);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

static int kvm_vcpu_start(CPUState *cs, Error **errp)
{
    return accel_vcpu_thread_start(cs, kvm_vcpu_thread_fn, "KVM", errp);
}

static void kvm_vcpu_kick(CPUState *cs)
{
    KVMVCPU *v = kvm_vcpu(cs);

    __atomic_store_n(&cs->exit_request, 1, __ATOMIC_SEQ_CST);
    if (!v) {
        return;
    }
    pthread_mutex_lock(&v->lock);
    pthread_cond_broadcast(&v->cond);
    pthread_mutex_unlock(&v->lock);
    if (cs->thread_running && !pthread_equal(cs->thread, pthread_self())) {
        __atomic_add_fetch(&v->kicks, 1, __ATOMIC_RELAXED);
        pthread_kill(cs->thread, KVM_SIG_KICK);
    }
}

static void kvm_print_stats(CPUState *cs, KVMVCPU *v)
{
    uint64_t total = 0;

    fprintf(stderr, "kvm: CPU %d: first KVM_RUN %.2f ms after start; exits:", cs->cpu_index,
            v->first_run_ms);
    for (unsigned i = 0; i < KVM_STAT_NB; i++) {
        fprintf(stderr, " %s %" PRIu64, kvm_stat_names[i], v->exits[i]);
        total += v->exits[i];
    }
    fprintf(stderr, " (total %" PRIu64 "); kicks %" PRIu64 "; %s, interrupt_request 0x%x", total,
            v->kicks, cs->halted ? "halted" : "running",
            __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE));
    kvm_arch_print_state(stderr, cs, &v->arch);
    fputc('\n', stderr);
}

static void kvm_vcpu_join(CPUState *cs)
{
    KVMVCPU *v = kvm_vcpu(cs);

    if (cs->thread_running) {
        pthread_join(cs->thread, NULL);
        cs->thread_running = false;
    }
    if (!v) {
        return;
    }
    if (kvm_state.stats) {
        kvm_print_stats(cs, v);
    }
    if (v->arch.run) {
        munmap(v->arch.run, kvm_state.run_size);
        v->arch.run = NULL;
    }
    if (v->arch.fd >= 0) {
        close(v->arch.fd);
        v->arch.fd = -1;
    }
}

static void kvm_synchronize_state(CPUState *cs)
{
    KVMVCPU *v = kvm_vcpu(cs);
    Error *err = NULL;

    if (!v || v->env_dirty) {
        return;
    }
    if (kvm_arch_get_registers(cs, &v->arch, &err) < 0) {
        error_report_err(err);
        return;
    }
    v->env_dirty = true;
}

static void kvm_synchronize_post_reset(CPUState *cs)
{
    KVMVCPU *v = kvm_vcpu(cs);

    /* env holds the reset (and reloaded boot) state: all of it goes in */
    v->env_dirty = true;
    v->reset_pending = true;
    kvm_arch_reset(cs, &v->arch);
}

/* gdb's debug entries: the vCPU is stopped; its thread gives the new
 * state to KVM before the next entry (kvm_arch_put_guest_debug). */
static int kvm_insert_breakpoint(CPUState *cs, AccelBreakpointType type, uint64_t addr,
                                 uint64_t len)
{
    kvm_synchronize_state(cs);     /* INT3 goes in through the page tables */
    return kvm_arch_insert_breakpoint(cs, &kvm_vcpu(cs)->arch, type, addr, len);
}

static int kvm_remove_breakpoint(CPUState *cs, AccelBreakpointType type, uint64_t addr,
                                 uint64_t len)
{
    kvm_synchronize_state(cs);
    return kvm_arch_remove_breakpoint(cs, &kvm_vcpu(cs)->arch, type, addr, len);
}

static void kvm_remove_all_breakpoints(CPUState *cs)
{
    kvm_synchronize_state(cs);
    kvm_arch_remove_all_breakpoints(cs, &kvm_vcpu(cs)->arch);
}

static void kvm_set_singlestep(CPUState *cs, bool on)
{
    kvm_arch_set_singlestep(&kvm_vcpu(cs)->arch, on);
}

/* ---- the compare mode's reference (kvm-ref.h) ------------------------------- */

#define KVM_REF_STEP_LIMIT_S 20

bool kvm_ref_available(Error **errp)
{
    return kvm_accel_available(errp);
}

int kvm_ref_init(MachineState *ms, Error **errp)
{
    int ret;

    kvm_state.user_irqchip = true;     /* ms->irqchip stays NULL: tern's own */
    ret = kvm_accel_init(ms, errp);
    if (ret < 0) {
        return ret;
    }
    for (unsigned i = 0; i < cpus_count(); i++) {
        kvm_arch_set_singlestep(&kvm_vcpu(cpus_get(i))->arch, true);
    }
    return 0;
}

/* Put env (and the debug state) into KVM if it changed; false on failure. */
static bool kvm_ref_put(CPUState *cs, KVMVCPU *v)
{
    Error *err = NULL;

    if (v->env_dirty) {
        if (kvm_arch_put_registers(cs, &v->arch, v->reset_pending, &err) < 0) {
            error_report_err(err);
            return false;
        }
        v->env_dirty = false;
        v->reset_pending = false;
    }
    /* every step: KVM arms its trap flag only at the rip it was given
     * (KVM_SET_GUEST_DEBUG), and a KVM_SET_REGS elsewhere drops it */
    if (kvm_arch_put_guest_debug(cs, &v->arch, &err) < 0) {
        error_report_err(err);
        return false;
    }
    return true;
}

KVMRefStep kvm_ref_step(CPUState *cs)
{
    KVMVCPU *v = kvm_vcpu(cs);
    struct kvm_run *run = v->arch.run;

    if (!v->arch.singlestep) {
        kvm_arch_set_singlestep(&v->arch, true);   /* after a kvm_ref_run */
    }

    if (!kvm_ref_put(cs, v)) {
        runstate_request_shutdown(1);
        return KVM_REF_NONE;
    }
    /* an IO or MMIO exit is finished by the next KVM_RUN, and with
     * single-step on that one ends in the debug exit after it: loop.  A
     * kick (kvm_ref_kick) ends the wait on a shutdown request, and after
     * KVM_REF_STEP_LIMIT_S: a trap that never comes is an error. */
    int64_t start = timer_clock_ns(TIMER_CLOCK_REALTIME);

    for (;;) {
        kvm_arch_pre_step(cs, &v->arch);
        v->env_fresh = false;
        kvm_current_run = run;
        int ret = ioctl(v->arch.fd, KVM_RUN, 0);
        int e = errno;

        kvm_current_run = NULL;
        run->immediate_exit = 0;
        kvm_arch_post_run(cs, &v->arch);
        if (ret < 0) {
            if (e == EINTR || e == EAGAIN) {
                if (runstate_shutdown_requested()) {
                    return KVM_REF_NONE;
                }
                if (timer_clock_ns(TIMER_CLOCK_REALTIME) - start >
                    KVM_REF_STEP_LIMIT_S * 1000000000ll) {
                    kvm_vcpu_fail(cs, v, "a single step did not end in %d s (KVM gave no "
                                  "debug exit)", KVM_REF_STEP_LIMIT_S);
                    return KVM_REF_NONE;
                }
                continue;
            }
            kvm_vcpu_fail(cs, v, "KVM_RUN: %s", strerror(e));
            return KVM_REF_NONE;
        }
        switch (run->exit_reason) {
        case KVM_EXIT_DEBUG:
            if (kvm_arch_debug_exit(cs, &v->arch)) {
                return KVM_REF_INSN;
            }
            continue;           /* the guest's own #DB or #BP, given to it */
        case KVM_EXIT_HLT:
            cs->halted = true;
            return KVM_REF_HLT;
        default:
            if (!kvm_handle_exit(cs, v)) {
                return KVM_REF_NONE;
            }
            if (run->exit_reason == KVM_EXIT_SHUTDOWN) {
                return KVM_REF_NONE;    /* a triple fault: the reset resyncs */
            }
            continue;
        }
    }
}

/* The stop byte of kvm_ref_run: HLT exits to tern at CPL 0 (our
 * interrupt controllers: KVM does not halt in the kernel); elsewhere it
 * would fault, so INT3 with KVM_GUESTDBG_USE_SW_BP.  Written straight
 * into RAM: no TB invalidation, no DMA seen by the compare engine. */
typedef struct KVMRefPatch {
    uint8_t *host;
    uint8_t orig, byte;
    uint64_t rip;
} KVMRefPatch;

static bool kvm_ref_patch_init(CPUState *cs, KVMArchVCPU *a, uint64_t rip, KVMRefPatch *p)
{
    CPUX86State *env = cpu_env(cs);
    uint64_t lin = env->segs[R_CS].base + rip;
    int64_t phys = x86_cpu_get_phys_page_debug(env, lin);

    p->host = phys < 0 ? NULL : address_space_ram_ptr(cs->as, (uint64_t)phys, 1, true);
    p->rip = rip;
    p->byte = (env->hflags & HF_CPL_MASK) == 0 ? 0xf4 : 0xcc;
    if (p->byte == 0xcc && !a->trap_int3) {
        a->trap_int3 = true;
        a->debug_dirty = true;
    }
    return p->host != NULL;
}

/* Was this exit our stop byte?  Then rip goes back to it. */
static bool kvm_ref_patch_hit(KVMVCPU *v, const KVMRefPatch *p)
{
    struct kvm_run *run = v->arch.run;
    struct kvm_regs r;
    bool hlt = run->exit_reason == KVM_EXIT_HLT;

    if (!(hlt && p->byte == 0xf4) &&
        !(run->exit_reason == KVM_EXIT_DEBUG && p->byte == 0xcc &&
          run->debug.arch.exception == 3)) {
        return false;
    }
    if (ioctl(v->arch.fd, KVM_GET_REGS, &r) < 0) {
        return false;
    }
    if (r.rip == p->rip) {
        return true;        /* INT3 reported at it (VMX) */
    }
    if (r.rip != p->rip + 1) {
        return false;       /* a HLT or INT3 of the guest's own */
    }
    r.rip = p->rip;
    return ioctl(v->arch.fd, KVM_SET_REGS, &r) == 0;
}

KVMRefStep kvm_ref_run(CPUState *cs, bool stop, uint64_t stop_rip)
{
    KVMVCPU *v = kvm_vcpu(cs);
    struct kvm_run *run = v->arch.run;
    KVMRefPatch patch = { 0 };
    KVMRefStep r;

    if (v->arch.singlestep) {
        kvm_arch_set_singlestep(&v->arch, false);
    }
    if (stop && !kvm_ref_patch_init(cs, &v->arch, stop_rip, &patch)) {
        return KVM_REF_NONE;     /* not in RAM: the caller reports it */
    }
    if ((v->env_dirty || v->arch.debug_dirty) && !kvm_ref_put(cs, v)) {
        runstate_request_shutdown(1);
        return KVM_REF_NONE;
    }
    for (;;) {
        if (patch.host) {
            patch.orig = *patch.host;
            *patch.host = patch.byte;
        }
        kvm_arch_pre_step(cs, &v->arch);
        v->env_fresh = false;
        v->io_pending = false;
        kvm_current_run = run;
        int ret = ioctl(v->arch.fd, KVM_RUN, 0);
        int e = errno;

        kvm_current_run = NULL;
        if (patch.host) {
            *patch.host = patch.orig;
        }
        run->immediate_exit = 0;
        kvm_arch_post_run(cs, &v->arch);
        if (ret < 0) {
            if (e == EINTR || e == EAGAIN) {
                r = KVM_REF_KICKED;
                break;
            }
            kvm_vcpu_fail(cs, v, "KVM_RUN: %s", strerror(e));
            r = KVM_REF_NONE;
            break;
        }
        if (patch.host && kvm_ref_patch_hit(v, &patch)) {
            r = KVM_REF_AT;
            break;
        }
        if (run->exit_reason == KVM_EXIT_HLT) {
            cs->halted = true;
            r = KVM_REF_HLT;
            break;
        }
        if (run->exit_reason == KVM_EXIT_DEBUG) {
            kvm_arch_debug_exit(cs, &v->arch);   /* the guest's own: given back */
            continue;
        }
        if (!kvm_handle_exit(cs, v)) {
            r = KVM_REF_NONE;
            break;
        }
        if (run->exit_reason == KVM_EXIT_IO || run->exit_reason == KVM_EXIT_MMIO) {
            r = KVM_REF_IO;
            break;
        }
        if (run->exit_reason == KVM_EXIT_SHUTDOWN) {
            r = KVM_REF_NONE;    /* a triple fault: the reset resyncs */
            break;
        }
    }
    if (v->arch.trap_int3) {
        v->arch.trap_int3 = false;
        v->arch.debug_dirty = true;
    }
    return r;
}

void kvm_ref_device_spaces(CPUState *cs, AddressSpace *mem, AddressSpace *io)
{
    static AddressSpace *machine_io;     /* one vCPU */

    if (!machine_io) {
        machine_io = cpu_env(cs)->io_as;
    }
    kvm_vcpu(cs)->mmio_as = mem;
    cpu_env(cs)->io_as = io ? io : machine_io;
}

void kvm_ref_thread_init(CPUState *cs)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, KVM_SIG_KICK);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

void kvm_ref_kick(CPUState *cs)
{
    if (cs->thread_running) {
        pthread_kill(cs->thread, KVM_SIG_KICK);
    }
}

/* Unlike synchronize_state, env is not marked changed: the step loop
 * reads it every step and puts it back only when tern changed it. */
void kvm_ref_sync(CPUState *cs)
{
    KVMVCPU *v = kvm_vcpu(cs);
    Error *err = NULL;

    if (v->io_pending) {
        kvm_vcpu_complete_io(v);
    }
    if (v->env_dirty || v->env_fresh) {
        return;
    }
    if (kvm_arch_get_registers(cs, &v->arch, &err) < 0) {
        error_report_err(err);
        runstate_request_shutdown(1);
        return;
    }
    v->env_fresh = true;
}

void kvm_ref_load(CPUState *cs)
{
    KVMVCPU *v = kvm_vcpu(cs);

    if (kvm_ref_put(cs, v)) {
        kvm_ref_sync(cs);
    }
}

void kvm_ref_env_changed(CPUState *cs)
{
    kvm_vcpu(cs)->env_dirty = true;
}

void kvm_ref_reset(CPUState *cs)
{
    kvm_synchronize_post_reset(cs);
}

const AccelOps kvm_accel_ops = {
    .name = "kvm",
    .available = kvm_accel_available,
    .configure = kvm_accel_configure,
    .init = kvm_accel_init,
    .vcpu_start = kvm_vcpu_start,
    .vcpu_kick = kvm_vcpu_kick,
    .vcpu_join = kvm_vcpu_join,
    .synchronize_state = kvm_synchronize_state,
    .synchronize_post_reset = kvm_synchronize_post_reset,
    .insert_breakpoint = kvm_insert_breakpoint,
    .remove_breakpoint = kvm_remove_breakpoint,
    .remove_all_breakpoints = kvm_remove_all_breakpoints,
    .set_singlestep = kvm_set_singlestep,
};
