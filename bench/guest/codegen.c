/*
 * codegen.c: a program that writes x86-64 machine code and runs it.  64
 * small functions lie 256 bytes apart (four pages); each round rewrites
 * one of them with new immediates, then calls all 64 in a chain, so an
 * emulator must notice each write to code it has translated.  The native
 * build gets its buffer from an RWX mmap (rt/mem-native.c).
 */
#include "bench.h"

#define SLOTS     64
#define SLOT_SIZE 256
#define ROUNDS    40000
#define CHAINS    4

typedef uint64_t (*gen_fn)(uint64_t);

static void put(uint8_t **p, const void *bytes, size_t n)
{
    memcpy(*p, bytes, n);
    *p += n;
}

/* f(x) = rol((x * m) + a, r) ^ x */
static void gen(uint8_t *p, uint64_t m, uint32_t a, uint8_t r)
{
    static const uint8_t mov_rax_rdi[] = { 0x48, 0x89, 0xf8 };
    static const uint8_t movabs_rcx[] = { 0x48, 0xb9 };
    static const uint8_t imul_rax_rcx[] = { 0x48, 0x0f, 0xaf, 0xc1 };
    static const uint8_t add_rax_imm32[] = { 0x48, 0x05 };
    static const uint8_t rol_rax_imm8[] = { 0x48, 0xc1, 0xc0 };
    static const uint8_t xor_rax_rdi_ret[] = { 0x48, 0x31, 0xf8, 0xc3 };
    uint8_t imm[8];

    put(&p, mov_rax_rdi, sizeof(mov_rax_rdi));
    put(&p, movabs_rcx, sizeof(movabs_rcx));
    for (int k = 0; k < 8; k++) {
        imm[k] = (uint8_t)(m >> (8 * k));
    }
    put(&p, imm, 8);
    put(&p, imul_rax_rcx, sizeof(imul_rax_rcx));
    put(&p, add_rax_imm32, sizeof(add_rax_imm32));
    for (int k = 0; k < 4; k++) {
        imm[k] = (uint8_t)(a >> (8 * k));
    }
    put(&p, imm, 4);
    put(&p, rol_rax_imm8, sizeof(rol_rax_imm8));
    put(&p, &r, 1);
    put(&p, xor_rax_rdi_ret, sizeof(xor_rax_rdi_ret));
}

static void gen_random(uint8_t *code, unsigned slot, uint64_t *seed)
{
    uint64_t v = bench_rand(seed);

    gen(code + slot * SLOT_SIZE, bench_rand(seed) | 1, (uint32_t)v,
        (uint8_t)(1 + (v >> 32) % 63));
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint8_t *code = bench_alloc_code(SLOTS * SLOT_SIZE);
    uint64_t seed = 23, x = 1;
    unsigned rounds = ROUNDS;

    OPAQUE(rounds);
    for (unsigned s = 0; s < SLOTS; s++) {
        gen_random(code, s, &seed);
    }
    for (unsigned r = 0; r < rounds; r++) {
        gen_random(code, (r * 7) % SLOTS, &seed);
        __asm__ volatile("" : : : "memory");    /* the code is written before it runs */
        for (unsigned c = 0; c < CHAINS; c++) {
            for (unsigned s = 0; s < SLOTS; s++) {
                x = ((gen_fn)(void *)(code + s * SLOT_SIZE))(x);
            }
        }
    }
    return bench_done(x);
}
