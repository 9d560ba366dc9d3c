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
#include "hw/i386/port92.h"
#include "hw/i386/boot.h"

/* Global system interrupts: the board's interrupt lines.  A device gets
 * &pcms->gsi[n] and only sets its level; pc_gsi_set fans each line out to
 * the interrupt controllers (the 8259 pair for GSI 0-15, the IOAPIC for
 * 0-23), so a device never knows which controller the guest programs.
 * ISA IRQ n is GSI n (the MADT states the PIT's IRQ 0 -> GSI 2 override). */
#define PC_NUM_GSI 24

typedef struct PCMachineState {
    MemoryRegion system_memory;  /* root of "memory", UINT64_MAX bytes */
    MemoryRegion system_io;      /* root of "I/O", 64 KiB */
    MemoryRegion ram_below_4g;   /* aliases of ms->ram */
    MemoryRegion ram_above_4g;
    MemoryRegion bios;           /* -bios ROM ending at 4 GiB */
    MemoryRegion isa_bios;       /* its last 128 KiB at 0xE0000 */
    X86RamLayout ram_layout;
    Chardev *serial_chr;         /* NULL with -serial none */
    SerialState *serial;
    DebugExitState *debug_exit;
    Port92State *port92;
    IRQLine a20_line;            /* port92 -> CPU 0's A20 gate */
    IRQLine gsi[PC_NUM_GSI];     /* device interrupt lines (pc_gsi_set) */
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
