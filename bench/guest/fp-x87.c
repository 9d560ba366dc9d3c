/*
 * fp-x87.c: long double (x87, 64-bit mantissa) kernels: a 48x48 matrix
 * multiply, Newton square roots next to fsqrt, and a series summed with
 * divisions.  Only the correctly rounded operations (add, mul, div,
 * sqrt), so that every build gets the same bits.  Built with -mno-sse:
 * gcc has no other choice than the x87.
 */
#include "bench.h"

#define N      48
#define ROUNDS 48
#define TERMS  1600000

static long double ma[N][N], mb[N][N], mc[N][N];

static uint64_t ld_bits(long double v)
{
    union { long double v; struct { uint64_t mant; uint16_t sexp; } b; } u = { .v = v };

    return u.b.mant ^ (uint64_t)u.b.sexp << 48;
}

static void matmul(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            long double s = 0;
            for (int k = 0; k < N; k++) {
                s += ma[i][k] * mb[k][j];
            }
            mc[i][j] = s;
        }
    }
}

static long double newton_sqrt(long double x)
{
    long double g = x > 1 ? x / 2 : 1;

    for (int i = 0; i < 40; i++) {
        g = (g + x / g) / 2;
    }
    return g;
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint64_t seed = 17, sum = 0;
    unsigned rounds = ROUNDS;

    OPAQUE(rounds);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            ma[i][j] = (long double)(bench_rand(&seed) % 2001) / 1000 - 1;
            mb[i][j] = (long double)(bench_rand(&seed) % 2001) / 1000 - 1;
        }
    }
    for (unsigned r = 0; r < rounds; r++) {
        matmul();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                ma[i][j] = mc[i][j] / (N * 2);     /* keep the values bounded */
            }
        }
        sum = bench_mix(sum, ld_bits(mc[r % N][(r * 7) % N]));
    }
    long double roots = 0, series = 0;
    for (int i = 1; i <= 8000; i++) {
        long double x = (long double)i * 1.25L;
        long double a = newton_sqrt(x), b = __builtin_sqrtl(x);
        roots += a - b;
        roots += a;
    }
    for (int k = 1; k <= TERMS; k++) {
        long double kk = k;
        series += 1 / (kk * kk) - 1 / ((kk + 0.5L) * (kk + 1));
    }
    sum = bench_mix(sum, ld_bits(roots));
    sum = bench_mix(sum, ld_bits(series));
    return bench_done(sum);
}
