// tern-nested: allow ud/0f01-d8 the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: VMRUN raises #GP, not #UD
// tern-nested: allow ud/rip the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: the instructions that do not #UD there fault elsewhere
// tern-native-amd: allow ud/0f01-d8 AMD defines 0F 01 D8 (VMRUN) FA (MONITORX) FB (MWAITX) FC (CLZERO) FD (RDPRU), which Intel leaves #UD, and reads LOCK MOV CR0 as MOV CR8
// tern-native-amd: allow ud/0f01-fa AMD defines 0F 01 D8 (VMRUN) FA (MONITORX) FB (MWAITX) FC (CLZERO) FD (RDPRU), which Intel leaves #UD, and reads LOCK MOV CR0 as MOV CR8
// tern-native-amd: allow ud/0f01-fb AMD defines 0F 01 D8 (VMRUN) FA (MONITORX) FB (MWAITX) FC (CLZERO) FD (RDPRU), which Intel leaves #UD, and reads LOCK MOV CR0 as MOV CR8
// tern-native-amd: allow ud/0f01-fc AMD defines 0F 01 D8 (VMRUN) FA (MONITORX) FB (MWAITX) FC (CLZERO) FD (RDPRU), which Intel leaves #UD, and reads LOCK MOV CR0 as MOV CR8
// tern-native-amd: allow ud/0f01-fd AMD defines 0F 01 D8 (VMRUN) FA (MONITORX) FB (MWAITX) FC (CLZERO) FD (RDPRU), which Intel leaves #UD, and reads LOCK MOV CR0 as MOV CR8
// tern-native-amd: allow ud/lock-mov-cr0 AMD defines 0F 01 D8 (VMRUN) FA (MONITORX) FB (MWAITX) FC (CLZERO) FD (RDPRU), which Intel leaves #UD, and reads LOCK MOV CR0 as MOV CR8
/*
 * ud.c: #UD for invalid encodings in 64-bit mode: UD2/UD0/UD1, the
 * one-byte opcodes 64-bit mode removed (push/pop of ES CS SS DS, BCD
 * adjusts, pusha/popa, 82, far call/jmp ptr, into, salc), unassigned 0F
 * opcodes, register forms of memory-only instructions (lea, far call/jmp
 * m16:64, lgdt-like group rows), undefined group rows (FE /2, FF /7, 8F /1,
 * C6 /1, C7 /1, 0F 00 /6-/7, 0F AE /4 with a register), MOV to CS and
 * from segment registers 6/7, the 0F 01 register forms tern does not have
 * (F8-FF but F9 RDTSCP and F8 SWAPGS, VMX/SVM rows), REX before VEX, LOCK
 * on MOV CR0 (AMD's CR8 alias; #UD on Intel).  Each faults at its first
 * byte.  The native build runs the same table on the host CPU (SIGILL,
 * trap number 6), which proves it.
 */
#include "tern.h"

/* One function per encoding: the bytes, then ret. */
#define UD_FN(name, bytes) FAULT_FN(name, ".byte " bytes)

UD_FN(ud_ud2, "0x0f, 0x0b");
UD_FN(ud_ud0, "0x0f, 0xff, 0xc0");
UD_FN(ud_ud1, "0x0f, 0xb9, 0xc0");
UD_FN(ud_push_es, "0x06");
UD_FN(ud_pop_es, "0x07");
UD_FN(ud_push_cs, "0x0e");
UD_FN(ud_push_ss, "0x16");
UD_FN(ud_pop_ss, "0x17");
UD_FN(ud_push_ds, "0x1e");
UD_FN(ud_pop_ds, "0x1f");
UD_FN(ud_daa, "0x27");
UD_FN(ud_das, "0x2f");
UD_FN(ud_aaa, "0x37");
UD_FN(ud_aas, "0x3f");
UD_FN(ud_pusha, "0x60");
UD_FN(ud_popa, "0x61");
UD_FN(ud_82, "0x82, 0xc0, 0x01");
UD_FN(ud_callf, "0x9a, 0, 0, 0, 0, 0, 0");
UD_FN(ud_into, "0xce");
UD_FN(ud_aam, "0xd4, 0x0a");
UD_FN(ud_aad, "0xd5, 0x0a");
UD_FN(ud_salc, "0xd6");
UD_FN(ud_jmpf, "0xea, 0, 0, 0, 0, 0, 0");
UD_FN(ud_0f04, "0x0f, 0x04");
UD_FN(ud_0f0a, "0x0f, 0x0a");
UD_FN(ud_0f0c, "0x0f, 0x0c");
UD_FN(ud_0f24, "0x0f, 0x24, 0xc0");
UD_FN(ud_0f25, "0x0f, 0x25");
UD_FN(ud_0f26, "0x0f, 0x26, 0xc0");
UD_FN(ud_0f27, "0x0f, 0x27");
UD_FN(ud_0f36, "0x0f, 0x36");
UD_FN(ud_0f39, "0x0f, 0x39");
UD_FN(ud_0f7a, "0x0f, 0x7a");
UD_FN(ud_0f7b, "0x0f, 0x7b");
UD_FN(ud_0fa6, "0x0f, 0xa6");
UD_FN(ud_0fa7, "0x0f, 0xa7");
UD_FN(ud_0f38ff, "0x0f, 0x38, 0xff, 0xc0");
UD_FN(ud_0f3aff, "0x0f, 0x3a, 0xff, 0xc0, 0x00");
UD_FN(ud_lea_reg, "0x8d, 0xc0");
UD_FN(ud_callf_reg, "0xff, 0xd8");
UD_FN(ud_jmpf_reg, "0xff, 0xe8");
UD_FN(ud_ff7, "0xff, 0xf8");
UD_FN(ud_fe2, "0xfe, 0xd0");
UD_FN(ud_8f1, "0x8f, 0xc8");
UD_FN(ud_c61, "0xc6, 0xc8, 0x00");
UD_FN(ud_c71, "0xc7, 0xc8, 0, 0, 0, 0");
UD_FN(ud_mov_cs, "0x8e, 0xc8");
UD_FN(ud_mov_from_seg6, "0x8c, 0xf0");
UD_FN(ud_mov_from_seg7, "0x8c, 0xf8");
UD_FN(ud_0f00_6, "0x0f, 0x00, 0xf0");
UD_FN(ud_0f00_7, "0x0f, 0x00, 0xf8");
UD_FN(ud_0fae_4_reg, "0x0f, 0xae, 0xe0");
UD_FN(ud_0f01_c0, "0x0f, 0x01, 0xc0");
UD_FN(ud_0f01_c2, "0x0f, 0x01, 0xc2");
UD_FN(ud_0f01_d2, "0x0f, 0x01, 0xd2");
UD_FN(ud_0f01_d8, "0x0f, 0x01, 0xd8");
UD_FN(ud_0f01_fa, "0x0f, 0x01, 0xfa");
UD_FN(ud_0f01_fb, "0x0f, 0x01, 0xfb");
UD_FN(ud_0f01_fc, "0x0f, 0x01, 0xfc");
UD_FN(ud_0f01_fd, "0x0f, 0x01, 0xfd");
UD_FN(ud_0f01_fe, "0x0f, 0x01, 0xfe");
UD_FN(ud_0f01_ff, "0x0f, 0x01, 0xff");
UD_FN(ud_66_xgetbv, "0x66, 0x0f, 0x01, 0xd0");
UD_FN(ud_rex_vex, "0x48, 0xc5, 0xf8, 0x77");
UD_FN(ud_lock_mov_cr0, "0xf0, 0x0f, 0x20, 0xc0");
UD_FN(ud_mov_cr1, "0x0f, 0x20, 0xc8");
UD_FN(ud_mov_cr9, "0x44, 0x0f, 0x20, 0xc8");
UD_FN(ud_lock_ud2, "0xf0, 0x0f, 0x0b");

static const struct {
    const char *name;
    void (*fn)(void);
} ud_table[] = {
    { "ud2", ud_ud2 }, { "ud0", ud_ud0 }, { "ud1", ud_ud1 },
    { "06-push-es", ud_push_es }, { "07-pop-es", ud_pop_es }, { "0e-push-cs", ud_push_cs },
    { "16-push-ss", ud_push_ss }, { "17-pop-ss", ud_pop_ss }, { "1e-push-ds", ud_push_ds },
    { "1f-pop-ds", ud_pop_ds }, { "27-daa", ud_daa }, { "2f-das", ud_das },
    { "37-aaa", ud_aaa }, { "3f-aas", ud_aas }, { "60-pusha", ud_pusha },
    { "61-popa", ud_popa }, { "82", ud_82 }, { "9a-callf", ud_callf }, { "ce-into", ud_into },
    { "d4-aam", ud_aam }, { "d5-aad", ud_aad }, { "d6-salc", ud_salc }, { "ea-jmpf", ud_jmpf },
    { "0f04", ud_0f04 }, { "0f0a", ud_0f0a }, { "0f0c", ud_0f0c }, { "0f24", ud_0f24 },
    { "0f25", ud_0f25 }, { "0f26", ud_0f26 }, { "0f27", ud_0f27 }, { "0f36", ud_0f36 },
    { "0f39", ud_0f39 }, { "0f7a", ud_0f7a }, { "0f7b", ud_0f7b }, { "0fa6", ud_0fa6 },
    { "0fa7", ud_0fa7 }, { "0f38ff", ud_0f38ff }, { "0f3aff", ud_0f3aff },
    { "lea-reg", ud_lea_reg }, { "ff3-reg", ud_callf_reg }, { "ff5-reg", ud_jmpf_reg },
    { "ff7", ud_ff7 }, { "fe2", ud_fe2 }, { "8f1", ud_8f1 }, { "c6-1", ud_c61 },
    { "c7-1", ud_c71 }, { "mov-cs", ud_mov_cs }, { "mov-from-seg6", ud_mov_from_seg6 },
    { "mov-from-seg7", ud_mov_from_seg7 }, { "0f00-6", ud_0f00_6 }, { "0f00-7", ud_0f00_7 },
    { "0fae-4-reg", ud_0fae_4_reg }, { "0f01-c0", ud_0f01_c0 }, { "0f01-c2", ud_0f01_c2 },
    { "0f01-d2", ud_0f01_d2 }, { "0f01-d8", ud_0f01_d8 }, { "0f01-fa", ud_0f01_fa },
    { "0f01-fb", ud_0f01_fb }, { "0f01-fc", ud_0f01_fc }, { "0f01-fd", ud_0f01_fd },
    { "0f01-fe", ud_0f01_fe }, { "0f01-ff", ud_0f01_ff }, { "66-xgetbv", ud_66_xgetbv },
    { "rex-vex", ud_rex_vex }, { "lock-mov-cr0", ud_lock_mov_cr0 },
    { "mov-cr1", ud_mov_cr1 }, { "mov-cr9", ud_mov_cr9 }, { "lock-ud2", ud_lock_ud2 },
};

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    idt_install();
    test_group("ud");
    for (unsigned i = 0; i < sizeof(ud_table) / sizeof(ud_table[0]); i++) {
        int v = tern_catch_fault(ud_table[i].fn);

        CHECK_EQ_NAMED(ud_table[i].name, v, 6);
        if (v == 6) {
            CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)ud_table[i].fn);
        }
    }
    test_done();
}
