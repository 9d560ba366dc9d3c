/*
 * test-watchpoint.c: the engine's watchpoint list (exec/watchpoint.h):
 * insert/remove by address, length and flags, slot exhaustion, removal by
 * owner, which BP_MEM_* kinds a page needs, the TLB_WATCHPOINT bit a fill
 * puts in the read/write tags; and x86's DR7 -> BP_CPU watchpoints
 * (write vs read-or-write, LEN masking, L/G enables, execute and I/O
 * breakpoints not installed).
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "exec/watchpoint.h"
#include "accel/tcg/internal.h"
#include "target-x86/internal.h"
#include "test.h"
#include "test-ram.h"

TEST_GLOBALS;

#define RAM_SIZE (64u << 10)

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct test_ram tram;
static X86CPU cpu;
static CPUState *cs = &cpu.parent;
static CPUX86State *env = &cpu.env;

static void setup(void)
{
    static bool once;

    if (!once) {
        cs->as = test_ram_init(&tram, ram, RAM_SIZE, "wp-test");
        once = true;
    }
    cpu_watchpoint_remove_all(cs, BP_CPU | BP_GDB);
    x86_cpu_reset(&cpu);
}

static void test_list(void)
{
    CPUWatchpoint *wp = NULL;

    setup();
    CHECK_EQ(cpu_watchpoint_insert(cs, 0x1000, 0, BP_GDB | BP_MEM_WRITE, NULL), -EINVAL);
    CHECK_EQ(cpu_watchpoint_insert(cs, 0x1000, 4, BP_GDB, NULL), -EINVAL);
    CHECK_EQ(cpu_watchpoint_insert(cs, 0x1ffe, 4, BP_GDB | BP_MEM_WRITE, &wp), 0);
    CHECK(wp && wp->vaddr == 0x1ffe && wp->len == 4);
    CHECK_EQ(cpu_watchpoint_page_flags(cs, 0x1234), BP_MEM_WRITE);
    CHECK_EQ(cpu_watchpoint_page_flags(cs, 0x2fff), BP_MEM_WRITE);   /* spills over */
    CHECK_EQ(cpu_watchpoint_page_flags(cs, 0x3000), 0);
    CHECK_EQ(cpu_watchpoint_page_flags(cs, 0x0fff), 0);
    CHECK_EQ(cpu_watchpoint_insert(cs, 0x2000, 1, BP_CPU | BP_MEM_READ, NULL), 0);
    CHECK_EQ(cpu_watchpoint_page_flags(cs, 0x2000), BP_MEM_ACCESS);
    CHECK_EQ(cpu_watchpoint_remove(cs, 0x1ffe, 4, BP_GDB | BP_MEM_READ), -ENOENT);
    CHECK_EQ(cpu_watchpoint_remove(cs, 0x1ffe, 4, BP_GDB | BP_MEM_WRITE), 0);
    CHECK_EQ(cpu_watchpoint_page_flags(cs, 0x1234), 0);
    CHECK_EQ(cs->wp.count, 1);
    for (unsigned i = 1; i < CPU_MAX_WATCHPOINTS; i++) {
        CHECK_EQ(cpu_watchpoint_insert(cs, 0x8000 + i, 1, BP_GDB | BP_MEM_WRITE, NULL), 0);
    }
    CHECK_EQ(cpu_watchpoint_insert(cs, 0x9000, 1, BP_GDB | BP_MEM_WRITE, NULL), -ENOSPC);
    cpu_watchpoint_remove_all(cs, BP_GDB);
    CHECK_EQ(cs->wp.count, 1);                       /* the BP_CPU one stays */
    CHECK_EQ(cpu_watchpoint_page_flags(cs, 0x2000), BP_MEM_READ);
}

static void test_tlb_tags(void)
{
    CPUTLBEntry *e;

    setup();
    e = tlb_entry(&env->tlb, 0, 0x3000);
    tlb_set_page(cs, 0x3000, 0x3000, PAGE_READ | PAGE_WRITE, 0);
    CHECK_EQ(e->addr_read, 0x3000);
    CHECK_EQ(e->addr_write & ~(uint64_t)TLB_NOTDIRTY, 0x3000);
    /* inserting flushes the page; the next fill carries the flag */
    CHECK_EQ(cpu_watchpoint_insert(cs, 0x3010, 8, BP_GDB | BP_MEM_WRITE, NULL), 0);
    CHECK_EQ(e->addr_write, TLB_INVALID);
    tlb_set_page(cs, 0x3000, 0x3000, PAGE_READ | PAGE_WRITE, 0);
    CHECK_EQ(e->addr_read, 0x3000);
    CHECK(e->addr_write & TLB_WATCHPOINT);
    cpu_watchpoint_remove_all(cs, BP_GDB);
    CHECK_EQ(e->addr_write, TLB_INVALID);
}

/* DR7 for DRn: enable bits, R/W, LEN code */
static uint64_t dr7_bp(int n, int en, int rw, int len)
{
    return ((uint64_t)en << (2 * n)) | ((uint64_t)rw << (16 + 4 * n)) |
           ((uint64_t)len << (18 + 4 * n));
}

static void test_x86_sync(void)
{
    setup();
    env->dr[0] = 0x4007;
    env->dr[1] = 0x5003;
    env->dr[2] = 0x6000;
    env->dr[3] = 0x80;
    env->dr[7] = 0x400 | dr7_bp(0, 1, 1, 2) | dr7_bp(1, 2, 3, 3) | dr7_bp(2, 1, 0, 0) |
                 dr7_bp(3, 1, 2, 0);
    x86_debug_sync_watchpoints(env);
    CHECK_EQ(cs->wp.count, 2);
    CHECK(env->cpu_watchpoint[0] && env->cpu_watchpoint[1]);
    CHECK(!env->cpu_watchpoint[2] && !env->cpu_watchpoint[3]);   /* execute, I/O */
    CHECK_EQ(env->cpu_watchpoint[0]->vaddr, 0x4000);             /* LEN 10: 8 bytes */
    CHECK_EQ(env->cpu_watchpoint[0]->len, 8);
    CHECK_EQ(env->cpu_watchpoint[0]->flags, BP_CPU | BP_MEM_WRITE);
    CHECK_EQ(env->cpu_watchpoint[1]->vaddr, 0x5000);             /* LEN 11: 4 bytes */
    CHECK_EQ(env->cpu_watchpoint[1]->len, 4);
    CHECK_EQ(env->cpu_watchpoint[1]->flags, BP_CPU | BP_MEM_ACCESS);
    CHECK(!x86_debug_io_armed(env));                              /* CR4.DE = 0 */
    env->cr[4] |= CR4_DE_MASK;
    CHECK(x86_debug_io_armed(env));
    env->cpu_watchpoint[1]->flags |= BP_WATCHPOINT_HIT_READ;
    CHECK_EQ(x86_debug_take_watch_hits(env), 2);
    CHECK_EQ(x86_debug_take_watch_hits(env), 0);
    env->dr[7] = 0x400;
    x86_debug_sync_watchpoints(env);
    CHECK_EQ(cs->wp.count, 0);
}

int main(void)
{
    RUN_TEST(test_list);
    RUN_TEST(test_tlb_tags);
    RUN_TEST(test_x86_sync);
    TEST_MAIN_END();
}
