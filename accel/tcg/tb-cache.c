/*
 * tb-cache.c: the translation-block cache's data structures.
 *
 *   pool       TranslationBlocks live in fixed chunks (pointers stay valid)
 *              and are handed out in order; tb_cache_reset frees them all at
 *              once.  Because a whole translation runs under the TB lock and
 *              the code buffer grows upwards between resets, committed TBs
 *              are sorted by tc_ptr: the host-address search is a binary
 *              search over the pool.
 *   hash       (phys pc, pc, cs_base, flags, cflags) -> TB, a GHashTable
 *              holding only valid, cacheable TBs.
 *   pages      guest-physical page -> list of TBs with code there, threaded
 *              through tb->page_next[] with the page slot (0/1) of the next
 *              TB tagged in the pointer's low bit (TBs are 8-aligned).
 *              A counting filter mirrors its keys for lock-free readers:
 *              tb_code_filter[page number mod TB_CODE_FILTER_SIZE] counts
 *              the pages with code in that bucket, so a zero means "no
 *              code" for sure (the TLB fill path reads it, see cputlb.c).
 *   jumps      tb->jmp_dest[n] is where slot n is chained; the incoming
 *              jumps of a TB form a list from jmp_list_head through
 *              src->jmp_list_next[n], each entry tagged with n.
 *
 * Invariants: a TB in the hash table or a page list is valid and
 * committed; an invalid TB is in neither and has no jumps in or out.
 *
 * Locking: everything here is guarded by the recursive TB lock
 * (tb_cache_lock); the per-thread depth lets cpu_exec release it after a
 * longjmp.  The generation counter and the code filter are written under
 * the lock with atomic operations and read without it.
 */
#include "util/osdep.h"
#include "accel/tcg/internal.h"

#include <glib.h>

#define TB_CHUNK_BITS 10
#define TB_CHUNK_SIZE (1u << TB_CHUNK_BITS)

static pthread_mutex_t tb_lock;
static pthread_once_t tb_lock_once = PTHREAD_ONCE_INIT;
static __thread unsigned tb_lock_depth;

static TranslationBlock **tb_chunks;   /* TB lock */
static size_t tb_nb_chunks;            /* TB lock */
static size_t tb_count;                /* committed TBs; TB lock */
static unsigned tb_generation;         /* atomic */

static GHashTable *tb_htable;          /* TB lock */
static GHashTable *tb_pages;           /* page number -> tagged head; TB lock */

#define TB_CODE_FILTER_BITS 14         /* pages 64 MiB apart share a bucket */
#define TB_CODE_FILTER_SIZE (1u << TB_CODE_FILTER_BITS)
static unsigned tb_code_filter[TB_CODE_FILTER_SIZE];   /* atomic */

/* ---- lock -------------------------------------------------------------- */

static void tb_lock_init(void)
{
    pthread_mutexattr_t attr;

    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&tb_lock, &attr);
    pthread_mutexattr_destroy(&attr);
}

void tb_cache_lock(void)
{
    pthread_once(&tb_lock_once, tb_lock_init);
    pthread_mutex_lock(&tb_lock);
    tb_lock_depth++;
}

void tb_cache_unlock(void)
{
    assert(tb_lock_depth > 0);
    tb_lock_depth--;
    pthread_mutex_unlock(&tb_lock);
}

bool tb_cache_locked(void)
{
    return tb_lock_depth > 0;
}

void tb_cache_lock_reset(void)
{
    while (tb_lock_depth > 0) {
        tb_cache_unlock();
    }
}

/* ---- hash table --------------------------------------------------------- */

static uint64_t tb_hash_mix(uint64_t h, uint64_t v)
{
    /* a murmur3-style finaliser per word: cheap and spreads low bits */
    h ^= v;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static uint64_t tb_phys_pc(const TranslationBlock *tb)
{
    return tb->page_addr[0] | (tb->pc & ~TARGET_PAGE_MASK);
}

static guint tb_hash_fn(gconstpointer p)
{
    const TranslationBlock *tb = p;
    uint64_t h = tb_hash_mix(0x9e3779b97f4a7c15ull, tb_phys_pc(tb));

    h = tb_hash_mix(h, tb->pc);
    h = tb_hash_mix(h, tb->cs_base);
    h = tb_hash_mix(h, ((uint64_t)tb->flags << 32) | tb->cflags);
    return (guint)(h ^ (h >> 32));
}

static gboolean tb_equal_fn(gconstpointer a, gconstpointer b)
{
    const TranslationBlock *x = a, *y = b;

    return tb_phys_pc(x) == tb_phys_pc(y) && x->pc == y->pc && x->cs_base == y->cs_base &&
           x->flags == y->flags && x->cflags == y->cflags;
}

static void tb_tables_create(void)
{
    if (!tb_htable) {
        tb_htable = g_hash_table_new(tb_hash_fn, tb_equal_fn);
        tb_pages = g_hash_table_new(g_direct_hash, g_direct_equal);
    }
}

TranslationBlock *tb_cache_lookup(uint64_t phys_pc, uint64_t pc, uint64_t cs_base,
                                  uint32_t flags, uint32_t cflags)
{
    TranslationBlock key = {
        .pc = pc, .cs_base = cs_base, .flags = flags, .cflags = cflags,
        .page_addr = { phys_pc & TARGET_PAGE_MASK, (uint64_t)-1 },
    };
    TranslationBlock *tb;

    tb_cache_lock();
    tb_tables_create();
    tb = g_hash_table_lookup(tb_htable, &key);
    tb_cache_unlock();
    return tb;
}

/* ---- page lists --------------------------------------------------------- */

#define PAGE_ENTRY(tb, n)   ((uintptr_t)(tb) | (uintptr_t)(n))
#define PAGE_ENTRY_TB(e)    ((TranslationBlock *)((e) & ~(uintptr_t)1))
#define PAGE_ENTRY_N(e)     ((int)((e) & 1))

static gpointer tb_page_key(uint64_t paddr)
{
    /* hosts are 64-bit: a page number fits a pointer; +1 keeps page 0 non-NULL */
    return (gpointer)(uintptr_t)((paddr >> TARGET_PAGE_BITS) + 1);
}

static unsigned *tb_code_filter_slot(uint64_t paddr)
{
    return &tb_code_filter[(paddr >> TARGET_PAGE_BITS) & (TB_CODE_FILTER_SIZE - 1)];
}

static void tb_page_add(TranslationBlock *tb, int n)
{
    gpointer key = tb_page_key(tb->page_addr[n]);
    uintptr_t head = (uintptr_t)g_hash_table_lookup(tb_pages, key);

    if (!head) {
        __atomic_add_fetch(tb_code_filter_slot(tb->page_addr[n]), 1, __ATOMIC_RELAXED);
    }

    tb->page_next[n] = (TranslationBlock *)head;
    g_hash_table_insert(tb_pages, key, (gpointer)PAGE_ENTRY(tb, n));
}

static void tb_page_remove(TranslationBlock *tb, int n)
{
    gpointer key = tb_page_key(tb->page_addr[n]);
    uintptr_t e = (uintptr_t)g_hash_table_lookup(tb_pages, key);
    uintptr_t want = PAGE_ENTRY(tb, n);
    TranslationBlock **link = NULL;

    while (e && e != want) {
        TranslationBlock *t = PAGE_ENTRY_TB(e);
        link = &t->page_next[PAGE_ENTRY_N(e)];
        e = (uintptr_t)*link;
    }
    assert(e == want);
    if (link) {
        *link = tb->page_next[n];
    } else if (tb->page_next[n]) {
        g_hash_table_insert(tb_pages, key, tb->page_next[n]);
    } else {
        g_hash_table_remove(tb_pages, key);
        __atomic_sub_fetch(tb_code_filter_slot(tb->page_addr[n]), 1, __ATOMIC_RELAXED);
    }
    tb->page_next[n] = NULL;
}

bool tb_cache_page_may_have_code(uint64_t paddr)
{
    return __atomic_load_n(tb_code_filter_slot(paddr), __ATOMIC_RELAXED) != 0;
}

bool tb_cache_page_has_code(uint64_t paddr)
{
    bool has;

    tb_cache_lock();
    tb_tables_create();
    has = g_hash_table_contains(tb_pages, tb_page_key(paddr));
    tb_cache_unlock();
    return has;
}

/* The guest-physical bytes tb holds on its page n: [*start, *end). */
static void tb_page_range(const TranslationBlock *tb, int n, uint64_t *start, uint64_t *end)
{
    uint64_t first = TARGET_PAGE_SIZE - (tb->pc & ~TARGET_PAGE_MASK);

    if (n == 0) {
        *start = tb_phys_pc(tb);
        *end = *start + MIN((uint64_t)tb->size, first);
    } else {
        *start = tb->page_addr[1];
        *end = *start + (tb->size > first ? tb->size - first : 0);
    }
}

unsigned tb_cache_find_range(uint64_t start, uint64_t end, TranslationBlock **out,
                             unsigned max)
{
    unsigned found = 0;

    if (start >= end) {
        return 0;
    }
    tb_cache_lock();
    tb_tables_create();
    for (uint64_t page = start & TARGET_PAGE_MASK; page < end && found < max;
         page += TARGET_PAGE_SIZE) {
        uintptr_t e = (uintptr_t)g_hash_table_lookup(tb_pages, tb_page_key(page));

        while (e && found < max) {
            TranslationBlock *tb = PAGE_ENTRY_TB(e);
            int n = PAGE_ENTRY_N(e);
            uint64_t s, t;
            bool dup = false;

            tb_page_range(tb, n, &s, &t);
            for (unsigned i = 0; i < found; i++) {
                dup |= out[i] == tb;
            }
            if (!dup && s < end && start < t) {
                out[found++] = tb;
            }
            e = (uintptr_t)tb->page_next[n];
        }
        if (page + TARGET_PAGE_SIZE < page) {
            break;   /* wrapped at the top of the address space */
        }
    }
    tb_cache_unlock();
    return found;
}

/* ---- insert / remove ---------------------------------------------------- */

void tb_cache_insert(TranslationBlock *tb)
{
    tb_cache_lock();
    tb_tables_create();
    assert(!tb->invalid && !(tb->cflags & CF_ONE_SHOT));
    assert(!g_hash_table_contains(tb_htable, tb));
    g_hash_table_add(tb_htable, tb);
    tb_page_add(tb, 0);
    if (tb->page_addr[1] != (uint64_t)-1) {
        tb_page_add(tb, 1);
    }
    tb_cache_unlock();
}

void tb_cache_remove(TranslationBlock *tb)
{
    tb_cache_lock();
    if (!tb->invalid) {
        tb->invalid = true;
        if (!(tb->cflags & CF_ONE_SHOT)) {
            bool removed = g_hash_table_remove(tb_htable, tb);
            assert(removed);
            (void)removed;
            tb_page_remove(tb, 0);
            if (tb->page_addr[1] != (uint64_t)-1) {
                tb_page_remove(tb, 1);
            }
        }
    }
    tb_cache_unlock();
}

/* ---- jump lists --------------------------------------------------------- */

bool tb_jmp_link(TranslationBlock *src, int n, TranslationBlock *dst)
{
    bool ok = false;

    assert(n == 0 || n == 1);
    tb_cache_lock();
    if (!src->jmp_dest[n] && !src->invalid && !dst->invalid &&
        !((src->cflags | dst->cflags) & (CF_NO_CHAIN | CF_ONE_SHOT))) {
        src->jmp_dest[n] = dst;
        src->jmp_list_next[n] = dst->jmp_list_head;
        dst->jmp_list_head = PAGE_ENTRY(src, n);
        ok = true;
    }
    tb_cache_unlock();
    return ok;
}

void tb_jmp_unlink_incoming(TranslationBlock *dst,
                            void (*reset)(TranslationBlock *src, int n))
{
    tb_cache_lock();
    uintptr_t e = dst->jmp_list_head;
    dst->jmp_list_head = 0;
    while (e) {
        TranslationBlock *src = PAGE_ENTRY_TB(e);
        int n = PAGE_ENTRY_N(e);

        e = src->jmp_list_next[n];
        src->jmp_list_next[n] = 0;
        src->jmp_dest[n] = NULL;
        if (reset) {
            reset(src, n);
        }
    }
    tb_cache_unlock();
}

void tb_jmp_unlink_outgoing(TranslationBlock *src)
{
    tb_cache_lock();
    for (int n = 0; n < 2; n++) {
        TranslationBlock *dst = src->jmp_dest[n];
        uintptr_t want = PAGE_ENTRY(src, n);
        uintptr_t *link;

        if (!dst) {
            continue;
        }
        link = &dst->jmp_list_head;
        while (*link && *link != want) {
            link = &PAGE_ENTRY_TB(*link)->jmp_list_next[PAGE_ENTRY_N(*link)];
        }
        assert(*link == want);
        *link = src->jmp_list_next[n];
        src->jmp_list_next[n] = 0;
        src->jmp_dest[n] = NULL;
    }
    tb_cache_unlock();
}

/* ---- pool ---------------------------------------------------------------- */

static TranslationBlock *tb_slot(size_t i)
{
    return &tb_chunks[i >> TB_CHUNK_BITS][i & (TB_CHUNK_SIZE - 1)];
}

static void tb_free_tables(TranslationBlock *tb)
{
    free(tb->insn_end_off);
    free(tb->insn_data);
    tb->insn_end_off = NULL;
    tb->insn_data = NULL;
}

TranslationBlock *tb_cache_alloc(void)
{
    TranslationBlock *tb;

    assert(tb_cache_locked());
    if ((tb_count >> TB_CHUNK_BITS) >= tb_nb_chunks) {
        tb_chunks = tern_realloc(tb_chunks, (tb_nb_chunks + 1) * sizeof(*tb_chunks));
        tb_chunks[tb_nb_chunks++] = tern_malloc0(TB_CHUNK_SIZE * sizeof(TranslationBlock));
    }
    tb = tb_slot(tb_count);
    tb_free_tables(tb);        /* left by an abandoned translation */
    memset(tb, 0, sizeof(*tb));
    tb->page_addr[1] = (uint64_t)-1;
    return tb;
}

void tb_cache_commit(TranslationBlock *tb)
{
    assert(tb_cache_locked());
    assert(tb == tb_slot(tb_count));
    assert(tb_count == 0 ||
           (uintptr_t)tb_slot(tb_count - 1)->tc_ptr < (uintptr_t)tb->tc_ptr);
    tb_count++;
}

size_t tb_cache_count(void)
{
    return tb_count;
}

TranslationBlock *tb_cache_get(size_t i)
{
    return i < tb_count ? tb_slot(i) : NULL;
}

unsigned tb_cache_generation(void)
{
    return __atomic_load_n(&tb_generation, __ATOMIC_ACQUIRE);
}

TranslationBlock *tb_cache_find_by_host(uintptr_t addr)
{
    TranslationBlock *found = NULL;
    size_t lo = 0, hi;

    tb_cache_lock();
    hi = tb_count;
    /* last TB with tc_ptr <= addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)tb_slot(mid)->tc_ptr <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo > 0) {
        TranslationBlock *tb = tb_slot(lo - 1);
        if (addr < (uintptr_t)tb->tc_ptr + tb->tc_size) {
            found = tb;
        }
    }
    tb_cache_unlock();
    return found;
}

int tb_insn_index_at(const TranslationBlock *tb, uintptr_t retaddr)
{
    uintptr_t off;

    if (!tb->insn_end_off || retaddr <= (uintptr_t)tb->tc_ptr) {
        return -1;
    }
    off = retaddr - 1 - (uintptr_t)tb->tc_ptr;
    for (int i = 0; i < tb->icount; i++) {
        if (off < tb->insn_end_off[i]) {
            return i;
        }
    }
    return -1;
}

void tb_cache_reset(void)
{
    tb_cache_lock();
    tb_tables_create();
    for (size_t i = 0; i < tb_count; i++) {
        tb_free_tables(tb_slot(i));
    }
    if ((tb_count >> TB_CHUNK_BITS) < tb_nb_chunks) {
        tb_free_tables(tb_slot(tb_count));   /* an uncommitted one */
    }
    tb_count = 0;
    g_hash_table_remove_all(tb_htable);
    g_hash_table_remove_all(tb_pages);
    for (unsigned i = 0; i < TB_CODE_FILTER_SIZE; i++) {
        __atomic_store_n(&tb_code_filter[i], 0, __ATOMIC_RELAXED);
    }
    __atomic_add_fetch(&tb_generation, 1, __ATOMIC_RELEASE);
    tb_cache_unlock();
}
