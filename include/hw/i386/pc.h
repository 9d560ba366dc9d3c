/*
 * pc.h: the PC board.
 *
 * pc_machine_init builds the machine that MachineState describes: memory
 * and port address spaces, RAM, the devices at their PC addresses, CPU 0,
 * and the -kernel boot state.  PCMachineState (ms->board) keeps what the
 * board owns.
 */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "util/osdep.h"
#include "util/error.h"
#include "hw/core/machine.h"
#include "hw/char/serial.h"
#include "hw/misc/debugexit.h"
#include "hw/misc/ioport80.h"
#include "hw/misc/pc-testdev.h"
#include "hw/misc/pci-testdev.h"
#include "hw/i386/port92.h"
#include "hw/input/i8042.h"
#include "hw/i386/port61.h"
#include "hw/timer/i8254.h"
#include "hw/intc/i8259.h"
#include "hw/intc/apic.h"
#include "hw/intc/ioapic.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/timer/hpet.h"
#include "hw/acpi/acpi-pm.h"
#include "hw/i386/portcf9.h"
#include "hw/pci/pci-host.h"
#include "hw/pci/i440fx.h"
#include "hw/pci/piix3.h"
#include "hw/i386/boot.h"
#include "hw/nvram/fw_cfg.h"

/* Global system interrupts: the board's interrupt lines.  A device gets
 * &pcms->gsi[n] and only sets its level; pc_gsi_set fans each line out to
 * the interrupt controllers (the 8259 pair for GSI 0-15, the IOAPIC for
 * 0-23), so a device never knows which controller the guest programs.
 * ISA IRQ n is GSI n (the MADT states the PIT's IRQ 0 -> GSI 2 override).
 * A GSI is the OR of its sources: the devices' line gsi[n], the PIIX3's
 * PCI interrupt router pirq_gsi[n] (a level line the guest may share) and
 * pc-testdev's testdev_gsi[n] (a guest may raise any line with it). */
#define PC_NUM_GSI 24
#define PC_PIC_CASCADE_IRQ 2        /* the slave's INT on the master's IR2 */

/* GSI n's input on the 8259 pair (ISA IRQ n), or -1: IRQ 2 is the cascade
 * input and no ISA device has it, so GSI 2 reaches the IOAPIC only.  The
 * board's fan-out and KVM's in-kernel routing both follow these two. */
static inline int pc_gsi_pic_irq(unsigned n)
{
    return n < 16 && n != PC_PIC_CASCADE_IRQ ? (int)n : -1;
}

/* GSI n's IOAPIC pin: ISA IRQ 0 (the PIT) is pin 2, as the MADT's
 * override says; pin 0 is the 8259's INT. */
static inline unsigned pc_gsi_ioapic_pin(unsigned n)
{
    return n == 0 ? 2 : n;
}

typedef enum PCGSISource {
    PC_GSI_SRC_DEVICE,          /* pcms->gsi[n] */
    PC_GSI_SRC_PIRQ,            /* pcms->pirq_gsi[n], n < 16 */
    PC_GSI_SRC_TESTDEV,         /* pcms->testdev_gsi[n] (-device pc-testdev) */
    PC_GSI_NUM_SOURCES
} PCGSISource;

typedef struct PCMachineState {
    MemoryRegion system_memory;  /* root of "memory", UINT64_MAX bytes */
    MemoryRegion system_io;      /* root of "I/O", 64 KiB */
    MemoryRegion ram_below_4g;   /* aliases of ms->ram */
    MemoryRegion ram_above_4g;
    MemoryRegion bios;           /* -bios ROM ending at 4 GiB */
    MemoryRegion isa_bios;       /* its last 128 KiB at 0xE0000 */
    X86RamLayout ram_layout;
    X86BootFirmware boot_fw;     /* firmware tables' e820 ranges, RSDP (boot.h) */
    Chardev *serial_chr;         /* NULL with -serial none */
    SerialState *serial;
    DebugExitState *debug_exit;
    PCTestdevState *pc_testdev;  /* -device pc-testdev: 0xe0, 0x2000, 0xff000000 */
    PCITestdevState *pci_testdev;   /* -device pci-testdev: the first free slot from 4 */
    IOPort80State *ioport80;     /* POST port 0x80 (Linux's io_delay) */
    Port92State *port92;
    PITState *pit;               /* 8254 at 0x40, counter 0 on GSI 0 */
    Port61State *port61;         /* port 0x61: counter 2's gate and OUT */
    RTCState *rtc;               /* MC146818 RTC + CMOS at 0x70, GSI 8 */
    HPETState *hpet;             /* at 0xFED00000; LEG_RT_CNF takes IRQ 0 and 8 */
    IRQLine hpet_leg_rt;         /* HPET's LEG_RT_CNF -> pc_hpet_leg_rt_set */
    IRQLine pit_irq, rtc_irq;    /* PIT/RTC outputs, gated by LEG_RT_CNF */
    uint32_t legacy_level;       /* their levels, by ISA IRQ bit */
    ACPIPMState *acpi_pm;        /* PM1a event/control, PM timer at 0x600, SCI GSI 9 */
    PortCF9State *portcf9;       /* reset control register at 0xCF9 */
    PCIBus *pci_bus;             /* bus 0: BARs in system_memory / system_io */
    PCIHostState *pci_host;      /* CONFIG_ADDRESS 0xCF8, CONFIG_DATA 0xCFC */
    I440FXState *i440fx;         /* 00:00.0 host bridge */
    PIIX3State *piix3;           /* 00:01.0 ISA bridge, PIRQ router to GSI 0-15 */
    I8042State *i8042;           /* keyboard controller at 0x60/0x64, GSI 1 and 12 */
    FWCfgState *fw_cfg;          /* QEMU's fw_cfg at 0x510 (DMA at 0x514) */
    IRQLine a20_line[2];         /* A20 sources: port 0x92, the 8042's output port */
    unsigned a20_sources;        /* which of them is high; CPU 0's gate is their OR */
    IRQLine kbc_reset;           /* the 8042's reset output -> system reset */
    IRQLine gsi[PC_NUM_GSI];     /* device interrupt lines (pc_gsi_set) */
    const AccelIrqchip *irqchip; /* ms->irqchip: KVM's controllers, or NULL */
    IRQLine pirq_gsi[PIIX_NUM_ISA_IRQS];    /* the PIIX3's PIRQ outputs, ISA IRQ n */
    IRQLine testdev_gsi[PC_NUM_GSI];        /* pc-testdev's lines, ISA IRQ n = GSI n */
    uint32_t gsi_sources[PC_GSI_NUM_SOURCES];   /* per source, the GSIs it holds high */
    /* the board's own interrupt controllers and PIT: NULL with irqchip */
    I8259State *pic[2];          /* 8259A master (IRQ 0-7), slave (IRQ 8-15) */
    IRQLine pic_int;             /* the master's INT -> CPU 0's INTR */
    IOAPICState *ioapic;         /* at 0xFEC00000, pins = GSI 0-23 */
    APICBus apic_bus;            /* each CPU's local APIC (0xFEE00000), by CPU index */
    /* pc_intack's context of each CPU: the board and the CPU's APIC */
    struct PCCPUIntack {
        struct PCMachineState *pcms;
        APICState *apic;
    } intack[MACHINE_MAX_CPUS];
} PCMachineState;

/* Build the board for ms (see above).  Returns 0, or a negative errno with
 * *errp set; on failure the caller exits without running the machine. */
int pc_machine_init(MachineState *ms, Error **errp);

/* System reset, with every vCPU stopped and the machine lock held: reset
 * the devices and every CPU, then redo the boot step (-kernel image and
 * boot state; -bios runs from the CPU reset state).  Returns 0 or a
 * negative errno with *errp set. */
int pc_machine_reset(MachineState *ms, Error **errp);

#endif
