/*
 * option.h: the command line.
 *
 * One table (util/option.c) names every option, whether it takes an
 * argument, its help text and its handler; it drives both parsing and the
 * -help listing.  Parsing is a pure function of argv: it fills a
 * TernOptions and touches no global state, so main.c decides what to do
 * with the result (apply -d, pick the accelerator, build the machine) and
 * unit tests can call it directly.  Syntax follows qemu-system-x86_64: a
 * single dash ("-m 512"); "--m 512" is accepted too.
 */
#ifndef UTIL_OPTION_H
#define UTIL_OPTION_H

#include "util/osdep.h"
#include "util/error.h"

/* What main.c should do after a successful parse. */
typedef enum OptionAction {
    OPTION_ACTION_RUN,          /* build the machine and run it */
    OPTION_ACTION_HELP,         /* -help: print option_print_help(), exit 0 */
    OPTION_ACTION_VERSION,      /* -version: print option_print_version(), exit 0 */
    OPTION_ACTION_LOG_HELP,     /* -d help: list the log items, exit 0 */
    OPTION_ACTION_DEVICE_HELP,  /* -device help: option_print_devices(), exit 0 */
    OPTION_ACTION_CPU_HELP,     /* -cpu help: list the CPU models, exit 0 */
    OPTION_ACTION_MACHINE_HELP, /* -machine help: option_print_machines(), exit 0 */
    OPTION_ACTION_ACCEL_HELP,   /* -accel help: list the accelerators, exit 0 */
} OptionAction;

/* RAM limits for -m: at least 1 MiB (the boot structures live below it),
 * less than 1 TiB; sizes are rounded up to 8 KiB as QEMU does. */
#define OPTION_RAM_MIN   (1ull << 20)
#define OPTION_RAM_LIMIT (1ull << 40)     /* exclusive */
#define OPTION_RAM_ALIGN 8192ull
#define OPTION_RAM_DEFAULT (128ull << 20)

/* -fw_cfg [name=]NAME,file=PATH | -fw_cfg [name=]NAME,string=STR: one
 * named fw_cfg file (hw/nvram/fw_cfg.c).  value points into arg and runs
 * to the next comma or the end: value_len bytes. */
#define OPTION_FW_CFG_MAX      16
#define OPTION_FW_CFG_NAME_MAX 56     /* fw_cfg's file names: 55 bytes and a NUL */
#define OPTION_FW_CFG_VALUE_MAX 4096

typedef struct OptionFwCfg {
    const char *arg;             /* the whole argument, for messages */
    char name[OPTION_FW_CFG_NAME_MAX];
    bool is_file;                /* value is a host path, else the contents */
    char value[OPTION_FW_CFG_VALUE_MAX];   /* ",," unescaped */
    size_t value_len;
} OptionFwCfg;

/* -smp [cpus=]N[,sockets=S][,cores=C][,threads=T][,maxcpus=M] (QEMU's
 * syntax and rules for the values left out; docs/pc.md, "CPUs").  After
 * a parse every field is filled: 1 <= cpus <= max_cpus <= OPTION_MAX_CPUS
 * and sockets * cores * threads == max_cpus.  The first `cpus` of the
 * max_cpus slots have a vCPU; the rest stay empty (no CPU hotplug). */
#define OPTION_MAX_CPUS 64

typedef struct CpuTopology {
    unsigned cpus;               /* vCPUs created */
    unsigned sockets;            /* packages */
    unsigned cores;              /* cores per package */
    unsigned threads;            /* threads per core */
    unsigned max_cpus;           /* sockets * cores * threads */
} CpuTopology;

/* -drive, -hda..-hdd, -cdrom, a bare image argument (QEMU's syntax;
 * block/drive.c turns them into drives and checks what needs the whole
 * list: numbering, duplicates, ids). */
#define OPTION_DRIVE_MAX      16
#define OPTION_DRIVE_ID_MAX   32
#define OPTION_DRIVE_PATH_MAX 4096

/* The values of if=, media= and cache=, defined here once: block/ and
 * the devices use these enums (include/block/block.h, drive.h). */
typedef enum DriveInterface {
    DRIVE_IF_IDE,
    DRIVE_IF_VIRTIO,
    DRIVE_IF_NONE,
} DriveInterface;

typedef enum DriveMedia {
    DRIVE_MEDIA_DISK,
    DRIVE_MEDIA_CDROM,
} DriveMedia;

/* cache=: writeback (the default) keeps writes in the host page cache
 * until the guest flushes; writethrough makes each write stable
 * (O_DSYNC); none bypasses the host page cache (O_DIRECT), a write is
 * stable after the guest's flush as with writeback (QEMU's meaning);
 * unsafe ignores guest flushes (only closing the image flushes). */
typedef enum BlockCacheMode {
    BLK_CACHE_WRITEBACK,
    BLK_CACHE_WRITETHROUGH,
    BLK_CACHE_NONE,
    BLK_CACHE_UNSAFE,
} BlockCacheMode;

/* cache='s spelling of mode ("writeback", ...), for the monitor. */
const char *option_drive_cache_name(BlockCacheMode mode);

typedef struct OptionDrive {
    const char *opt;             /* "-drive", "-hda", ...: for messages */
    const char *arg;             /* the argument as written */
    char file[OPTION_DRIVE_PATH_MAX];  /* ",," unescaped; "": none (an empty CD-ROM) */
    char id[OPTION_DRIVE_ID_MAX];      /* "": the default name */
    char format[16];             /* "raw", another name (refused by block/), "": probe */
    DriveInterface iface;         /* default ide */
    DriveMedia media;
    BlockCacheMode cache;
    int index, bus, unit;        /* -1: not given */
    int read_only;               /* -1: not given, 0 off, 1 on */
    int snapshot;                /* -1: not given (then -snapshot decides), 0, 1 */
} OptionDrive;

/* -device virtio-blk-pci|ide-hd|ide-cd,drive=ID[,bus=ide.N][,unit=U]: a
 * disk device for an if=none drive (the board creates it). */
typedef enum DriveDeviceKind {
    DRIVE_DEVICE_VIRTIO_BLK,
    DRIVE_DEVICE_IDE_HD,
    DRIVE_DEVICE_IDE_CD,
} DriveDeviceKind;

typedef struct OptionBlockDevice {
    const char *arg;             /* for messages */
    DriveDeviceKind kind;
    char drive[OPTION_DRIVE_ID_MAX];
    int bus, unit;               /* IDE: -1 when not given */
} OptionBlockDevice;

/* -chardev and -mon arguments, kept as written: softmmu/chardev-opts.c
 * parses them when main.c opens the back ends. */
#define OPTION_CHARDEV_MAX 16
#define OPTION_MON_MAX     8

/* -rtc base=: where the RTC's time starts. */
typedef enum OptionRtcBase {
    OPTION_RTC_UTC,              /* the host's time, in UTC (the default) */
    OPTION_RTC_LOCALTIME,        /* the host's time, in its local time zone */
    OPTION_RTC_DATE,             /* rtc_base_date */
} OptionRtcBase;

/* -device and -global arguments kept for the end of the parse. */
#define OPTION_DEVICE_MAX 32

typedef struct TernOptions {
    OptionAction action;
    uint64_t ram_size;           /* bytes */
    bool ram_given;              /* -m was on the command line */
    uint64_t ram_maxmem;         /* -m maxmem= (no hotplug: only checked); 0: none */
    unsigned ram_slots;          /* -m slots= (likewise) */
    char memory_backend[32];     /* -machine memory-backend=ID; "" if none */
    char backend_id[32];         /* -object memory-backend-ram,id=,size= */
    uint64_t backend_size;
    CpuTopology smp;             /* -smp; default: one CPU */
    const char *kernel;          /* -kernel; NULL if none */
    const char *append;          /* -append; NULL if none */
    const char *initrd;          /* -initrd; NULL if none */
    const char *bios;            /* -bios; NULL if none */
    bool nographic;
    const char *serial;          /* "stdio", "file:PATH", "null" or "none" */
    bool debug_exit;             /* -device isa-debug-exit */
    uint16_t debug_exit_iobase;
    uint16_t debug_exit_iosize;
    bool pc_testdev;             /* -device pc-testdev */
    bool pci_testdev;            /* -device pci-testdev */
    /* "tcg" unless -accel/-enable-kvm/-machine accel=; several -accel make
     * a fallback list "kvm:tcg", tried in order (QEMU's accel=kvm:tcg) */
    char accel[32];
    bool accel_given;            /* accel came from the command line */
    char accel_opts[128];        /* -accel compare,OPTS: OPTS (accel/compare) */
    const char *record;          /* -record FILE: the compare engine records */
    const char *replay;          /* -replay FILE: the compare engine replays */
    const char *kernel_irqchip;  /* -machine kernel-irqchip=on|off|split; NULL: default */
    const char *cpu_model;       /* -cpu NAME[,+feat,-feat...]; NULL: "max" */
    bool nodefaults;             /* -nodefaults: no serial port unless -serial */
    bool no_reboot;              /* -no-reboot: a reset request exits (status 0) */
    bool no_shutdown;            /* -no-shutdown: a guest shutdown stops it */
    const char *monitor;         /* -monitor DEV; NULL: on the console with -nographic */
    const char *qmp;             /* -qmp DEV; NULL: no QMP monitor */
    const char *gdb;             /* -gdb DEV (-s: "tcp::1234"); NULL: no gdbstub */
    const char *chardevs[OPTION_CHARDEV_MAX];   /* -chardev, in command-line order */
    unsigned chardev_count;
    const char *mons[OPTION_MON_MAX];           /* -mon, in command-line order */
    unsigned mon_count;
    bool start_stopped;          /* -S: the vCPUs wait for gdb (or the monitor) */
    const char *log_items;       /* -d; NULL if none */
    const char *log_file;        /* -D; NULL if none */
    const char *log_dfilter;     /* -dfilter; NULL if none */
    OptionFwCfg fw_cfg[OPTION_FW_CFG_MAX];  /* -fw_cfg, in command-line order */
    unsigned fw_cfg_count;
    OptionDrive drives[OPTION_DRIVE_MAX];   /* in command-line order */
    unsigned drive_count;
    OptionBlockDevice block_devices[OPTION_DRIVE_MAX];
    unsigned block_device_count;
    bool snapshot;               /* -snapshot: every drive without snapshot=off */
    bool perfmap;                /* -perfmap: /tmp/perf-PID.map */
    const char *devices[OPTION_DEVICE_MAX];   /* -device, parsed at the end */
    unsigned device_count;
    const char *globals[OPTION_DEVICE_MAX];   /* -global DRIVER.PROP=VALUE */
    unsigned global_count;
    const char *help_device;     /* -device NAME,help: that argument; NULL: all */
    bool tcg_single_thread;      /* -accel tcg,thread=single (one vCPU only) */
    uint64_t tcg_tb_size;        /* -accel tcg,tb-size=: code buffer bytes; 0: default */
    char name[64];               /* -name guest=; "" if none */
    char process_name[64];       /* -name process= */
    uint8_t uuid[16];            /* -uuid, as the SMBIOS stores it (big-endian text order) */
    bool has_uuid;
    OptionRtcBase rtc_base;      /* -rtc base= */
    int64_t rtc_base_date;       /* base=DATE: seconds since the epoch, UTC */
    bool rtc_clock_vm;           /* -rtc clock=vm */
    const char *pidfile;         /* -pidfile FILE */
    bool daemonize;              /* -daemonize */
    bool icount;                 /* -icount [shift=]N[,align=off][,sleep=on|off] */
    unsigned icount_shift;       /* N: 0..10, 2^N ns of guest time per instruction */
    bool icount_no_sleep;        /* sleep=off: idle time jumps to the next deadline */
} TernOptions;

/* Fill opts from argv[1..argc-1].  Strings point into argv.  Returns 0, or
 * -EINVAL with a one-line *errp naming the offending option. */
int option_parse(TernOptions *opts, int argc, char **argv, Error **errp);

/* Parse a QEMU-style size ("512" = 512 MiB, "2G", "1.5g", "64k") for -m.
 * Returns 0 with *bytes set, or -EINVAL if it is not a size. */
int option_parse_size(const char *str, uint64_t *bytes);

void option_print_help(FILE *f);
void option_print_version(FILE *f);
/* -device help (help_device NULL) or -device NAME,help. */
void option_print_devices(FILE *f, const char *help_device);
void option_print_machines(FILE *f);

#endif
