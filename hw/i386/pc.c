/*
 * pc.c: the PC board, the one place that decides where devices live.
 *
 * Memory map: RAM from 0 up to 3.5 GiB; RAM beyond that appears at 4 GiB
 * (two aliases of one RAM region, as QEMU's pc does), leaving the hole
 * below 4 GiB for devices.  Ports: COM1 16550A at 0x3f8 (GSI 4) and
 * isa-debug-exit where -device puts it, port 0x92 (A20 gate).  Then CPU 0
 * and either the -kernel image with its boot state, or the -bios ROM
 * (ending at 4 GiB, last 128 KiB at 0xE0000) run from the reset state.
 */
#include "util/osdep.h"
#include "hw/i386/pc.h"
#include "sysemu/runstate.h"
#include "target-x86/cpu.h"

#define PC_RAM_BELOW_4G_MAX 0xe0000000ull   /* 3.5 GiB; above: the PCI hole */
#define PC_IO_SIZE          0x10000ull
#define PC_COM1_BASE        0x3f8
#define PC_COM1_IRQ         4

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

/* A device's line changed level: tell every interrupt controller that
 * has an input for it (docs/pc.md, "Interrupt routing"). */
static void pc_gsi_set(void *opaque, int n, int level)
{
    PCMachineState *pcms = opaque;

    (void)pcms;
    (void)n;
    (void)level;                /* no interrupt controller yet */
}

static void pc_gsi_init(PCMachineState *pcms)
{
    for (int i = 0; i < PC_NUM_GSI; i++) {
        irq_line_init(&pcms->gsi[i], pc_gsi_set, pcms, i);
    }
}

static int pc_devices_init(MachineState *ms, PCMachineState *pcms, Error **errp)
{
    pc_gsi_init(pcms);
    if (strcmp(ms->serial, "none")) {
        pcms->serial_chr = chardev_new(ms->serial, errp);
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
    pcms->port92 = port92_init(&pcms->system_io, &pcms->a20_line);
    if (ms->bios_filename) {
        return pc_bios_load(&pcms->system_memory, &pcms->bios, &pcms->isa_bios,
                            ms->bios_filename, errp);
    }
    return 0;
}

/* Port 0x92's A20 line: the gate of the CPU (opaque). */
static void pc_a20_set(void *opaque, int n, int level)
{
    x86_cpu_set_a20(opaque, level != 0);
}

static int pc_boot_init(MachineState *ms, PCMachineState *pcms, X86CPU *cpu, Error **errp)
{
    uint64_t entry;
    int ret;

    if (!ms->kernel_filename) {
        return 0;               /* -bios: the firmware runs from the reset state */
    }
    /* A Multiboot header wins; otherwise an ELF64 boots in long mode. */
    ret = multiboot_boot(&ms->address_space_memory, &cpu->env, ms->kernel_filename,
                         ms->kernel_cmdline, ms->initrd_filename, &pcms->ram_layout, errp);
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

/* The devices with reset state, in order; RAM and ROM keep their contents. */
static void pc_devices_reset(PCMachineState *pcms)
{
    if (pcms->serial) {
        serial_reset(pcms->serial);
    }
    port92_reset(pcms->port92);
}

int pc_machine_reset(MachineState *ms, Error **errp)
{
    PCMachineState *pcms = ms->board;

    pc_devices_reset(pcms);
    for (unsigned i = 0; i < cpus_count(); i++) {
        CPUState *cs = cpus_get(i);

        cpu_reset_interrupt(cs, ~0u);
        x86_cpu_reset(container_of(cs, X86CPU, parent));
    }
    /* port92_reset opened the gate before the CPU reset; both agree */
    return pc_boot_init(ms, pcms, container_of(ms->cpus[0], X86CPU, parent), errp);
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
    if (ms->smp_cpus != 1) {
        error_setg(errp, "-smp %u: only 1 vCPU is supported yet", ms->smp_cpus);
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

    cpu = x86_cpu_create(0, &ms->address_space_memory, &ms->address_space_io, errp);
    if (!cpu) {
        return -EINVAL;
    }
    if (x86_cpu_configure(cpu, ms->cpu_model, ms->smp_cpus, errp) < 0) {
        x86_cpu_destroy(cpu);
        return -EINVAL;
    }
    ms->cpus[0] = &cpu->parent;
    cpus_register(&cpu->parent);
    irq_line_init(&pcms->a20_line, pc_a20_set, cpu, 0);

    return pc_boot_init(ms, pcms, cpu, errp);
}
