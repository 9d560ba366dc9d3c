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

/* The open drives, so that every exit flushes them: main_exit closes
 * them (the vCPUs have stopped), main_fail only flushes (a vCPU may still
 * be using them; the process's end closes the files and drops the locks). */
static DriveTable main_drives;

static TERN_NORETURN void main_fail(Error *err)
{
    error_report_err(err);
    drive_table_flush(&main_drives);
    log_flush();
    exit(1);
}

static TERN_NORETURN void main_exit(int status)
{
    fflush(stdout);
    drive_table_close(&main_drives);
    log_flush();
    exit(status);
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
    ms->kernel_irqchip = o->kernel_irqchip;
    ms->fw_cfg = o->fw_cfg;
    ms->fw_cfg_count = o->fw_cfg_count;
    ms->drives = &main_drives;
    ms->accel_opts = o->accel_opts;
    ms->record_file = o->record;
    ms->replay_file = o->replay;
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
        option_print_devices(stdout);
        main_exit(0);
    case OPTION_ACTION_CPU_HELP:
        x86_cpu_list(stdout);
        main_exit(0);
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

    status = main_loop_run(main_system_reset, &(MainResetCtx){ ms, ops });
    for (unsigned i = 0; i < cpus_count(); i++) {
        ops->vcpu_join(cpus_get(i));
    }
    if (ops->exit_status) {
        status = ops->exit_status(status);
    }
    main_exit(status);
}
