/*
 * main.c: tern's entry point and the only place that exits.
 *
 * The start-up sequence (docs/CONTRACTS.md): parse the options, apply the
 * log settings, find the accelerator, build the PC board (memory, devices,
 * CPU, -kernel), initialise the accelerator and start each vCPU thread,
 * then run the main loop (sysemu/main-loop.h: console input, device
 * timers) until a shutdown request and exit with its status, resetting
 * the machine on each reset request meanwhile.  Every
 * error below arrives as an Error and leaves as one "tern: ..." line on
 * stderr with exit status 1.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "util/log.h"
#include "util/perfmap.h"
#include "util/option.h"
#include "accel/accel.h"
#include "hw/core/machine.h"
#include "hw/i386/pc.h"
#include "target-x86/cpu.h"
#include "sysemu/runstate.h"
#include "sysemu/main-loop.h"
#include "sysemu/timer.h"
#include "exec/gdbstub.h"
#include "sysemu/chardev.h"
#include "monitor/qmp.h"
#include "monitor/monitor.h"
#include "block/drive.h"

#include <fcntl.h>
#include <sys/wait.h>

/* The open drives, so that every exit flushes them: main_exit closes
 * them (the vCPUs have stopped), main_fail only flushes (a vCPU may still
 * be using them; the process's end closes the files and drops the locks). */
static DriveTable main_drives;
static const char *main_pidfile;     /* -pidfile, written: removed at exit */

/* What every exit does last: the log out, the pid file gone. */
static TERN_NORETURN void main_leave(int status)
{
    log_flush();
    if (main_pidfile) {
        unlink(main_pidfile);
    }
    exit(status);
}

static TERN_NORETURN void main_fail(Error *err)
{
    error_report_err(err);
    drive_table_flush(&main_drives);
    main_leave(1);
}

static TERN_NORETURN void main_exit(int status)
{
    fflush(stdout);
    drive_table_close(&main_drives);
    main_leave(status);
}

/* -daemonize leaves no terminal: a back end on stdio is refused, as QEMU
 * refuses it (option_parse made the serial port's default null). */
static int main_check_daemonize(const TernOptions *o, Error **errp)
{
    if (o->nographic) {
        error_setg(errp, "-nographic cannot be used with -daemonize");
        return -EINVAL;
    }
    const struct { const char *opt, *spec; } users[] = {
        { "-serial", o->serial }, { "-monitor", o->monitor }, { "-qmp", o->qmp },
    };
    for (size_t i = 0; i < ARRAY_SIZE(users); i++) {
        if (users[i].spec && !strcmp(users[i].spec, "stdio")) {
            error_setg(errp, "%s stdio cannot be used with -daemonize", users[i].opt);
            return -EINVAL;
        }
    }
    for (unsigned i = 0; i < o->chardev_count; i++) {
        if (!strncmp(o->chardevs[i], "stdio", 5) && strchr(",", o->chardevs[i][5])) {
            error_setg(errp, "-chardev %s cannot be used with -daemonize", o->chardevs[i]);
            return -EINVAL;
        }
    }
    return 0;
}

/* -daemonize, as QEMU: the process forks at once; the parent waits until
 * the child has built and started the machine (a byte on a pipe) and then
 * exits 0, or exits with the child's status when the child fails first
 * (its one-line error still goes to the terminal).  The child leaves the
 * terminal's session and, once started, its stdio goes to /dev/null. */
static int main_daemon_ready_fd = -1;

static void main_daemonize_start(void)
{
    Error *err = NULL;
    int fds[2], status;
    pid_t pid;
    char c;

    if (pipe(fds) < 0 || (pid = fork()) < 0) {
        error_setg_errno(&err, errno, "-daemonize: cannot fork");
        main_fail(err);
    }
    if (pid > 0) {
        close(fds[1]);
        if (read(fds[0], &c, 1) == 1) {
            _exit(0);                   /* the child runs the machine */
        }
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
            _exit(1);
        }
        _exit(WEXITSTATUS(status));
    }
    close(fds[0]);
    setsid();
    main_daemon_ready_fd = fds[1];
}

static void main_daemonize_done(void)
{
    int null = open("/dev/null", O_RDWR);

    if (null >= 0) {
        fflush(stdout);
        fflush(stderr);
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        close(null);
    }
    if (chdir("/") < 0 || write(main_daemon_ready_fd, "", 1) != 1) {
        /* nothing to tell: the parent then reports our exit status */
    }
    close(main_daemon_ready_fd);
    main_daemon_ready_fd = -1;
}

/* -pidfile: our pid, locked so that a second tern given the same file
 * fails instead of overwriting it (the lock lasts as long as we run). */
static void main_write_pidfile(const char *path)
{
    Error *err = NULL;
    char buf[32];
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

    if (fd < 0) {
        error_setg_errno(&err, errno, "-pidfile %s: cannot create it", path);
        main_fail(err);
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        error_setg(&err, "-pidfile %s: another process holds it", path);
        main_fail(err);
    }
    snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 || write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf)) {
        error_setg_errno(&err, errno, "-pidfile %s: cannot write it", path);
        main_fail(err);
    }
    main_pidfile = path;            /* fd stays open: it holds the lock */
}

/* -rtc base=: how far the RTC's start is from the host's UTC time. */
static int64_t main_rtc_shift_ns(const TernOptions *o)
{
    time_t now = time(NULL);
    struct tm local;

    switch (o->rtc_base) {
    case OPTION_RTC_LOCALTIME:
        localtime_r(&now, &local);
        return (int64_t)local.tm_gmtoff * 1000000000;
    case OPTION_RTC_DATE:
        return ((int64_t)o->rtc_base_date - (int64_t)now) * 1000000000;
    case OPTION_RTC_UTC:
        break;
    }
    return 0;
}

static void main_machine_configure(MachineState *ms, const TernOptions *o)
{
    ms->ram_size = o->ram_size;
    ms->smp = o->smp;
    ms->kernel_filename = o->kernel;
    ms->kernel_cmdline = o->append;
    ms->initrd_filename = o->initrd;
    ms->cpu_model = o->cpu_model;
    ms->bios_filename = o->bios;
    ms->serial = o->serial;
    ms->debug_exit = o->debug_exit;
    ms->debug_exit_iobase = o->debug_exit_iobase;
    ms->debug_exit_iosize = o->debug_exit_iosize;
    ms->pc_testdev = o->pc_testdev;
    ms->pci_testdev = o->pci_testdev;
    ms->kernel_irqchip = o->kernel_irqchip;
    ms->fw_cfg = o->fw_cfg;
    ms->fw_cfg_count = o->fw_cfg_count;
    ms->drives = &main_drives;
    ms->accel_opts = o->accel_opts;
    ms->record_file = o->record;
    ms->replay_file = o->replay;
    ms->guest_name = o->name[0] ? o->name : NULL;
    ms->uuid = o->has_uuid ? o->uuid : NULL;
    ms->tcg_code_size = o->tcg_tb_size;
    ms->rtc_shift_ns = main_rtc_shift_ns(o);
    ms->icount = o->icount;
    ms->icount_shift = o->icount_shift;
    ms->icount_sleep = !o->icount_no_sleep;
}

/* -icount counts TCG's instructions in one thread: no other accelerator
 * (QEMU's words for KVM), no second vCPU (tcg_accel_init says it too). */
static void main_check_icount(const TernOptions *o)
{
    Error *err = NULL;

    if (!o->icount) {
        return;
    }
    if (strstr(o->accel, "kvm")) {
        error_setg(&err, "-icount is not allowed with hardware virtualization");
    } else if (strcmp(o->accel, "tcg")) {
        error_setg(&err, "-icount: not supported with -accel %s (only tcg)", o->accel);
    } else if (o->smp.cpus > 1) {
        error_setg(&err, "-icount: not supported with -smp %u (one vCPU only)", o->smp.cpus);
    }
    if (err) {
        main_fail(err);
    }
}

/* The command line as one string, for reports that say how to rerun it. */
static char *main_cmdline(int argc, char **argv)
{
    size_t len = 1;
    char *s;

    for (int i = 0; i < argc; i++) {
        len += strlen(argv[i]) + 1;
    }
    s = tern_malloc0(len);
    for (int i = 0; i < argc; i++) {
        strcat(s, argv[i]);
        if (i + 1 < argc) {
            strcat(s, " ");
        }
    }
    return s;
}

/* -mon chardev=ID[,mode=readline|control]: a monitor or QMP on a -chardev. */
static void main_mon_start(const char *arg, MachineState *ms)
{
    ChardevMonOptions mo;
    Error *err = NULL;
    char *label = g_strdup_printf("-mon %s", arg);
    Chardev *chr;

    if (chardev_mon_parse(arg, &mo, &err) < 0) {
        main_fail(err);
    }
    if (!mo.control) {
        if (monitor_start_chardev(label, mo.chardev, &err) < 0) {
            main_fail(err);
        }
    } else {
        chr = chardev_claim(label, mo.chardev, NULL, &err);
        if (!chr || qmp_init(chr, ms, &err) < 0) {
            main_fail(err);
        }
    }
    g_free(label);
}

typedef struct MainResetCtx {
    MachineState *ms;
    const AccelOps *ops;
} MainResetCtx;

/* A reset request paused the vCPUs: reset the board, then let them run.
 * Guest time stands still meanwhile.  A shutdown requested meanwhile is
 * left for the main loop's next pass. */
static void main_system_reset(void *opaque)
{
    MainResetCtx *ctx = opaque;
    Error *err = NULL;

    cpus_wait_stopped();
    if (runstate_shutdown_requested()) {
        return;
    }
    timer_virtual_stop();
    bql_lock();
    if (pc_machine_reset(ctx->ms, &err) < 0) {
        bql_unlock();
        main_fail(err);
    }
    bql_unlock();
    for (unsigned i = 0; i < cpus_count(); i++) {
        ctx->ops->synchronize_post_reset(cpus_get(i));
    }
    if (vm_running()) {              /* a stopped VM stays stopped (monitor) */
        timer_virtual_start();
        cpus_resume_all();
    }
}

int main(int argc, char **argv)
{
    static TernOptions opts;
    static MachineState machine;
    MachineState *ms = &machine;
    const AccelOps *ops;
    Error *err = NULL;
    int status;

    if (option_parse(&opts, argc, argv, &err) < 0) {
        main_fail(err);
    }
    switch (opts.action) {
    case OPTION_ACTION_RUN:
        break;
    case OPTION_ACTION_HELP:
        option_print_help(stdout);
        main_exit(0);
    case OPTION_ACTION_VERSION:
        option_print_version(stdout);
        main_exit(0);
    case OPTION_ACTION_LOG_HELP:
        log_list_items(stdout);
        main_exit(0);
    case OPTION_ACTION_DEVICE_HELP:
        option_print_devices(stdout, opts.help_device);
        main_exit(0);
    case OPTION_ACTION_MACHINE_HELP:
        option_print_machines(stdout);
        main_exit(0);
    case OPTION_ACTION_ACCEL_HELP:
        accel_print_list(stdout);
        main_exit(0);
    case OPTION_ACTION_CPU_HELP:
        x86_cpu_list(stdout);
        main_exit(0);
    }

    if (opts.daemonize) {
        if (main_check_daemonize(&opts, &err) < 0) {
            main_fail(err);
        }
        main_daemonize_start();
    }
    if (opts.pidfile) {
        main_write_pidfile(opts.pidfile);
    }
    if (opts.log_file && log_set_file(opts.log_file, &err) < 0) {
        main_fail(err);
    }
    if (opts.log_items && log_set_items(opts.log_items, &err) < 0) {
        main_fail(err);
    }
    if (opts.log_dfilter && log_set_dfilter(opts.log_dfilter, &err) < 0) {
        main_fail(err);
    }
    if (opts.perfmap && perfmap_open(&err) < 0) {
        main_fail(err);
    }

    /* images before the machine: a bad one fails before anything starts */
    if (drive_table_open(&main_drives, &opts, &err) < 0) {
        main_fail(err);
    }

    main_check_icount(&opts);
    ops = accel_choose(opts.accel, &err);
    if (!ops) {
        main_fail(err);
    }

    main_loop_init();
    /* the back ends before their front ends (the serial port, monitors) */
    for (unsigned i = 0; i < opts.chardev_count; i++) {
        if (chardev_define(opts.chardevs[i], &err) < 0) {
            main_fail(err);
        }
    }
    main_machine_configure(ms, &opts);
    ms->cmdline = main_cmdline(argc, argv);
    if (ops->configure && ops->configure(ms, &err) < 0) {
        main_fail(err);
    }
    /* The board and the accelerator change the memory tree: hold the
     * machine lock as any later change would; the vCPUs take it for I/O. */
    bql_lock();
    if (pc_machine_init(ms, &err) < 0 || ops->init(ms, &err) < 0) {
        bql_unlock();
        main_fail(err);
    }
    bql_unlock();

    runstate_set_no_reboot(opts.no_reboot);
    runstate_set_no_shutdown(opts.no_shutdown);
    cpus_set_kick(ops->vcpu_kick);
    if (opts.qmp) {                     /* before the vCPUs: no event is missed */
        Chardev *qmp_chr = chardev_new("-qmp", opts.qmp, &err);
        if (!qmp_chr || qmp_init(qmp_chr, ms, &err) < 0) {
            main_fail(err);
        }
    }
    monitor_set_machine(ms, ops);
    if (monitor_start(opts.monitor ? opts.monitor
                      : opts.nographic && !opts.mon_count ? "stdio" : NULL, &err) < 0) {
        main_fail(err);                 /* -nographic: the console's Ctrl-A c */
    }
    for (unsigned i = 0; i < opts.mon_count; i++) {
        main_mon_start(opts.mons[i], ms);
    }
    if (opts.start_stopped) {
        vm_stop();                      /* -S: gdb's or the monitor's 'c' starts them */
    }
    if (opts.gdb && gdbserver_start(opts.gdb, ops, &err) < 0) {
        main_fail(err);
    }
    if (vm_running()) {                 /* not stopped before the start (-S) */
        timer_virtual_start();          /* guest time 0: the vCPUs start */
    }
    for (unsigned i = 0; i < cpus_count(); i++) {
        if (ops->vcpu_start(cpus_get(i), &err) < 0) {
            main_fail(err);
        }
    }

    if (opts.daemonize) {
        main_daemonize_done();
    }
    status = main_loop_run(main_system_reset, &(MainResetCtx){ ms, ops });
    for (unsigned i = 0; i < cpus_count(); i++) {
        ops->vcpu_join(cpus_get(i));
    }
    if (ops->exit_status) {
        status = ops->exit_status(status);
    }
    main_exit(status);
}
