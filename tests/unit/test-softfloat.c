/*
 * test-softfloat.c: util/softfloat.c's float32/float64 against the host's
 * SSE unit, bit for bit, result and MXCSR flags.
 *
 * Every operation runs on random and edge operands (zeros, denormals,
 * min/max normals, infinities, quiet and signalling NaNs, values whose
 * exact results lie on or near rounding ties) in each rounding mode with
 * FTZ and DAZ off and on.  The host runs the same SSE instruction with
 * MXCSR set accordingly (all exceptions masked).  On a non-x86_64 host
 * there is no oracle and the test says SKIP.
 */
#include "util/osdep.h"
#include "util/softfloat.h"
#include "test.h"

TEST_GLOBALS;

#if defined(__x86_64__)

#define N_PER_CONFIG 10000

/* Operations, each with a host instruction and a soft function. */
typedef enum Op {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_COMI, OP_UCOMI, OP_ROUND,
    OP_CVT_FLOAT, OP_TO_I32, OP_TO_I32_TRUNC, OP_TO_I64, OP_TO_I64_TRUNC,
    OP_FROM_I32, OP_FROM_I64, OP_NB
} Op;

static const char *const op_names[OP_NB] = {
    "add", "sub", "mul", "div", "sqrt", "comi", "ucomi", "round", "cvt-float",
    "to-i32", "to-i32-trunc", "to-i64", "to-i64-trunc", "from-i32", "from-i64",
};

static int64_t rnd_int(bool is64)
{
    int64_t v = (int64_t)test_rnd();
    unsigned k = test_rnd() % 4;

    if (k == 0) {
        v >>= test_rnd() % 64;
    } else if (k == 1) {
        v = (int64_t)(test_rnd() % 2048) - 1024;
    }
    return is64 ? v : (int32_t)v;
}

/* ---- the host ------------------------------------------------------------ */

#define HOST_PRE  "ldmxcsr %[m]\n\t movq %[a], %%xmm0\n\t movq %[b], %%xmm1\n\t"
#define HOST_POST "\n\t movq %%xmm0, %[r]\n\t stmxcsr %[o]\n\t ldmxcsr %[d]"
#define HOST_BIN(insn) \
    __asm__ volatile(HOST_PRE insn " %%xmm1, %%xmm0" HOST_POST \
                     : [r] "=r"(r), [o] "=m"(o) \
                     : [a] "r"(a), [b] "r"(b), [m] "m"(mx), [d] "m"(dflt) \
                     : "xmm0", "xmm1")
#define HOST_COMI(insn) \
    __asm__ volatile("ldmxcsr %[m]\n\t movq %[a], %%xmm0\n\t movq %[b], %%xmm1\n\t" \
                     insn " %%xmm1, %%xmm0\n\t setz %b[z]\n\t setp %b[p]\n\t setc %b[c]\n\t" \
                     "stmxcsr %[o]\n\t ldmxcsr %[d]" \
                     : [z] "=&q"(z), [p] "=&q"(p), [c] "=&q"(c), [o] "=m"(o) \
                     : [a] "r"(a), [b] "r"(b), [m] "m"(mx), [d] "m"(dflt) \
                     : "xmm0", "xmm1", "cc")
#define HOST_TOINT(insn, dst) \
    __asm__ volatile("ldmxcsr %[m]\n\t movq %[a], %%xmm0\n\t" insn " %%xmm0, " dst "\n\t" \
                     "stmxcsr %[o]\n\t ldmxcsr %[d]" \
                     : [r] "=r"(r), [o] "=m"(o) \
                     : [a] "r"(a), [m] "m"(mx), [d] "m"(dflt) : "xmm0")
#define HOST_FROMINT(insn, src) \
    __asm__ volatile("ldmxcsr %[m]\n\t xorps %%xmm0, %%xmm0\n\t" insn " " src ", %%xmm0\n\t" \
                     "movq %%xmm0, %[r]\n\t stmxcsr %[o]\n\t ldmxcsr %[d]" \
                     : [r] "=r"(r), [o] "=m"(o) \
                     : [a] "r"(a), [m] "m"(mx), [d] "m"(dflt) : "xmm0")

/* Run op on the host; returns the result, *flags the MXCSR flag bits. */
static uint64_t host_run(Op op, bool is64, uint64_t a, uint64_t b, uint32_t mx,
                         uint32_t *flags)
{
    uint32_t o = 0, dflt = 0x1f80;
    uint64_t r = 0;
    uint8_t z = 0, p = 0, c = 0;

#define BOTH(i32, i64) if (is64) { i64; } else { i32; }
    switch (op) {
    case OP_ADD: BOTH(HOST_BIN("addss"), HOST_BIN("addsd")); break;
    case OP_SUB: BOTH(HOST_BIN("subss"), HOST_BIN("subsd")); break;
    case OP_MUL: BOTH(HOST_BIN("mulss"), HOST_BIN("mulsd")); break;
    case OP_DIV: BOTH(HOST_BIN("divss"), HOST_BIN("divsd")); break;
    case OP_SQRT: BOTH(HOST_BIN("sqrtss"), HOST_BIN("sqrtsd")); break;
    case OP_ROUND: BOTH(HOST_BIN("roundss $4,"), HOST_BIN("roundsd $4,")); break;
    case OP_CVT_FLOAT: BOTH(HOST_BIN("cvtss2sd"), HOST_BIN("cvtsd2ss")); break;
    case OP_COMI: BOTH(HOST_COMI("comiss"), HOST_COMI("comisd")); r = z << 2 | p << 1 | c; break;
    case OP_UCOMI: BOTH(HOST_COMI("ucomiss"), HOST_COMI("ucomisd")); r = z << 2 | p << 1 | c; break;
    case OP_TO_I32: BOTH(HOST_TOINT("cvtss2si", "%k[r]"), HOST_TOINT("cvtsd2si", "%k[r]")); r = (uint32_t)r; break;
    case OP_TO_I32_TRUNC: BOTH(HOST_TOINT("cvttss2si", "%k[r]"), HOST_TOINT("cvttsd2si", "%k[r]")); r = (uint32_t)r; break;
    case OP_TO_I64: BOTH(HOST_TOINT("cvtss2si", "%q[r]"), HOST_TOINT("cvtsd2si", "%q[r]")); break;
    case OP_TO_I64_TRUNC: BOTH(HOST_TOINT("cvttss2si", "%q[r]"), HOST_TOINT("cvttsd2si", "%q[r]")); break;
    case OP_FROM_I32: BOTH(HOST_FROMINT("cvtsi2ssl", "%k[a]"), HOST_FROMINT("cvtsi2sdl", "%k[a]")); break;
    case OP_FROM_I64: BOTH(HOST_FROMINT("cvtsi2ssq", "%q[a]"), HOST_FROMINT("cvtsi2sdq", "%q[a]")); break;
    default: break;
    }
#undef BOTH
    /* 32-bit results: only the low lane counts */
    if (!is64 && (op <= OP_ROUND || op == OP_FROM_I32 || op == OP_FROM_I64)) {
        r = (uint32_t)r;
    }
    if (op == OP_CVT_FLOAT && is64) {
        r = (uint32_t)r;
    }
    *flags = o & 0x3f;
    return r;
}

/* The comi flags (ZF PF CF as bits 2..0) of a relation. */
static uint64_t relation_flags(int rel)
{
    switch (rel) {
    case float_relation_less: return 1;
    case float_relation_equal: return 4;
    case float_relation_greater: return 0;
    default: return 7;
    }
}

static uint64_t soft_run(Op op, bool is64, uint64_t a, uint64_t b, float_status *s)
{
#define SEL(f32, f64) (is64 ? (uint64_t)(f64) : (uint64_t)(uint32_t)(f32))
    switch (op) {
    case OP_ADD: return SEL(float32_add(a, b, s), float64_add(a, b, s));
    case OP_SUB: return SEL(float32_sub(a, b, s), float64_sub(a, b, s));
    case OP_MUL: return SEL(float32_mul(a, b, s), float64_mul(a, b, s));
    case OP_DIV: return SEL(float32_div(a, b, s), float64_div(a, b, s));
    case OP_SQRT: return SEL(float32_sqrt(b, s), float64_sqrt(b, s));
    case OP_ROUND: return SEL(float32_round_to_int(b, s), float64_round_to_int(b, s));
    case OP_CVT_FLOAT:
        return is64 ? float64_to_float32(b, s) : float32_to_float64(b, s);
    case OP_COMI:
        return relation_flags(is64 ? float64_compare(a, b, s) : float32_compare(a, b, s));
    case OP_UCOMI:
        return relation_flags(is64 ? float64_compare_quiet(a, b, s)
                                   : float32_compare_quiet(a, b, s));
    case OP_TO_I32: return (uint32_t)(is64 ? float64_to_int32(a, s) : float32_to_int32(a, s));
    case OP_TO_I32_TRUNC:
        return (uint32_t)(is64 ? float64_to_int32_round_to_zero(a, s)
                               : float32_to_int32_round_to_zero(a, s));
    case OP_TO_I64: return (uint64_t)(is64 ? float64_to_int64(a, s) : float32_to_int64(a, s));
    case OP_TO_I64_TRUNC:
        return (uint64_t)(is64 ? float64_to_int64_round_to_zero(a, s)
                               : float32_to_int64_round_to_zero(a, s));
    case OP_FROM_I32: return SEL(int32_to_float32((int32_t)a, s), int32_to_float64((int32_t)a, s));
    case OP_FROM_I64: return SEL(int64_to_float32((int64_t)a, s), int64_to_float64((int64_t)a, s));
    default: return 0;
    }
#undef SEL
}

static unsigned long long total_compared;

/* All configurations of one operation in one format. */
static int run_op(Op op, bool is64, bool have_sse41)
{
    int ebits = is64 ? 11 : 8, fbits = is64 ? 52 : 23;
    unsigned long n = 0, bad = 0;
    int cfg, i;
    char name[32];

    snprintf(name, sizeof(name), "%s/%s", op_names[op], is64 ? "f64" : "f32");
    if (op == OP_ROUND && !have_sse41) {
        printf("  %s: skipped (host lacks SSE4.1)\n", name);
        return 0;
    }
    for (cfg = 0; cfg < 16; cfg++) {
        uint32_t mx = test_mxcsr_config(cfg);

        for (i = 0; i < N_PER_CONFIG; i++) {
            uint64_t a, b, hr, sr;
            uint32_t hf;
            float_status s = { .rounding_mode = (mx >> 13) & 3, .flush_to_zero = mx & 0x8000,
                               .denormals_are_zero = mx & 0x40 };

            if (op == OP_FROM_I32 || op == OP_FROM_I64) {
                a = (uint64_t)rnd_int(op == OP_FROM_I64);
                b = 0;
            } else {
                a = test_rnd_float(ebits, fbits, 0);
                b = test_rnd_float(ebits, fbits, a);
            }
            if (op >= OP_TO_I32 && op <= OP_TO_I64_TRUNC && test_rnd() % 2) {
                /* near the integer range limits */
                int lim = (op <= OP_TO_I32_TRUNC ? 31 : 63) + (int)(test_rnd() % 3) - 1;
                uint64_t bias = is64 ? 1023 : 127;
                a = (a & ~(((1ull << ebits) - 1) << fbits)) | (bias + lim) << fbits;
            }
            hr = host_run(op, is64, a, b, mx, &hf);
            sr = soft_run(op, is64, a, b, &s);
            n++;
            if (hr != sr || hf != s.exception_flags) {
                test_mismatch(&bad, "%s mxcsr=%04x a=%016" PRIx64 " b=%016" PRIx64
                              ": host %016" PRIx64 " flags %02x, soft %016" PRIx64 " flags %02x",
                              name, mx, a, b, hr, hf, sr, s.exception_flags);
            }
        }
    }
    test_compared(name, n, bad);
    total_compared += n;
    return bad != 0;
}

static void test_softfloat_vs_host(void)
{
    bool sse41 = __builtin_cpu_supports("sse4.1");
    int op, fails = 0;

    for (op = 0; op < OP_NB; op++) {
        fails += run_op((Op)op, false, sse41);
        fails += run_op((Op)op, true, sse41);
    }
    printf("  total: %llu operations compared with the host\n", total_compared);
    CHECK_EQ(fails, 0);
}

/* Hand-checked cases the x86 rules name explicitly. */
static void test_softfloat_x86_rules(void)
{
    float_status s = { 0 };

    /* the first operand's NaN propagates; SNaN quietened with IE */
    CHECK_EQ(float32_add(0x7f800001, 0x7fc00002, &s), 0x7fc00001);
    CHECK_EQ(s.exception_flags, float_flag_invalid);
    s.exception_flags = 0;
    CHECK_EQ(float32_add(0x3f800000, 0xffc00005, &s), 0xffc00005);
    CHECK_EQ(s.exception_flags, 0);
    /* invalid: the default NaN */
    CHECK_EQ(float64_sub(0x7ff0000000000000ull, 0x7ff0000000000000ull, &s),
             float64_default_nan);
    s.exception_flags = 0;
    /* integer indefinite */
    CHECK_EQ((uint32_t)float32_to_int32(0x7f800000, &s), 0x80000000u);
    CHECK_EQ(s.exception_flags, float_flag_invalid);
}

int main(void)
{
    RUN_TEST(test_softfloat_x86_rules);
    RUN_TEST(test_softfloat_vs_host);
    TEST_MAIN_END();
}

#else

int main(void)
{
    printf("SKIP test-softfloat: no x86 host to compare with\n");
    return 0;
}

#endif
