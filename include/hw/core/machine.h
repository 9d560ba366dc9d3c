/*
 * machine.h: the machine object: what -m/-smp/-kernel/... configured and
 * what the board built from it.
 */
#ifndef HW_CORE_MACHINE_H
#define HW_CORE_MACHINE_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/cpu.h"
#include "util/option.h"
#include "block/drive.h"

#define MACHINE_MAX_CPUS OPTION_MAX_CPUS

/* The accelerator's interrupt controllers (KVM's in-kernel irqchip: 8259
 * pair, IOAPIC, each CPU's local APIC and the 8254 PIT).  Given by the
 * accelerator before the board is built; the board then builds none of
 * its own and hands it each GSI's level (the OR of the GSI's sources). */
typedef struct AccelIrqchip {
    void (*set_gsi)(unsigned gsi, int level);
    /* the HPET's LEG_RT_CNF: while set, the PIT leaves IRQ 0 to the HPET */
    void (*set_pit_hpet_legacy)(bool on);
    /* system reset: the controllers and the PIT back to power-on state */
    void (*reset)(void);
} AccelIrqchip;

typedef struct MachineState {
    /* configuration (from the command line) */
    uint64_t ram_size;
    CpuTopology smp;             /* -smp: smp.cpus vCPUs are created (util/option.h) */
    const char *kernel_filename;
    const char *kernel_cmdline;
    const char *initrd_filename;
    const char *bios_filename;   /* -bios: raw firmware image, NULL if none */
    const char *cpu_model;       /* -cpu NAME[,+feat,-feat...]; NULL: "max" */
    bool host_cpu_ok;            /* the accelerator offers -cpu host (KVM's configure) */
    const char *serial;          /* "stdio", "file:PATH", "none" */
    bool debug_exit;             /* -device isa-debug-exit */
    uint16_t debug_exit_iobase;
    uint16_t debug_exit_iosize;
    bool pc_testdev;             /* -device pc-testdev */
    bool pci_testdev;            /* -device pci-testdev */
    const char *kernel_irqchip;  /* KVM: "on", "off", "split"; NULL: the default */
    const AccelIrqchip *irqchip; /* NULL: the board's own PIC/IOAPIC/LAPIC/PIT */
    const OptionFwCfg *fw_cfg;   /* -fw_cfg files (fw_cfg_count of them) */
    unsigned fw_cfg_count;
    DriveTable *drives;          /* opened by main.c; NULL or empty: no disks */
    const char *accel_opts;      /* -accel NAME,OPTS: OPTS ("" if none; compare only) */
    const char *record_file;     /* -record FILE (accel/compare); NULL if none */
    const char *replay_file;     /* -replay FILE (accel/compare); NULL if none */
    const char *cmdline;         /* the command line, for reports that say how to rerun */
    const char *guest_name;      /* -name; NULL if none */
    const uint8_t *uuid;         /* -uuid (16 bytes, text order); NULL if none */
    size_t tcg_code_size;        /* -accel tcg,tb-size=; 0: the default */
    int64_t rtc_shift_ns;        /* -rtc base=: the RTC's time minus the host's (UTC) */
    bool icount;                 /* -icount (TCG only) */
    unsigned icount_shift;       /* its shift=N: 2^N ns per instruction */
    bool icount_sleep;           /* its sleep=on (the default) */

    /* built by the board */
    MemoryRegion *system_memory; /* root of the memory address space */
    MemoryRegion *system_io;     /* root of the port address space */
    AddressSpace address_space_memory;
    AddressSpace address_space_io;
    MemoryRegion ram;
    CPUState *cpus[MACHINE_MAX_CPUS];
    void *board;                 /* the board's private state */
} MachineState;

#endif
