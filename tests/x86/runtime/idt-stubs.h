/*
 * idt-stubs.h: the exception entry stubs of both runtimes' idt.c (asm
 * text for their top-level __asm__).  TERN_IDT_STUBS defines
 * tern_idt_stubs: 33 stubs, for vectors 0-32, 16 bytes apart, each
 * "[push $0] push $vector; jmp tern_fault_common", so that every frame
 * has an error code; tern_fault_common is the including runtime's.
 * The vectors whose exceptions push an error code themselves (SDM vol.3
 * table 6-1): 8, 10-14, 17, 21, 29, 30.
 */
#ifndef TERN_IDT_STUBS_H
#define TERN_IDT_STUBS_H

#define TERN_IDT_STUBS                                                       \
    "    .macro tern_stub v\n"                                               \
    "    .align 16\n"                                                        \
    "    .if (\\v == 8) || ((\\v >= 10) && (\\v <= 14)) || (\\v == 17) || "   \
    "(\\v == 21) || (\\v == 29) || (\\v == 30)\n"                            \
    "    .else\n"                                                            \
    "    push $0\n"                                                          \
    "    .endif\n"                                                           \
    "    push $\\v\n"                                                        \
    "    jmp tern_fault_common\n"                                            \
    "    .endm\n"                                                            \
    "    .align 16\n"                                                        \
    "tern_idt_stubs:\n"                                                      \
    "    .irp v,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32\n" \
    "    tern_stub \\v\n"                                                    \
    "    .endr\n"

/* The stub for vector v (0-32). */
extern const char tern_idt_stubs[];
#define TERN_IDT_STUB(v) (tern_idt_stubs + 16 * (v))

#endif
