/*
 * test-softfloat-host.c: util/softfloat.c's host fast path against its
 * soft path, bit for bit, result and exception flags.
 *
 * Each float32/float64 operation with a fast path runs the same operands
 * twice, once as tern runs it and once with float_status.soft_only, in
 * every float_status configuration the fast path looks at: the four
 * rounding modes, PE already raised or not, FTZ, DAZ, trapped OE/UE.
 * Operands are every pair of a list of edge values (edge_operands), then
 * random values biased to the edges (zeros, denormals, the smallest and
 * largest normals, infinities, NaNs, near ties, products and quotients
 * that underflow or overflow; tests/unit/test.h), or random integers for
 * the conversions from integers.
 */
#include "util/osdep.h"
#include "util/softfloat.h"
#include "test.h"

#include <fenv.h>

TEST_GLOBALS;

#define N_PER_CONFIG 1500
#define N_CONFIGS    64

typedef enum Op {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_COMPARE, OP_COMPARE_QUIET,
    OP_FROM_I32, OP_FROM_I64, OP_TO_I32_TRUNC, OP_TO_I64_TRUNC, OP_CVT_FLOAT,
    OP_NB
} Op;

static const char *const op_names[OP_NB] = {
    "add", "sub", "mul", "div", "sqrt", "compare", "compare-quiet",
    "from-i32", "from-i64", "to-i32-trunc", "to-i64-trunc", "cvt-float",
};

/* Configuration cfg (0-63): rounding mode cfg & 3, PE raised if cfg & 4,
 * FTZ if cfg & 8, DAZ if cfg & 16, OE and UE trapped if cfg & 32. */
static float_status status_config(int cfg, bool soft_only)
{
    float_status s = {
        .rounding_mode = cfg & 3,
        .exception_flags = (cfg & 4) ? float_flag_inexact : 0,
        .flush_to_zero = cfg & 8,
        .denormals_are_zero = cfg & 16,
        .overflow_unmasked = cfg & 32,
        .underflow_unmasked = cfg & 32,
        .soft_only = soft_only,
    };
    return s;
}

/* op in format f64 (else f32) on a and b; the comparisons as relations. */
static uint64_t run(Op op, bool f64, uint64_t a, uint64_t b, float_status *s)
{
#define SEL(f32, f64_) (f64 ? (uint64_t)(f64_) : (uint64_t)(uint32_t)(f32))
    switch (op) {
    case OP_ADD: return SEL(float32_add(a, b, s), float64_add(a, b, s));
    case OP_SUB: return SEL(float32_sub(a, b, s), float64_sub(a, b, s));
    case OP_MUL: return SEL(float32_mul(a, b, s), float64_mul(a, b, s));
    case OP_DIV: return SEL(float32_div(a, b, s), float64_div(a, b, s));
    case OP_SQRT: return SEL(float32_sqrt(a, s), float64_sqrt(a, s));
    case OP_COMPARE:
        return (uint64_t)(f64 ? float64_compare(a, b, s) : float32_compare(a, b, s));
    case OP_COMPARE_QUIET:
        return (uint64_t)(f64 ? float64_compare_quiet(a, b, s) : float32_compare_quiet(a, b, s));
    case OP_FROM_I32: return SEL(int32_to_float32((int32_t)a, s), int32_to_float64((int32_t)a, s));
    case OP_FROM_I64: return SEL(int64_to_float32((int64_t)a, s), int64_to_float64((int64_t)a, s));
    case OP_TO_I32_TRUNC:
        return (uint32_t)(f64 ? float64_to_int32_round_to_zero(a, s)
                              : float32_to_int32_round_to_zero(a, s));
    case OP_TO_I64_TRUNC:
        return (uint64_t)(f64 ? float64_to_int64_round_to_zero(a, s)
                              : float32_to_int64_round_to_zero(a, s));
    case OP_CVT_FLOAT: return f64 ? float64_to_float32(a, s) : float32_to_float64(a, s);
    default: return 0;
    }
#undef SEL
}

/* A random integer: full width, shifted down, or small. */
static uint64_t rnd_int(void)
{
    uint64_t v = test_rnd();

    switch (test_rnd() % 3) {
    case 0: return (uint64_t)((int64_t)v >> (test_rnd() % 64));
    case 1: return (uint64_t)((int64_t)(v % 4096) - 2048);
    default: return v;
    }
}

/* Operands of op: a near the integer limits for the truncations. */
static void rnd_operands(Op op, bool f64, uint64_t *a, uint64_t *b)
{
    int ebits = f64 ? 11 : 8, fbits = f64 ? 52 : 23;

    if (op == OP_FROM_I32 || op == OP_FROM_I64) {
        *a = rnd_int();
        *b = 0;
        return;
    }
    *a = test_rnd_float(ebits, fbits, 0);
    *b = test_rnd_float(ebits, fbits, *a);
    if ((op == OP_TO_I32_TRUNC || op == OP_TO_I64_TRUNC) && test_rnd() % 2) {
        int lim = (op == OP_TO_I32_TRUNC ? 31 : 63) + (int)(test_rnd() % 3) - 1;
        uint64_t bias = f64 ? 1023 : 127;

        *a = (*a & ~(((1ull << ebits) - 1) << fbits)) | (bias + lim) << fbits;
    }
}

/*
 * Edge operands of a format, both signs: zeros, denormals, the smallest
 * normals (a product of 1 - 2^-p and the smallest normal rounds up to it
 * but is tiny), around 1 and 2, the largest normals, infinities, NaNs.
 */
#define N_EDGES 40
static void edge_operands(bool f64, uint64_t out[N_EDGES])
{
    uint64_t fbits = f64 ? 52 : 23, fmask = (1ull << fbits) - 1;
    uint64_t emax = f64 ? 0x7ff : 0xff, bias = emax >> 1;
    static const struct { int exp; int frac; } kind[N_EDGES / 2] = {
        /* exp: 0, 1, 2 literal, else -1 emax - 1, -2 emax, -3 bias - 1,
         * -4 bias, -5 bias + 1; frac: 0, 1, -1 all ones, -2 quiet bit,
         * -3 all ones but one */
        { 0, 0 }, { 0, 1 }, { 0, -1 }, { 1, 0 }, { 1, 1 }, { 2, 0 },
        { -3, -1 }, { -3, 0 }, { -4, 0 }, { -4, 1 }, { -4, -1 }, { -5, 0 },
        { -5, -3 }, { -1, -1 }, { -1, -3 }, { -1, 0 }, { -2, 0 }, { -2, -2 },
        { -2, 1 }, { -3, 1 },
    };

    for (int i = 0; i < N_EDGES / 2; i++) {
        int e = kind[i].exp, f = kind[i].frac;
        uint64_t exp = e >= 0 ? (uint64_t)e : e == -1 ? emax - 1 : e == -2 ? emax
                       : bias - (uint64_t)(e + 4);
        uint64_t frac = f >= 0 ? (uint64_t)f : f == -1 ? fmask : f == -2 ? 1ull << (fbits - 1)
                        : fmask - 1;

        out[2 * i] = exp << fbits | frac;
        out[2 * i + 1] = out[2 * i] | 1ull << (f64 ? 63 : 31);
    }
}

static unsigned long long total_compared;

/* One operation in one format, every configuration: fast vs soft. */
static int compare_op(Op op, bool f64)
{
    unsigned long n = 0, bad = 0;
    char name[32];

    uint64_t edges[N_EDGES];

    edge_operands(f64, edges);
    snprintf(name, sizeof(name), "%s/%s", op_names[op], f64 ? "f64" : "f32");
    for (int cfg = 0; cfg < N_CONFIGS; cfg++) {
        /* every pair of edge operands, then random ones */
        for (int i = 0; i < N_EDGES * N_EDGES + N_PER_CONFIG; i++) {
            float_status fast = status_config(cfg, false), soft = status_config(cfg, true);
            uint64_t a, b, rf, rs;

            if (i < N_EDGES * N_EDGES) {
                a = edges[i / N_EDGES];
                b = edges[i % N_EDGES];
            } else {
                rnd_operands(op, f64, &a, &b);
            }
            rf = run(op, f64, a, b, &fast);
            rs = run(op, f64, a, b, &soft);
            n++;
            if (rf != rs || fast.exception_flags != soft.exception_flags) {
                test_mismatch(&bad, "%s cfg=%d a=%016" PRIx64 " b=%016" PRIx64
                              ": fast %016" PRIx64 " flags %02x, soft %016" PRIx64
                              " flags %02x", name, cfg, a, b, rf, fast.exception_flags,
                              rs, soft.exception_flags);
            }
        }
    }
    printf("  %s: %lu compared, %lu mismatches\n", name, n, bad);
    total_compared += n;
    return bad != 0;
}

static void test_softfloat_host_vs_soft(void)
{
    int fails = 0;

    for (int op = 0; op < OP_NB; op++) {
        fails += compare_op((Op)op, false);
        fails += compare_op((Op)op, true);
    }
    printf("  total: %llu operations, fast path vs soft path\n", total_compared);
    CHECK_EQ(fails, 0);
}

/*
 * The fast path runs where it should and only there: with the host
 * rounding upward (which tern never does), 1 + 2^-60 comes out 1 + ulp
 * from the host and 1 from the soft path.
 */
static void test_softfloat_host_taken(void)
{
    const float64 one = 0x3ff0000000000000ull, tiny = 0x3c30000000000000ull;
    float_status pe = { .exception_flags = float_flag_inexact };
    float_status clean = { 0 }, soft = { .exception_flags = float_flag_inexact,
                                         .soft_only = true };
    float64 r_pe, r_clean, r_soft;

    /* tern relies on the host's default rounding */
    CHECK_EQ(fegetround(), FE_TONEAREST);
    CHECK_EQ(fesetround(FE_UPWARD), 0);
    r_pe = float64_add(one, tiny, &pe);
    r_clean = float64_add(one, tiny, &clean);
    r_soft = float64_add(one, tiny, &soft);
    fesetround(FE_TONEAREST);
    CHECK_EQ(r_pe, one + 1);             /* PE raised: the host computed */
    CHECK_EQ(r_clean, one);              /* PE not yet raised: soft */
    CHECK_EQ(clean.exception_flags, float_flag_inexact);
    CHECK_EQ(r_soft, one);               /* soft_only */
}

int main(void)
{
    RUN_TEST(test_softfloat_host_taken);
    RUN_TEST(test_softfloat_host_vs_soft);
    TEST_MAIN_END();
}
