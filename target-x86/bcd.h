/*
 * bcd.h: the decimal-adjust instructions of 16/32-bit code (DAA, DAS, AAA,
 * AAS, AAM, AAD) as one pure function, shared by the helper the translator
 * calls (bcd_helper.c) and the host-CPU check (tests/diff).
 */
#ifndef TARGET_X86_BCD_H
#define TARGET_X86_BCD_H

#include <stdint.h>

/*
 * The result of the instruction with opcode op (27, 2F, 37, 3F, D4, D5;
 * imm: the D4/D5 immediate, not 0 for D4) on AX and the arithmetic flags
 * of eflags: the new AX in bits 0-15, the new CF PF AF ZF SF OF in bits
 * 16-27 (EFLAGS positions shifted by 16).  The SDM's undefined flags get
 * the values an Intel CPU writes (docs/isa.md).
 */
uint32_t x86_bcd(unsigned op, unsigned imm, unsigned ax, unsigned eflags);

#endif
