/*
 * test-mttcg.c: the pieces of multi-threaded TCG that need no guest:
 * host_atomic_cmpxchg/16 (exec/host-atomic.h) alone and raced by threads,
 * exclusive sections (start_exclusive waits for every running vCPU and
 * keeps them out until end_exclusive) and async_run_on_cpu (work runs on
 * the target vCPU's thread, in order).  The "vCPUs" are bare CPUStates
 * registered with cpus_register and driven by test threads.
 */
#include "util/osdep.h"
#include "sysemu/runstate.h"
#include "exec/host-atomic.h"
#include "accel/tcg/internal.h"
#include "test.h"

#include <pthread.h>
#include <unistd.h>

TEST_GLOBALS;

#define NTHREADS 4
#define ITERS 20000

/* ---- host atomics ------------------------------------------------------- */

static void test_host_cmpxchg_sizes(void)
{
    uint64_t word = 0x1122334455667788ull;
    uint8_t *b = (uint8_t *)&word;

    /* success returns old and stores only size bytes of new */
    CHECK_EQ(host_atomic_cmpxchg(b, 1, 0x88, 0x1ff), 0x88);
    CHECK_EQ(word, 0x11223344556677ffull);
    /* failure returns what is there and stores nothing */
    CHECK_EQ(host_atomic_cmpxchg(b, 2, 0x1234, 0), 0x77ff);
    CHECK_EQ(word, 0x11223344556677ffull);
    CHECK_EQ(host_atomic_cmpxchg(b, 4, 0x556677ff, 0xdeadbeef), 0x556677ff);
    CHECK_EQ(word, 0x11223344deadbeefull);
    CHECK_EQ(host_atomic_cmpxchg(b, 8, 0x11223344deadbeefull, 7), 0x11223344deadbeefull);
    CHECK_EQ(word, 7);
}

static void test_host_cmpxchg16(void)
{
    uint64_t m[2] __attribute__((aligned(16))) = { 1, 2 };
    uint64_t lo = 1, hi = 3;

    CHECK(!host_atomic_cmpxchg16(m, &lo, &hi, 5, 6));
    CHECK_EQ(lo, 1);
    CHECK_EQ(hi, 2);
    CHECK_EQ(m[0], 1);
    CHECK(host_atomic_cmpxchg16(m, &lo, &hi, 5, 6));
    CHECK_EQ(m[0], 5);
    CHECK_EQ(m[1], 6);
}

static uint16_t shared16;
static uint64_t shared128[2] __attribute__((aligned(16)));

/* each thread adds 1 ITERS times with load + CAS loops, as translated
 * LOCK ADD / CMPXCHG16B do */
static void *cas_adder(void *opaque)
{
    for (int i = 0; i < ITERS; i++) {
        uint16_t old = __atomic_load_n(&shared16, __ATOMIC_RELAXED);
        uint64_t lo = 0, hi = 0;

        while (host_atomic_cmpxchg(&shared16, 2, old, old + 1u) != old) {
            old = __atomic_load_n(&shared16, __ATOMIC_RELAXED);
        }
        while (!host_atomic_cmpxchg16(shared128, &lo, &hi, lo + 1, hi + 2)) {
        }
    }
    return opaque;
}

static void test_host_cmpxchg_races_count_exactly(void)
{
    pthread_t t[NTHREADS];

    shared16 = 0;
    shared128[0] = shared128[1] = 0;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_create(&t[i], NULL, cas_adder, NULL);
    }
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
    }
    CHECK_EQ(shared16, (uint16_t)(NTHREADS * ITERS));
    CHECK_EQ(shared128[0], NTHREADS * ITERS);
    CHECK_EQ(shared128[1], 2 * NTHREADS * ITERS);
}

/* ---- exclusive sections --------------------------------------------------- */

static CPUState vcpus[NTHREADS];
static bool in_section;       /* atomic: set inside start/end_exclusive */
static bool stop_vcpus;       /* atomic */
static unsigned violations;   /* atomic: a vCPU ran during a section */
static unsigned entries;      /* atomic */

/* A vCPU thread's loop: enter, "run code" until kicked, leave. */
static void *fake_vcpu(void *opaque)
{
    CPUState *cs = opaque;

    while (!__atomic_load_n(&stop_vcpus, __ATOMIC_ACQUIRE)) {
        cpu_exec_start(cs);
        __atomic_add_fetch(&entries, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < 1000 && !__atomic_load_n(&cs->exit_request, __ATOMIC_ACQUIRE); i++) {
            if (__atomic_load_n(&in_section, __ATOMIC_SEQ_CST)) {
                __atomic_add_fetch(&violations, 1, __ATOMIC_RELAXED);
            }
        }
        __atomic_store_n(&cs->exit_request, 0, __ATOMIC_RELEASE);
        cpu_exec_end(cs);
    }
    return NULL;
}

static void test_exclusive_keeps_vcpus_out(void)
{
    pthread_t t[NTHREADS];

    for (int i = 0; i < NTHREADS; i++) {
        tcg_vcpu_get_or_create(&vcpus[i]);
        pthread_create(&t[i], NULL, fake_vcpu, &vcpus[i]);
    }
    for (int round = 0; round < 200; round++) {
        start_exclusive();
        /* (a vCPU's running flag may blink on inside cpu_exec_start
         * while it waits: only what the vCPUs see counts) */
        __atomic_store_n(&in_section, true, __ATOMIC_SEQ_CST);
        usleep(50);
        __atomic_store_n(&in_section, false, __ATOMIC_SEQ_CST);
        end_exclusive();
        usleep(50);
    }
    __atomic_store_n(&stop_vcpus, true, __ATOMIC_RELEASE);
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
    }
    CHECK_EQ(violations, 0);
    CHECK(entries > 200);       /* the vCPUs did run between the sections */
}

/* ---- asynchronous work ------------------------------------------------------ */

#define NWORK 100

static CPUState work_cpu;
static unsigned work_done;     /* atomic */
static unsigned work_order_errors;
static unsigned work_wrong_thread;

static void record_work(CPUState *cs, void *data)
{
    unsigned i = (unsigned)(uintptr_t)data;

    if (!pthread_equal(pthread_self(), cs->thread)) {
        work_wrong_thread++;
    }
    if (i != __atomic_load_n(&work_done, __ATOMIC_RELAXED)) {
        work_order_errors++;
    }
    __atomic_store_n(&work_done, i + 1, __ATOMIC_RELEASE);
}

static void *work_vcpu(void *opaque)
{
    CPUState *cs = opaque;

    while (__atomic_load_n(&work_done, __ATOMIC_ACQUIRE) < NWORK) {
        tcg_cpu_run_work(cs);
        usleep(100);
    }
    return NULL;
}

static void test_async_work_runs_on_target_thread_in_order(void)
{
    CPUState *cs = &work_cpu;

    tcg_vcpu_get_or_create(cs);
    /* no thread yet: runs at once, on the caller */
    cs->thread = pthread_self();
    async_run_on_cpu(cs, record_work, (void *)(uintptr_t)0);
    CHECK_EQ(work_done, 1);
    __atomic_store_n(&work_done, 0, __ATOMIC_RELEASE);

    cs->thread_running = true;
    pthread_create(&cs->thread, NULL, work_vcpu, cs);
    for (unsigned i = 0; i < NWORK; i++) {
        async_run_on_cpu(cs, record_work, (void *)(uintptr_t)i);
    }
    CHECK(__atomic_load_n(&cs->exit_request, __ATOMIC_ACQUIRE));   /* kicked */
    pthread_join(cs->thread, NULL);
    cs->thread_running = false;
    CHECK_EQ(work_done, NWORK);
    CHECK_EQ(work_order_errors, 0);
    CHECK_EQ(work_wrong_thread, 0);
    CHECK(!tcg_cpu_has_pending_work(cs));
}

int main(void)
{
    for (int i = 0; i < NTHREADS; i++) {
        cpus_register(&vcpus[i]);
    }
    RUN_TEST(test_host_cmpxchg_sizes);
    RUN_TEST(test_host_cmpxchg16);
    RUN_TEST(test_host_cmpxchg_races_count_exactly);
    RUN_TEST(test_exclusive_keeps_vcpus_out);
    RUN_TEST(test_async_work_runs_on_target_thread_in_order);
    TEST_MAIN_END();
}
