/*
 * test-tcg.c: the TCG core and the host back end, end to end.  Each test
 * builds IR by hand, generates host code and runs it with tcg_tb_exec on a
 * fake env (a plain struct whose fields are registered as globals), then
 * checks the fields.  Guest memory tests fill the soft-MMU TLB by hand and
 * exercise only the inline hit path (the slow path lives in accel/tcg).
 */
#include "util/osdep.h"
#include "util/log.h"
#include "tcg/tcg.h"
#include "tcg/tlb.h"
#include "exec/translation-block.h"
#include "tcg/tcg-internal.h"   /* nb_ops, tcg_emit_op: white-box checks */
#include "test.h"

#include <unistd.h>

TEST_GLOBALS;

typedef struct TestEnv {
    uint64_t g[16];             /* i64 globals g0..g15 */
    uint32_t w[4];              /* i32 globals w0..w3 */
    uint64_t in[32];
    uint64_t out[128];
    uint64_t calls;
    CPUTLB tlb;                 /* last: begin() leaves it alone */
} TestEnv;

#define OFF(f) ((intptr_t)offsetof(TestEnv, f))

static TCGContext *ctx;
static TCGv_i64 g[16];
static TCGv_i32 w[4];
static TestEnv env;

static void test_setup_globals(void)
{
    static char names[16][8];
    static const char *wnames[4] = { "w0", "w1", "w2", "w3" };

    for (int i = 0; i < 16; i++) {
        snprintf(names[i], sizeof(names[i]), "g%d", i);
        g[i] = tcg_global_mem_new_i64(OFF(g[i]), names[i]);
    }
    for (int i = 0; i < 4; i++) {
        w[i] = tcg_global_mem_new_i32(OFF(w[i]), wnames[i]);
    }
    tcg_set_tlb_offset(ctx, OFF(tlb));
    tlb_init(&env.tlb);
}

static void begin(void)
{
    tcg_func_start(ctx);
    memset(&env, 0, offsetof(TestEnv, tlb));
}

/* Generate the block built since begin() and run it; returns the exit value. */
static int gen_and_run(uintptr_t *ret, TranslationBlock *keep)
{
    TranslationBlock tb = { 0 };
    int n;

    tcg_gen_exit_tb(NULL, 0);
    n = tcg_gen_code(ctx, &tb);
    if (n < 0) {
        return n;
    }
    *ret = tcg_tb_exec(&env, tb.tc_ptr);
    if (keep) {
        *keep = tb;
    } else {
        free(tb.insn_end_off);
        free(tb.insn_data);
    }
    return n;
}

#define RUN()                                                                \
    do {                                                                     \
        uintptr_t ret_;                                                      \
        CHECK(gen_and_run(&ret_, NULL) > 0);                                 \
        CHECK_EQ(ret_, 0);                                                   \
    } while (0)

static void st64(TCGv_i64 v, int slot) { tcg_gen_st_i64(v, tcg_env, OFF(out[slot])); }
static void st32(TCGv_i32 v, int slot) { tcg_gen_st_i32(v, tcg_env, OFF(out[slot])); }
static TCGv_i64 in64(int slot)
{
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_ld_i64(t, tcg_env, OFF(in[slot]));
    return t;
}
static TCGv_i32 in32(int slot)
{
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_ld_i32(t, tcg_env, OFF(in[slot]));
    return t;
}

/* ---- arithmetic ------------------------------------------------------------- */

static void test_arith_i64(void)
{
    const uint64_t a = 0x123456789abcdef0ull, b = 0xfedcba9876543210ull;

    begin();
    env.in[0] = a;
    env.in[1] = b;
    TCGv_i64 x = in64(0), y = in64(1), t = tcg_temp_new_i64();
    tcg_gen_add_i64(t, x, y); st64(t, 0);
    tcg_gen_sub_i64(t, x, y); st64(t, 1);
    tcg_gen_mul_i64(t, x, y); st64(t, 2);
    tcg_gen_and_i64(t, x, y); st64(t, 3);
    tcg_gen_or_i64(t, x, y);  st64(t, 4);
    tcg_gen_xor_i64(t, x, y); st64(t, 5);
    tcg_gen_andc_i64(t, x, y); st64(t, 6);
    tcg_gen_neg_i64(t, x);    st64(t, 7);
    tcg_gen_not_i64(t, x);    st64(t, 8);
    tcg_gen_addi_i64(t, x, 100); st64(t, 9);
    tcg_gen_subi_i64(t, x, -5);  st64(t, 10);
    tcg_gen_muli_i64(t, x, 1000); st64(t, 11);
    tcg_gen_andi_i64(t, x, 0xff00); st64(t, 12);
    tcg_gen_ori_i64(t, x, 0x8000000000000000ll); st64(t, 13);
    tcg_gen_xori_i64(t, x, -1); st64(t, 14);
    tcg_gen_sub_i64(t, y, x); st64(t, 15);          /* non-commutative, swapped */
    tcg_gen_muli_i64(t, x, 3); st64(t, 16);         /* imm8 form */
    tcg_gen_addi_i64(g[0], g[0], 1);                /* global read-modify-write */
    env.g[0] = 41;
    RUN();
    CHECK_EQ(env.out[0], a + b);
    CHECK_EQ(env.out[1], a - b);
    CHECK_EQ(env.out[2], a * b);
    CHECK_EQ(env.out[3], a & b);
    CHECK_EQ(env.out[4], a | b);
    CHECK_EQ(env.out[5], a ^ b);
    CHECK_EQ(env.out[6], a & ~b);
    CHECK_EQ(env.out[7], -a);
    CHECK_EQ(env.out[8], ~a);
    CHECK_EQ(env.out[9], a + 100);
    CHECK_EQ(env.out[10], a + 5);
    CHECK_EQ(env.out[11], a * 1000);
    CHECK_EQ(env.out[12], a & 0xff00);
    CHECK_EQ(env.out[13], a | 0x8000000000000000ull);
    CHECK_EQ(env.out[14], ~a);
    CHECK_EQ(env.out[15], b - a);
    CHECK_EQ(env.out[16], a * 3);
    CHECK_EQ(env.g[0], 42);
}

static void test_arith_i32(void)
{
    const uint32_t a = 0xfffffff0u, b = 0x12345678u;

    begin();
    env.in[0] = 0xdeadbeef00000000ull | a;   /* high half must be ignored */
    env.in[1] = b;
    TCGv_i32 x = in32(0), y = in32(1), t = tcg_temp_new_i32();
    TCGv_i64 z = tcg_temp_new_i64();
    tcg_gen_add_i32(t, x, y); tcg_gen_extu_i32_i64(z, t); st64(z, 0);
    tcg_gen_sub_i32(t, y, x); tcg_gen_extu_i32_i64(z, t); st64(z, 1);
    tcg_gen_mul_i32(t, x, y); tcg_gen_extu_i32_i64(z, t); st64(z, 2);
    tcg_gen_andc_i32(t, x, y); tcg_gen_extu_i32_i64(z, t); st64(z, 3);
    tcg_gen_neg_i32(t, y); tcg_gen_exts_i32_i64(z, t); st64(z, 4);
    tcg_gen_addi_i32(t, x, 0x20); tcg_gen_extu_i32_i64(z, t); st64(z, 5);
    tcg_gen_xori_i32(t, x, 0x80000000); tcg_gen_extu_i32_i64(z, t); st64(z, 6);
    tcg_gen_not_i32(t, x); tcg_gen_extu_i32_i64(z, t); st64(z, 7);
    tcg_gen_or_i32(w[0], x, y);
    tcg_gen_addi_i32(w[1], w[1], -1);
    tcg_gen_extrl_i64_i32(t, tcg_constant_i64(0x1111111122222222ll));
    tcg_gen_extu_i32_i64(z, t); st64(z, 8);
    /* i32 add whose 64-bit view would carry: must zero-extend */
    tcg_gen_ld_i64(z, tcg_env, OFF(in[0]));
    tcg_gen_extrl_i64_i32(t, z);
    tcg_gen_addi_i32(t, t, 0x10);
    tcg_gen_extu_i32_i64(z, t); st64(z, 9);
    env.w[1] = 0;
    RUN();
    CHECK_EQ(env.out[0], (uint32_t)(a + b));
    CHECK_EQ(env.out[1], (uint32_t)(b - a));
    CHECK_EQ(env.out[2], (uint32_t)(a * b));
    CHECK_EQ(env.out[3], a & ~b);
    CHECK_EQ(env.out[4], (uint64_t)(int64_t)(int32_t)-b);
    CHECK_EQ(env.out[5], 0x10);
    CHECK_EQ(env.out[6], a ^ 0x80000000u);
    CHECK_EQ(env.out[7], (uint32_t)~a);
    CHECK_EQ(env.w[0], a | b);
    CHECK_EQ(env.w[1], 0xffffffffu);
    CHECK_EQ(env.out[8], 0x22222222u);
    CHECK_EQ(env.out[9], 0);
}

static void test_shifts(void)
{
    const uint64_t a = 0x8123456789abcdefull;
    const uint32_t a32 = 0x89abcdefu;
    int k = 0;

    begin();
    env.in[0] = a;
    env.in[1] = 13;
    env.in[2] = a32;
    TCGv_i64 x = in64(0), n = in64(1), t = tcg_temp_new_i64();
    TCGv_i32 x32 = in32(2), n32 = in32(1), t32 = tcg_temp_new_i32();
    /* i64 by register */
    tcg_gen_shl_i64(t, x, n); st64(t, k++);
    tcg_gen_shr_i64(t, x, n); st64(t, k++);
    tcg_gen_sar_i64(t, x, n); st64(t, k++);
    tcg_gen_rotl_i64(t, x, n); st64(t, k++);
    tcg_gen_rotr_i64(t, x, n); st64(t, k++);
    /* i64 by immediate */
    tcg_gen_shli_i64(t, x, 1); st64(t, k++);
    tcg_gen_shri_i64(t, x, 63); st64(t, k++);
    tcg_gen_sari_i64(t, x, 40); st64(t, k++);
    tcg_gen_rotli_i64(t, x, 8); st64(t, k++);
    tcg_gen_rotri_i64(t, x, 8); st64(t, k++);
    /* i32 by register and immediate */
    tcg_gen_shl_i32(t32, x32, n32); st32(t32, k++);
    tcg_gen_shr_i32(t32, x32, n32); st32(t32, k++);
    tcg_gen_sar_i32(t32, x32, n32); st32(t32, k++);
    tcg_gen_rotl_i32(t32, x32, n32); st32(t32, k++);
    tcg_gen_rotr_i32(t32, x32, n32); st32(t32, k++);
    tcg_gen_sari_i32(t32, x32, 4); st32(t32, k++);
    tcg_gen_rotli_i32(t32, x32, 4); st32(t32, k++);
    /* the count in a register that is also the value */
    tcg_gen_shl_i64(t, n, n); st64(t, k++);
    RUN();
    k = 0;
    CHECK_EQ(env.out[k++], a << 13);
    CHECK_EQ(env.out[k++], a >> 13);
    CHECK_EQ(env.out[k++], (uint64_t)((int64_t)a >> 13));
    CHECK_EQ(env.out[k++], (a << 13) | (a >> 51));
    CHECK_EQ(env.out[k++], (a >> 13) | (a << 51));
    CHECK_EQ(env.out[k++], a << 1);
    CHECK_EQ(env.out[k++], 1);
    CHECK_EQ(env.out[k++], (uint64_t)((int64_t)a >> 40));
    CHECK_EQ(env.out[k++], (a << 8) | (a >> 56));
    CHECK_EQ(env.out[k++], (a >> 8) | (a << 56));
    CHECK_EQ((uint32_t)env.out[k++], (uint32_t)(a32 << 13));
    CHECK_EQ((uint32_t)env.out[k++], a32 >> 13);
    CHECK_EQ((uint32_t)env.out[k++], (uint32_t)((int32_t)a32 >> 13));
    CHECK_EQ((uint32_t)env.out[k++], (uint32_t)((a32 << 13) | (a32 >> 19)));
    CHECK_EQ((uint32_t)env.out[k++], (uint32_t)((a32 >> 13) | (a32 << 19)));
    CHECK_EQ((uint32_t)env.out[k++], (uint32_t)((int32_t)a32 >> 4));
    CHECK_EQ((uint32_t)env.out[k++], (uint32_t)((a32 << 4) | (a32 >> 28)));
    CHECK_EQ(env.out[k++], 13ull << 13);
}

static void test_mul2(void)
{
    const uint64_t a = 0xfedcba9876543210ull, b = 0x8000000000000003ull;
    const uint32_t a32 = 0xfedcba98u, b32 = 0x80000003u;

    begin();
    env.in[0] = a;
    env.in[1] = b;
    env.in[2] = a32;
    env.in[3] = b32;
    TCGv_i64 x = in64(0), y = in64(1), lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    TCGv_i32 x32 = in32(2), y32 = in32(3), lo32 = tcg_temp_new_i32(), hi32 = tcg_temp_new_i32();
    tcg_gen_mulu2_i64(lo, hi, x, y); st64(lo, 0); st64(hi, 1);
    tcg_gen_muls2_i64(lo, hi, x, y); st64(lo, 2); st64(hi, 3);
    tcg_gen_mulu2_i32(lo32, hi32, x32, y32); st32(lo32, 4); st32(hi32, 5);
    tcg_gen_muls2_i32(lo32, hi32, x32, y32); st32(lo32, 6); st32(hi32, 7);
    /* inputs stay live afterwards: they must survive rax/rdx */
    tcg_gen_add_i64(lo, x, y); st64(lo, 8);
    RUN();
    unsigned __int128 pu = (unsigned __int128)a * b;
    __int128 ps = (__int128)(int64_t)a * (int64_t)b;
    CHECK_EQ(env.out[0], (uint64_t)pu);
    CHECK_EQ(env.out[1], (uint64_t)(pu >> 64));
    CHECK_EQ(env.out[2], (uint64_t)ps);
    CHECK_EQ(env.out[3], (uint64_t)((unsigned __int128)ps >> 64));
    uint64_t pu32 = (uint64_t)a32 * b32;
    int64_t ps32 = (int64_t)(int32_t)a32 * (int32_t)b32;
    CHECK_EQ((uint32_t)env.out[4], (uint32_t)pu32);
    CHECK_EQ((uint32_t)env.out[5], (uint32_t)(pu32 >> 32));
    CHECK_EQ((uint32_t)env.out[6], (uint32_t)ps32);
    CHECK_EQ((uint32_t)env.out[7], (uint32_t)((uint64_t)ps32 >> 32));
    CHECK_EQ(env.out[8], a + b);
}

/* A double-width multiply whose high half is unused becomes a plain one. */
static void test_mul2_narrowed(void)
{
    const uint64_t a = 0xfedcba9876543210ull, b = 0x8000000000000003ull;
    int wide = 0;

    begin();
    env.in[0] = a;
    env.in[1] = b;
    TCGv_i64 x = in64(0), y = in64(1), lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    TCGv_i32 lo32 = tcg_temp_new_i32(), hi32 = tcg_temp_new_i32();
    tcg_gen_muls2_i64(lo, hi, x, y); st64(lo, 0);
    tcg_gen_mulu2_i32(lo32, hi32, in32(0), in32(1)); st32(lo32, 1);
    RUN();
    for (TCGOp *op = ctx->first_op; op; op = op->next) {
        wide += op->opc == INDEX_op_mulu2 || op->opc == INDEX_op_muls2;
    }
    CHECK_EQ(wide, 0);
    CHECK_EQ(env.out[0], a * b);
    CHECK_EQ((uint32_t)env.out[1], (uint32_t)a * (uint32_t)b);
}

/* ---- conditions ---------------------------------------------------------------- */

static const TCGCond all_conds[] = {
    TCG_COND_EQ, TCG_COND_NE, TCG_COND_LT, TCG_COND_GE, TCG_COND_LE, TCG_COND_GT,
    TCG_COND_LTU, TCG_COND_GEU, TCG_COND_LEU, TCG_COND_GTU,
};

static bool eval_cond(TCGCond c, uint64_t a, uint64_t b)
{
    switch (c) {
    case TCG_COND_EQ:  return a == b;
    case TCG_COND_NE:  return a != b;
    case TCG_COND_LT:  return (int64_t)a < (int64_t)b;
    case TCG_COND_GE:  return (int64_t)a >= (int64_t)b;
    case TCG_COND_LE:  return (int64_t)a <= (int64_t)b;
    case TCG_COND_GT:  return (int64_t)a > (int64_t)b;
    case TCG_COND_LTU: return a < b;
    case TCG_COND_GEU: return a >= b;
    case TCG_COND_LEU: return a <= b;
    case TCG_COND_GTU: return a > b;
    default:           return c == TCG_COND_ALWAYS;
    }
}

static const uint64_t cond_vals[] = {
    0, 1, 5, 0x7fffffff, 0x80000000, 0xffffffff, 0x8000000000000000ull, -1ull, -5ull,
};
#define NVALS ARRAY_SIZE(cond_vals)

static void test_setcond_movcond(void)
{
    for (size_t ci = 0; ci < ARRAY_SIZE(all_conds); ci++) {
        TCGCond c = all_conds[ci];
        for (size_t i = 0; i < NVALS; i++) {
            begin();
            for (size_t j = 0; j < NVALS; j++) {
                env.in[j] = cond_vals[j];
            }
            env.in[NVALS] = 111;
            env.in[NVALS + 1] = 222;
            TCGv_i64 a = in64((int)i), r = tcg_temp_new_i64();
            TCGv_i64 v1 = in64(NVALS), v2 = in64(NVALS + 1);
            TCGv_i32 a32 = in32((int)i), r32 = tcg_temp_new_i32();
            for (size_t j = 0; j < NVALS; j++) {
                TCGv_i64 b = in64((int)j);
                TCGv_i32 b32 = in32((int)j);
                tcg_gen_setcond_i64(c, r, a, b); st64(r, (int)j);
                tcg_gen_movcond_i64(c, r, a, b, v1, v2); st64(r, 16 + (int)j);
                tcg_gen_setcond_i32(c, r32, a32, b32);
                tcg_gen_extu_i32_i64(r, r32); st64(r, 32 + (int)j);
                /* immediate second operand (where it fits) */
                if (cond_vals[j] == (uint64_t)(int64_t)(int32_t)cond_vals[j]) {
                    tcg_gen_setcondi_i64(c, r, a, (int64_t)cond_vals[j]);
                } else {
                    tcg_gen_setcond_i64(c, r, a, b);
                }
                st64(r, 48 + (int)j);
                tcg_gen_movcond_i32(c, r32, a32, b32, tcg_constant_i32(7), tcg_constant_i32(9));
                tcg_gen_extu_i32_i64(r, r32); st64(r, 64 + (int)j);
                tcg_temp_free_i64(b);
                tcg_temp_free_i32(b32);
            }
            RUN();
            for (size_t j = 0; j < NVALS; j++) {
                uint64_t x = cond_vals[i], y = cond_vals[j];
                bool c64 = eval_cond(c, x, y);
                bool c32 = eval_cond(c, (uint64_t)(int64_t)(int32_t)x, (uint64_t)(int64_t)(int32_t)y);
                if (c == TCG_COND_LTU || c == TCG_COND_GEU || c == TCG_COND_LEU || c == TCG_COND_GTU) {
                    c32 = eval_cond(c, (uint32_t)x, (uint32_t)y);
                }
                CHECK_EQ(env.out[j], c64);
                CHECK_EQ(env.out[16 + j], c64 ? 111 : 222);
                CHECK_EQ(env.out[32 + j], c32);
                CHECK_EQ(env.out[48 + j], c64);
                CHECK_EQ(env.out[64 + j], c32 ? 7 : 9);
            }
        }
    }
}

static void test_brcond_loop(void)
{
    /* sum 1..100 with tb temps across a loop label */
    begin();
    TCGv_i64 i = tcg_temp_local_new_i64(), sum = tcg_temp_local_new_i64();
    TCGLabel *loop = gen_new_label(), *done = gen_new_label();
    tcg_gen_movi_i64(i, 1);
    tcg_gen_movi_i64(sum, 0);
    gen_set_label(loop);
    tcg_gen_brcondi_i64(TCG_COND_GT, i, 100, done);
    tcg_gen_add_i64(sum, sum, i);
    tcg_gen_addi_i64(i, i, 1);
    tcg_gen_br(loop);
    gen_set_label(done);
    st64(sum, 0);
    /* the same with globals and i32 */
    TCGLabel *loop2 = gen_new_label();
    tcg_gen_movi_i64(g[1], 0);
    tcg_gen_movi_i32(w[2], 10);
    gen_set_label(loop2);
    tcg_gen_addi_i64(g[1], g[1], 3);
    tcg_gen_subi_i32(w[2], w[2], 1);
    tcg_gen_brcondi_i32(TCG_COND_NE, w[2], 0, loop2);
    /* a forward branch not taken, then taken, over a store */
    TCGLabel *skip = gen_new_label(), *skip2 = gen_new_label();
    tcg_gen_brcondi_i64(TCG_COND_EQ, g[1], 0, skip);
    tcg_gen_movi_i64(g[2], 5);
    gen_set_label(skip);
    tcg_gen_brcondi_i64(TCG_COND_NE, g[1], 0, skip2);
    tcg_gen_movi_i64(g[3], 6);
    gen_set_label(skip2);
    RUN();
    CHECK_EQ(env.out[0], 5050);
    CHECK_EQ(env.g[1], 30);
    CHECK_EQ(env.w[2], 0);
    CHECK_EQ(env.g[2], 5);
    CHECK_EQ(env.g[3], 0);
}

/* A branch to a label that only branches on goes to the final label; the
 * path falling into the first label still gets there. */
static void test_branch_threading(void)
{
    for (int taken = 0; taken < 2; taken++) {
        TCGLabel *hop, *target;
        TCGLabel **where = NULL;

        begin();
        env.in[0] = (uint64_t)taken;
        hop = gen_new_label();
        target = gen_new_label();
        TCGv_i64 x = in64(0);
        tcg_gen_movi_i64(g[1], 7);                      /* dirty at both branches */
        tcg_gen_brcondi_i64(TCG_COND_NE, x, 0, hop);
        tcg_gen_movi_i64(g[2], 99);                     /* not taken only */
        gen_set_label(hop);
        tcg_gen_br(target);
        tcg_gen_movi_i64(g[3], 55);                     /* never */
        gen_set_label(target);
        tcg_gen_addi_i64(g[1], g[1], 1);
        RUN();
        CHECK_EQ(env.g[1], 8);
        CHECK_EQ(env.g[2], taken ? 0 : 99);
        CHECK_EQ(env.g[3], 0);
        for (TCGOp *op = ctx->first_op; op; op = op->next) {
            if (op->opc == INDEX_op_brcond) {
                where = (TCGLabel **)&op->args[3];
            }
        }
        CHECK(where && *where == target);
    }
}

/*
 * The optimizer's branch clean-up: "brcond c, L1; br L2; L1:" becomes one
 * inverted brcond to L2, the code after an unconditional branch up to a
 * label branched to goes, and so does "br L; L:".  Both directions run.
 */
static void test_branch_cleanup(void)
{
    for (int taken = 0; taken < 2; taken++) {
        TCGLabel *l1, *l2, *l3;
        int brconds = 0, brs = 0, labels = 0, movi55 = 0;

        begin();
        env.in[0] = (uint64_t)taken;
        l1 = gen_new_label();
        l2 = gen_new_label();
        l3 = gen_new_label();
        TCGv_i64 x = in64(0);
        tcg_gen_brcondi_i64(TCG_COND_NE, x, 0, l1);
        tcg_gen_br(l2);
        gen_set_label(l1);
        tcg_gen_movi_i64(g[1], 1);                      /* taken */
        tcg_gen_br(l3);
        tcg_gen_movi_i64(g[3], 55);                     /* unreachable */
        gen_set_label(l2);
        tcg_gen_movi_i64(g[1], 2);                      /* not taken */
        tcg_gen_br(l3);
        gen_set_label(l3);
        tcg_gen_addi_i64(g[2], g[1], 10);
        RUN();
        CHECK_EQ(env.g[1], taken ? 1 : 2);
        CHECK_EQ(env.g[2], taken ? 11 : 12);
        CHECK_EQ(env.g[3], 0);
        for (TCGOp *op = ctx->first_op; op; op = op->next) {
            brconds += op->opc == INDEX_op_brcond;
            brs += op->opc == INDEX_op_br;
            labels += op->opc == INDEX_op_set_label;
            movi55 += op->opc == INDEX_op_mov && op->args[1] == (TCGArg)tcgv_i64_temp(tcg_constant_i64(55));
            if (op->opc == INDEX_op_brcond) {
                CHECK_EQ(op->args[2], TCG_COND_EQ);
                CHECK(arg_label(op->args[3]) == l2);
            }
        }
        /* brcond EQ, L2; g1 = 1; br L3; L2: g1 = 2; L3: ... */
        CHECK_EQ(brconds, 1);
        CHECK_EQ(brs, 1);
        CHECK_EQ(labels, 2);
        CHECK_EQ(movi55, 0);
    }
}

/*
 * A loop back to a label in the middle of the block (tcg_gen_br_loop): the
 * block loops and pins what the loop uses, not what the code before or
 * after it does.
 */
static void test_loop_mid_label(void)
{
    TranslationBlock tb = { 0 };
    TCGLabel *head, *done;

    begin();
    head = gen_new_label();
    done = gen_new_label();
    env.g[7] = 1000;
    tcg_gen_addi_i64(g[7], g[7], 1);                /* before: once */
    tcg_gen_add_i64(g[7], g[7], g[7]);
    tcg_gen_movi_i64(g[1], 0);
    gen_set_label(head);
    tcg_gen_addi_i64(g[1], g[1], 1);                /* k */
    tcg_gen_add_i64(g[2], g[2], g[1]);              /* sum of k */
    tcg_gen_brcondi_i64(TCG_COND_GEU, g[1], 20, done);
    tcg_gen_br_loop(head);
    gen_set_label(done);
    tcg_gen_add_i64(g[6], g[7], g[7]);              /* after: once */
    tcg_gen_add_i64(g[6], g[6], g[7]);
    tcg_gen_exit_tb(NULL, 0);
    CHECK(tcg_gen_code(ctx, &tb) > 0);
    CHECK(tb.loops);
    CHECK(tcgv_i64_temp(g[1])->pinned && tcgv_i64_temp(g[2])->pinned);
    CHECK(!tcgv_i64_temp(g[7])->pinned && !tcgv_i64_temp(g[6])->pinned);
    CHECK_EQ(tcg_tb_exec(&env, tb.tc_ptr), 0);
    CHECK_EQ(env.g[1], 20);
    CHECK_EQ(env.g[2], 210);
    CHECK_EQ(env.g[7], 2002);
    CHECK_EQ(env.g[6], 3 * 2002);
    free(tb.insn_end_off);
    free(tb.insn_data);
}

static void test_ext_bswap(void)
{
    const uint64_t a = 0xfedcba9887654321ull;
    int k = 0;

    begin();
    env.in[0] = a;
    env.in[1] = 0x80;
    TCGv_i64 x = in64(0), t = tcg_temp_new_i64();
    TCGv_i32 x32 = in32(0), t32 = tcg_temp_new_i32();
    tcg_gen_ext8s_i64(t, x); st64(t, k++);
    tcg_gen_ext8u_i64(t, x); st64(t, k++);
    tcg_gen_ext16s_i64(t, x); st64(t, k++);
    tcg_gen_ext16u_i64(t, x); st64(t, k++);
    tcg_gen_ext32s_i64(t, x); st64(t, k++);
    tcg_gen_ext32u_i64(t, x); st64(t, k++);
    tcg_gen_bswap16_i64(t, x); st64(t, k++);
    tcg_gen_bswap32_i64(t, x); st64(t, k++);
    tcg_gen_bswap64_i64(t, x); st64(t, k++);
    tcg_gen_ctpop_i64(t, x); st64(t, k++);
    tcg_gen_ext8s_i32(t32, x32); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    tcg_gen_ext16u_i32(t32, x32); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    tcg_gen_bswap32_i32(t32, x32); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    tcg_gen_bswap16_i32(t32, x32); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    tcg_gen_ctpop_i32(t32, x32); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    tcg_gen_exts_i32_i64(t, x32); st64(t, k++);
    RUN();
    k = 0;
    CHECK_EQ(env.out[k++], 0x21);
    CHECK_EQ(env.out[k++], 0x21);
    CHECK_EQ(env.out[k++], 0x4321);
    CHECK_EQ(env.out[k++], 0x4321);
    CHECK_EQ(env.out[k++], 0xffffffff87654321ull);
    CHECK_EQ(env.out[k++], 0x87654321ull);
    CHECK_EQ(env.out[k++], 0x2143);
    CHECK_EQ(env.out[k++], 0x21436587);
    CHECK_EQ(env.out[k++], 0x21436587 * 0x100000000ull + 0x98badcfe);
    CHECK_EQ(env.out[k++], __builtin_popcountll(a));
    CHECK_EQ(env.out[k++], 0x21);
    CHECK_EQ(env.out[k++], 0x4321);
    CHECK_EQ(env.out[k++], 0x21436587);
    CHECK_EQ(env.out[k++], 0x2143);
    CHECK_EQ(env.out[k++], __builtin_popcount(0x87654321u));
    CHECK_EQ(env.out[k++], 0xffffffff87654321ull);
}

static void test_ld_st_env(void)
{
    int k = 0;

    begin();
    env.in[0] = 0x8899aabbccddeeffull;
    TCGv_i64 t = tcg_temp_new_i64();
    TCGv_i32 t32 = tcg_temp_new_i32();
    tcg_gen_ld8u_i64(t, tcg_env, OFF(in[0])); st64(t, k++);
    tcg_gen_ld8s_i64(t, tcg_env, OFF(in[0])); st64(t, k++);
    tcg_gen_ld16u_i64(t, tcg_env, OFF(in[0]) + 2); st64(t, k++);
    tcg_gen_ld16s_i64(t, tcg_env, OFF(in[0]) + 2); st64(t, k++);
    tcg_gen_ld32u_i64(t, tcg_env, OFF(in[0]) + 4); st64(t, k++);
    tcg_gen_ld32s_i64(t, tcg_env, OFF(in[0]) + 4); st64(t, k++);
    tcg_gen_ld8s_i32(t32, tcg_env, OFF(in[0]) + 1); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    tcg_gen_ld16s_i32(t32, tcg_env, OFF(in[0]) + 6); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    tcg_gen_ld8u_i32(t32, tcg_env, OFF(in[0]) + 7); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    tcg_gen_ld16u_i32(t32, tcg_env, OFF(in[0]) + 6); tcg_gen_extu_i32_i64(t, t32); st64(t, k++);
    /* partial stores into pre-filled slots */
    tcg_gen_ld_i64(t, tcg_env, OFF(in[0]));
    tcg_gen_st8_i64(t, tcg_env, OFF(out[20]));
    tcg_gen_st16_i64(t, tcg_env, OFF(out[21]));
    tcg_gen_st32_i64(t, tcg_env, OFF(out[22]));
    tcg_gen_extrl_i64_i32(t32, t);
    tcg_gen_st8_i32(t32, tcg_env, OFF(out[23]) + 1);
    tcg_gen_st16_i32(t32, tcg_env, OFF(out[24]) + 2);
    tcg_gen_st_i32(tcg_constant_i32(0x12345678), tcg_env, OFF(out[25]));
    tcg_gen_st_i64(tcg_constant_i64(-2), tcg_env, OFF(out[26]));
    tcg_gen_st8_i64(tcg_constant_i64(0x5a), tcg_env, OFF(out[27]));
    tcg_gen_st16_i32(tcg_constant_i32(0x1234), tcg_env, OFF(out[28]));
    uintptr_t ret;
    CHECK(gen_and_run(&ret, NULL) > 0);
    k = 0;
    CHECK_EQ(env.out[k++], 0xff);
    CHECK_EQ(env.out[k++], -1ull);
    CHECK_EQ(env.out[k++], 0xccdd);
    CHECK_EQ(env.out[k++], 0xffffffffffffccddull);
    CHECK_EQ(env.out[k++], 0x8899aabb);
    CHECK_EQ(env.out[k++], 0xffffffff8899aabbull);
    CHECK_EQ(env.out[k++], 0xffffffee);
    CHECK_EQ(env.out[k++], 0xffff8899);
    CHECK_EQ(env.out[k++], 0x88);
    CHECK_EQ(env.out[k++], 0x8899);
    CHECK_EQ(env.out[20], 0xff);
    CHECK_EQ(env.out[21], 0xeeff);
    CHECK_EQ(env.out[22], 0xccddeeff);
    CHECK_EQ(env.out[23], 0xff00);
    CHECK_EQ(env.out[24], 0xeeff0000);
    CHECK_EQ(env.out[25], 0x12345678);
    CHECK_EQ(env.out[26], -2ull);
    CHECK_EQ(env.out[27], 0x5a);
    CHECK_EQ(env.out[28], 0x1234);
}

/* ---- helper calls ------------------------------------------------------------------ */

static uint64_t helper_six(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
    return a * 1 + b * 10 + c * 100 + d * 1000 + e * 10000 + f * 100000;
}

/* Reads g4 and writes g5 behind the generated code's back. */
static uint64_t helper_touch(void *e, uint32_t x)
{
    TestEnv *te = e;
    te->calls++;
    te->g[5] = te->g[4] + x;
    return te->calls;
}

static const TCGHelperInfo info_six = {
    .func = (void *)helper_six, .name = "six", .flags = TCG_CALL_NO_RWG_SE,
    .nb_args = 6, .has_ret = true, .ret_type = TCG_TYPE_I64,
};
static const TCGHelperInfo info_touch = {
    .func = (void *)helper_touch, .name = "touch", .flags = 0,
    .nb_args = 2, .has_ret = true, .ret_type = TCG_TYPE_I64,
};

static void test_helper_calls(void)
{
    begin();
    env.in[0] = 3;
    TCGv_i64 r = tcg_temp_new_i64(), keep = tcg_temp_new_i64(), a = in64(0);
    TCGTemp *args[6] = {
        tcgv_i64_temp(a), tcgv_i64_temp(tcg_constant_i64(2)), tcgv_i64_temp(g[6]),
        tcgv_i64_temp(tcg_constant_i64(4)), tcgv_i64_temp(a), tcgv_i64_temp(tcg_constant_i64(6)),
    };
    tcg_gen_movi_i64(g[6], 1);
    tcg_gen_addi_i64(keep, a, 1000);        /* live across the calls */
    tcg_gen_callN(&info_six, tcgv_i64_temp(r), args);
    st64(r, 0);
    /* g4 is written in a register, so it must be synced before the call;
     * g5 is held in a register, so it must be reloaded after it */
    tcg_gen_mov_i64(g[7], g[5]);
    tcg_gen_movi_i64(g[4], 40);
    TCGTemp *args2[2] = { tcgv_ptr_temp(tcg_env), tcgv_i32_temp(tcg_constant_i32(2)) };
    tcg_gen_callN(&info_touch, tcgv_i64_temp(r), args2);
    tcg_gen_addi_i64(g[8], g[5], 1);
    st64(r, 1);
    st64(keep, 2);
    env.g[5] = 9;
    RUN();
    CHECK_EQ(env.out[0], 3 + 20 + 100 + 4000 + 30000 + 600000);
    CHECK_EQ(env.g[7], 9);
    CHECK_EQ(env.g[5], 42);
    CHECK_EQ(env.g[8], 43);
    CHECK_EQ(env.out[1], 1);
    CHECK_EQ(env.out[2], 1003);
}

/*
 * A block that loops to its start (tcg_gen_br_tb_start), its globals pinned
 * in host registers: the values carried from iteration to iteration, a
 * helper in the loop that reads a global (stored before it) and writes one
 * (reloaded after it), a move folded into a pinned output, and env whole
 * when the block leaves.
 */
static void test_loop_pinned(void)
{
    TranslationBlock tb = { 0 };
    uintptr_t ret;
    uint64_t g0 = 5;

    begin();
    env.g[0] = g0;
    env.g[2] = 3;
    TCGv_i64 t = tcg_temp_new_i64(), r = tcg_temp_new_i64();
    TCGLabel *done = gen_new_label();
    TCGTemp *args[2] = { tcgv_ptr_temp(tcg_env), tcgv_i32_temp(tcg_constant_i32(100)) };
    tcg_gen_addi_i64(g[1], g[1], 1);                /* the counter k */
    tcg_gen_mul_i64(t, g[0], g[2]);                 /* g0 = g0 * g2 + k */
    tcg_gen_add_i64(t, t, g[1]);
    tcg_gen_mov_i64(g[0], t);
    tcg_gen_mov_i64(g[4], g[1]);
    tcg_gen_callN(&info_touch, tcgv_i64_temp(r), args);     /* g5 = g4 + 100 */
    tcg_gen_add_i64(g[6], g[6], g[5]);
    tcg_gen_add_i64(g[6], g[6], g[5]);
    st64(r, 0);
    tcg_gen_brcondi_i64(TCG_COND_GEU, g[1], 10, done);
    tcg_gen_br_tb_start();
    gen_set_label(done);
    tcg_gen_exit_tb(NULL, 0);
    CHECK(tcg_gen_code(ctx, &tb) > 0);
    CHECK(tb.loops);
    /* carried from one iteration to the next: g0, g1, g6; read only: g5
     * (twice) over g2 (once) */
    CHECK(tcgv_i64_temp(g[0])->pinned && tcgv_i64_temp(g[1])->pinned);
    CHECK(tcgv_i64_temp(g[6])->pinned && tcgv_i64_temp(g[5])->pinned);
    CHECK(!tcgv_i64_temp(g[2])->pinned && !tcgv_i64_temp(g[4])->pinned);
    ret = tcg_tb_exec(&env, tb.tc_ptr);
    CHECK_EQ(ret, 0);
    for (uint64_t k = 1; k <= 10; k++) {
        g0 = g0 * 3 + k;
    }
    CHECK_EQ(env.g[0], g0);
    CHECK_EQ(env.g[1], 10);
    CHECK_EQ(env.g[4], 10);
    CHECK_EQ(env.g[5], 110);
    CHECK_EQ(env.g[6], 2 * (55 + 1000));
    CHECK_EQ(env.calls, 10);
    CHECK_EQ(env.out[0], 10);
    free(tb.insn_end_off);
    free(tb.insn_data);
}

static void test_exit_tb_value(void)
{
    TranslationBlock tb = { 0 };
    const TranslationBlock *fake = (const TranslationBlock *)(uintptr_t)0x123450;

    begin();
    tcg_gen_movi_i64(g[0], 7);
    tcg_gen_exit_tb(fake, TB_EXIT_REQUESTED);
    CHECK(tcg_gen_code(ctx, &tb) > 0);
    CHECK_EQ(tcg_tb_exec(&env, tb.tc_ptr), 0x123453);
    CHECK_EQ(env.g[0], 7);
    free(tb.insn_end_off);
    free(tb.insn_data);
}

/* ---- optimizer ----------------------------------------------------------------------- */

static void test_constant_folding(void)
{
    begin();
    TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64();
    TCGv_i32 c = tcg_temp_new_i32();
    tcg_gen_movi_i64(a, 5);
    tcg_gen_addi_i64(b, a, 3);
    tcg_gen_shli_i64(b, b, 4);
    tcg_gen_mul_i64(b, b, a);                /* (5 + 3) << 4 * 5 = 640 */
    tcg_gen_mov_i64(g[0], b);
    tcg_gen_movi_i32(c, 0x7fffffff);
    tcg_gen_addi_i32(c, c, 1);               /* wraps in 32 bits */
    tcg_gen_mov_i32(w[0], c);
    tcg_gen_setcondi_i64(TCG_COND_LTU, g[1], a, 6);
    TCGLabel *l = gen_new_label();
    tcg_gen_brcondi_i64(TCG_COND_EQ, a, 5, l);   /* always taken: becomes br */
    tcg_gen_movi_i64(g[2], 99);
    gen_set_label(l);
    tcg_gen_exit_tb(NULL, 0);

    TranslationBlock tb = { 0 };
    CHECK(tcg_gen_code(ctx, &tb) > 0);
    /* what remains: three stores of constants, br, the dead store, label, exit */
    int n = 0;
    for (TCGOp *op = ctx->first_op; op; op = op->next) {
        CHECK(op->opc != INDEX_op_add && op->opc != INDEX_op_shl &&
              op->opc != INDEX_op_mul && op->opc != INDEX_op_setcond &&
              op->opc != INDEX_op_brcond);
        n++;
    }
    CHECK(n <= 7);
    CHECK_EQ(tcg_tb_exec(&env, tb.tc_ptr), 0);
    CHECK_EQ(env.g[0], 640);
    CHECK_EQ(env.w[0], 0x80000000u);
    CHECK_EQ(env.g[1], 1);
    CHECK_EQ(env.g[2], 0);
    free(tb.insn_end_off);
    free(tb.insn_data);
}

static void test_copy_propagation(void)
{
    begin();
    env.in[0] = 21;
    TCGv_i64 a = in64(0), b = tcg_temp_new_i64(), c = tcg_temp_new_i64();
    tcg_gen_mov_i64(b, a);
    tcg_gen_mov_i64(c, b);
    tcg_gen_add_i64(g[0], c, b);           /* a + a */
    tcg_gen_sub_i64(g[1], c, a);           /* copies of one value: 0 */
    tcg_gen_mov_i64(g[2], g[0]);
    tcg_gen_addi_i64(g[0], g[0], 1);       /* g2 must keep the old value */
    tcg_gen_mov_i64(g[3], g[2]);
    RUN();
    CHECK_EQ(env.g[0], 43);
    CHECK_EQ(env.g[1], 0);
    CHECK_EQ(env.g[2], 42);
    CHECK_EQ(env.g[3], 42);
}

/* ext32u of a value already zero-extended (through a copy) is a move; one
 * whose high half an op may have set again is not. */
static void test_redundant_ext32u(void)
{
    int ext = 0;

    begin();
    env.in[0] = 0xaaaaaaaa87654321ull;
    TCGv_i64 a = in64(0), z = tcg_temp_new_i64(), c = tcg_temp_new_i64();
    TCGv_i64 h = tcg_temp_new_i64();
    tcg_gen_ext32u_i64(z, a);                   /* stays: a's high half is set */
    tcg_gen_mov_i64(c, z);
    tcg_gen_ext32u_i64(g[0], c);                /* a move */
    tcg_gen_addi_i64(h, z, (int64_t)0xffffffff00000000ull);
    tcg_gen_ext32u_i64(g[1], h);                /* stays */
    RUN();
    for (TCGOp *op = ctx->first_op; op; op = op->next) {
        ext += op->opc == INDEX_op_ext32u;
    }
    CHECK_EQ(env.g[0], 0x87654321ull);
    CHECK_EQ(env.g[1], 0x87654321ull);
    CHECK_EQ(ext, 2);
}

/* ---- register pressure ----------------------------------------------------------------- */

static void test_register_pressure(void)
{
    enum { N = 40 };
    TCGv_i64 t[N];
    TCGv_i32 u[8];
    uint64_t expect = 0;

    begin();
    for (int i = 0; i < 16; i++) {
        env.g[i] = (uint64_t)i * 0x10001;
    }
    for (int i = 0; i < N; i++) {
        t[i] = tcg_temp_new_i64();
        tcg_gen_muli_i64(t[i], g[i % 16], i + 1);
    }
    for (int i = 0; i < 8; i++) {
        u[i] = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(u[i], t[i]);
        tcg_gen_xori_i32(u[i], u[i], 0x5555);
    }
    /* a call in the middle clobbers every caller-saved register */
    TCGTemp *args[2] = { tcgv_ptr_temp(tcg_env), tcgv_i32_temp(u[0]) };
    TCGv_i64 r = tcg_temp_new_i64();
    tcg_gen_callN(&info_touch, tcgv_i64_temp(r), args);
    TCGv_i64 sum = tcg_temp_new_i64();
    tcg_gen_movi_i64(sum, 0);
    for (int i = N - 1; i >= 0; i--) {
        tcg_gen_add_i64(sum, sum, t[i]);
        tcg_gen_rotli_i64(sum, sum, 3);
    }
    for (int i = 0; i < 8; i++) {
        TCGv_i64 z = tcg_temp_new_i64();
        tcg_gen_extu_i32_i64(z, u[i]);
        tcg_gen_add_i64(sum, sum, z);
    }
    st64(sum, 0);
    uint64_t gv[16];
    for (int i = 0; i < 16; i++) {
        gv[i] = (uint64_t)i * 0x10001;
    }
    RUN();
    for (int i = N - 1; i >= 0; i--) {
        expect += gv[i % 16] * (uint64_t)(i + 1);
        expect = (expect << 3) | (expect >> 61);
    }
    for (int i = 0; i < 8; i++) {
        expect += (uint32_t)(gv[i % 16] * (uint64_t)(i + 1)) ^ 0x5555u;
    }
    CHECK_EQ(env.out[0], expect);
}

/* ---- guest memory (TLB hits) ------------------------------------------------------------- */

static void tlb_fill_page(uint64_t gpage, uint8_t *host, unsigned mmu_idx)
{
    CPUTLBEntry *e = tlb_entry(&env.tlb, (int)mmu_idx, gpage);
    e->addr_read = gpage;
    e->addr_write = gpage;
    e->addr_code = gpage;
    e->addend = (uintptr_t)host - gpage;
}

static void test_guest_ldst_fast_path(void)
{
    static uint8_t mem[2 * 4096] __attribute__((aligned(4096)));
    const uint64_t page = 0x7fff00040000ull;
    const unsigned mmu = 2;
    int k = 0;

    begin();
    tlb_init(&env.tlb);                  /* every entry invalid */
    tlb_fill_page(page, mem, mmu);
    tlb_fill_page(page + 4096, mem + 4096, mmu);
    for (int i = 0; i < 64; i++) {
        mem[i] = (uint8_t)(0xf0 + i);
    }
    mem[4096 + 8] = 0x80;

    TCGv_i64 addr = tcg_temp_new_i64(), v = tcg_temp_new_i64();
    TCGv_i32 v32 = tcg_temp_new_i32();
    tcg_gen_movi_i64(g[9], page);
    tcg_gen_guest_ld_i64(v, g[9], mmu, MO_UB); st64(v, k++);
    tcg_gen_guest_ld_i64(v, g[9], mmu, MO_SB); st64(v, k++);
    tcg_gen_addi_i64(addr, g[9], 1);              /* unaligned, same page */
    tcg_gen_guest_ld_i64(v, addr, mmu, MO_UW); st64(v, k++);
    tcg_gen_guest_ld_i64(v, addr, mmu, MO_SW); st64(v, k++);
    tcg_gen_guest_ld_i64(v, addr, mmu, MO_UL); st64(v, k++);
    tcg_gen_guest_ld_i64(v, addr, mmu, MO_SL); st64(v, k++);
    tcg_gen_guest_ld_i64(v, addr, mmu, MO_UQ); st64(v, k++);
    tcg_gen_guest_ld_i32(v32, addr, mmu, MO_SB);
    tcg_gen_extu_i32_i64(v, v32); st64(v, k++);
    tcg_gen_guest_ld_i32(v32, addr, mmu, MO_UL);
    tcg_gen_extu_i32_i64(v, v32); st64(v, k++);
    /* second page via a global address */
    tcg_gen_movi_i64(g[10], page + 4096 + 8);
    tcg_gen_guest_ld_i64(g[11], g[10], mmu, MO_SB);
    /* stores of each size, then read back through the TLB */
    tcg_gen_addi_i64(addr, g[9], 100);
    tcg_gen_guest_st_i64(tcg_constant_i64(0x1122334455667788ll), addr, mmu, MO_UQ);
    tcg_gen_addi_i64(addr, g[9], 200);
    tcg_gen_guest_st_i32(tcg_constant_i32(0xaabbccdd), addr, mmu, MO_UL);
    tcg_gen_addi_i64(addr, g[9], 205);
    tcg_gen_guest_st_i64(tcg_constant_i64(0xeeff), addr, mmu, MO_UW);
    tcg_gen_addi_i64(addr, g[9], 209);
    tcg_gen_movi_i32(v32, 0x99);
    tcg_gen_guest_st_i32(v32, addr, mmu, MO_UB);
    tcg_gen_addi_i64(addr, g[9], 100);
    tcg_gen_guest_ld_i64(v, addr, mmu, MO_UQ); st64(v, k++);
    /* a value live across the access survives the (possible) helper call */
    env.in[0] = 0xabcdef;
    TCGv_i64 live = in64(0);
    tcg_gen_guest_ld_i64(v, g[9], mmu, MO_UB);
    tcg_gen_add_i64(v, v, live); st64(v, k++);
    RUN();
    k = 0;
    CHECK_EQ(env.out[k++], 0xf0);
    CHECK_EQ(env.out[k++], 0xfffffffffffffff0ull);
    CHECK_EQ(env.out[k++], 0xf2f1);
    CHECK_EQ(env.out[k++], 0xfffffffffffff2f1ull);
    CHECK_EQ(env.out[k++], 0xf4f3f2f1);
    CHECK_EQ(env.out[k++], 0xfffffffff4f3f2f1ull);
    CHECK_EQ(env.out[k++], 0xf8f7f6f5f4f3f2f1ull);
    CHECK_EQ(env.out[k++], 0xfffffff1);
    CHECK_EQ(env.out[k++], 0xf4f3f2f1);
    CHECK_EQ(env.g[11], 0xffffffffffffff80ull);
    CHECK_EQ(env.out[k++], 0x1122334455667788ull);
    CHECK_EQ(env.out[k++], 0xf0 + 0xabcdef);
    uint64_t q;
    uint32_t d;
    uint16_t h;
    memcpy(&q, mem + 100, 8);
    memcpy(&d, mem + 200, 4);
    memcpy(&h, mem + 205, 2);
    CHECK_EQ(q, 0x1122334455667788ull);
    CHECK_EQ(d, 0xaabbccdd);
    CHECK_EQ(h, 0xeeff);
    CHECK_EQ(mem[209], 0x99);
    CHECK_EQ(env.g[9], page);
}

/* ---- chaining, goto_ptr, restore table, dump, overflow ------------------------------------ */

static void test_goto_tb_chaining(void)
{
    TranslationBlock a = { 0 }, b = { 0 };
    static TranslationBlock tb_a_key __attribute__((aligned(8)));

    begin();
    tcg_gen_insn_start(0x1000, 1);
    tcg_gen_goto_tb(0);
    tcg_gen_movi_i64(g[0], 1);
    tcg_gen_exit_tb(&tb_a_key, 0);
    CHECK(tcg_gen_code(ctx, &a) > 0);

    begin();
    tcg_gen_movi_i64(g[1], 42);
    tcg_gen_exit_tb(NULL, 0);
    CHECK(tcg_gen_code(ctx, &b) > 0);

    CHECK(a.jmp_insn_offset[0] != 0xffff);
    CHECK_EQ(((uintptr_t)a.tc_ptr + a.jmp_insn_offset[0]) & 3, 0);
    CHECK_EQ(tcg_tb_exec(&env, a.tc_ptr), (uintptr_t)&tb_a_key);
    CHECK_EQ(env.g[0], 1);

    env.g[0] = 0;
    tb_target_set_jmp_target(&a, 0, (uintptr_t)b.tc_ptr);
    CHECK_EQ(tcg_tb_exec(&env, a.tc_ptr), 0);
    CHECK_EQ(env.g[0], 0);
    CHECK_EQ(env.g[1], 42);

    tb_target_set_jmp_target(&a, 0, (uintptr_t)a.tc_ptr + a.jmp_reset_offset[0]);
    CHECK_EQ(tcg_tb_exec(&env, a.tc_ptr), (uintptr_t)&tb_a_key);
    CHECK_EQ(env.g[0], 1);
    free(a.insn_end_off); free(a.insn_data);
    free(b.insn_end_off); free(b.insn_data);
}

static void test_goto_ptr(void)
{
    TranslationBlock b = { 0 };
    uintptr_t ret;

    begin();
    tcg_gen_movi_i64(g[2], 77);
    tcg_gen_exit_tb(NULL, 0);
    CHECK(tcg_gen_code(ctx, &b) > 0);

    begin();
    env.in[0] = (uintptr_t)b.tc_ptr;
    TCGv_i64 p = in64(0);
    TCGOp *op = tcg_emit_op(INDEX_op_goto_ptr, TCG_TYPE_I64, 1);
    op->args[0] = (TCGArg)tcgv_i64_temp(p);
    CHECK(gen_and_run(&ret, NULL) > 0);
    CHECK_EQ(ret, 0);
    CHECK_EQ(env.g[2], 77);
    free(b.insn_end_off); free(b.insn_data);
}

static void test_restore_table(void)
{
    TranslationBlock tb = { 0 };
    uintptr_t ret;

    begin();
    tcg_gen_insn_start(0x401000, 5);
    tcg_gen_addi_i64(g[0], g[0], 1);
    tcg_gen_insn_start(0x401003, 6);
    tcg_gen_addi_i64(g[1], g[1], 2);
    tcg_gen_insn_start(0x401007, 7);
    CHECK(gen_and_run(&ret, &tb) > 0);
    CHECK_EQ(tb.icount, 3);
    CHECK_EQ(tb.insn_data[0][0], 0x401000);
    CHECK_EQ(tb.insn_data[1][0], 0x401003);
    CHECK_EQ(tb.insn_data[2][1], 7);
    CHECK(tb.insn_end_off[0] <= tb.insn_end_off[1]);
    CHECK(tb.insn_end_off[1] <= tb.insn_end_off[2]);
    CHECK(tb.insn_end_off[2] <= tb.tc_size);
    CHECK_EQ(env.g[0], 1);
    free(tb.insn_end_off);
    free(tb.insn_data);
}

static void test_dump_and_logs(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    begin();
    tcg_gen_insn_start(0x401000, 0);
    tcg_gen_addi_i64(g[0], g[0], 1);
    TCGLabel *l = gen_new_label();
    tcg_gen_brcondi_i64(TCG_COND_LT, g[0], 10, l);
    gen_set_label(l);
    tcg_dump_ops(ctx, f);
    fclose(f);
    CHECK(strstr(buf, " add_i64 g0,g0,$0x1") != NULL);
    CHECK(strstr(buf, "brcond_i64 g0,$0xa,lt,$L0") != NULL);
    CHECK(strstr(buf, "0000000000401000") != NULL);
    CHECK(strstr(buf, "set_label $L0") != NULL);
    free(buf);

    /* -d op,op_opt,out_asm go to the log without disturbing the result */
    char path[] = "/tmp/test-tcg-log-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    CHECK_EQ(log_set_file(path, NULL), 0);
    tern_log_mask = LOG_OP | LOG_OP_OPT | LOG_OUT_ASM;
    uintptr_t ret;
    env.g[0] = 0;
    int n = gen_and_run(&ret, NULL);
    tern_log_mask = 0;
    log_flush();
    CHECK(n > 0);
    CHECK_EQ(env.g[0], 1);
    FILE *lf = fopen(path, "r");
    char text[8192];
    size_t got = lf ? fread(text, 1, sizeof(text) - 1, lf) : 0;
    if (lf) {
        fclose(lf);
    }
    unlink(path);
    text[got] = 0;
    CHECK(strstr(text, "OP:") != NULL);
    CHECK(strstr(text, "OUT: [size=") != NULL);
    /* the block's exit: x86-64 code, or the interpreter's bytecode */
    CHECK(strstr(text, "ret") != NULL || strstr(text, "jmp") != NULL ||
          strstr(text, "exit_tb") != NULL);
}

static void test_buffer_full(void)
{
    /* the buffer is 1 MiB (see main): fill it until tcg_gen_code refuses */
    int n, blocks = 0;
    size_t before = tcg_code_size();

    CHECK(tcg_code_capacity() >= 1u << 20);
    do {
        TranslationBlock tb = { 0 };
        begin();
        for (int i = 0; i < 200; i++) {
            tcg_gen_addi_i64(g[i % 16], g[(i + 1) % 16], i);
        }
        tcg_gen_exit_tb(NULL, 0);
        n = tcg_gen_code(ctx, &tb);
        if (n > 0) {
            blocks++;
            free(tb.insn_end_off);
            free(tb.insn_data);
        }
    } while (n > 0 && blocks < 100000);
    CHECK_EQ(n, -1);
    CHECK(blocks > 10);
    CHECK(tcg_code_size() <= tcg_code_capacity());
    CHECK(tcg_code_size() > before);
    tcg_region_reset();
    CHECK(tcg_code_size() < 4096);        /* only the prologue stays */
    /* and code generation works again, with the prologue intact */
    begin();
    tcg_gen_movi_i64(g[0], 5);
    RUN();
    CHECK_EQ(env.g[0], 5);
}

int main(void)
{
    Error *err = NULL;

    if (tcg_init(1u << 20, &err) < 0) {
        printf("FAIL tcg_init: %s\n", error_get_pretty(err));
        return 1;
    }
    ctx = tcg_context_create();
    test_setup_globals();

    RUN_TEST(test_arith_i64);
    RUN_TEST(test_arith_i32);
    RUN_TEST(test_shifts);
    RUN_TEST(test_mul2);
    RUN_TEST(test_mul2_narrowed);
    RUN_TEST(test_setcond_movcond);
    RUN_TEST(test_brcond_loop);
    RUN_TEST(test_branch_threading);
    RUN_TEST(test_branch_cleanup);
    RUN_TEST(test_loop_mid_label);
    RUN_TEST(test_ext_bswap);
    RUN_TEST(test_ld_st_env);
    RUN_TEST(test_helper_calls);
    RUN_TEST(test_loop_pinned);
    RUN_TEST(test_exit_tb_value);
    RUN_TEST(test_constant_folding);
    RUN_TEST(test_copy_propagation);
    RUN_TEST(test_redundant_ext32u);
    RUN_TEST(test_register_pressure);
    RUN_TEST(test_guest_ldst_fast_path);
    RUN_TEST(test_goto_tb_chaining);
    RUN_TEST(test_goto_ptr);
    RUN_TEST(test_restore_table);
    RUN_TEST(test_dump_and_logs);
    RUN_TEST(test_buffer_full);
    TEST_MAIN_END();
}
