/*
 * classes32.c: generators of the compatibility-mode classes (DiffClass.compat):
 * instructions that exist only outside 64-bit mode, run as 32-bit code (the
 * runner far-jumps to a 32-bit code segment: gen.c diff_install).  They
 * emit raw 32-bit encodings, not diff_emit's 64-bit ones, and touch neither
 * memory nor the stack (in the guest the stack segment is the 64-bit
 * runtime's).
 *
 * Each unit sets its inputs first: MOV EAX, imm32 with the flags byte in
 * AH, SAHF (SF ZF AF PF CF), MOV AH, imm8; then the instruction.  So AL,
 * AH, CF and AF are random per unit, and the hash sees every result.
 */
#include "gen.h"

/* Append n bytes as one instruction; false (and g->full) when they do not
 * fit with the compat prologue and epilogue (diff_install). */
static bool emit32(DiffGen *g, const uint8_t *b, unsigned n)
{
    DiffSeq *s = g->s;

    if (s->len + n > DIFF_MAX_CODE - DIFF_COMPAT_EXTRA || s->ninsns >= DIFF_MAX_INSNS) {
        g->full = true;
        return false;
    }
    s->insn_off[s->ninsns++] = (uint8_t)s->len;
    __builtin_memcpy(s->code + s->len, b, n);
    s->len += n;
    return true;
}

/* AL, AH and the flags SAHF loads, all random (AL biased to BCD edges) */
static bool set_inputs(DiffGen *g)
{
    static const uint8_t edges[] = { 0x00, 0x05, 0x06, 0x09, 0x0a, 0x0f, 0x10, 0x60,
                                     0x90, 0x99, 0x9a, 0x9f, 0xa0, 0xf9, 0xfa, 0xff };
    uint8_t al = diff_chance(g, 30) ? edges[diff_rand(g, sizeof(edges))]
                                    : (uint8_t)diff_rand(g, 256);
    uint8_t fl = (uint8_t)diff_rand(g, 256), ah = (uint8_t)diff_rand(g, 256);
    uint8_t b[] = { 0xb8, al, fl, (uint8_t)diff_rand(g, 256), (uint8_t)diff_rand(g, 256),
                    0x9e, 0xb4, ah };

    return emit32(g, b, 5) && emit32(g, b + 5, 1) && emit32(g, b + 6, 2);
}

/* arg: the two opcodes, first | second << 8 (27 2F, 37 3F) */
void diff_gen_bcd(DiffGen *g, int arg)
{
    uint8_t op = (uint8_t)(diff_chance(g, 50) ? arg : arg >> 8);

    if (set_inputs(g)) {
        emit32(g, &op, 1);
    }
}

/* D4 ib (aam, imm != 0) and D5 ib (aad); imm 10 half of the time */
void diff_gen_aam(DiffGen *g, int arg)
{
    uint8_t b[2] = { diff_chance(g, 50) ? 0xd4 : 0xd5, 10 };

    (void)arg;
    if (!diff_chance(g, 50)) {
        b[1] = (uint8_t)(1 + diff_rand(g, 255));
    }
    if (set_inputs(g)) {
        emit32(g, b, 2);
    }
}

/* SALC (D6), ARPL r16, r16 (63 /r, reg form), INC/DEC r32 (40-4F) and
 * the 82 alias of 80 (ALU Eb, Ib on a register) */
void diff_gen_legacy32(DiffGen *g, int arg)
{
    uint8_t b[3];
    unsigned n = 1;

    (void)arg;
    if (!set_inputs(g)) {
        return;
    }
    switch (diff_rand(g, 4)) {
    case 0:
        b[0] = 0xd6;
        break;
    case 1:
        b[0] = 0x63;
        b[1] = (uint8_t)(0xc0 | diff_rand(g, 64));
        if ((b[1] & 7) == RSP) {
            b[1] ^= 1;                          /* not SP */
        }
        n = 2;
        break;
    case 2:
        b[0] = (uint8_t)(0x40 + diff_rand(g, 16));
        if (b[0] == 0x44 || b[0] == 0x4c) {
            b[0] ^= 1;                          /* not ESP */
        }
        break;
    default:
        b[0] = 0x82;
        b[1] = (uint8_t)(0xc0 | diff_rand(g, 64));
        b[2] = (uint8_t)diff_rand(g, 256);
        n = 3;
        break;
    }
    emit32(g, b, n);
}
