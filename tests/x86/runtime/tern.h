/*
 * tern.h: the runtime of the self-checking guest programs under tests/x86/.
 *
 * A guest is a freestanding ELF64 program linked at 0x100000 (guest.ld) and
 * started by tern in long mode (docs/boot.md).  crt0.S clears .bss and calls
 *     int main(const struct tern_bootinfo *bi);
 * then exits with main's return value through the isa-debug-exit port.
 *
 * Output goes to the 16550 UART at 0x3f8.  Each check prints one line,
 *     PASS group/name
 *     FAIL group/name: file:line: expr (got 0x.., want 0x..)
 * and test_done() exits 0 when every check passed, 1 otherwise; tern then
 * exits with status (code << 1) | 1.
 *
 * The same sources also build as native Linux programs (runtime/native.c,
 * TERN_NATIVE defined, main renamed): that build runs the checks on the host
 * CPU and so proves the expected values.  Port I/O is not available there.
 */
#ifndef TERN_H
#define TERN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* The boot info block tern leaves at 0x7000 (docs/boot.md). */
struct tern_bootinfo {
    uint32_t magic;             /* TERN_BOOTINFO_MAGIC */
    uint32_t version;           /* 1 */
    uint64_t ram_size;          /* bytes */
    uint64_t cmdline;           /* address of the -append string, or 0 */
};
#define TERN_BOOTINFO_MAGIC 0x4e524554u   /* "TERN" */

#define TERN_SERIAL_BASE    0x3f8
#define TERN_DEBUG_EXIT     0xf4

/* RFLAGS bits the tests look at. */
#define FL_CF   0x0001u
#define FL_PF   0x0004u
#define FL_AF   0x0010u
#define FL_ZF   0x0040u
#define FL_SF   0x0080u
#define FL_OF   0x0800u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* Does this build run with I/O privilege (under tern), or natively? */
#ifdef TERN_NATIVE
#define TERN_HAVE_PORT_IO 0
#else
#define TERN_HAVE_PORT_IO 1
#endif

/* ---- port I/O ---------------------------------------------------------- */
static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

/* Hide a value from the optimizer so a computation happens at run time. */
#define OPAQUE(x) __asm__ volatile("" : "+r"(x))

/* ---- output and exit ----------------------------------------------------- */
void tern_putchar(int c);
void tern_puts(const char *s);          /* no newline added */
int tern_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tern_vprintf(const char *fmt, va_list ap);
/* Exit through isa-debug-exit: tern exits with (code << 1) | 1. */
_Noreturn void tern_exit(int code);

/* ---- checks ---------------------------------------------------------------- */
/* Prefix for the names of the following checks ("group/name"); NULL: none. */
void test_group(const char *group);
void test_check(int ok, const char *name, const char *file, int line,
                const char *expr);
void test_check_eq(uint64_t got, uint64_t want, const char *name,
                   const char *file, int line, const char *expr);
int test_failures(void);
/* Exit 0 if every check passed (and there was one), 1 otherwise. */
_Noreturn void test_done(void);
/* This program cannot run here (native build of an I/O test): say why. */
_Noreturn void test_skip(const char *reason);

#define CHECK(cond) \
    test_check(!!(cond), #cond, __FILE__, __LINE__, #cond)
#define CHECK_EQ(a, b) \
    test_check_eq((uint64_t)(a), (uint64_t)(b), #a, __FILE__, __LINE__, #a " == " #b)
#define CHECK_NAMED(name, cond) \
    test_check(!!(cond), name, __FILE__, __LINE__, #cond)
#define CHECK_EQ_NAMED(name, a, b) \
    test_check_eq((uint64_t)(a), (uint64_t)(b), name, __FILE__, __LINE__, #a " == " #b)

/* ---- exceptions (guest only: runtime/idt.c) -------------------------------- */
/* What the last caught exception was: vector, error code (0 if the vector
 * has none), the rip it reported (the faulting instruction for faults) and
 * rCX/rSI/rDI at that point (string instructions restart from them). */
struct tern_fault {
    int vector;
    uint64_t error_code;
    uint64_t rip;
    uint64_t rcx, rsi, rdi;
};
extern struct tern_fault tern_last_fault;
/* Load an IDT whose exception vectors 0-31 are caught (64-bit interrupt
 * gates).  Call once before tern_catch_fault. */
void idt_install(void);
/* Run fn(); return the vector of the exception it raised (fn is abandoned,
 * tern_last_fault says more) or -1 if it returned normally. */
int tern_catch_fault(void (*fn)(void));
/* Does fn raise exactly vector? */
static inline int expect_fault(int vector, void (*fn)(void))
{
    return tern_catch_fault(fn) == vector;
}

/* ---- freestanding libc bits (the guest runtime provides them) ------------- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
