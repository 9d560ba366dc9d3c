/*
 * test-cpu-interrupt.c: the CPU side of external interrupts and NMIs
 * (docs/cpu.md): cpu_interrupt/cpu_reset_interrupt set and clear the
 * request and exit_request; x86_cpu_exec_interrupt takes a maskable
 * interrupt only with EFLAGS.IF and outside the interrupt shadow, asking
 * the board's acknowledge hook for the vector; an NMI is taken with IF
 * clear and blocks further NMIs until IRET.  A real-mode CPU over 1 MiB of
 * RAM, so delivery goes through the IVT and pushes a 6-byte frame.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "sysemu/runstate.h"
#include "accel/tcg/internal.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "test.h"
#include "test-ram.h"

TEST_GLOBALS;

#define RAM_SIZE (1u << 20)
#define PIC_VECTOR 0x20

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct test_ram tram;
static X86CPU cpu;
static CPUState *cs = &cpu.parent;
static CPUX86State *env = &cpu.env;
static int acks;

static int pic_ack(void *opaque)
{
    (void)opaque;
    acks++;
    return PIC_VECTOR;
}

static void set_ram_w(uint32_t a, uint16_t v) { memcpy(ram + a, &v, 2); }
static uint16_t ram_w(uint32_t a) { uint16_t v; memcpy(&v, ram + a, 2); return v; }

/* Real mode at 0000:0100, SP 0x8000; IVT: NMI -> 0200:0002, 0x20 -> 0300:0020. */
static void setup(void)
{
    static bool once;

    if (!once) {
        cs->as = test_ram_init(&tram, ram, RAM_SIZE, "irq-test");
        once = true;
    }
    memset(ram, 0, sizeof(ram));
    set_ram_w(2 * 4, 0x0002);
    set_ram_w(2 * 4 + 2, 0x0200);
    set_ram_w(PIC_VECTOR * 4, 0x0020);
    set_ram_w(PIC_VECTOR * 4 + 2, 0x0300);
    x86_cpu_reset(&cpu);
    cpu_x86_load_seg_cache(env, R_CS, 0, 0, 0xffff, env->segs[R_CS].flags);
    env->rip = 0x100;
    env->regs[R_ESP] = 0x8000;
    env->get_pic_interrupt = pic_ack;
    cs->interrupt_request = 0;
    cs->exit_request = 0;
    acks = 0;
}

static void test_request_bits(void)
{
    setup();
    cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    CHECK_EQ(cs->interrupt_request, CPU_INTERRUPT_HARD);
    CHECK_EQ(cs->exit_request, 1);
    cpu_interrupt(cs, CPU_INTERRUPT_NMI);
    CHECK_EQ(cs->interrupt_request, CPU_INTERRUPT_HARD | CPU_INTERRUPT_NMI);
    cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
    CHECK_EQ(cs->interrupt_request, CPU_INTERRUPT_NMI);
}

static void test_maskable(void)
{
    setup();
    cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    /* IF clear: pending, not acknowledged, no work for a halted CPU */
    CHECK(!tcg_cpu_has_work(cs));
    CHECK(!x86_cpu_exec_interrupt(cs, cs->interrupt_request));
    CHECK_EQ(acks, 0);
    /* IF set, in the shadow of STI / MOV SS */
    env->eflags |= IF_MASK;
    env->hflags |= HF_INHIBIT_IRQ_MASK;
    CHECK(tcg_cpu_has_work(cs));
    CHECK(!x86_cpu_exec_interrupt(cs, cs->interrupt_request));
    CHECK_EQ(acks, 0);
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    CHECK(x86_cpu_exec_interrupt(cs, cs->interrupt_request));
    CHECK_EQ(acks, 1);
    CHECK_EQ(cs->interrupt_request, 0);
    CHECK_EQ(env->segs[R_CS].selector, 0x0300);
    CHECK_EQ(env->rip, 0x0020);
    CHECK_EQ(env->regs[R_ESP], 0x8000 - 6);
    CHECK_EQ(ram_w(0x8000 - 6), 0x100);          /* return IP, CS, FLAGS */
    CHECK_EQ(ram_w(0x8000 - 4), 0);
    CHECK(ram_w(0x8000 - 2) & IF_MASK);
    CHECK(!(env->eflags & IF_MASK));
}

static void test_nmi_blocking(void)
{
    setup();
    cpu_interrupt(cs, CPU_INTERRUPT_NMI);
    CHECK(tcg_cpu_has_work(cs));                 /* IF does not mask an NMI */
    CHECK(x86_cpu_exec_interrupt(cs, cs->interrupt_request));
    CHECK_EQ(env->segs[R_CS].selector, 0x0200);
    CHECK_EQ(env->rip, 0x0002);
    CHECK(env->nmi_blocked);
    CHECK_EQ(acks, 0);
    /* a second NMI waits for IRET */
    cpu_interrupt(cs, CPU_INTERRUPT_NMI);
    CHECK(!tcg_cpu_has_work(cs));
    CHECK(!x86_cpu_exec_interrupt(cs, cs->interrupt_request));
    CHECK_EQ(cs->interrupt_request, CPU_INTERRUPT_NMI);
    helper_iret_real(env, 0);
    CHECK_EQ(env->rip, 0x100);
    CHECK(!env->nmi_blocked);
    CHECK(tcg_cpu_has_work(cs));
    CHECK(x86_cpu_exec_interrupt(cs, cs->interrupt_request));
    CHECK_EQ(env->rip, 0x0002);
    CHECK_EQ(cs->interrupt_request, 0);
}

int main(void)
{
    RUN_TEST(test_request_bits);
    RUN_TEST(test_maskable);
    RUN_TEST(test_nmi_blocking);
    TEST_MAIN_END();
}
