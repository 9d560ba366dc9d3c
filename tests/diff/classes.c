/*
 * classes.c: the instruction classes of the differential tester: one
 * generator per family and THE class table, diff_classes[], at the end.
 *
 * The table is the one place that says, per class: its name (the suite's
 * PASS/FAIL diff/<name>), its generator and argument, the CPUID feature it
 * needs on the host, the flags it may leave undefined (undef: what the
 * compare masks; 0 for the integer classes, whose undefined flags tern
 * writes as the Intel host does), the flags the SDM leaves undefined
 * (sdm: masked instead against a host that is not Intel, whose values
 * differ: diff_sdm_only), the flags it always defines, the registers it writes implicitly, and why it
 * is pending if it cannot run yet.  Classes whose instructions tern's
 * decoder does not accept are found pending automatically by the host tool
 * (difftest.c), so a row can be added before the translator catches up.
 *
 * Adding a class: a row below and, if no generator fits, a function
 * "static void gen_x(DiffGen *g, int arg)" that emits one instruction with
 * diff_insn()/diff_pick_*()/diff_emit() (gen.h).  Sequence i of seed s
 * belongs to row (i + s) % rows, so a reproducer (seed, index) holds for
 * the table it was found with.
 */
#include "gen.h"

#define F_ALL DF_ARITH
#define R(x) (1u << (x))

static unsigned imm_size(unsigned sz)
{
    return sz == 8 ? 4 : sz;
}

/* ---- ALU: ADD OR ADC SBB AND SUB XOR CMP (arg: /digit) ------------------- */
static void gen_alu(DiffGen *g, int op)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, true), form = (unsigned)diff_rand(g, 5);
    bool w = op != 7;

    if (op == 2 || op == 3) {
        diff_need_flags(g, DF_CF);
    }
    if (form == 4 && sz == 1) {
        form = 3;                               /* 82 is invalid in 64-bit mode */
    }
    switch (form) {
    case 0:                                     /* Eb,Gb / Ev,Gv */
        diff_insn(g, &in, sz, 1, op * 8 + (sz != 1));
        in.modrm = true;
        in.rm = diff_pick_rm(g, &in, sz, w, 40);
        in.reg = (uint8_t)diff_pick_reg(g, &in, sz, false);
        in.lock = w && in.rm.mem && diff_chance(g, 20);
        break;
    case 1:                                     /* Gb,Eb / Gv,Ev */
        diff_insn(g, &in, sz, 1, op * 8 + 2 + (sz != 1));
        in.modrm = true;
        in.reg = (uint8_t)diff_pick_reg(g, &in, sz, w);
        in.rm = diff_pick_rm(g, &in, sz, false, 40);
        break;
    case 2:                                     /* AL,Ib / rAX,Iz */
        diff_insn(g, &in, sz, 1, op * 8 + 4 + (sz != 1));
        in.legacy = false;
        in.immsz = (uint8_t)imm_size(sz);
        in.imm = diff_value(g);
        break;
    default:                                    /* 80 /op Ib, 81 /op Iz, 83 /op Ib */
        diff_insn(g, &in, sz, 1, sz == 1 ? 0x80 : form == 3 ? 0x81 : 0x83);
        in.modrm = true;
        in.reg = (uint8_t)op;
        in.rm = diff_pick_rm(g, &in, sz, w, 40);
        in.lock = w && in.rm.mem && diff_chance(g, 20);
        in.immsz = (uint8_t)(in.op[0] == 0x81 ? imm_size(sz) : 1);
        in.imm = diff_value(g);
        break;
    }
    diff_emit(g, &in);
}

/* ---- TEST ------------------------------------------------------------------ */
static void gen_test(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, true);
    (void)arg;

    switch (diff_rand(g, 3)) {
    case 0:                                     /* 84/85 Ev,Gv */
        diff_insn(g, &in, sz, 1, 0x84 + (sz != 1));
        in.modrm = true;
        in.rm = diff_pick_rm(g, &in, sz, false, 40);
        in.reg = (uint8_t)diff_pick_reg(g, &in, sz, false);
        break;
    case 1:                                     /* A8/A9 */
        diff_insn(g, &in, sz, 1, 0xa8 + (sz != 1));
        in.legacy = false;
        in.immsz = (uint8_t)imm_size(sz);
        in.imm = diff_value(g);
        break;
    default:                                    /* F6/F7 /0 (/1: the alias) */
        diff_insn(g, &in, sz, 1, 0xf6 + (sz != 1));
        in.modrm = true;
        in.reg = diff_chance(g, 10);
        in.rm = diff_pick_rm(g, &in, sz, false, 40);
        in.immsz = (uint8_t)imm_size(sz);
        in.imm = diff_value(g);
        break;
    }
    diff_emit(g, &in);
}

/* ---- one-operand group: FE/FF /0 /1 (INC DEC), F6/F7 /2 /3 (NOT NEG) ---- */
static void gen_unary(DiffGen *g, int base_digit)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, true);
    bool incdec = base_digit == 0;

    diff_insn(g, &in, sz, 1, (incdec ? 0xfe : 0xf6) + (sz != 1));
    in.modrm = true;
    in.reg = (uint8_t)(base_digit + (int)diff_rand(g, 2));
    in.rm = diff_pick_rm(g, &in, sz, true, 40);
    in.lock = in.rm.mem && diff_chance(g, 20);
    diff_emit(g, &in);
}

/* ---- shifts and rotates (arg: 0 shift by 1, 1 shift, 2 rotate by 1, 3 rotate) */
static uint8_t shift_count(DiffGen *g)
{
    static const uint8_t counts[] = {
        0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0x80, 0xff,
    };
    return diff_chance(g, 70) ? counts[diff_rand(g, sizeof(counts))]
                              : (uint8_t)diff_rand(g, 256);
}

static void gen_shift(DiffGen *g, int kind)
{
    static const uint8_t shifts[4] = { 4, 5, 7, 6 };   /* SHL SHR SAR, SAL alias */
    DiffInsn in;
    unsigned sz = diff_rand_size(g, true), digit, how = (unsigned)diff_rand(g, 3);
    bool by1 = kind == 0 || kind == 2;

    if (kind < 2) {
        digit = shifts[diff_rand(g, diff_chance(g, 10) ? 4 : 3)];
    } else {
        digit = (unsigned)diff_rand(g, 4);
        if (digit >= 2) {
            diff_need_flags(g, DF_CF);          /* RCL/RCR rotate CF in */
        }
    }
    if (!by1 && how == 1 && diff_chance(g, 70)) {
        DiffInsn mv;                            /* mov cl, count */
        diff_insn(g, &mv, 1, 1, 0xb1);
        mv.legacy = false;
        mv.immsz = 1;
        mv.imm = shift_count(g);
        diff_emit(g, &mv);
    }
    if (by1 && how == 0) {                      /* an imm8 whose masked count is 1 */
        diff_insn(g, &in, sz, 1, 0xc0 + (sz != 1));
        in.immsz = 1;
        in.imm = 1 + 64 * diff_rand(g, 4);
    } else if (by1) {
        diff_insn(g, &in, sz, 1, 0xd0 + (sz != 1));
    } else if (how == 1) {
        diff_insn(g, &in, sz, 1, 0xd2 + (sz != 1));        /* by CL */
    } else {
        diff_insn(g, &in, sz, 1, 0xc0 + (sz != 1));
        in.immsz = 1;
        in.imm = shift_count(g);
    }
    in.modrm = true;
    in.reg = (uint8_t)digit;
    in.rm = diff_pick_rm(g, &in, sz, true, 30);
    diff_emit(g, &in);
}

/* ---- MUL/IMUL: arg 0 one-operand F6/F7 /4 /5, arg 1 0F AF, 69, 6B ------ */
static void gen_mul(DiffGen *g, int two_op)
{
    DiffInsn in;
    unsigned sz;

    if (!two_op) {
        sz = diff_rand_size(g, true);
        diff_insn(g, &in, sz, 1, 0xf6 + (sz != 1));
        in.modrm = true;
        in.reg = (uint8_t)(4 + diff_rand(g, 2));
        in.rm = diff_pick_rm(g, &in, sz, false, 40);
    } else {
        unsigned form = (unsigned)diff_rand(g, 3);
        sz = diff_rand_size(g, false);
        if (form == 0) {
            diff_insn(g, &in, sz, 2, 0x0f, 0xaf);
        } else {
            diff_insn(g, &in, sz, 1, form == 1 ? 0x69 : 0x6b);
            in.immsz = (uint8_t)(form == 1 ? imm_size(sz) : 1);
            in.imm = diff_value(g);
        }
        in.modrm = true;
        in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
        in.rm = diff_pick_rm(g, &in, sz, false, 40);
    }
    diff_emit(g, &in);
}

/* ---- DIV/IDIV (arg: 0 DIV, 1 IDIV), with operands that cannot fault ----- */
static void gen_div(DiffGen *g, int sign)
{
    DiffInsn in, mv;
    unsigned sz = diff_rand_size(g, true), bits = sz * 8;
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t d = diff_value(g) & mask;
    int r;

    bool mem = diff_chance(g, 40);

    if (sz == 8 && (mem || diff_chance(g, 50))) {
        d = (uint64_t)(int64_t)(int32_t)d;      /* fits a C7 imm32 */
    }
    if (d == 0 || (sign && d == mask)) {
        d = 3 + diff_rand(g, 100);              /* not 0, not -1 */
    }
    diff_insn(g, &in, sz, 1, 0xf6 + (sz != 1));
    in.legacy = false;
    in.modrm = true;
    in.reg = (uint8_t)(6 + sign);
    if (mem) {
        in.rm = diff_pick_mem(g, &in, sz);
        diff_insn(g, &mv, sz, 1, 0xc6 + (sz != 1)); /* mov [mem], d */
        mv.legacy = false;
        mv.modrm = true;
        mv.rm = in.rm;
        mv.immsz = (uint8_t)imm_size(sz);
        mv.imm = d;
        diff_emit(g, &mv);
    } else {
        do {
            r = diff_pick_reg(g, &in, sz, true);
        } while (r == RAX || r == RDX);
        in.rm.reg = (uint8_t)r;
        diff_set_reg(g, r, d);
    }
    if (sign) {                                 /* sign-extend: CBW/CWD/CDQ/CQO */
        diff_insn(g, &mv, sz == 1 ? 2 : sz, 1, sz == 1 ? 0x98 : 0x99);
        diff_emit(g, &mv);
    } else if (sz == 1) {                       /* mov ah, high < d */
        diff_insn(g, &mv, 1, 1, 0xb4);
        mv.legacy = true;
        mv.immsz = 1;
        mv.imm = diff_rand(g, d);
        diff_emit(g, &mv);
    } else {
        diff_set_reg(g, RDX, diff_rand(g, d));
    }
    diff_emit(g, &in);
}

/* ---- MOV: 88-8B, C6/C7, B0/B8+r, A0-A3 ----------------------------------- */
static void gen_mov(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, true), form = (unsigned)diff_rand(g, 5);
    (void)arg;

    switch (form) {
    case 0:
    case 1:                                     /* 88/89 Ev,Gv; 8A/8B Gv,Ev */
        diff_insn(g, &in, sz, 1, 0x88 + 2 * form + (sz != 1));
        in.modrm = true;
        if (form == 0) {
            in.rm = diff_pick_rm(g, &in, sz, true, 50);
            in.reg = (uint8_t)diff_pick_reg(g, &in, sz, false);
        } else {
            in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
            in.rm = diff_pick_rm(g, &in, sz, false, 50);
        }
        break;
    case 2:                                     /* C6/C7 /0 */
        diff_insn(g, &in, sz, 1, 0xc6 + (sz != 1));
        in.modrm = true;
        in.rm = diff_pick_rm(g, &in, sz, true, 50);
        in.immsz = (uint8_t)imm_size(sz);
        in.imm = diff_value(g);
        break;
    case 3:                                     /* B0+r Ib, B8+r Iv (imm64) */
        diff_insn(g, &in, sz, 1, sz == 1 ? 0xb0 : 0xb8);
        in.zreg = (int8_t)diff_pick_reg(g, &in, sz, true);
        in.immsz = (uint8_t)sz;
        in.imm = diff_value(g);
        break;
    default: {                                  /* A0-A3: moffs */
        DiffInsn tmp;
        DiffRM m;
        diff_insn(g, &in, sz, 1, 0xa0 + 2 * diff_rand(g, 2) + (sz != 1));
        in.legacy = false;
        diff_insn(g, &tmp, 1, 0);
        tmp.legacy = false;
        do {
            m = diff_pick_mem(g, &tmp, sz);
        } while (m.form != MEM_ABS);
        in.no_rand_pfx = true;
        in.immsz = 8;
        in.imm = (uint64_t)m.disp;
        break;
    }
    }
    diff_emit(g, &in);
}

/* ---- MOVZX/MOVSX (0F B6 B7 BE BF), MOVSXD (63) -------------------------- */
static void gen_movx(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned form = (unsigned)diff_rand(g, 5), sz, ssz;
    (void)arg;

    if (form == 4) {                            /* movsxd: 63 /r (66: r16) */
        sz = diff_chance(g, 70) ? 8 : diff_chance(g, 80) ? 4 : 2;
        ssz = sz == 2 ? 2 : 4;
        diff_insn(g, &in, sz, 1, 0x63);
    } else {
        static const uint8_t ops[4] = { 0xb6, 0xb7, 0xbe, 0xbf };
        ssz = (form & 1) ? 2 : 1;
        sz = ssz == 1 ? diff_rand_size(g, false) : (diff_chance(g, 50) ? 4 : 8);
        diff_insn(g, &in, sz, 2, 0x0f, ops[form]);
        if (ssz == 1 && sz != 8 && diff_chance(g, 40)) {
            in.legacy = true;                   /* movzx eax, ah */
        }
    }
    in.modrm = true;
    in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
    in.rm = diff_pick_rm(g, &in, ssz, false, 40);
    diff_emit(g, &in);
}

/* ---- LEA: every address form, any registers, 66 and 67 ------------------ */
static void gen_lea(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, false);
    (void)arg;

    diff_insn(g, &in, sz, 1, 0x8d);
    in.modrm = true;
    in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
    in.rm = diff_pick_addr(g, &in);
    diff_emit(g, &in);
}

/* ---- XCHG: 86/87, 90+r ----------------------------------------------------- */
static void gen_xchg(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, true);
    (void)arg;

    if (sz != 1 && diff_chance(g, 30)) {
        diff_insn(g, &in, sz, 1, 0x90);
        in.zreg = (int8_t)diff_pick_reg(g, &in, sz, true);
    } else {
        diff_insn(g, &in, sz, 1, 0x86 + (sz != 1));
        in.modrm = true;
        in.rm = diff_pick_rm(g, &in, sz, true, 40);
        in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
        in.lock = in.rm.mem && diff_chance(g, 10);
    }
    diff_emit(g, &in);
}

/* ---- CBW/CWDE/CDQE (98), CWD/CDQ/CQO (99) -------------------------------- */
static void gen_cbw(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, false);

    (void)arg;
    diff_insn(g, &in, sz, 1, 0x98 + diff_rand(g, 2));
    diff_emit(g, &in);
}

/* ---- SETcc (0F 90+cc), CMOVcc (0F 40+cc) (arg: 0 SETcc, 1 CMOVcc) ------- */
static void gen_cc(DiffGen *g, int cmov)
{
    DiffInsn in;
    unsigned cc = (unsigned)diff_rand(g, 16), sz = cmov ? diff_rand_size(g, false) : 1;

    diff_need_flags(g, diff_cc_flags(cc));
    diff_insn(g, &in, sz, 2, 0x0f, (cmov ? 0x40 : 0x90) + cc);
    in.modrm = true;
    if (cmov) {
        in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
        in.rm = diff_pick_rm(g, &in, sz, false, 40);
    } else {
        in.rm = diff_pick_rm(g, &in, 1, true, 40);
    }
    diff_emit(g, &in);
}

/* ---- PUSH/POP (balanced: gen.c pops what is left at the end) ------------ */
static void gen_pushpop(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_chance(g, 80) ? 8 : 2, form = (unsigned)diff_rand(g, 4);
    (void)arg;

    if (g->depth && (g->depth == 8 || diff_chance(g, 50))) {
        sz = g->push_size[g->depth - 1];
        if (form < 2) {                         /* 58+r */
            diff_insn(g, &in, sz, 1, 0x58);
            in.zreg = (int8_t)diff_pick_reg(g, &in, sz, true);
        } else {                                /* 8F /0 */
            diff_insn(g, &in, sz, 1, 0x8f);
            in.modrm = true;
            in.rm = diff_pick_mem(g, &in, sz);
        }
        in.d64 = true;
        diff_emit(g, &in);
        if (!g->full) {
            g->depth--;
        }
        return;
    }
    switch (form) {
    case 0:
    case 1:                                     /* 50+r, RSP included */
        diff_insn(g, &in, sz, 1, 0x50);
        in.zreg = (int8_t)diff_pick_reg(g, &in, sz, false);
        break;
    case 2:                                     /* 68 Iz, 6A Ib */
        diff_insn(g, &in, sz, 1, diff_chance(g, 50) ? 0x68 : 0x6a);
        in.immsz = (uint8_t)(in.op[0] == 0x6a ? 1 : sz == 2 ? 2 : 4);
        in.imm = diff_value(g);
        break;
    default:                                    /* FF /6 */
        diff_insn(g, &in, sz, 1, 0xff);
        in.modrm = true;
        in.reg = 6;
        in.rm = diff_pick_mem(g, &in, sz);
        break;
    }
    in.d64 = true;
    diff_emit(g, &in);
    if (!g->full) {
        g->push_size[g->depth++] = (uint8_t)sz;
    }
}

/* ---- NOP forms: 90, 66 90, F3 90 (PAUSE), 0F 1F /0, 0F 19-1E ------------ */
static void gen_nop(DiffGen *g, int arg)
{
    DiffInsn in;
    (void)arg;

    switch (diff_rand(g, 4)) {
    case 0:
        diff_insn(g, &in, diff_chance(g, 30) ? 2 : 4, 1, 0x90);
        in.no_rand_pfx = true;
        in.legacy = true;                       /* no REX: REX.B 90 is XCHG */
        in.rep = diff_chance(g, 30);
        break;
    case 1:
    case 2:
        diff_insn(g, &in, diff_chance(g, 30) ? 2 : 4, 2, 0x0f, 0x1f);
        in.modrm = true;
        in.rm = diff_pick_addr(g, &in);
        break;
    default:
        diff_insn(g, &in, 4, 2, 0x0f, 0x19 + diff_rand(g, 6));
        in.modrm = true;
        in.reg = (uint8_t)diff_rand(g, 8);
        in.rm = diff_chance(g, 50) ? diff_pick_addr(g, &in)
                                   : diff_pick_rm(g, &in, 4, false, 0);
        break;
    }
    diff_emit(g, &in);
}

/* ---- CLC STC CMC (arg unused) and LAHF/SAHF ------------------------------ */
static void gen_cfop(DiffGen *g, int arg)
{
    static const uint8_t ops[3] = { 0xf8, 0xf9, 0xf5 };
    DiffInsn in;
    unsigned k = (unsigned)diff_rand(g, 3);
    (void)arg;

    if (k == 2) {
        diff_need_flags(g, DF_CF);
    }
    diff_insn(g, &in, 4, 1, ops[k]);
    diff_emit(g, &in);
}

static void gen_lahf(DiffGen *g, int arg)
{
    DiffInsn in;
    bool lahf = diff_chance(g, 50);
    (void)arg;

    if (lahf) {
        diff_need_flags(g, DF_ARITH & ~DF_OF);
    }
    diff_insn(g, &in, 4, 1, lahf ? 0x9f : 0x9e);
    diff_emit(g, &in);
}

/* ---- BT BTS BTR BTC: 0F A3/AB/B3/BB Ev,Gv and 0F BA /4-7 Ib ------------ */
static void gen_bt(DiffGen *g, int arg)
{
    static const uint8_t ops[4] = { 0xa3, 0xab, 0xb3, 0xbb };
    DiffInsn in;
    unsigned sz = diff_rand_size(g, false), k = (unsigned)diff_rand(g, 4);
    (void)arg;

    if (diff_chance(g, 50)) {
        int r;
        diff_insn(g, &in, sz, 2, 0x0f, ops[k]);
        in.modrm = true;
        in.rm = diff_pick_rm(g, &in, sz, k != 0, 40);
        if (in.rm.mem) {                        /* a bit offset that stays inside */
            do {
                r = diff_pick_reg(g, &in, sz, true);
            } while (!in.rm.mem || r == in.rm.base || r == in.rm.index);
            diff_set_reg(g, r, diff_rand(g, 8 * sz));
        } else {
            r = diff_pick_reg(g, &in, sz, false);
        }
        in.reg = (uint8_t)r;
    } else {
        diff_insn(g, &in, sz, 2, 0x0f, 0xba);
        in.modrm = true;
        in.reg = (uint8_t)(4 + k);
        in.rm = diff_pick_rm(g, &in, sz, k != 0, 40);
        in.immsz = 1;
        in.imm = diff_rand(g, 256);
    }
    in.lock = k && in.rm.mem && diff_chance(g, 20);
    diff_emit(g, &in);
}

/* ---- two-operand 0F ops Gv,Ev (arg: mandatory prefix << 8 | opcode) ----- */
static void gen_0f_gv_ev(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, false);
    (void)arg;

    diff_insn(g, &in, sz, 2, 0x0f, arg & 0xff);
    in.mand = (uint8_t)(arg >> 8);
    in.modrm = true;
    in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
    in.rm = diff_pick_rm(g, &in, sz, false, 40);
    diff_emit(g, &in);
}

/* BSF/BSR, TZCNT/LZCNT (F3): the opcode picked per instruction */
static void gen_bitscan(DiffGen *g, int mand)
{
    gen_0f_gv_ev(g, mand << 8 | (int)(0xbc + diff_rand(g, 2)));
}

/* ---- SHLD/SHRD: 0F A4/AC Ib, 0F A5/AD CL --------------------------------- */
static void gen_shld(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, false), cl = (unsigned)diff_rand(g, 2);
    uint64_t count = diff_rand(g, 256);   /* 16-bit counts 17-31 too (docs/isa.md) */

    (void)arg;
    if (diff_sdm_only && sz == 2 && (count & 31) > 16) {
        count &= 15;                    /* SDM: result and flags undefined */
    }
    if (cl) {
        diff_set_reg(g, RCX, count);
    }
    diff_insn(g, &in, sz, 2, 0x0f, (diff_chance(g, 50) ? 0xa4 : 0xac) + cl);
    in.modrm = true;
    in.rm = diff_pick_rm(g, &in, sz, true, 40);
    in.reg = (uint8_t)diff_pick_reg(g, &in, sz, false);
    in.immsz = (uint8_t)!cl;
    in.imm = count;
    diff_emit(g, &in);
}

/* ---- CMPXCHG (0F B0/B1), XADD (0F C0/C1) (arg: second opcode byte) ----- */
static void gen_xop(DiffGen *g, int op)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, true);

    diff_insn(g, &in, sz, 2, 0x0f, op + (sz != 1));
    in.modrm = true;
    in.rm = diff_pick_rm(g, &in, sz, true, 50);
    in.reg = (uint8_t)diff_pick_reg(g, &in, sz, op == 0xc0);
    in.lock = in.rm.mem && diff_chance(g, 30);
    diff_emit(g, &in);
}

/* ---- CMPXCHG8B/16B: 0F C7 /1 ---------------------------------------------- */
static void gen_cmpxchg8b(DiffGen *g, int arg)
{
    DiffInsn in;
    bool w = diff_chance(g, 50);
    (void)arg;

    diff_insn(g, &in, w ? 8 : 4, 2, 0x0f, 0xc7);
    in.modrm = true;
    in.reg = 1;
    do {
        in.rm = diff_pick_mem(g, &in, 16);
    } while (w && in.rm.form != MEM_ABS);
    if (w) {
        in.rm.disp &= ~15ll;                    /* 16B: 16-byte aligned */
    }
    in.lock = diff_chance(g, 30);
    diff_emit(g, &in);
}

/* ---- BSWAP (0F C8+r; 32 and 64 bits: the 16-bit form is undefined) ----- */
static void gen_bswap(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_chance(g, 50) ? 4 : 8;
    (void)arg;

    diff_insn(g, &in, sz, 2, 0x0f, 0xc8);
    in.zreg = (int8_t)diff_pick_reg(g, &in, sz, true);
    diff_emit(g, &in);
}

/* ---- MOVBE: 0F 38 F0 Gv,M / 0F 38 F1 M,Gv ---------------------------------- */
static void gen_movbe(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_rand_size(g, false);
    bool load = diff_chance(g, 50);
    (void)arg;

    diff_insn(g, &in, sz, 3, 0x0f, 0x38, load ? 0xf0 : 0xf1);
    in.modrm = true;
    in.rm = diff_pick_mem(g, &in, sz);
    in.reg = (uint8_t)diff_pick_reg(g, &in, sz, load);
    diff_emit(g, &in);
}

/* ---- ADCX (66 0F 38 F6), ADOX (F3 0F 38 F6) ------------------------------- */
static void gen_adx(DiffGen *g, int arg)
{
    DiffInsn in;
    unsigned sz = diff_chance(g, 50) ? 4 : 8;
    bool adox = diff_chance(g, 50);
    (void)arg;

    diff_need_flags(g, adox ? DF_OF : DF_CF);
    diff_insn(g, &in, sz, 3, 0x0f, 0x38, 0xf6);
    in.mand = adox ? 0xf3 : 0x66;
    in.modrm = true;
    in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
    in.rm = diff_pick_rm(g, &in, sz, false, 40);
    diff_emit(g, &in);
}

/* ---- BMI1/BMI2 (VEX): one row per instruction form ----------------------- */
typedef struct VexOp {
    uint8_t map, pp, op, digit;                 /* digit: 0xff = ModRM.reg is a register */
    uint8_t dst_is_vvvv;                        /* BLSI/BLSMSK/BLSR write vvvv */
    uint8_t imm;                                /* RORX */
} VexOp;

static void gen_vex(DiffGen *g, int set)
{
    static const VexOp bmi1[] = {
        { 2, 0x00, 0xf2, 0xff, 0, 0 },          /* ANDN Gy, By, Ey */
        { 2, 0x00, 0xf7, 0xff, 0, 0 },          /* BEXTR Gy, Ey, By */
        { 2, 0x00, 0xf3, 3, 1, 0 },             /* BLSI By, Ey */
        { 2, 0x00, 0xf3, 2, 1, 0 },             /* BLSMSK By, Ey */
        { 2, 0x00, 0xf3, 1, 1, 0 },             /* BLSR By, Ey */
    };
    static const VexOp bmi2[] = {
        { 2, 0x00, 0xf5, 0xff, 0, 0 },          /* BZHI Gy, Ey, By */
        { 2, 0xf2, 0xf6, 0xff, 0, 0 },          /* MULX Gy, By, Ey (RDX) */
        { 2, 0xf2, 0xf5, 0xff, 0, 0 },          /* PDEP */
        { 2, 0xf3, 0xf5, 0xff, 0, 0 },          /* PEXT */
        { 3, 0xf2, 0xf0, 0xff, 0, 1 },          /* RORX Gy, Ey, Ib */
        { 2, 0xf3, 0xf7, 0xff, 0, 0 },          /* SARX Gy, Ey, By */
        { 2, 0x66, 0xf7, 0xff, 0, 0 },          /* SHLX */
        { 2, 0xf2, 0xf7, 0xff, 0, 0 },          /* SHRX */
    };
    const VexOp *v = set == 1 ? &bmi1[diff_rand(g, 5)] : &bmi2[diff_rand(g, 8)];
    DiffInsn in;
    unsigned sz = diff_chance(g, 50) ? 4 : 8;

    diff_insn(g, &in, sz, 1, v->op);
    in.vex = v->map;
    in.mand = v->pp;
    in.vex_w = sz == 8;
    in.no_rand_pfx = true;
    in.modrm = true;
    in.rm = diff_pick_rm(g, &in, sz, false, 40);
    if (v->dst_is_vvvv) {
        in.reg = v->digit;
        in.vex_v = (uint8_t)diff_pick_reg(g, &in, sz, true);
    } else {
        in.reg = (uint8_t)diff_pick_reg(g, &in, sz, true);
        if (v->op == 0xf6) {                    /* MULX: two destinations differ */
            do {
                in.vex_v = (uint8_t)diff_pick_reg(g, &in, sz, true);
            } while (in.vex_v == in.reg);
        } else {
            in.vex_v = (uint8_t)(v->imm ? 0 : diff_pick_reg(g, &in, sz, false));
        }
    }
    if (v->imm) {
        in.immsz = 1;
        in.imm = diff_rand(g, 256);
    }
    diff_emit(g, &in);
}

/* ---- string instructions: MOVS STOS LODS CMPS SCAS, with REP/REPE/REPNE -- */
static void gen_string(DiffGen *g, int arg)
{
    static const uint8_t ops[5] = { 0xa4, 0xaa, 0xac, 0xa6, 0xae };
    DiffInsn in;
    unsigned sz = diff_rand_size(g, true), k = (unsigned)diff_rand(g, 5);
    uint64_t n = diff_chance(g, 60) ? diff_rand(g, 9) : 1;
    uint64_t span = n * sz + 16;
    (void)arg;

    if (k >= 3) {
        diff_need_flags(g, DF_ZF);
    }
    diff_set_reg(g, RSI, DIFF_SCRATCH + diff_rand(g, DIFF_DATA_SIZE - span));
    diff_set_reg(g, RDI, DIFF_SCRATCH + diff_rand(g, DIFF_DATA_SIZE - span));
    diff_set_reg(g, RCX, n);
    diff_insn(g, &in, sz, 1, ops[k] + (sz != 1));
    in.legacy = false;
    in.no_rand_pfx = true;
    if (diff_chance(g, 70)) {
        in.rep = true;
        if (k >= 3 && diff_chance(g, 50)) {
            in.rep = false;
            in.mand = 0xf2;                     /* REPNE */
        }
    }
    diff_emit(g, &in);
}

/* ---- the class table ------------------------------------------------------- */
/* sdm: the flags the SDM leaves undefined, which tern sets as Intel does:
 * masked only against a host that is not Intel (diff_sdm_only) */
#define C(name, gen, arg, feature, undef, sdm, defs, clobbers) \
    { name, gen, arg, feature, undef, defs, clobbers, 0, 0, false, false, NULL, false, sdm, NULL }
/* a class using x87/SSE state; fsw_undef/fsw_defs: the FSW condition codes */
#define FP(name, gen, arg, feature, undef, defs, clobbers, fsw_undef, fsw_defs) \
    { name, gen, arg, feature, undef, defs, clobbers, fsw_undef, fsw_defs, true, false, NULL, false, 0, NULL }
/* the same, compared only against an Intel host (why: DiffClass.intel_only) */
#define FPI(name, gen, arg, feature, undef, defs, clobbers, fsw_undef, fsw_defs, why) \
    { name, gen, arg, feature, undef, defs, clobbers, fsw_undef, fsw_defs, true, false, NULL, false, 0, why }
/* a compatibility-mode class (classes32.c) */
#define C32(name, gen, arg, undef, sdm, defs, clobbers) \
    { name, gen, arg, FEAT_NONE, undef, defs, clobbers, 0, 0, false, false, NULL, true, sdm, NULL }
#define PENDING(name, feature, why) { name, NULL, 0, feature, 0, 0, 0, 0, 0, false, false, why, false, 0, NULL }
#define OSAP        (DF_OF | DF_SF | DF_AF | DF_PF)
#define SZAP        (DF_SF | DF_ZF | DF_AF | DF_PF)
#define OAC         (DF_OF | DF_AF | DF_CF)
#define OSZP        (DF_OF | DF_SF | DF_ZF | DF_PF)
#define NOSUB       (DF_ARITH & ~DF_CF)
#define CC_U3       (FSW_C0 | FSW_C2 | FSW_C3)

const DiffClass diff_classes[] = {
    /* name        generator     arg feature     undef sdm (not Intel)          defs            clobbers */
    C("add",       gen_alu,      0, FEAT_NONE,   0, 0,                    F_ALL,          0),
    C("or",        gen_alu,      1, FEAT_NONE,   0, DF_AF,                F_ALL,          0),
    C("adc",       gen_alu,      2, FEAT_NONE,   0, 0,                    F_ALL,          0),
    C("sbb",       gen_alu,      3, FEAT_NONE,   0, 0,                    F_ALL,          0),
    C("and",       gen_alu,      4, FEAT_NONE,   0, DF_AF,                F_ALL,          0),
    C("sub",       gen_alu,      5, FEAT_NONE,   0, 0,                    F_ALL,          0),
    C("xor",       gen_alu,      6, FEAT_NONE,   0, DF_AF,                F_ALL,          0),
    C("cmp",       gen_alu,      7, FEAT_NONE,   0, 0,                    F_ALL,          0),
    C("test",      gen_test,     0, FEAT_NONE,   0, DF_AF,                F_ALL,          0),
    C("incdec",    gen_unary,    0, FEAT_NONE,   0, 0,                    NOSUB,          0),
    C("notneg",    gen_unary,    2, FEAT_NONE,   0, 0,                    0,              0),
    C("shift1",    gen_shift,    0, FEAT_NONE,   0, DF_AF,                F_ALL,          0),
    C("shift",     gen_shift,    1, FEAT_NONE,   0, OAC,                  0,              R(RCX)),
    C("rotate1",   gen_shift,    2, FEAT_NONE,   0, 0,                    DF_CF | DF_OF,  0),
    C("rotate",    gen_shift,    3, FEAT_NONE,   0, DF_OF,                0,              R(RCX)),
    C("mul",       gen_mul,      0, FEAT_NONE,   0, SZAP,                 F_ALL,          R(RAX) | R(RDX)),
    C("imul",      gen_mul,      1, FEAT_NONE,   0, SZAP,                 F_ALL,          0),
    C("div",       gen_div,      0, FEAT_NONE,   0, F_ALL,                0,              R(RAX) | R(RDX)),
    C("idiv",      gen_div,      1, FEAT_NONE,   0, F_ALL,                0,              R(RAX) | R(RDX)),
    C("mov",       gen_mov,      0, FEAT_NONE,   0, 0,                    0,              0),
    C("movx",      gen_movx,     0, FEAT_NONE,   0, 0,                    0,              0),
    C("lea",       gen_lea,      0, FEAT_NONE,   0, 0,                    0,              0),
    C("xchg",      gen_xchg,     0, FEAT_NONE,   0, 0,                    0,              0),
    C("cbw",       gen_cbw,      0, FEAT_NONE,   0, 0,                    0,              R(RAX) | R(RDX)),
    C("setcc",     gen_cc,       0, FEAT_NONE,   0, 0,                    0,              0),
    C("cmovcc",    gen_cc,       1, FEAT_NONE,   0, 0,                    0,              0),
    C("pushpop",   gen_pushpop,  0, FEAT_NONE,   0, 0,                    0,              0),
    C("nop",       gen_nop,      0, FEAT_NONE,   0, 0,                    0,              0),
    C("cfop",      gen_cfop,     0, FEAT_NONE,   0, 0,                    DF_CF,          0),
    C("lahf",      gen_lahf,     0, FEAT_NONE,   0, 0,                    0,              R(RAX)),
    C("bt",        gen_bt,       0, FEAT_NONE,   0, OSAP,                 DF_CF,          0),
    C("bsf",       gen_bitscan,  0, FEAT_NONE,   0, OSAP | DF_CF,         F_ALL,          0),
    C("tzcnt",     gen_bitscan,  0xf3, FEAT_BMI1, 0, OSAP,                F_ALL,          0),
    C("popcnt",    gen_0f_gv_ev, 0xf3b8, FEAT_POPCNT, 0, 0,                 F_ALL,          0),
    C("shld",      gen_shld,     0, FEAT_NONE,   0, DF_OF | DF_AF,        0,              R(RCX)),
    C("cmpxchg",   gen_xop,      0xb0, FEAT_NONE, 0, 0,                   F_ALL,          R(RAX)),
    C("xadd",      gen_xop,      0xc0, FEAT_NONE, 0, 0,                   F_ALL,          0),
    C("cmpxchg8b", gen_cmpxchg8b, 0, FEAT_NONE,  0, 0,                    DF_ZF,          R(RAX) | R(RDX)),
    C("bswap",     gen_bswap,    0, FEAT_NONE,   0, 0,                    0,              0),
    C("movbe",     gen_movbe,    0, FEAT_MOVBE,  0, 0,                    0,              0),
    C("adx",       gen_adx,      0, FEAT_ADX,    0, 0,                    0,              0),
    C("bmi1",      gen_vex,      1, FEAT_BMI1,   0, DF_SF | DF_AF | DF_PF, F_ALL,          0),
    C("bmi2",      gen_vex,      2, FEAT_BMI2,   0, DF_AF | DF_PF,        0,              0),
    C("string",    gen_string,   0, FEAT_NONE,   0, 0,                    0,
      R(RSI) | R(RDI) | R(RCX) | R(RAX)),
    /*
     * x87, MMX, SSE (classes-fp.c: one table of forms per class, which also
     * says which forms define RFLAGS (COMISS, PTEST, PCMPxSTRx, FCOMI) and
     * the FSW condition codes of each x87 instruction; the row's fsw
     * columns are the default).  mmx: every MMX form up to SSSE3's;
     * x87-ldst has FISTTP (SSE3).
     */
    FP("sse1",     diff_gen_sse, SSE_SET_SSE1,    FEAT_SSE,    0, 0, 0,     0, 0),
    FP("sse2-fp",  diff_gen_sse, SSE_SET_SSE2FP,  FEAT_SSE2,   0, 0, 0,     0, 0),
    FP("sse2-int", diff_gen_sse, SSE_SET_SSE2INT, FEAT_SSE2,   0, 0, R(RDI), 0, 0),
    FP("sse3",     diff_gen_sse, SSE_SET_SSE3,    FEAT_SSE3,   0, 0, 0,     0, 0),
    FP("ssse3",    diff_gen_sse, SSE_SET_SSSE3,   FEAT_SSSE3,  0, 0, 0,     0, 0),
    FP("sse41",    diff_gen_sse, SSE_SET_SSE41,   FEAT_SSE41,  0, 0, 0,     0, 0),
    FP("sse42",    diff_gen_sse, SSE_SET_SSE42,   FEAT_SSE42,  0, 0, R(RAX) | R(RCX) | R(RDX), 0, 0),
    FP("aes",      diff_gen_sse, SSE_SET_AES,     FEAT_AES,    0, 0, 0,     0, 0),
    FP("pclmul",   diff_gen_sse, SSE_SET_PCLMUL,  FEAT_PCLMUL, 0, 0, 0,     0, 0),
    FP("mmx",      diff_gen_sse, SSE_SET_MMX,     FEAT_SSSE3,  0, 0, R(RDI), 0, 0),
    FP("x87-arith", diff_gen_x87, X87_ARITH,      FEAT_X87,    0, 0, 0,     CC_U3, FSW_C1),
    FP("x87-cmp",  diff_gen_x87, X87_CMP,         FEAT_X87,    0, 0, 0,     0, FSW_CC),
    FP("x87-ldst", diff_gen_x87, X87_LDST,        FEAT_SSE3,   0, 0, R(RAX), CC_U3, FSW_C1),
    FPI("x87-trans", diff_gen_x87, X87_TRANS,     FEAT_X87,    0, 0, 0,     CC_U3, FSW_C1,
        "the x87's transcendental results are the implementation's: this host's differ from "
        "Intel's, which tern follows, beyond the ulp window (UE, signed zeros); diff/replay "
        "checks them against Intel's"),
    /*
     * 32-bit code in compatibility mode (classes32.c): instructions that
     * 64-bit mode lacks, with random AL, AH, CF, AF per instruction; the
     * SDM's undefined flags are compared too against an Intel host (tern
     * writes the Intel values: docs/isa.md).  bcdcheck runs every input
     * natively against tern's model, masked by these rows' sdm column on a
     * host that is not Intel.
     */
    C32("daa-das",  diff_gen_bcd, 0x2f27,  0, DF_OF,                F_ALL,          R(RAX)),
    C32("aaa-aas",  diff_gen_bcd, 0x3f37,  0, OSZP,                 F_ALL,          R(RAX)),
    C32("aam-aad",  diff_gen_aam, 0,       0, OAC,                  F_ALL,          R(RAX)),
    C32("legacy32", diff_gen_legacy32, 0,  0, DF_AF,                0,              R(RAX)),
    /* every enabled class in one sequence: flags and values flow between them */
    { "mix", NULL, 0, FEAT_NONE, 0, 0, 0, 0, 0, false, true, NULL, false, 0, NULL },
};

const unsigned diff_nclasses = sizeof(diff_classes) / sizeof(diff_classes[0]);
_Static_assert(sizeof(diff_classes) / sizeof(diff_classes[0]) <= DIFF_MAX_CLASSES,
               "the enabled-class mask is one uint64_t");
