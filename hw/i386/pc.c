/*
 * pc.c: the PC board, the one place that decides where devices live.
 *
 * Memory map: RAM from 0 up to 3.5 GiB; RAM beyond that appears at 4 GiB
 * (two aliases of one RAM region, as QEMU's pc does), leaving the hole
 * below 4 GiB for devices.  Ports: COM1 16550A at 0x3f8 (GSI 4) and
 * isa-debug-exit where -device puts it, the POST port 0x80, port 0x92 (A20 gate), the 8254 PIT
 * at 0x40 (GSI 0) with port 0x61, the 8259A pair at 0x20/0xa0 (ELCR
 * 0x4d0) driving CPU 0's LINT0 and IOAPIC pin 0, the MC146818 RTC and CMOS at 0x70 (GSI 8;
 * memory sizes in CMOS: pc_cmos.c), the ACPI PM registers at 0x600 (SCI
 * on GSI 9), the reset control register at 0xcf9, the 8042 keyboard
 * controller at 0x60/0x64 (GSI 1 and 12; its A20 ORed with port 0x92's), the
 * PCI host bridge at 0xcf8/0xcfc (i440FX 00:00.0, PIIX3 00:01.0 routing
 * PIRQA-D to GSIs, ORed with the devices there: pc_gsi_source_set).
 * With -device pc-testdev, QEMU's test device at ports 0xe0-0xeb and
 * 0x2000-0x2017 (any GSI, a source of its own) and MMIO 0xff000000; with
 * -device pci-testdev, QEMU's PCI test function in the first free slot
 * from 4, after the virtio disks.
 * MMIO: the IOAPIC at 0xfec00000
 * (pins = GSIs), each CPU's local APIC at 0xfee00000, the HPET at 0xfed00000
 * (routes to GSI 20-23; legacy replacement takes IRQ 0 and 8 from the PIT
 * and RTC: pc_legacy_irq_set).  Then the -smp CPUs (pc_cpus_init: CPU 0
 * the BSP, the APs waiting for a SIPI, each with its APIC on one APICBus)
 * and either the -kernel image with its boot state, or the -bios ROM
 * (ending at 4 GiB, last 128 KiB at 0xE0000) run from the reset state.
 * A -kernel boot first gets ACPI tables at 0xF0000 (pc_acpi_init) and
 * SMBIOS tables at 0xF8000 (pc_smbios_init).
 * QEMU's fw_cfg at 0x510 (DMA register at 0x514) is filled after the
 * first boot step (pc_fw_cfg_init).
 * Under KVM's in-kernel irqchip (ms->irqchip, the default with -accel kvm)
 * the kernel has the 8259 pair, IOAPIC, local APICs, PIT and port 0x61:
 * the board builds none of them and gives each GSI's level to
 * ms->irqchip->set_gsi (pc_gsi_deliver); every other device stays.
 */
#include "util/osdep.h"
#include "hw/i386/pc.h"
#include "hw/i386/pc_cmos.h"
#include "hw/i386/acpi.h"
#include "hw/i386/fw_cfg.h"
#include "hw/ide/piix.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/smbios/smbios.h"
#include "sysemu/runstate.h"
#include "target-x86/cpu.h"

#define PC_RAM_BELOW_4G_MAX 0xe0000000ull   /* 3.5 GiB; above: the PCI hole */
#define PC_IO_SIZE          0x10000ull
#define PC_COM1_BASE        0x3f8
#define PC_COM1_IRQ         4
#define PC_POST_PORT        0x80     /* POST codes; io_delay */
#define PC_PIC_MASTER_BASE  0x20
#define PC_PIC_SLAVE_BASE   0xa0
#define PC_ELCR_BASE        0x4d0    /* ELCR1 (IRQ 0-7); ELCR2 (IRQ 8-15) at +1 */
#define PC_PIT_BASE         0x40
#define PC_PIT_IRQ          0
#define PC_RTC_IRQ          8
#define PC_KBD_IRQ          1
#define PC_AUX_IRQ          12       /* the 8042's mouse port */
#define PC_A20_PORT92       0        /* a20_line[] index per source */
#define PC_A20_I8042        1
#define PC_ACPI_BASE        0xf0000  /* ACPI tables: the BIOS area, in the legacy RSDP scan */
#define PC_ACPI_SIZE        0x8000
#define PC_SMBIOS_BASE      0xf8000  /* SMBIOS: after ACPI, in Linux's 0xF0000-0xFFFFF scan */
#define PC_SMBIOS_SIZE      0x8000
#define PC_ACPI_PM_BASE     0x600    /* PM1a_EVT, PM1a_CNT +4, PM_TMR +8 (PIIX4 PMBASE) */
#define PC_ACPI_SCI_IRQ     9
#define PC_HPET_BASE        0xfed00000u
#define PC_I440FX_DEVFN     PCI_DEVFN(0, 0)
#define PC_PIIX3_DEVFN      PCI_DEVFN(1, 0)
#define PC_PIIX_IDE_DEVFN   PCI_DEVFN(1, 1)   /* legacy IDE: primary IRQ 14, secondary 15 */
#define PC_VIRTIO_FIRST_SLOT 4              /* virtio-blk-pci: slots 4, 5, ... (docs/pc.md) */
#define PC_IDE0_IRQ         14
#define PC_IDE1_IRQ         15
#define PC_TESTDEV_IOBASE   0xe0     /* pc-testdev: QEMU's addresses */
#define PC_TESTDEV_IRQBASE  0x2000
#define PC_TESTDEV_IOMEM    0xff000000u

static void pc_memory_init(MachineState *ms, PCMachineState *pcms)
{
    uint64_t below = MIN(ms->ram_size, PC_RAM_BELOW_4G_MAX);
    uint64_t above = ms->ram_size - below;

    memory_region_init_alias(&pcms->ram_below_4g, "ram-below-4g", &ms->ram, 0, below);
    memory_region_add_subregion(&pcms->system_memory, 0, &pcms->ram_below_4g);
    if (above) {
        memory_region_init_alias(&pcms->ram_above_4g, "ram-above-4g", &ms->ram, below, above);
        memory_region_add_subregion(&pcms->system_memory, X86_ABOVE_4G_BASE,
                                    &pcms->ram_above_4g);
    }
    pcms->ram_layout.below_4g = below;
    pcms->ram_layout.above_4g = above;
}

/* GSI n's level to the interrupt controllers: the accelerator's (KVM's
 * in-kernel irqchip), or the board's own, with the inputs pc.h's
 * pc_gsi_pic_irq / pc_gsi_ioapic_pin give (IOAPIC pin 0 is the 8259's
 * INT: pc_pic_int_set). */
static void pc_gsi_deliver(PCMachineState *pcms, unsigned n, int level)
{
    if (pcms->irqchip) {
        pcms->irqchip->set_gsi(n, level);
        return;
    }
    if (pc_gsi_pic_irq(n) >= 0) {
        irq_line_set(&pcms->pic[n >> 3]->in[n & 7], level);
    }
    ioapic_set_irq(pcms->ioapic, pc_gsi_ioapic_pin(n), level);
}

/* A source of GSI n changed level.  A GSI is the wired OR of its
 * sources (PCGSISource), as on a shared level-triggered line: a PCI INTx
 * the guest routes by PIRQRC onto the SCI's IRQ 9, or onto an ISA
 * device's IRQ, does not overwrite that device's level.  The OR goes to
 * every interrupt controller with an input for the GSI (docs/pc.md,
 * "Interrupt routing"), on every change of a source, as before sharing. */
static void pc_gsi_source_set(PCMachineState *pcms, PCGSISource src, int n, int level)
{
    uint32_t any = 0;

    pcms->gsi_sources[src] = level ? pcms->gsi_sources[src] | 1u << n
                                   : pcms->gsi_sources[src] & ~(1u << n);
    for (unsigned i = 0; i < PC_GSI_NUM_SOURCES; i++) {
        any |= pcms->gsi_sources[i];
    }
    pc_gsi_deliver(pcms, n, (any >> n) & 1);
}

/* pcms->gsi[n]: the line of the board's devices. */
static void pc_gsi_set(void *opaque, int n, int level)
{
    pc_gsi_source_set(opaque, PC_GSI_SRC_DEVICE, n, level);
}

/* pcms->testdev_gsi[n]: pc-testdev's line for ISA IRQ n.  A source of its
 * own, so that a guest lowering it does not take a device's level away. */
static void pc_testdev_gsi_set(void *opaque, int n, int level)
{
    pc_gsi_source_set(opaque, PC_GSI_SRC_TESTDEV, n, level);
}

/* pcms->pirq_gsi[n]: the PIIX3's PCI interrupt router output for ISA IRQ n. */
static void pc_pirq_gsi_set(void *opaque, int n, int level)
{
    pc_gsi_source_set(opaque, PC_GSI_SRC_PIRQ, n, level);
}

/* The PIT's (ISA IRQ 0) and the RTC's (IRQ 8) outputs: cut off from their
 * GSI while the HPET's LEG_RT_CNF gives those IRQs to its timers 0 and 1
 * (HPET spec, GEN_CONF LEG_RT_CNF; QEMU's hpet legacy hooks do the same). */
static void pc_legacy_irq_set(void *opaque, int n, int level)
{
    PCMachineState *pcms = opaque;

    pcms->legacy_level = (pcms->legacy_level & ~(1u << n)) | (uint32_t)!!level << n;
    if (!hpet_legacy_mode(pcms->hpet)) {
        irq_line_set(&pcms->gsi[n], level);
    }
}

/* LEG_RT_CNF changed: set, the PIT and RTC let go of IRQ 0 and 8 before
 * the HPET drives them; clear, they take them back after it let go. */
static void pc_hpet_leg_rt_set(void *opaque, int n, int level)
{
    PCMachineState *pcms = opaque;
    static const int irqs[] = { PC_PIT_IRQ, PC_RTC_IRQ };

    for (unsigned i = 0; i < ARRAY_SIZE(irqs); i++) {
        if (irqs[i] == PC_PIT_IRQ && pcms->irqchip) {
            /* the kernel's PIT: KVM gates its IRQ 0 itself */
            pcms->irqchip->set_pit_hpet_legacy(level);
            continue;
        }
        irq_line_set(&pcms->gsi[irqs[i]], !level && (pcms->legacy_level >> irqs[i]) & 1);
    }
}

/* The master 8259's INT: the BSP's LINT0 only (which passes it to INTR
 * in ExtINT mode) and IOAPIC pin 0.  The CPUs are created after the
 * devices, with INT low. */
static void pc_pic_int_set(void *opaque, int n, int level)
{
    MachineState *ms = opaque;
    PCMachineState *pcms = ms->board;

    ioapic_set_irq(pcms->ioapic, 0, level);
    if (pcms->apic_bus.apic[0]) {
        apic_set_lint(pcms->apic_bus.apic[0], 0, level);
    }
}

/* A CPU's INTA cycle (env->get_pic_interrupt, opaque: its PCCPUIntack):
 * its local APIC's highest deliverable vector first; else, if it is the
 * BSP's (whose LINT0 the 8259 drives) and LINT0 lets the 8259 through,
 * the 8259's INTA cycle (IR7 if its request went away); the APIC
 * re-asserts INTR while either has more.  Else the APIC's spurious vector
 * (SDM 11.9). */
static int pc_intack(void *opaque)
{
    struct PCCPUIntack *ctx = opaque;
    PCMachineState *pcms = ctx->pcms;
    APICState *apic = ctx->apic;
    int vector = apic_get_interrupt(apic);

    if (vector >= 0) {
        return vector;
    }
    if (apic == pcms->apic_bus.apic[0] && apic_accept_pic(apic)) {
        vector = i8259_intack(pcms->pic[0]);
        apic_set_lint(apic, 0, pcms->pic[0]->int_level > 0);
        return vector;
    }
    return apic_spurious_vector(apic);
}

/* An IOAPIC message: to every local APIC the destination selects (one
 * for lowest priority: apic_bus_deliver); 0xFF is a broadcast in x2APIC
 * mode too. */
static void pc_ioapic_deliver(void *opaque, unsigned mode, uint8_t vector, uint8_t dest,
                              bool logical, bool level)
{
    PCMachineState *pcms = opaque;

    apic_bus_deliver(&pcms->apic_bus, dest == 0xff ? 0xffffffffu : dest, logical, mode,
                     vector, level);
}

static const X86APICOps pc_apic_ops = {
    .msr_read = apic_msr_read,
    .msr_write = apic_msr_write,
    .set_tsc_deadline = apic_set_tsc_deadline,
    .get_cr8 = apic_get_cr8,
    .set_cr8 = apic_set_cr8,
    .init = apic_cpu_init,
    .sipi = apic_cpu_sipi,
};

_Static_assert(MACHINE_MAX_CPUS <= APIC_BUS_MAX, "an APIC bus slot per CPU");

/* CPU n's local APIC, with the APIC ID of its place in the topology: on
 * the APIC bus, its xAPIC page over whatever is at its address (every
 * APIC's at the same one: apic.c gives an access to the caller's),
 * level-triggered EOIs to the IOAPIC, and the CPU's side of it. */
static void pc_apic_init(MachineState *ms, PCMachineState *pcms, X86CPU *cpu, unsigned n)
{
    CPUX86State *env = &cpu->env;
    /* x2APIC mode and the TSC-deadline timer as the CPU model announces them */
    APICState *apic = apic_init(&cpu->parent, x86_topo_apic_id(&ms->smp, n), n == 0,
                                env->cpuid_ext_features & (1u << 21),
                                env->cpuid_ext_features & (1u << 24));

    apic_set_eoi_handler(apic, ioapic_eoi, pcms->ioapic);
    apic_bus_attach(&pcms->apic_bus, apic);
    memory_region_add_subregion_overlap(&pcms->system_memory, apic_base_address(apic),
                                        &apic->mmio, 1);
    pcms->intack[n] = (struct PCCPUIntack){ pcms, apic };
    env->apic_ops = &pc_apic_ops;
    env->apic = apic;
    env->get_pic_interrupt = pc_intack;
    env->pic_opaque = &pcms->intack[n];
}

/* The 8259A pair with the PIIX ELCR; IRQ 0, 1, 2, 8 and 13 are always
 * edge triggered there (their ELCR bits read 0). */
static void pc_pic_init(MachineState *ms, PCMachineState *pcms)
{
    irq_line_init(&pcms->pic_int, pc_pic_int_set, ms, 0);
    pcms->pic[0] = i8259_init(&pcms->system_io, PC_PIC_MASTER_BASE, PC_ELCR_BASE, 0xf8,
                              &pcms->pic_int);
    pcms->pic[1] = i8259_init(&pcms->system_io, PC_PIC_SLAVE_BASE, PC_ELCR_BASE + 1, 0xde,
                              NULL);
    i8259_cascade(pcms->pic[0], PC_PIC_CASCADE_IRQ, pcms->pic[1]);
}

static void pc_gsi_init(PCMachineState *pcms)
{
    for (int i = 0; i < PC_NUM_GSI; i++) {
        irq_line_init(&pcms->gsi[i], pc_gsi_set, pcms, i);
        irq_line_init(&pcms->testdev_gsi[i], pc_testdev_gsi_set, pcms, i);
    }
    for (int i = 0; i < PIIX_NUM_ISA_IRQS; i++) {
        irq_line_init(&pcms->pirq_gsi[i], pc_pirq_gsi_set, pcms, i);
    }
}

/* The i440FX board's INTx wiring (QEMU's pci_slot_get_pirq): slot s's
 * INTA# is PIRQ (s - 1) mod 4, INTB# the next, so slot 1 starts at PIRQA. */
static int pc_pci_map_irq(uint8_t devfn, int pin)
{
    return (pin + PCI_SLOT(devfn) - 1) & 3;
}

/* PCI bus 0 behind the 0xCF8/0xCFC host bridge (docs/pc.md, "PCI"): BARs
 * map into system memory and the port space; the PIIX3 routes PIRQA-D to
 * ISA IRQs = GSIs 0-15, shared with the ISA devices (pc_gsi_source_set). */
static void pc_pci_init(PCMachineState *pcms)
{
    pcms->pci_bus = pci_bus_new(&pcms->system_memory, &pcms->system_io);
    pcms->pci_host = pci_host_init(&pcms->system_io, PCI_HOST_CONFIG_ADDR, pcms->pci_bus);
    pcms->i440fx = i440fx_init(pcms->pci_bus, PC_I440FX_DEVFN);
    pcms->piix3 = piix3_init(pcms->pci_bus, PC_PIIX3_DEVFN, pcms->pirq_gsi);
    pci_bus_set_irq_router(pcms->pci_bus, pc_pci_map_irq, piix3_set_pirq, pcms->piix3);
}

/* -device pci-testdev: the first free slot from 4 (QEMU's -device pci-testdev
 * is 00:04.0 too, after its default VGA and NIC). */
static int pc_pci_testdev_init(PCMachineState *pcms, Error **errp)
{
    unsigned slot = PC_VIRTIO_FIRST_SLOT;

    while (slot < PCI_SLOT_MAX && pci_bus_find(pcms->pci_bus, PCI_DEVFN(slot, 0))) {
        slot++;
    }
    if (slot >= PCI_SLOT_MAX) {
        error_setg(errp, "-device pci-testdev: no free PCI slot");
        return -EINVAL;
    }
    pcms->pci_testdev = pci_testdev_new(pcms->pci_bus, PCI_DEVFN(slot, 0));
    return 0;
}

static int pc_devices_init(MachineState *ms, PCMachineState *pcms, Error **errp)
{
    pc_gsi_init(pcms);
    pcms->irqchip = ms->irqchip;
    if (!pcms->irqchip) {
        pcms->ioapic = ioapic_init(pc_ioapic_deliver, pcms);
        memory_region_add_subregion(&pcms->system_memory, IOAPIC_DEFAULT_ADDRESS,
                                    &pcms->ioapic->mmio);
        pc_pic_init(ms, pcms);  /* first: the devices drive their lines at init */
    }
    if (strcmp(ms->serial, "none")) {
        pcms->serial_chr = chardev_new("-serial", ms->serial, errp);
        if (!pcms->serial_chr) {
            return -EINVAL;
        }
        pcms->serial = serial_init(&pcms->system_io, PC_COM1_BASE, &pcms->gsi[PC_COM1_IRQ],
                                   pcms->serial_chr);
    }
    if (ms->debug_exit) {
        pcms->debug_exit = debugexit_init(&pcms->system_io, ms->debug_exit_iobase,
                                          ms->debug_exit_iosize);
    }
    if (ms->pc_testdev) {
        _Static_assert(PC_TESTDEV_IRQS <= PC_NUM_GSI, "a GSI per testdev line");
        pcms->pc_testdev = pc_testdev_init(&pcms->system_io, PC_TESTDEV_IOBASE,
                                           PC_TESTDEV_IRQBASE, &pcms->system_memory,
                                           PC_TESTDEV_IOMEM, pcms->testdev_gsi);
    }
    pcms->ioport80 = ioport80_init(&pcms->system_io, PC_POST_PORT);
    pcms->port92 = port92_init(&pcms->system_io, &pcms->a20_line[PC_A20_PORT92]);
    pcms->a20_sources = 1u << PC_A20_PORT92;   /* port 0x92's power-on value; the 8042's is 0 */
    pcms->i8042 = i8042_init(&pcms->system_io, I8042_DATA_PORT, &pcms->gsi[PC_KBD_IRQ],
                             &pcms->gsi[PC_AUX_IRQ], &pcms->a20_line[PC_A20_I8042],
                             &pcms->kbc_reset);
    /* before the PIT and RTC: their lines pass its legacy switch */
    irq_line_init(&pcms->hpet_leg_rt, pc_hpet_leg_rt_set, pcms, 0);
    pcms->hpet = hpet_init(pcms->gsi, &pcms->hpet_leg_rt);
    memory_region_add_subregion(&pcms->system_memory, PC_HPET_BASE, &pcms->hpet->mmio);
    irq_line_init(&pcms->pit_irq, pc_legacy_irq_set, pcms, PC_PIT_IRQ);
    irq_line_init(&pcms->rtc_irq, pc_legacy_irq_set, pcms, PC_RTC_IRQ);
    if (!pcms->irqchip) {
        /* else KVM's PIT, and its speaker port answers 0x61 (KVM_PIT_SPEAKER_DUMMY) */
        pcms->pit = pit_init(&pcms->system_io, PC_PIT_BASE, &pcms->pit_irq);
        pcms->port61 = port61_init(&pcms->system_io, pcms->pit);
    }
    pcms->rtc = rtc_init(&pcms->system_io, RTC_ISA_BASE, &pcms->rtc_irq,
                         ms->rtc_shift_ns);
    pc_cmos_init(pcms->rtc, &pcms->ram_layout, ms->smp.cpus);
    pcms->acpi_pm = acpi_pm_init(&pcms->system_io, PC_ACPI_PM_BASE,
                                 &pcms->gsi[PC_ACPI_SCI_IRQ]);
    pcms->portcf9 = portcf9_init(&pcms->system_io);
    pcms->fw_cfg = fw_cfg_init(&ms->address_space_memory);
    memory_region_add_subregion(&pcms->system_io, FW_CFG_IO_BASE, &pcms->fw_cfg->ports);
    memory_region_add_subregion(&pcms->system_io, FW_CFG_IO_BASE + FW_CFG_DMA_OFFSET,
                                &pcms->fw_cfg->dma);
    pc_pci_init(pcms);
    /* always there, as in QEMU's pc machine, with or without drives */
    if (piix_ide_attach_drives(piix_ide_init(pcms->pci_bus, PC_PIIX_IDE_DEVFN,
                                             &pcms->gsi[PC_IDE0_IRQ], &pcms->gsi[PC_IDE1_IRQ],
                                             &ms->address_space_memory),
                               ms->drives, errp) < 0) {
        return -EINVAL;
    }
    if (virtio_blk_pci_attach_drives(pcms->pci_bus, PC_VIRTIO_FIRST_SLOT,
                                     &ms->address_space_memory, ms->drives, errp) < 0) {
        return -EINVAL;
    }
    if (ms->pci_testdev && pc_pci_testdev_init(pcms, errp) < 0) {
        return -EINVAL;
    }
    if (ms->bios_filename) {
        return pc_bios_load(&pcms->system_memory, &pcms->bios, &pcms->isa_bios,
                            ms->bios_filename, errp);
    }
    return 0;
}

/* A20 source n (PC_A20_*) changed: the BSP's gate is open while either
 * port 0x92 bit 1 or the 8042's output port bit 1 is set, as the PIIX ORs
 * ALT_A20 with the A20GATE pin (QEMU lets the last writer win instead).
 * The APs keep theirs open: x86_cpu_set_a20 flushes a TLB, which only the
 * CPU's own thread may do, and an OS opens A20 before it starts APs. */
static void pc_a20_set(void *opaque, int n, int level)
{
    PCMachineState *pcms = opaque;

    pcms->a20_sources = level ? pcms->a20_sources | 1u << n : pcms->a20_sources & ~(1u << n);
    if (cpus_count()) {
        x86_cpu_set_a20(container_of(cpus_get(0), X86CPU, parent), pcms->a20_sources != 0);
    }
}

/* The 8042's reset output pulsed (command 0xFE, output port bit 0). */
static void pc_kbc_reset(void *opaque, int n, int level)
{
    if (level) {
        runstate_request_reset();
    }
}

/* Write the ACPI tables (docs/pc.md, "Firmware tables") and note them in
 * pcms->boot_fw for the loaders' e820 map and boot_params. */
static int pc_acpi_init(MachineState *ms, PCMachineState *pcms, Error **errp)
{
    uint32_t apic_ids[MACHINE_MAX_CPUS];
    AcpiConfig cfg = {
        .num_cpus = ms->smp.cpus,
        .apic_ids = apic_ids,
        .ram_below_4g = pcms->ram_layout.below_4g,
        .pm_io_base = PC_ACPI_PM_BASE,
        .sci_gsi = PC_ACPI_SCI_IRQ,
        .ioapic_addr = IOAPIC_DEFAULT_ADDRESS,
        .hpet_addr = PC_HPET_BASE,
        .pci_map_irq = pc_pci_map_irq,
    };

    for (unsigned i = 0; i < ms->smp.cpus; i++) {
        apic_ids[i] = x86_topo_apic_id(&ms->smp, i);
    }
    return acpi_tables_install(&ms->address_space_memory, &cfg, PC_ACPI_BASE, PC_ACPI_SIZE,
                               &pcms->boot_fw, errp);
}

/* Write the SMBIOS tables (docs/pc.md, "Firmware tables"): the CPUs as
 * CPUID describes them, RAM as the board laid it out. */
static int pc_smbios_init(MachineState *ms, PCMachineState *pcms, X86CPU *cpu, Error **errp)
{
    SmbiosConfig cfg = {
        .sockets = ms->smp.sockets,
        .cores = ms->smp.cores * ms->smp.threads,
        .cpu_signature = cpu->env.cpuid_version,
        .cpu_features = cpu->env.cpuid_features,
        .cpu_version = cpu->env.cpuid_model_id,
        .ram_below_4g = pcms->ram_layout.below_4g,
        .ram_above_4g = pcms->ram_layout.above_4g,
        .uuid = ms->uuid,
    };

    return smbios_tables_install(&ms->address_space_memory, &cfg, PC_SMBIOS_BASE,
                                 PC_SMBIOS_SIZE, errp);
}

static int pc_boot_init(MachineState *ms, PCMachineState *pcms, X86CPU *cpu, Error **errp)
{
    uint64_t entry;
    int ret;

    if (!ms->kernel_filename) {
        return 0;               /* -bios: the firmware runs from the reset state */
    }
    ret = pc_acpi_init(ms, pcms, errp);
    if (ret == 0) {
        ret = pc_smbios_init(ms, pcms, cpu, errp);
    }
    if (ret < 0) {
        return ret;
    }
    /* A bzImage, then a Multiboot header; otherwise an ELF64 boots in long mode. */
    ret = linux_boot(&ms->address_space_memory, &cpu->env, ms->kernel_filename,
                     ms->kernel_cmdline, ms->initrd_filename, &pcms->ram_layout,
                     &pcms->boot_fw, errp);
    if (ret == 0) {
        ret = multiboot_boot(&ms->address_space_memory, &cpu->env, ms->kernel_filename,
                             ms->kernel_cmdline, ms->initrd_filename, &pcms->ram_layout,
                             &pcms->boot_fw, errp);
    }
    if (ret != 0) {
        return ret < 0 ? ret : 0;
    }
    ret = elf_kernel_load(&ms->address_space_memory, ms->kernel_filename, &pcms->ram_layout,
                          &entry, errp);
    if (ret < 0) {
        return ret;
    }
    if (ms->initrd_filename) {
        error_setg(errp, "-initrd %s: an initrd with an ELF kernel is not supported yet",
                   ms->initrd_filename);
        return -EINVAL;
    }
    return x86_boot_longmode_setup(&ms->address_space_memory, &cpu->env, entry,
                                   ms->ram_size, ms->kernel_cmdline, errp);
}

/* The fw_cfg items (docs/pc.md, "fw_cfg"), once: after the first boot
 * step, so that its e820 map has the ACPI tables' ranges. */
static int pc_fw_cfg_init(MachineState *ms, PCMachineState *pcms, Error **errp)
{
    X86FwCfgConfig cfg = {
        .ram_size = ms->ram_size,
        .num_cpus = ms->smp.cpus,
        .max_cpus = ms->smp.max_cpus,
        .ram = &pcms->ram_layout,
        .fw = &pcms->boot_fw,
        .files = ms->fw_cfg,
        .num_files = ms->fw_cfg_count,
    };

    return x86_fw_cfg_build(pcms->fw_cfg, &cfg, errp);
}

/* The interrupt controllers and the PIT, the board's or the accelerator's
 * (the local APICs: with their CPU). */
static void pc_irqchip_reset(PCMachineState *pcms)
{
    if (pcms->irqchip) {
        pcms->irqchip->reset();
        return;
    }
    i8259_reset(pcms->pic[0]);
    i8259_reset(pcms->pic[1]);
    ioapic_reset(pcms->ioapic);
    pit_reset(pcms->pit);
    port61_reset(pcms->port61);
}

/* The devices with reset state, in order; RAM and ROM keep their contents. */
static void pc_devices_reset(PCMachineState *pcms)
{
    pc_irqchip_reset(pcms);
    if (pcms->serial) {
        serial_reset(pcms->serial);
    }
    if (pcms->pc_testdev) {
        pc_testdev_reset(pcms->pc_testdev);
    }
    port92_reset(pcms->port92);
    i8042_reset(pcms->i8042);
    rtc_reset(pcms->rtc);
    hpet_reset(pcms->hpet);
    acpi_pm_reset(pcms->acpi_pm);
    portcf9_reset(pcms->portcf9);
    fw_cfg_reset(pcms->fw_cfg);
    pci_host_reset(pcms->pci_host);
    pci_bus_reset(pcms->pci_bus);
}

/* CPU n at power-on (the vCPUs stopped, or not started yet): the
 * architectural reset state and its APIC's; an AP then waits for a SIPI
 * (halted; under KVM's irqchip the kernel keeps that state instead). */
static void pc_cpu_reset(PCMachineState *pcms, CPUState *cs, unsigned n)
{
    APICState *apic = pcms->apic_bus.apic[n];

    cpu_reset_interrupt(cs, ~0u);
    x86_cpu_reset(container_of(cs, X86CPU, parent));
    if (apic) {                 /* else KVM's, reset with the vCPU state */
        apic_reset(apic);
        cs->halted = apic->wait_for_sipi;
    }
}

int pc_machine_reset(MachineState *ms, Error **errp)
{
    PCMachineState *pcms = ms->board;

    pc_devices_reset(pcms);
    for (unsigned i = 0; i < cpus_count(); i++) {
        pc_cpu_reset(pcms, cpus_get(i), i);
    }
    /* port92_reset opened the gate before the CPU reset (the OR with the
     * 8042's closed A20 bit is open); both agree */
    return pc_boot_init(ms, pcms, container_of(ms->cpus[0], X86CPU, parent), errp);
}

/* The -smp CPUs: the same model, each its own APIC ID (x86_topo_apic_id)
 * and local APIC; CPU 0 is the BSP, the others start waiting for a SIPI.
 * Each is registered (cpus_register) and gets its vCPU thread later. */
static int pc_cpus_init(MachineState *ms, PCMachineState *pcms, Error **errp)
{
    for (unsigned i = 0; i < ms->smp.cpus; i++) {
        X86CPU *cpu = x86_cpu_create((int)i, &ms->address_space_memory,
                                     &ms->address_space_io, errp);

        if (!cpu) {
            return -EINVAL;
        }
        if (x86_cpu_configure(cpu, ms->cpu_model, &ms->smp, ms->host_cpu_ok, errp) < 0) {
            x86_cpu_destroy(cpu);
            return -EINVAL;
        }
        ms->cpus[i] = &cpu->parent;
        cpus_register(&cpu->parent);
        if (!pcms->irqchip) {
            pc_apic_init(ms, pcms, cpu, i);
        }
        pc_cpu_reset(pcms, &cpu->parent, i);
    }
    return 0;
}

int pc_machine_init(MachineState *ms, Error **errp)
{
    PCMachineState *pcms;
    X86CPU *cpu;
    int ret;

    if (!ms->kernel_filename && !ms->bios_filename) {
        error_setg(errp, "no guest to run: use -kernel FILE or -bios FILE");
        return -EINVAL;
    }
    if (ms->kernel_filename && ms->bios_filename) {
        error_setg(errp, "-bios %s with -kernel %s: not supported yet (the firmware "
                   "would have to load the kernel); use one of them",
                   ms->bios_filename, ms->kernel_filename);
        return -EINVAL;
    }
    if (ms->smp.cpus < 1 || ms->smp.cpus > MACHINE_MAX_CPUS || !ms->smp.sockets ||
        !ms->smp.cores || !ms->smp.threads) {
        error_setg(errp, "-smp %u: the pc machine takes 1 to %u CPUs", ms->smp.cpus,
                   MACHINE_MAX_CPUS);
        return -EINVAL;
    }

    pcms = tern_malloc0(sizeof(*pcms));
    ms->board = pcms;
    memory_region_init_container(&pcms->system_memory, "system", UINT64_MAX);
    memory_region_init_container(&pcms->system_io, "io", PC_IO_SIZE);
    ms->system_memory = &pcms->system_memory;
    ms->system_io = &pcms->system_io;
    ret = memory_region_init_ram(&ms->ram, "pc.ram", ms->ram_size, errp);
    if (ret < 0) {
        return ret;
    }

    memory_region_transaction_begin();
    pc_memory_init(ms, pcms);
    ret = pc_devices_init(ms, pcms, errp);
    memory_region_transaction_commit();
    if (ret < 0) {
        return ret;
    }
    address_space_init(&ms->address_space_memory, &pcms->system_memory, "memory");
    address_space_init(&ms->address_space_io, &pcms->system_io, "I/O");

    ret = pc_cpus_init(ms, pcms, errp);
    if (ret < 0) {
        return ret;
    }
    cpu = container_of(ms->cpus[0], X86CPU, parent);
    irq_line_init(&pcms->a20_line[PC_A20_PORT92], pc_a20_set, pcms, PC_A20_PORT92);
    irq_line_init(&pcms->a20_line[PC_A20_I8042], pc_a20_set, pcms, PC_A20_I8042);
    irq_line_init(&pcms->kbc_reset, pc_kbc_reset, pcms, 0);

    ret = pc_boot_init(ms, pcms, cpu, errp);
    if (ret < 0) {
        return ret;
    }
    return pc_fw_cfg_init(ms, pcms, errp);
}
