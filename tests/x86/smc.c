/*
 * smc.c: self- and cross-modifying code.  x86 needs no serialising step
 * between a store to code and its execution: a store that overwrites an
 * instruction the CPU is about to run (even later in the same straight
 * line of code) takes effect, whichever linear alias of the physical page
 * the store and the fetch use (SDM vol. 3 "Self-Modifying Code"; the
 * native build proves it on the host).  Each case builds small functions
 * in a buffer of three pages, runs them once so that they are translated,
 * overwrites them (by a plain store, from a block in the same page or in
 * another page, by rep movsb/stosb, by a 16-byte SSE store, and through a
 * second mapping of the page) and runs them again.
 */
#include "tern.h"

#ifdef TERN_NATIVE
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>
#endif

#define PAGE 4096
#define CODE_BYTES (3 * PAGE)

typedef uint32_t (*fn0)(void);
typedef uint32_t (*fn1)(void *);
typedef uint32_t (*fn2)(void *, void *);

static uint8_t *code;      /* three pages of writable, executable memory */
static uint8_t *alias;     /* the same physical pages at another address */

/* ---- code buffers ------------------------------------------------------ */

#ifdef TERN_NATIVE
static int code_alloc(void)
{
    int fd = memfd_create("smc", 0);

    if (fd < 0 || ftruncate(fd, CODE_BYTES) < 0) {
        return -1;
    }
    code = mmap(NULL, CODE_BYTES, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED, fd, 0);
    alias = mmap(NULL, CODE_BYTES, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED, fd, 0);
    return code == MAP_FAILED || alias == MAP_FAILED ? -1 : 0;
}
#else
/* The boot page tables (docs/boot.md) map the first 4 GiB with 2 MiB pages
 * and no NX bit, so .bss is executable.  The alias: PDPT entry 4 (linear
 * 4 GiB) gets a page directory of our own mapping the two 2 MiB pages
 * around the buffer. */
#define BOOT_PDPT 0x2000
#define ALIAS_BASE (4ull << 30)
static uint8_t code_buf[CODE_BYTES] __attribute__((aligned(PAGE)));
static uint64_t alias_pd[512] __attribute__((aligned(PAGE)));

static int code_alloc(void)
{
    uint64_t phys = (uint64_t)(uintptr_t)code_buf, big = phys & ~0x1fffffull;
    volatile uint64_t *pdpt = (volatile uint64_t *)(uintptr_t)BOOT_PDPT;
    uint64_t cr3;

    alias_pd[0] = big | 0x83;                 /* P, RW, PS */
    alias_pd[1] = (big + 0x200000) | 0x83;
    pdpt[4] = (uint64_t)(uintptr_t)alias_pd | 0x3;
    __asm__ volatile("mov %%cr3, %0\n\tmov %0, %%cr3" : "=r"(cr3) : : "memory");
    code = code_buf;
    alias = (uint8_t *)(uintptr_t)(ALIAS_BASE + (phys - big));
    return 0;
}
#endif

/* ---- a tiny emitter ---------------------------------------------------- */

static uint8_t *emit(uint8_t *p, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = bytes[i];
    }
    return p + n;
}
#define EMIT(p, ...) emit((p), (const uint8_t[]){ __VA_ARGS__ }, \
                          sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* "mov eax, imm32; ret" at p: the imm32 is at p + 1. */
static void emit_ret_imm(uint8_t *p, uint32_t imm)
{
    EMIT(p, 0xb8, (uint8_t)imm, (uint8_t)(imm >> 8), (uint8_t)(imm >> 16),
         (uint8_t)(imm >> 24), 0xc3);
}

/* "mov [rdi], sil; ret": a patcher, as a block of its own. */
static void emit_patch_byte(uint8_t *p)
{
    EMIT(p, 0x40, 0x88, 0x37, 0xc3);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* ---- the cases --------------------------------------------------------- */

/* A store that overwrites the next instruction of its own block. */
static void test_same_block(void)
{
    uint8_t *f = code + 0x40;

    /* mov byte [rip + 1], 0x42 (the imm8 of the next mov); mov eax, 0x11; ret */
    EMIT(f, 0xc6, 0x05, 0x01, 0x00, 0x00, 0x00, 0x42);
    emit_ret_imm(f + 7, 0x11);
    CHECK_EQ_NAMED("first-run", ((fn0)f)(), 0x42);
    f[8] = 0x11;
    CHECK_EQ_NAMED("second-run", ((fn0)f)(), 0x42);
    CHECK_EQ_NAMED("bytes", f[8], 0x42);
}

/* A loop whose body rewrites an instruction further down the same block. */
static void test_same_block_loop(void)
{
    uint8_t *f = code + 0x80;

    /* mov ecx, 3; L: inc byte [rip + 5]; dec ecx; jnz L; mov eax, 0x10; ret */
    EMIT(f, 0xb9, 0x03, 0x00, 0x00, 0x00,
         0xfe, 0x05, 0x05, 0x00, 0x00, 0x00,    /* inc byte [rip + 5] */
         0xff, 0xc9,                            /* dec ecx */
         0x75, 0xf6);                           /* jnz -10 */
    emit_ret_imm(f + 15, 0x10);
    /* rip after the inc is f + 11; the imm8 is at f + 16 = rip + 5 */
    CHECK_EQ_NAMED("result", ((fn0)f)(), 0x13);
}

/* A loop after the function's entry (translated inside the entry's block:
 * a region loop, target-x86/translate-region.c) rewrites its own add
 * immediate on each pass: each pass adds the new value. */
static void test_self_loop(void)
{
    uint8_t *f = code + 0x600;

    /* xor eax, eax; mov ecx, 3;
     * L: add eax, 1; inc byte [rip - 7] (the add's imm8); dec ecx; jnz L; ret */
    EMIT(f, 0x31, 0xc0, 0xb9, 0x03, 0x00, 0x00, 0x00,
         0x83, 0xc0, 0x01,
         0xfe, 0x05, 0xf9, 0xff, 0xff, 0xff,
         0xff, 0xc9,
         0x75, 0xf3,
         0xc3);
    CHECK_EQ_NAMED("result", ((fn0)f)(), 1 + 2 + 3);
    CHECK_EQ_NAMED("imm8", f[9], 4);
}

/* One block rewrites another in the same page, then in another page. */
static void test_other_block(void)
{
    uint8_t *f = code + 0x100, *g_same = code + 0x200, *g_other = code + PAGE + 0x200;

    emit_ret_imm(f, 0x11);
    emit_patch_byte(g_same);
    emit_patch_byte(g_other);
    CHECK_EQ_NAMED("before", ((fn0)f)(), 0x11);
    ((fn2)g_same)(f + 1, (void *)0x22);
    CHECK_EQ_NAMED("same-page", ((fn0)f)(), 0x22);
    ((fn2)g_other)(f + 1, (void *)0x33);
    CHECK_EQ_NAMED("other-page", ((fn0)f)(), 0x33);
    f[2] = 0x44;                                /* from the test's own code */
    CHECK_EQ_NAMED("from-text", ((fn0)f)(), 0x4433);
}

/* A block whose imm32 straddles the page boundary: a store to the second
 * page must drop it. */
static void test_cross_page(void)
{
    uint8_t *f = code + PAGE - 3;               /* imm32 at PAGE-2 .. PAGE+1 */

    emit_ret_imm(f, 0x11223344);
    CHECK_EQ_NAMED("before", ((fn0)f)(), 0x11223344);
    code[PAGE] = 0x99;
    CHECK_EQ_NAMED("second-page", ((fn0)f)(), 0x11993344);
    code[PAGE - 2] = 0x88;
    CHECK_EQ_NAMED("first-page", ((fn0)f)(), 0x11993388);
}

static void rep_movsb(void *dst, const void *src, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static void rep_stosb(void *dst, uint8_t v, size_t n)
{
    __asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(v) : "memory");
}

static void test_string(void)
{
    static const uint8_t repl[] = { 0xb8, 0x78, 0x56, 0x34, 0x12, 0xc3 };
    uint8_t *f = code + 0x300, *g = code + 0x380;

    emit_ret_imm(f, 0x11);
    CHECK_EQ_NAMED("before", ((fn0)f)(), 0x11);
    rep_movsb(f, repl, sizeof(repl));
    CHECK_EQ_NAMED("movsb", ((fn0)f)(), 0x12345678);
    rep_stosb(f + 1, 0x5a, 4);
    CHECK_EQ_NAMED("stosb", ((fn0)f)(), 0x5a5a5a5a);

    /* In one block: mov al, 0x44; mov ecx, 4; rep stosb (rdi = the imm32
     * below); mov eax, 0x11111111; ret */
    EMIT(g, 0xb0, 0x44, 0xb9, 0x04, 0x00, 0x00, 0x00, 0xf3, 0xaa);
    emit_ret_imm(g + 9, 0x11111111);
    CHECK_EQ_NAMED("stosb-same-block", ((fn1)g)(g + 10), 0x44444444);
}

static void sse_store16(void *dst, const void *src)
{
    __asm__ volatile("movdqu (%1), %%xmm0\n\tmovdqu %%xmm0, (%0)"
                     : : "r"(dst), "r"(src) : "memory", "xmm0");
}

static void test_sse(void)
{
    static const uint8_t repl[16] = { 0xb8, 0x66, 0x66, 0x66, 0x66, 0xc3 };
    uint8_t *f = code + 0x400, *g = code + 0x480;

    emit_ret_imm(f, 0x11);
    CHECK_EQ_NAMED("before", ((fn0)f)(), 0x11);
    sse_store16(f, repl);
    CHECK_EQ_NAMED("movdqu", ((fn0)f)(), 0x66666666);

    /* In one block: movdqu xmm0, [rdi]; movdqu [rsi], xmm0 with rsi = g + 8,
     * the 16 bytes that follow. */
    EMIT(g, 0xf3, 0x0f, 0x6f, 0x07, 0xf3, 0x0f, 0x7f, 0x06);
    emit_ret_imm(g + 8, 0x11);
    rep_stosb(g + 14, 0x90, 10);
    CHECK_EQ_NAMED("movdqu-same-block", ((fn2)g)((void *)repl, g + 8), 0x66666666);
}

/* Two blocks overlap: one starts at f, the other inside f's imm32. */
static void test_jump_into_middle(void)
{
    uint8_t *f = code + 0x500;

    /* at f: mov eax, 0x90c305b0; ret.  At f + 1: mov al, 5; ret */
    emit_ret_imm(f, 0x90c305b0);
    CHECK_EQ_NAMED("whole", ((fn0)f)(), 0x90c305b0);
    CHECK_EQ_NAMED("middle", ((fn0)(f + 1))() & 0xff, 5);
    f[2] = 7;
    CHECK_EQ_NAMED("middle-after", ((fn0)(f + 1))() & 0xff, 7);
    CHECK_EQ_NAMED("whole-after", ((fn0)f)(), 0x90c307b0);
}

/* Code written through one linear alias, run through the other. */
static void test_alias(void)
{
    uint32_t off = 2 * PAGE + 0x100;
    uint8_t *f = code + off, *fa = alias + off;

    emit_ret_imm(f, 0x11);
    CHECK_EQ_NAMED("seen-through-alias", ((fn0)fa)(), 0x11);
    CHECK_EQ_NAMED("orig", ((fn0)f)(), 0x11);
    put32(fa + 1, 0x22);
    CHECK_EQ_NAMED("orig-after-alias-store", ((fn0)f)(), 0x22);
    CHECK_EQ_NAMED("alias-after-alias-store", ((fn0)fa)(), 0x22);
    put32(f + 1, 0x33);
    CHECK_EQ_NAMED("alias-after-orig-store", ((fn0)fa)(), 0x33);
    /* a patcher running through the alias rewrites code run through the
     * original mapping */
    emit_patch_byte(code + 2 * PAGE + 0x200);
    ((fn2)(alias + 2 * PAGE + 0x200))(f + 1, (void *)0x44);
    CHECK_EQ_NAMED("orig-after-alias-block", ((fn0)f)(), 0x44);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_group("smc");
    if (code_alloc() < 0) {
        CHECK_NAMED("alloc", 0);
        test_done();
    }
    test_group("smc/same-block");
    test_same_block();
    test_group("smc/same-block-loop");
    test_same_block_loop();
    test_group("smc/self-loop");
    test_self_loop();
    test_group("smc/other-block");
    test_other_block();
    test_group("smc/cross-page");
    test_cross_page();
    test_group("smc/string");
    test_string();
    test_group("smc/sse");
    test_sse();
    test_group("smc/jump-into-middle");
    test_jump_into_middle();
    test_group("smc/alias");
    test_alias();
    test_done();
}
