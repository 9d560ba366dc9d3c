/*
 * fp-sse.c: double precision with SSE2: a 96x96 matrix multiply and
 * steps of a five-body gravity simulation (sqrt and division).  IEEE
 * operations only (no libm), so every build gets the same bits.  Built
 * with -msse2 (bench/build.mk) and gcc's vectorizer on.
 */
#include "bench.h"

#define N      96
#define ROUNDS 4
#define STEPS  600000
#define BODIES 5

static double ma[N][N], mb[N][N], mc[N][N];

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static uint64_t d_bits(double v)
{
    union { double v; uint64_t b; } u = { .v = v };

    return u.b;
}

static void matmul(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            mc[i][j] = 0;
        }
        for (int k = 0; k < N; k++) {
            double a = ma[i][k];
            for (int j = 0; j < N; j++) {
                mc[i][j] += a * mb[k][j];
            }
        }
    }
}

static void nbody_step(struct body *b, double dt)
{
    for (int i = 0; i < BODIES; i++) {
        for (int j = i + 1; j < BODIES; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * __builtin_sqrt(d2));
            b[i].vx -= dx * b[j].mass * mag;
            b[i].vy -= dy * b[j].mass * mag;
            b[i].vz -= dz * b[j].mass * mag;
            b[j].vx += dx * b[i].mass * mag;
            b[j].vy += dy * b[i].mass * mag;
            b[j].vz += dz * b[i].mass * mag;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint64_t seed = 19, sum = 0;
    unsigned rounds = ROUNDS, steps = STEPS;
    struct body bodies[BODIES] = {
        { 0, 0, 0, 0, 0, 0, 39.47 },
        { 4.84, -1.16, -0.10, 0.606, 2.81, -0.02, 0.037 },
        { 8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011 },
        { 12.89, -15.11, -0.22, 1.08, 0.868, -0.01, 0.0017 },
        { 15.37, -25.91, 0.17, 0.979, 0.594, -0.034, 0.002 },
    };

    OPAQUE(rounds);
    OPAQUE(steps);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            ma[i][j] = (double)(bench_rand(&seed) % 2001) / 1000 - 1;
            mb[i][j] = (double)(bench_rand(&seed) % 2001) / 1000 - 1;
        }
    }
    for (unsigned r = 0; r < rounds; r++) {
        matmul();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                ma[i][j] = mc[i][j] / (N * 2);
            }
        }
        sum = bench_mix(sum, d_bits(mc[r % N][(r * 7) % N]));
    }
    for (unsigned s = 0; s < steps; s++) {
        nbody_step(bodies, 0.001);
    }
    for (int i = 0; i < BODIES; i++) {
        sum = bench_mix(sum, d_bits(bodies[i].x));
        sum = bench_mix(sum, d_bits(bodies[i].vy));
    }
    return bench_done(sum);
}
