// tern-nested: skip QEMU 7.2's nested SVM does not intercept XSETBV: XCR0 stays 1, so every XSAVE check of SSE state fails
// tern-native-amd: allow save/mxcsr-mask AMD's MXCSR_MASK is 0x2ffff: bit 17 is its MM (misaligned exception mask), which Intel lacks
/*
 * xsave.c: the XSAVE feature set for x87 and SSE state.
 *   - CPUID: leaf 1 ECX.XSAVE (26) set, OSXSAVE (27) = CR4.OSXSAVE; leaf
 *     0xd.0 EAX = 3, EBX = ECX = 576, EDX = 0; 0xd.1 all 0 (guest).
 *   - Without CR4.OSXSAVE, XGETBV XSETBV XSAVE XRSTOR are #UD (guest).
 *   - XGETBV(0) = XCR0 (1 after reset, 3 after XSETBV(3)); XSETBV #GP(0)
 *     for 0, 2, 4, 7 and ECX = 1, XGETBV for ECX = 1 (no XGETBV1) (guest);
 *     XSETBV at CPL 3 #GP(0).
 *   - XSAVE with RFBM = 3 writes the FXSAVE image (FCW, FSW, abridged
 *     FTW, ST0-1, MXCSR, MXCSR_MASK, XMM0-15) and XSTATE_BV = 3; XRSTOR
 *     brings it all back.  RFBM = 1 writes only the x87 part and sets only
 *     XSTATE_BV bit 0; XRSTOR with RFBM = 2 leaves x87 alone, RFBM = 1
 *     leaves SSE and MXCSR alone, RFBM = 0 changes nothing (not even a bad
 *     MXCSR faults).  XSTATE_BV = 0 initializes: FCW 037F, FSW 0, all tags
 *     empty, ST0 zero, XMM zero, while MXCSR is still loaded from memory.
 *   - #GP(0): an area not 64-byte aligned (XSAVE, XRSTOR), XSTATE_BV bits
 *     outside XCR0, XCOMP_BV != 0, header bytes 16-23 != 0, reserved MXCSR
 *     bits with RFBM[1]; a faulting XRSTOR changes nothing (guest).
 *   - XINUSE: tern reports a component in its initial configuration as
 *     not in use (guest only: hardware may report either).
 * The native build runs the cases a CPL 3 program can on the host CPU.
 */
#include "tern.h"

/* The state the xs_* functions set, and what xs_dump reads back. */
uint16_t xs_cw;
uint32_t xs_mxcsr, xs_mxcsr_out;
uint8_t xs_xmm_in[256], xs_xmm_out[256];
uint8_t xs_env_out[28];
uint8_t xs_fx_out[512] __attribute__((aligned(16)));
uint64_t xs_area_ptr, xs_mask;
static uint8_t xs_area[2048] __attribute__((aligned(64)));

/*
 * xs_set: fninit, fldcw xs_cw, fld1, fldpi, XMM0-15 = xs_xmm_in, MXCSR =
 * xs_mxcsr.  xs_dump: XMM0-15, MXCSR, the x87 environment and the FXSAVE
 * image to the *_out variables.  The composites run them around XSAVE or
 * XRSTOR of xs_area_ptr with EDX:EAX = xs_mask, so that no C code runs in
 * between (the compiler and libc may use the registers).
 */
__asm__(
    "    .text\n"
    "xs_set:\n"
    "    fninit\n    fldcw xs_cw(%rip)\n    fld1\n    fldpi\n"
    "    lea xs_xmm_in(%rip), %rax\n"
    "    movdqu 0(%rax), %xmm0\n    movdqu 16(%rax), %xmm1\n    movdqu 32(%rax), %xmm2\n"
    "    movdqu 48(%rax), %xmm3\n    movdqu 64(%rax), %xmm4\n    movdqu 80(%rax), %xmm5\n"
    "    movdqu 96(%rax), %xmm6\n    movdqu 112(%rax), %xmm7\n    movdqu 128(%rax), %xmm8\n"
    "    movdqu 144(%rax), %xmm9\n    movdqu 160(%rax), %xmm10\n    movdqu 176(%rax), %xmm11\n"
    "    movdqu 192(%rax), %xmm12\n    movdqu 208(%rax), %xmm13\n    movdqu 224(%rax), %xmm14\n"
    "    movdqu 240(%rax), %xmm15\n"
    "    ldmxcsr xs_mxcsr(%rip)\n"
    "    ret\n"
    "    .globl xs_dump\n"
    "xs_dump:\n"
    "    lea xs_xmm_out(%rip), %rax\n"
    "    movdqu %xmm0, 0(%rax)\n    movdqu %xmm1, 16(%rax)\n    movdqu %xmm2, 32(%rax)\n"
    "    movdqu %xmm3, 48(%rax)\n    movdqu %xmm4, 64(%rax)\n    movdqu %xmm5, 80(%rax)\n"
    "    movdqu %xmm6, 96(%rax)\n    movdqu %xmm7, 112(%rax)\n    movdqu %xmm8, 128(%rax)\n"
    "    movdqu %xmm9, 144(%rax)\n    movdqu %xmm10, 160(%rax)\n    movdqu %xmm11, 176(%rax)\n"
    "    movdqu %xmm12, 192(%rax)\n    movdqu %xmm13, 208(%rax)\n    movdqu %xmm14, 224(%rax)\n"
    "    movdqu %xmm15, 240(%rax)\n"
    "    stmxcsr xs_mxcsr_out(%rip)\n"
    "    fxsave xs_fx_out(%rip)\n"
    "    fnstenv xs_env_out(%rip)\n"
    "    fldenv xs_env_out(%rip)\n"
    "    ret\n"
    "xs_args:\n"
    "    mov xs_area_ptr(%rip), %rdi\n    mov xs_mask(%rip), %eax\n    mov xs_mask+4(%rip), %edx\n"
    "    ret\n"
    "    .globl xs_set_save, xs_save_at\n"
    "xs_set_save:\n"
    "    call xs_set\n    call xs_args\n"
    "xs_save_at:\n"
    "    xsave (%rdi)\n"
    "    ret\n"
    "    .globl xs_save_only, xs_save64\n"
    "xs_save_only:\n"
    "    call xs_args\n    xsave (%rdi)\n    ret\n"
    "xs_save64:\n"
    "    call xs_set\n    call xs_args\n    xsave64 (%rdi)\n    ret\n"
    "    .globl xs_set_rstor, xs_rstor_at\n"
    "xs_set_rstor:\n"
    "    call xs_set\n    call xs_args\n"
    "xs_rstor_at:\n"
    "    xrstor (%rdi)\n"
    "    call xs_dump\n"
    "    ret\n"
    "    .globl xs_rstor64\n"
    "xs_rstor64:\n"
    "    call xs_set\n    call xs_args\n    xrstor64 (%rdi)\n    call xs_dump\n    ret\n");
void xs_dump(void), xs_set_save(void), xs_save_only(void), xs_save64(void);
void xs_set_rstor(void), xs_rstor64(void);
extern char xs_save_at[], xs_rstor_at[];

/* XGETBV / XSETBV of ECX = xs_ecx, EDX:EAX = xs_val */
uint64_t xs_val;
uint32_t xs_ecx;
void xs_xgetbv(void), xs_xsetbv(void);
__asm__(".text\n.globl xs_xgetbv\nxs_xgetbv:\n\tmov xs_ecx(%rip), %ecx\n\txgetbv\n"
        "\tmov %eax, xs_val(%rip)\n\tmov %edx, xs_val+4(%rip)\n\tret\n"
        ".globl xs_xsetbv\nxs_xsetbv:\n\tmov xs_ecx(%rip), %ecx\n\tmov xs_val(%rip), %eax\n"
        "\tmov xs_val+4(%rip), %edx\n\txsetbv\n\tret\n");

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void st64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static int xs_run(void (*fn)(void), uint8_t *area, uint64_t mask)
{
    xs_area_ptr = (uint64_t)(uintptr_t)area;
    xs_mask = mask;
    return tern_catch_fault(fn);
}

/* An area holding the in-state (RFBM = 3), then patched by the caller. */
static void xs_area_fill(void)
{
    memset(xs_area, 0, sizeof(xs_area));
    xs_run(xs_set_save, xs_area, 3);
}

static void ring0_tests(void)
{
    uint32_t r[4];
    uint64_t cr4;

    test_group("disabled");
    tern_cpuid(1, 0, r);
    CHECK_NAMED("cpuid-xsave", r[2] & (1u << 26));
    CHECK_EQ_NAMED("cpuid-osxsave-0", r[2] & (1u << 27), 0);
    CHECK_EQ_NAMED("xgetbv-ud", tern_catch_fault(xs_xgetbv), 6);
    CHECK_EQ_NAMED("xsetbv-ud", tern_catch_fault(xs_xsetbv), 6);
    CHECK_EQ_NAMED("xsave-ud", xs_run(xs_set_save, xs_area, 3), 6);
    CHECK_EQ_NAMED("xrstor-ud", xs_run(xs_set_rstor, xs_area, 3), 6);

    cr4 = read_cr(4) | 1u << 18;
    write_cr(4, cr4);

    test_group("cpuid");
    tern_cpuid(1, 0, r);
    CHECK_EQ_NAMED("osxsave-1", r[2] & (1u << 27), 1u << 27);
    tern_cpuid(0, 0, r);
    CHECK_NAMED("max-leaf>=0xd", r[0] >= 0xd);
    tern_cpuid(0xd, 0, r);
    CHECK_EQ_NAMED("d0-eax", r[0], 3);
    CHECK_EQ_NAMED("d0-ebx", r[1], 576);
    CHECK_EQ_NAMED("d0-ecx", r[2], 576);
    CHECK_EQ_NAMED("d0-edx", r[3], 0);
    tern_cpuid(0xd, 1, r);
    CHECK_EQ_NAMED("d1", r[0] | r[1] | r[2] | r[3], 0);

    test_group("xcr0");
    xs_ecx = 0;
    CHECK_EQ_NAMED("xgetbv-ok", tern_catch_fault(xs_xgetbv), -1);
    CHECK_EQ_NAMED("reset-value", xs_val, 1);
    xs_ecx = 1;
    CHECK_EQ_NAMED("xgetbv-ecx1", tern_catch_fault(xs_xgetbv), 13);
    static const uint64_t bad[] = { 0, 2, 4, 7, 0x100000003ull };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        xs_ecx = 0;
        xs_val = bad[i];
        CHECK_EQ_NAMED("xsetbv-bad", tern_catch_fault(xs_xsetbv), 13);
        CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
    }
    xs_ecx = 1;
    xs_val = 1;
    CHECK_EQ_NAMED("xsetbv-ecx1", tern_catch_fault(xs_xsetbv), 13);
    xs_ecx = 0;
    xs_val = 3;
    CHECK_EQ_NAMED("xsetbv-3", tern_catch_fault(xs_xsetbv), -1);
    xs_val = 0;
    tern_catch_fault(xs_xgetbv);
    CHECK_EQ_NAMED("xcr0-3", xs_val, 3);
    tern_cpuid(0xd, 0, r);
    CHECK_EQ_NAMED("d0-ebx-xcr0-3", r[1], 576);
}

int main(const struct tern_bootinfo *bi)
{
    int i;

    (void)bi;
    tern_sys_install();
    xs_cw = 0x027f;
    xs_mxcsr = 0x9fc0;                          /* FZ, DAZ, all masked */
    for (i = 0; i < 256; i++) {
        xs_xmm_in[i] = (uint8_t)(i + 1);
    }
    if (TERN_HAVE_RING0) {
        ring0_tests();
    }

    test_group("xgetbv");
    xs_ecx = 0;
    CHECK_EQ_NAMED("ok", tern_catch_fault(xs_xgetbv), -1);
    CHECK_EQ_NAMED("x87-sse", xs_val & 3, 3);
    CHECK_EQ_NAMED("xsetbv-cpl3", tern_run_user(xs_xsetbv, 0), 13);

    test_group("save");
    memset(xs_area, 0, sizeof(xs_area));
    CHECK_EQ_NAMED("xsave", xs_run(xs_set_save, xs_area, 3), -1);
    CHECK_EQ_NAMED("fcw", ld64(xs_area) & 0xffff, 0x027f);
    CHECK_EQ_NAMED("fsw-top", (ld64(xs_area) >> 16) & 0xf83f, 6 << 11);
    CHECK_EQ_NAMED("ftw", (ld64(xs_area) >> 32) & 0xff, 0xc0);
    CHECK_EQ_NAMED("st0-mant", ld64(xs_area + 32), 0xc90fdaa22168c235ull);
    CHECK_EQ_NAMED("st0-exp", ld64(xs_area + 40) & 0xffff, 0x4000);
    CHECK_EQ_NAMED("st1-mant", ld64(xs_area + 48), 0x8000000000000000ull);
    CHECK_EQ_NAMED("st1-exp", ld64(xs_area + 56) & 0xffff, 0x3fff);
    CHECK_EQ_NAMED("mxcsr", ld64(xs_area + 24) & 0xffffffff, 0x9fc0);
    CHECK_EQ_NAMED("mxcsr-mask", ld64(xs_area + 24) >> 32, 0xffff);
    CHECK_EQ_NAMED("xmm0", memcmp(xs_area + 160, xs_xmm_in, 16), 0);
    CHECK_EQ_NAMED("xmm15", memcmp(xs_area + 160 + 240, xs_xmm_in + 240, 16), 0);
    CHECK_EQ_NAMED("xstate-bv", ld64(xs_area + 512), 3);
    CHECK_EQ_NAMED("xcomp-bv", ld64(xs_area + 520), 0);

    test_group("save64");
    memset(xs_area, 0, sizeof(xs_area));
    CHECK_EQ_NAMED("xsave64", xs_run(xs_save64, xs_area, 3), -1);
    CHECK_EQ_NAMED("fcw", ld64(xs_area) & 0xffff, 0x027f);
    CHECK_EQ_NAMED("xmm7", memcmp(xs_area + 160 + 112, xs_xmm_in + 112, 16), 0);
    CHECK_EQ_NAMED("xstate-bv", ld64(xs_area + 512), 3);

    test_group("save-rfbm1");
    memset(xs_area, 0xa5, 512);
    memset(xs_area + 512, 0, 64);
    st64(xs_area + 512, 2);
    CHECK_EQ_NAMED("xsave", xs_run(xs_set_save, xs_area, 1), -1);
    CHECK_EQ_NAMED("fcw", ld64(xs_area) & 0xffff, 0x027f);
    CHECK_EQ_NAMED("mxcsr-untouched", ld64(xs_area + 24), 0xa5a5a5a5a5a5a5a5ull);
    CHECK_EQ_NAMED("xmm-untouched", ld64(xs_area + 160) & ld64(xs_area + 408),
                   0xa5a5a5a5a5a5a5a5ull);
    CHECK_EQ_NAMED("xstate-bv", ld64(xs_area + 512), 3);

    test_group("restore");
    xs_area_fill();
    xs_cw = 0x037f;                             /* a different current state */
    xs_mxcsr = 0x1f80;
    for (i = 0; i < 256; i++) {
        xs_xmm_in[i] ^= 0xff;
    }
    CHECK_EQ_NAMED("xrstor", xs_run(xs_set_rstor, xs_area, 3), -1);
    CHECK_EQ_NAMED("fcw", xs_env_out[0] | xs_env_out[1] << 8, 0x027f);
    CHECK_EQ_NAMED("fsw-top", (xs_env_out[4] | xs_env_out[5] << 8) & 0x3800, 6 << 11);
    CHECK_EQ_NAMED("st0-mant", ld64(xs_fx_out + 32), 0xc90fdaa22168c235ull);
    CHECK_EQ_NAMED("mxcsr", xs_mxcsr_out, 0x9fc0);
    CHECK_EQ_NAMED("xmm", memcmp(xs_xmm_out, xs_area + 160, 256), 0);
    CHECK_EQ_NAMED("xrstor64", xs_run(xs_rstor64, xs_area, 3), -1);
    CHECK_EQ_NAMED("xmm-64", memcmp(xs_xmm_out, xs_area + 160, 256), 0);

    test_group("restore-rfbm2");                 /* SSE only: x87 keeps the current state */
    CHECK_EQ_NAMED("xrstor", xs_run(xs_set_rstor, xs_area, 2), -1);
    CHECK_EQ_NAMED("fcw-kept", xs_env_out[0] | xs_env_out[1] << 8, 0x037f);
    CHECK_EQ_NAMED("mxcsr", xs_mxcsr_out, 0x9fc0);
    CHECK_EQ_NAMED("xmm", memcmp(xs_xmm_out, xs_area + 160, 256), 0);

    test_group("restore-rfbm1");                 /* x87 only: SSE and MXCSR kept */
    CHECK_EQ_NAMED("xrstor", xs_run(xs_set_rstor, xs_area, 1), -1);
    CHECK_EQ_NAMED("fcw", xs_env_out[0] | xs_env_out[1] << 8, 0x027f);
    CHECK_EQ_NAMED("mxcsr-kept", xs_mxcsr_out, 0x1f80);
    CHECK_EQ_NAMED("xmm-kept", memcmp(xs_xmm_out, xs_xmm_in, 256), 0);

    test_group("restore-rfbm0");
    st64(xs_area + 24, 0xffff0000ffffffffull);   /* a reserved MXCSR bit: not loaded */
    CHECK_EQ_NAMED("xrstor", xs_run(xs_set_rstor, xs_area, 0), -1);
    CHECK_EQ_NAMED("fcw-kept", xs_env_out[0] | xs_env_out[1] << 8, 0x037f);
    CHECK_EQ_NAMED("mxcsr-kept", xs_mxcsr_out, 0x1f80);
    CHECK_EQ_NAMED("xmm-kept", memcmp(xs_xmm_out, xs_xmm_in, 256), 0);
    CHECK_EQ_NAMED("rfbm1-bad-mxcsr", xs_run(xs_set_rstor, xs_area, 1), -1);

    test_group("init");
    xs_area_fill();
    st64(xs_area + 512, 0);                     /* XSTATE_BV: both components init */
    st64(xs_area + 24, 0x0000ffff00001fc0ull);  /* MXCSR (DAZ): loaded all the same */
    CHECK_EQ_NAMED("xrstor", xs_run(xs_set_rstor, xs_area, 3), -1);
    CHECK_EQ_NAMED("fcw", xs_env_out[0] | xs_env_out[1] << 8, 0x037f);
    CHECK_EQ_NAMED("fsw", xs_env_out[4] | xs_env_out[5] << 8, 0);
    CHECK_EQ_NAMED("ftw", xs_env_out[8] | xs_env_out[9] << 8, 0xffff);
    CHECK_EQ_NAMED("st0-zero", ld64(xs_fx_out + 32) | (ld64(xs_fx_out + 40) & 0xffff), 0);
    CHECK_EQ_NAMED("st7-zero", ld64(xs_fx_out + 144) | (ld64(xs_fx_out + 152) & 0xffff), 0);
    CHECK_EQ_NAMED("mxcsr-loaded", xs_mxcsr_out, 0x1fc0);
    {
        static const uint8_t zero[256];
        CHECK_EQ_NAMED("xmm-zero", memcmp(xs_xmm_out, zero, 256), 0);
    }
    st64(xs_area + 512, 2);                     /* x87 init, SSE loaded */
    memset(xs_area + 160, 0x5a, 256);
    CHECK_EQ_NAMED("x87-only", xs_run(xs_set_rstor, xs_area, 3), -1);
    CHECK_EQ_NAMED("x87-only-fcw", xs_env_out[0] | xs_env_out[1] << 8, 0x037f);
    CHECK_EQ_NAMED("x87-only-xmm", memcmp(xs_xmm_out, xs_area + 160, 256), 0);

    test_group("gp");
    xs_area_fill();
    CHECK_EQ_NAMED("xsave-align", xs_run(xs_set_save, xs_area + 16, 3), 13);
    CHECK_EQ_NAMED("xsave-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)xs_save_at);
    CHECK_EQ_NAMED("xsave-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("xrstor-align", xs_run(xs_set_rstor, xs_area + 32, 3), 13);
    CHECK_EQ_NAMED("xrstor-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)xs_rstor_at);
    st64(xs_area + 512, 3 | 1ull << 62);
    CHECK_EQ_NAMED("xstate-bv-not-in-xcr0", xs_run(xs_set_rstor, xs_area, 3), 13);
    st64(xs_area + 512, 3);
    st64(xs_area + 520, 1);
    CHECK_EQ_NAMED("xcomp-bv", xs_run(xs_set_rstor, xs_area, 3), 13);
    st64(xs_area + 520, 0);
    st64(xs_area + 528, 1);
    CHECK_EQ_NAMED("header-16", xs_run(xs_set_rstor, xs_area, 3), 13);
    st64(xs_area + 528, 0);
    st64(xs_area + 24, 0x0000ffff00011f80ull);
    CHECK_EQ_NAMED("mxcsr-reserved", xs_run(xs_set_rstor, xs_area, 2), 13);
    if (TERN_HAVE_RING0) {
        /* a faulting XRSTOR changed nothing (natively the signal resets it) */
        tern_catch_fault(xs_dump);
        CHECK_EQ_NAMED("unchanged-xmm", memcmp(xs_xmm_out, xs_xmm_in, 256), 0);
        CHECK_EQ_NAMED("unchanged-mxcsr", xs_mxcsr_out, 0x1f80);
    }
    st64(xs_area + 24, 0x0000ffff00001f80ull);
    CHECK_EQ_NAMED("valid-again", xs_run(xs_set_rstor, xs_area, 3), -1);

    if (TERN_HAVE_RING0) {
        test_group("xinuse");                   /* tern: init components are not in use */
        st64(xs_area + 512, 0);
        xs_run(xs_set_rstor, xs_area, 3);
        st64(xs_area + 512, 3);
        CHECK_EQ_NAMED("xsave", xs_run(xs_save_only, xs_area, 3), -1);
        CHECK_EQ_NAMED("xstate-bv-0", ld64(xs_area + 512), 0);
    }
    test_done();
}
