/*
 * interp.c: a bytecode interpreter (a stack machine, one switch per
 * instruction: an indirect jump each) running a small program: a loop
 * that steps a linear congruential generator, keeps the maximum and a
 * sum of the values, and calls a subroutine every iteration.
 */
#include "bench.h"

#define ITERATIONS 3000000

enum op {
    OP_PUSH,        /* imm32 */
    OP_LOAD,        /* var */
    OP_STORE,       /* var */
    OP_ADD, OP_SUB, OP_MUL, OP_XOR, OP_SHR, OP_AND,
    OP_LT,
    OP_JZ,          /* target */
    OP_JMP,         /* target */
    OP_CALL,        /* target */
    OP_RET,
    OP_HALT,
};

enum { V_I, V_X, V_MAX, V_SUM, V_N, NVARS };

/* The program: bytes, then 32-bit operands after OP_PUSH, LOAD, STORE,
 * JZ, JMP and CALL (little-endian), built by emit(). */
struct prog {
    uint8_t code[512];
    unsigned len;
};

static unsigned emit(struct prog *p, enum op op, int32_t arg)
{
    unsigned at = p->len;

    p->code[p->len++] = (uint8_t)op;
    if (op == OP_PUSH || op == OP_LOAD || op == OP_STORE || op == OP_JZ || op == OP_JMP ||
        op == OP_CALL) {
        for (int k = 0; k < 4; k++) {
            p->code[p->len++] = (uint8_t)((uint32_t)arg >> (8 * k));
        }
    }
    return at;
}

static void patch(struct prog *p, unsigned at, unsigned target)
{
    for (int k = 0; k < 4; k++) {
        p->code[at + 1 + k] = (uint8_t)(target >> (8 * k));
    }
}

static void build(struct prog *p)
{
    /* while (i < n) { x = x * 1103515245 + 12345 & 0x7fffffff; update(); i++ } */
    unsigned top = p->len;
    emit(p, OP_LOAD, V_I);
    emit(p, OP_LOAD, V_N);
    emit(p, OP_LT, 0);
    unsigned exit_jz = emit(p, OP_JZ, 0);
    emit(p, OP_LOAD, V_X);
    emit(p, OP_PUSH, 1103515245);
    emit(p, OP_MUL, 0);
    emit(p, OP_PUSH, 12345);
    emit(p, OP_ADD, 0);
    emit(p, OP_PUSH, 0x7fffffff);
    emit(p, OP_AND, 0);
    emit(p, OP_STORE, V_X);
    unsigned call = emit(p, OP_CALL, 0);
    emit(p, OP_LOAD, V_I);
    emit(p, OP_PUSH, 1);
    emit(p, OP_ADD, 0);
    emit(p, OP_STORE, V_I);
    emit(p, OP_JMP, (int32_t)top);
    patch(p, exit_jz, p->len);
    emit(p, OP_HALT, 0);
    /* update: sum += x >> 3 ^ i; if (max < x) max = x */
    patch(p, call, p->len);
    emit(p, OP_LOAD, V_SUM);
    emit(p, OP_LOAD, V_X);
    emit(p, OP_PUSH, 3);
    emit(p, OP_SHR, 0);
    emit(p, OP_LOAD, V_I);
    emit(p, OP_XOR, 0);
    emit(p, OP_ADD, 0);
    emit(p, OP_STORE, V_SUM);
    emit(p, OP_LOAD, V_MAX);
    emit(p, OP_LOAD, V_X);
    emit(p, OP_LT, 0);
    unsigned skip = emit(p, OP_JZ, 0);
    emit(p, OP_LOAD, V_X);
    emit(p, OP_STORE, V_MAX);
    patch(p, skip, p->len);
    emit(p, OP_RET, 0);
}

static inline uint32_t operand(const uint8_t *code, unsigned pc)
{
    return code[pc] | (uint32_t)code[pc + 1] << 8 | (uint32_t)code[pc + 2] << 16 |
           (uint32_t)code[pc + 3] << 24;
}

/* Run p with vars[NVARS]; returns the number of instructions. */
static uint64_t run(const struct prog *p, uint64_t *vars)
{
    uint64_t stack[64], insns = 0;
    unsigned rstack[16], sp = 0, rsp = 0, pc = 0;
    const uint8_t *code = p->code;

    for (;;) {
        uint8_t op = code[pc++];
        insns++;
        switch (op) {
        case OP_PUSH: stack[sp++] = operand(code, pc); pc += 4; break;
        case OP_LOAD: stack[sp++] = vars[operand(code, pc) % NVARS]; pc += 4; break;
        case OP_STORE: vars[operand(code, pc) % NVARS] = stack[--sp]; pc += 4; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHR: sp--; stack[sp - 1] >>= stack[sp] & 63; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_JZ: pc = stack[--sp] ? pc + 4 : operand(code, pc); break;
        case OP_JMP: pc = operand(code, pc); break;
        case OP_CALL: rstack[rsp++ % 16] = pc + 4; pc = operand(code, pc); break;
        case OP_RET: pc = rstack[--rsp % 16]; break;
        case OP_HALT: return insns;
        default:
            tern_printf("interp: bad opcode %u at %u\n", op, pc - 1);
            return 0;
        }
        sp %= 64;
    }
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    static struct prog prog;
    uint64_t vars[NVARS] = { [V_X] = 1, [V_N] = ITERATIONS };

    build(&prog);
    uint64_t insns = run(&prog, vars);
    uint64_t sum = bench_mix(insns, vars[V_X]);
    sum = bench_mix(sum, vars[V_MAX]);
    sum = bench_mix(sum, vars[V_SUM]);
    return bench_done(sum);
}
