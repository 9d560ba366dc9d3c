/*
 * test-tb.c: the TB cache's bookkeeping (accel/tcg/tb-cache.c) without a
 * guest: hash lookup and removal, per-page lists and range search, the
 * lock-free code filter, jump lists, the host-address search and the
 * restore-table index.
 *
 * TBs here are never executed; tc_ptr points into a dummy buffer, in
 * increasing order as the code buffer would hand them out.
 */
#include "util/osdep.h"
#include "accel/tcg/internal.h"
#include "test.h"

TEST_GLOBALS;

static uint8_t fake_code[1 << 16];
static size_t fake_code_used;

/* Allocate and commit a TB for (pc, phys) of size bytes with icount insns
 * of 16 host bytes each. */
static TranslationBlock *make_tb(uint64_t pc, uint64_t phys, uint32_t size, uint64_t phys2,
                                 uint32_t flags, uint32_t cflags, int icount)
{
    TranslationBlock *tb;

    tb_cache_lock();
    tb = tb_cache_alloc();
    tb->pc = pc;
    tb->cs_base = 0;
    tb->flags = flags;
    tb->cflags = cflags;
    tb->page_addr[0] = phys & TARGET_PAGE_MASK;
    tb->page_addr[1] = phys2;
    tb->size = size;
    tb->icount = (uint16_t)icount;
    tb->tc_ptr = fake_code + fake_code_used;
    tb->tc_size = (uint32_t)(16 * icount);
    tb->insn_end_off = tern_malloc0(sizeof(uint16_t) * (size_t)icount);
    tb->insn_data = tern_malloc0(sizeof(uint64_t[2]) * (size_t)icount);
    for (int i = 0; i < icount; i++) {
        tb->insn_end_off[i] = (uint16_t)(16 * (i + 1));
        tb->insn_data[i][0] = pc + (uint64_t)i;
        tb->insn_data[i][1] = (uint64_t)(100 + i);
    }
    fake_code_used += tb->tc_size + 16;   /* leave a gap between blocks */
    tb_cache_commit(tb);
    tb_cache_unlock();
    return tb;
}

static void reset_all(void)
{
    tb_cache_reset();
    fake_code_used = 0;
}

static void test_tb_hash_lookup_exact_key(void)
{
    reset_all();
    TranslationBlock *tb = make_tb(0x401000, 0x201000, 10, (uint64_t)-1, 0x70, 0, 2);
    tb_cache_insert(tb);

    CHECK(tb_cache_lookup(0x201000, 0x401000, 0, 0x70, 0) == tb);
    /* every key component matters */
    CHECK(tb_cache_lookup(0x202000, 0x401000, 0, 0x70, 0) == NULL);
    CHECK(tb_cache_lookup(0x201000, 0x401001, 0, 0x70, 0) == NULL);
    CHECK(tb_cache_lookup(0x201000, 0x401000, 0x10, 0x70, 0) == NULL);
    CHECK(tb_cache_lookup(0x201000, 0x401000, 0, 0x71, 0) == NULL);
    CHECK(tb_cache_lookup(0x201000, 0x401000, 0, 0x70, CF_SINGLE_STEP) == NULL);
}

static void test_tb_two_keys_same_page(void)
{
    reset_all();
    TranslationBlock *a = make_tb(0x1000, 0x5000, 8, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *b = make_tb(0x1000, 0x5000, 8, (uint64_t)-1, HF_CS64_MASK, 0, 1);
    tb_cache_insert(a);
    tb_cache_insert(b);

    CHECK(tb_cache_lookup(0x5000, 0x1000, 0, 0, 0) == a);
    CHECK(tb_cache_lookup(0x5000, 0x1000, 0, HF_CS64_MASK, 0) == b);
}

static void test_tb_remove_drops_lookup_and_page(void)
{
    reset_all();
    TranslationBlock *tb = make_tb(0x7000, 0x9000, 4, (uint64_t)-1, 0, 0, 1);
    tb_cache_insert(tb);
    CHECK(tb_cache_page_has_code(0x9123));

    tb_cache_remove(tb);
    CHECK(tb->invalid);
    CHECK(tb_cache_lookup(0x9000, 0x7000, 0, 0, 0) == NULL);
    CHECK(!tb_cache_page_has_code(0x9000));
    /* removing twice is harmless */
    tb_cache_remove(tb);
    CHECK(tb->invalid);
}

static void test_tb_page_range_search(void)
{
    TranslationBlock *out[8];

    reset_all();
    /* a: [0x10010, 0x10020) on page 0x10000 */
    TranslationBlock *a = make_tb(0x400010, 0x10010, 0x10, (uint64_t)-1, 0, 0, 1);
    /* b: starts 8 bytes before the end of page 0x10000, continues on 0x33000 */
    TranslationBlock *b = make_tb(0x400ff8, 0x10ff8, 0x10, 0x33000, 0, 0, 2);
    /* c: elsewhere on page 0x10000 */
    TranslationBlock *c = make_tb(0x400800, 0x10800, 0x20, (uint64_t)-1, 0, 0, 1);
    tb_cache_insert(a);
    tb_cache_insert(b);
    tb_cache_insert(c);

    /* a byte inside a only */
    CHECK_EQ(tb_cache_find_range(0x10015, 0x10016, out, 8), 1);
    CHECK(out[0] == a);
    /* the byte just after a touches nothing */
    CHECK_EQ(tb_cache_find_range(0x10020, 0x10021, out, 8), 0);
    /* b's second-page bytes are [0x33000, 0x33008) */
    CHECK_EQ(tb_cache_find_range(0x33007, 0x33008, out, 8), 1);
    CHECK(out[0] == b);
    CHECK_EQ(tb_cache_find_range(0x33008, 0x34000, out, 8), 0);
    /* the whole first page: all three, b only once */
    CHECK_EQ(tb_cache_find_range(0x10000, 0x11000, out, 8), 3);
    /* a range over both of b's pages still lists it once */
    CHECK_EQ(tb_cache_find_range(0x10ff8, 0x33001, out, 8), 1);
    CHECK(out[0] == b);
    /* max bounds the answer */
    CHECK_EQ(tb_cache_find_range(0x10000, 0x11000, out, 2), 2);
}

static void test_tb_page_list_remove_middle(void)
{
    TranslationBlock *out[8];

    reset_all();
    TranslationBlock *a = make_tb(0x100, 0x20100, 4, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *b = make_tb(0x200, 0x20200, 4, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *c = make_tb(0x300, 0x20300, 4, (uint64_t)-1, 0, 0, 1);
    tb_cache_insert(a);
    tb_cache_insert(b);
    tb_cache_insert(c);

    tb_cache_remove(b);
    CHECK_EQ(tb_cache_find_range(0x20000, 0x21000, out, 8), 2);
    CHECK((out[0] == a && out[1] == c) || (out[0] == c && out[1] == a));
    tb_cache_remove(a);
    tb_cache_remove(c);
    CHECK(!tb_cache_page_has_code(0x20000));
}

static void test_tb_two_page_tb_leaves_both_pages(void)
{
    reset_all();
    TranslationBlock *b = make_tb(0xffe, 0x40ffe, 4, 0x77000, 0, 0, 1);
    tb_cache_insert(b);
    CHECK(tb_cache_page_has_code(0x40000));
    CHECK(tb_cache_page_has_code(0x77000));
    tb_cache_remove(b);
    CHECK(!tb_cache_page_has_code(0x40000));
    CHECK(!tb_cache_page_has_code(0x77000));
}

/* The filter the TLB fill reads without the lock follows the page lists:
 * set while a page has code, clear once its last TB goes or on reset. */
static void test_tb_code_filter(void)
{
    reset_all();
    CHECK(!tb_cache_page_may_have_code(0x50000));
    TranslationBlock *a = make_tb(0x10, 0x50010, 4, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *b = make_tb(0x20, 0x50020, 4, 0x51000, 0, 0, 1);
    tb_cache_insert(a);
    tb_cache_insert(b);
    CHECK(tb_cache_page_may_have_code(0x50fff));
    CHECK(tb_cache_page_may_have_code(0x51000));
    CHECK(!tb_cache_page_may_have_code(0x52000));
    tb_cache_remove(a);
    CHECK(tb_cache_page_may_have_code(0x50000));
    tb_cache_remove(b);
    CHECK(!tb_cache_page_may_have_code(0x50000));
    CHECK(!tb_cache_page_may_have_code(0x51000));
    TranslationBlock *c = make_tb(0x30, 0x60030, 4, (uint64_t)-1, 0, 0, 1);
    tb_cache_insert(c);
    CHECK(tb_cache_page_may_have_code(0x60000));
    reset_all();
    CHECK(!tb_cache_page_may_have_code(0x60000));
}

static TranslationBlock *reset_src[4];
static int reset_slot[4];
static int reset_calls;

static void record_reset(TranslationBlock *src, int n)
{
    reset_src[reset_calls] = src;
    reset_slot[reset_calls] = n;
    reset_calls++;
}

static void test_tb_jmp_link_and_unlink_incoming(void)
{
    reset_all();
    TranslationBlock *a = make_tb(0x10, 0x10, 4, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *b = make_tb(0x20, 0x20, 4, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *c = make_tb(0x30, 0x30, 4, (uint64_t)-1, 0, 0, 1);

    CHECK(tb_jmp_link(a, 0, b));
    CHECK(tb_jmp_link(c, 1, b));
    CHECK(a->jmp_dest[0] == b && c->jmp_dest[1] == b);
    /* a taken slot is not relinked */
    CHECK(!tb_jmp_link(a, 0, c));
    CHECK(a->jmp_dest[0] == b);

    reset_calls = 0;
    tb_jmp_unlink_incoming(b, record_reset);
    CHECK_EQ(reset_calls, 2);
    /* each source is reset on the slot it used */
    for (int i = 0; i < 2; i++) {
        CHECK((reset_src[i] == a && reset_slot[i] == 0) ||
              (reset_src[i] == c && reset_slot[i] == 1));
    }
    CHECK(reset_src[0] != reset_src[1]);
    CHECK(a->jmp_dest[0] == NULL && c->jmp_dest[1] == NULL);
    CHECK_EQ(b->jmp_list_head, 0);
}

static void test_tb_jmp_link_refused(void)
{
    reset_all();
    TranslationBlock *a = make_tb(0x10, 0x10, 4, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *nc = make_tb(0x20, 0x20, 4, (uint64_t)-1, 0, CF_NO_CHAIN, 1);
    TranslationBlock *dead = make_tb(0x30, 0x30, 4, (uint64_t)-1, 0, 0, 1);
    tb_cache_insert(dead);
    tb_cache_remove(dead);

    CHECK(!tb_jmp_link(a, 0, nc));
    CHECK(!tb_jmp_link(nc, 0, a));
    CHECK(!tb_jmp_link(a, 1, dead));
    CHECK(!tb_jmp_link(dead, 1, a));
    CHECK(a->jmp_dest[0] == NULL && a->jmp_dest[1] == NULL);
    CHECK_EQ(a->jmp_list_head, 0);
}

static void test_tb_jmp_unlink_outgoing(void)
{
    reset_all();
    TranslationBlock *a = make_tb(0x10, 0x10, 4, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *b = make_tb(0x20, 0x20, 4, (uint64_t)-1, 0, 0, 1);
    TranslationBlock *c = make_tb(0x30, 0x30, 4, (uint64_t)-1, 0, 0, 1);

    CHECK(tb_jmp_link(a, 0, c));
    CHECK(tb_jmp_link(b, 0, c));
    CHECK(tb_jmp_link(a, 1, a));     /* a loop to itself */
    tb_jmp_unlink_outgoing(a);
    CHECK(a->jmp_dest[0] == NULL && a->jmp_dest[1] == NULL);
    /* c keeps only b's jump; a's own list is empty again */
    reset_calls = 0;
    tb_jmp_unlink_incoming(c, record_reset);
    CHECK_EQ(reset_calls, 1);
    CHECK(reset_src[0] == b && reset_slot[0] == 0);
    CHECK_EQ(a->jmp_list_head, 0);
}

static void test_tb_find_by_host(void)
{
    reset_all();
    TranslationBlock *tbs[5];
    for (int i = 0; i < 5; i++) {
        tbs[i] = make_tb(0x1000 * (uint64_t)i, 0x1000 * (uint64_t)i, 4, (uint64_t)-1, 0, 0,
                         i + 1);
    }
    CHECK_EQ(tb_cache_count(), 5);
    for (int i = 0; i < 5; i++) {
        uintptr_t start = (uintptr_t)tbs[i]->tc_ptr;
        CHECK(tb_cache_find_by_host(start) == tbs[i]);
        CHECK(tb_cache_find_by_host(start + tbs[i]->tc_size - 1) == tbs[i]);
        /* the gap after each block belongs to nobody */
        CHECK(tb_cache_find_by_host(start + tbs[i]->tc_size) == NULL);
    }
    CHECK(tb_cache_find_by_host((uintptr_t)fake_code - 1) == NULL);
}

static void test_tb_insn_index(void)
{
    reset_all();
    /* three insns ending at host offsets 16, 32, 48 */
    TranslationBlock *tb = make_tb(0x5000, 0x5000, 9, (uint64_t)-1, 0, 0, 3);
    uintptr_t tc = (uintptr_t)tb->tc_ptr;

    CHECK_EQ(tb_insn_index_at(tb, tc + 1), 0);
    CHECK_EQ(tb_insn_index_at(tb, tc + 16), 0);   /* call is the insn's last bytes */
    CHECK_EQ(tb_insn_index_at(tb, tc + 17), 1);
    CHECK_EQ(tb_insn_index_at(tb, tc + 48), 2);
    CHECK_EQ(tb_insn_index_at(tb, tc + 49), -1);
    CHECK_EQ(tb_insn_index_at(tb, tc), -1);
    CHECK_EQ(tb->insn_data[tb_insn_index_at(tb, tc + 20)][0], 0x5001);
}

static void test_tb_uncommitted_slot_reused(void)
{
    reset_all();
    tb_cache_lock();
    TranslationBlock *t1 = tb_cache_alloc();
    t1->pc = 0xdead;
    /* abandoned (as after a fault during translation): alloc hands it out
     * again, zeroed */
    TranslationBlock *t2 = tb_cache_alloc();
    tb_cache_unlock();
    CHECK(t1 == t2);
    CHECK_EQ(t2->pc, 0);
    CHECK_EQ(t2->page_addr[1], (uint64_t)-1);
    CHECK_EQ(tb_cache_count(), 0);
}

static void test_tb_reset_forgets_everything(void)
{
    reset_all();
    TranslationBlock *tb = make_tb(0x8000, 0x8000, 4, (uint64_t)-1, 0, 0, 1);
    tb_cache_insert(tb);
    unsigned gen = tb_cache_generation();

    tb_cache_reset();
    CHECK(tb_cache_generation() != gen);
    CHECK_EQ(tb_cache_count(), 0);
    CHECK(tb_cache_lookup(0x8000, 0x8000, 0, 0, 0) == NULL);
    CHECK(!tb_cache_page_has_code(0x8000));
    CHECK(tb_cache_find_by_host((uintptr_t)fake_code) == NULL);
}

static void test_tb_lock_reset(void)
{
    tb_cache_lock();
    tb_cache_lock();
    CHECK(tb_cache_locked());
    tb_cache_lock_reset();   /* as cpu_exec does after a longjmp */
    CHECK(!tb_cache_locked());
}

int main(void)
{
    RUN_TEST(test_tb_hash_lookup_exact_key);
    RUN_TEST(test_tb_two_keys_same_page);
    RUN_TEST(test_tb_remove_drops_lookup_and_page);
    RUN_TEST(test_tb_page_range_search);
    RUN_TEST(test_tb_page_list_remove_middle);
    RUN_TEST(test_tb_two_page_tb_leaves_both_pages);
    RUN_TEST(test_tb_jmp_link_and_unlink_incoming);
    RUN_TEST(test_tb_jmp_link_refused);
    RUN_TEST(test_tb_jmp_unlink_outgoing);
    RUN_TEST(test_tb_find_by_host);
    RUN_TEST(test_tb_insn_index);
    RUN_TEST(test_tb_uncommitted_slot_reused);
    RUN_TEST(test_tb_reset_forgets_everything);
    RUN_TEST(test_tb_lock_reset);
    RUN_TEST(test_tb_code_filter);
    tb_cache_reset();
    TEST_MAIN_END();
}
