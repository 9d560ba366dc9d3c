/*
 * apic.h: a local APIC (Intel SDM vol. 3 ch. 11), one per CPU.
 *
 * The APIC has three faces:
 *  - the guest's registers: xAPIC MMIO (apic->mmio, 4 KiB, which the board
 *    maps at the IA32_APIC_BASE address) or x2APIC MSRs 0x800-0x8FF;
 *  - the CPU's side (apic_msr_read/write, apic_get_cr8/set_cr8,
 *    apic_get_interrupt), which the board hands to the CPU through
 *    env->apic_ops, since target-x86 may not include hw/intc;
 *  - the board's side: apic_deliver (a message from the IOAPIC or an
 *    IPI), apic_set_lint (the LINT0/LINT1 pins; the 8259's INT is LINT0)
 *    and an EOI callback for level-triggered vectors (to the IOAPIC).
 * It drives its CPU's INTR (CPU_INTERRUPT_HARD) while it holds an
 * interrupt the CPU can take (a fixed vector above the processor priority,
 * or ExtINT on LINT0), and NMI directly.  Every entry point runs with the
 * machine lock held.
 *
 * SMP: the board puts every APIC on one APICBus.  An ICR write sends the
 * IPI to the APICs its shorthand or destination selects on the bus, and
 * an IOAPIC message goes through the same apic_bus_deliver.  Another
 * vCPU's APIC is device state (under the machine lock), but its CPU's
 * registers are not: INIT and SIPI only raise CPU_INTERRUPT_INIT/SIPI,
 * and the target's own thread calls apic_cpu_init / apic_cpu_sipi from
 * x86_cpu_exec_interrupt (QEMU's do_cpu_init / do_cpu_sipi).  Every
 * APIC's xAPIC page sits at the same address; an access reaches the
 * APIC of the vCPU that makes it (cpus_current()).
 *
 * Timer: the bus clock is APIC_BUS_HZ (1 GHz, QEMU's choice: one tick per
 * nanosecond of TIMER_CLOCK_VIRTUAL before the divider).
 */
#ifndef HW_INTC_APIC_H
#define HW_INTC_APIC_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "sysemu/timer.h"
#include "hw/core/cpu.h"

#define APIC_BUS_HZ          1000000000ull
#define APIC_DEFAULT_ADDRESS 0xfee00000ull
#define APIC_MMIO_SIZE       0x1000
#define APIC_LVT_NB          6       /* timer thermal PMC LINT0 LINT1 error */
#define APIC_BUS_MAX         64      /* the machine's MACHINE_MAX_CPUS */

/* Delivery modes (ICR, LVT, IOAPIC redirection entries: bits 10:8) */
enum {
    APIC_DM_FIXED = 0, APIC_DM_LOWEST = 1, APIC_DM_SMI = 2, APIC_DM_NMI = 4,
    APIC_DM_INIT = 5, APIC_DM_SIPI = 6, APIC_DM_EXTINT = 7,
};

/* IA32_APIC_BASE bits */
#define APIC_BASE_BSP    (1ull << 8)
#define APIC_BASE_EXTD   (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)

typedef struct APICState APICState;

/* The APIC bus: every local APIC of the machine, by its CPU's index. */
typedef struct APICBus {
    APICState *apic[APIC_BUS_MAX];
    unsigned n;                  /* apic[0..n-1] are set */
} APICBus;

/* The IOAPIC's EOI input: a level-triggered vector was EOIed */
typedef void (*APICEOIHandler)(void *opaque, uint8_t vector);

struct APICState {
    MemoryRegion mmio;
    CPUState *cpu;
    uint32_t id;                 /* APIC ID (xAPIC: bits 31:24 of the ID register) */
    uint64_t apicbase;           /* IA32_APIC_BASE */
    bool x2apic_supported;       /* the CPU model announces x2apic (EXTD writable) */
    bool tsc_deadline_supported; /* timer mode 10 allowed */
    uint8_t tpr;
    uint32_t svr, ldr, dfr;
    uint32_t isr[8], tmr[8], irr[8];
    uint32_t esr;                /* what the guest reads */
    uint32_t esr_pending;        /* errors since the last ESR write */
    uint32_t icr_lo, icr_hi;
    uint32_t lvt[APIC_LVT_NB];
    uint32_t initial_count, divide_conf;
    int64_t count_start_ns;      /* virtual time the count was (re)loaded */
    uint64_t tsc_deadline;       /* IA32_TSC_DEADLINE (0: disarmed) */
    int64_t tsc_deadline_ns;     /* ... as a virtual time */
    Timer timer;
    bool lint_level[2];
    APICBus *bus;                /* NULL: alone (IPIs reach only itself) */
    /* INIT/SIPI (SDM 8.4.4, 11.4.7.3): an AP after power-on or INIT waits
     * for a SIPI and takes nothing else; the last SIPI's vector waits for
     * the CPU's thread (apic_cpu_sipi) */
    bool wait_for_sipi;
    int sipi_vector;             /* -1: none */
    APICEOIHandler eoi_handler;
    void *eoi_opaque;
};

/* Create the APIC of cpu with the given ID (not mapped: the board maps
 * apic->mmio at apic_base_address()); bsp: the bootstrap processor. */
APICState *apic_init(CPUState *cpu, uint32_t id, bool bsp, bool x2apic, bool tsc_deadline);
void apic_set_eoi_handler(APICState *s, APICEOIHandler fn, void *opaque);
/* Power-on/INIT state: xAPIC mode at 0xFEE00000, software-disabled, every
 * LVT masked except the BSP's LINT0 = ExtINT (virtual wire, as firmware
 * leaves it, so the 8259 reaches the CPU). */
void apic_reset(APICState *s);
void apic_destroy(APICState *s);

/* The physical address of the xAPIC page and whether MMIO is live there
 * (globally enabled, not x2APIC). */
uint64_t apic_base_address(const APICState *s);

/* ---- the CPU's side ---- */
/* RDMSR/WRMSR of IA32_APIC_BASE (0x1B), IA32_TSC_DEADLINE (0x6E0; the
 * CPU converts TSC values: deadline_ns is the TIMER_CLOCK_VIRTUAL time the
 * TSC reaches val) and x2APIC registers 0x800-0x8FF.  false: #GP(0), and
 * nothing changed. */
bool apic_msr_read(APICState *s, uint32_t index, uint64_t *val);
bool apic_msr_write(APICState *s, uint32_t index, uint64_t val);
void apic_set_tsc_deadline(APICState *s, uint64_t tsc, int64_t deadline_ns);
/* CR8 = TPR[7:4] */
uint64_t apic_get_cr8(APICState *s);
void apic_set_cr8(APICState *s, uint64_t val);
/* Interrupt acknowledge: the highest IRR vector above the processor
 * priority moves to ISR and is returned; -1 if there is none.
 * apic_accept_pic: the CPU may take the 8259's vector (LINT0 ExtINT
 * unmasked, or the APIC globally disabled). */
int apic_get_interrupt(APICState *s);
bool apic_accept_pic(const APICState *s);
/* The spurious-interrupt vector (SVR[7:0]). */
uint8_t apic_spurious_vector(const APICState *s);

/* INIT on the CPU's own thread (X86APICOps.init): the APIC's INIT reset
 * (registers as at power-on, but the ID and IA32_APIC_BASE stay); true if
 * the CPU now waits for a SIPI (an AP), false for the BSP, which runs
 * from the reset vector. */
bool apic_cpu_init(APICState *s);
/* A SIPI, on the CPU's own thread (X86APICOps.sipi): its vector if the
 * APIC waited for one (it stops waiting), else -1: ignored. */
int apic_cpu_sipi(APICState *s);

/* ---- the board's side ---- */
/* Put s on bus as the APIC of CPU s->cpu->cpu_index (< APIC_BUS_MAX). */
void apic_bus_attach(APICBus *bus, APICState *s);
/* A message to the APICs on the bus that dest selects (apic_match_dest;
 * 0xFFFFFFFF is a broadcast in both modes): each one for fixed, NMI,
 * INIT, SIPI and ExtINT; for lowest priority the one with the lowest
 * arbitration priority (APR), the first of equals. */
void apic_bus_deliver(APICBus *bus, uint32_t dest, bool logical, unsigned mode,
                      uint8_t vector, bool level);
/* An interrupt message to this APIC: delivery mode, vector, level
 * triggered (TMR set, EOI goes back to the IOAPIC). */
void apic_deliver(APICState *s, unsigned mode, uint8_t vector, bool level);
/* Does the message's destination select this APIC?  dest: 8 bits in
 * xAPIC mode (0xFF broadcast), 32 in x2APIC; logical: LDR/DFR match. */
bool apic_match_dest(const APICState *s, uint32_t dest, bool logical);
/* The level of LINT0 (pin 0: the 8259's INT) or LINT1 (pin 1: NMI). */
void apic_set_lint(APICState *s, unsigned pin, int level);

/* xAPIC register access by offset (the MMIO ops; tests use them too). */
uint32_t apic_reg_read(APICState *s, uint32_t offset);
void apic_reg_write(APICState *s, uint32_t offset, uint32_t val);

#endif
