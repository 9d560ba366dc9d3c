/*
 * native.c: the runtime of the native build of a guest test.  The test's
 * main is compiled as tern_guest_main (-Dmain=tern_guest_main); this file's
 * main calls it with a boot info block like tern's, output goes to stdout,
 * and tern_exit() becomes exit().  A test that needs port I/O calls
 * test_skip(), which exits 77 after a "SKIP: reason" line.
 *
 * Running the same checks on the host CPU proves their expected values.
 *
 * Exceptions a user program can take (#DE, #UD, #GP, #SS, #PF, #AC, ...)
 * come back as signals: idt_install() handles SIGSEGV, SIGBUS, SIGILL,
 * SIGFPE and SIGTRAP on an alternate stack (the faulting rsp may be
 * broken), and the handler fills tern_last_fault from the signal context,
 * whose trap number and error code are the CPU's, then siglongjmps back
 * into tern_catch_fault.  The process runs at CPL 3, so tern_run_user only
 * applies EFLAGS.AC.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "tern.h"

int tern_guest_main(const struct tern_bootinfo *bi);

static char outbuf[4096];
static size_t outlen;

static void flush_out(void)
{
    size_t off = 0;

    while (off < outlen) {
        ssize_t n = write(1, outbuf + off, outlen - off);
        if (n <= 0) {
            break;
        }
        off += (size_t)n;
    }
    outlen = 0;
}

void tern_putchar(int c)
{
    if (outlen == sizeof(outbuf)) {
        flush_out();
    }
    outbuf[outlen++] = (char)c;
    if (c == '\n') {
        flush_out();
    }
}

_Noreturn void tern_exit(int code)
{
    flush_out();
    _exit(code);
}

_Noreturn void test_skip(const char *reason)
{
    tern_printf("SKIP: %s\n", reason);
    tern_exit(77);
}

/* ---- exceptions as signals ------------------------------------------------- */

struct tern_fault tern_last_fault;
uint64_t tern_gdt[TERN_GDT_SIZE];
static sigjmp_buf catch_jb;
static uint8_t alt_stack[65536] __attribute__((aligned(16)));

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;

    (void)sig;
    (void)si;
    /* the kernel may leave EFLAGS.AC set for the handler: clear it first */
    __asm__ volatile("pushf\n\tandl $~0x40000, (%%rsp)\n\tpopf" : : : "memory", "cc");
    tern_last_fault = (struct tern_fault){
        .vector = (int)g[REG_TRAPNO], .error_code = (uint64_t)g[REG_ERR],
        .rip = (uint64_t)g[REG_RIP], .rcx = (uint64_t)g[REG_RCX],
        .rsi = (uint64_t)g[REG_RSI], .rdi = (uint64_t)g[REG_RDI],
        .rax = (uint64_t)g[REG_RAX], .rdx = (uint64_t)g[REG_RDX],
        .rbx = (uint64_t)g[REG_RBX], .rsp = (uint64_t)g[REG_RSP],
        .rflags = (uint64_t)g[REG_EFL], .cs = (uint64_t)(g[REG_CSGSFS] & 0xffff),
    };
    siglongjmp(catch_jb, 1);
}

void idt_install(void)
{
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
    stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof(alt_stack) };
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaltstack(&ss, NULL);
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        sigaction(sigs[i], &sa, NULL);
    }
}

int tern_catch_fault(void (*fn)(void))
{
    if (sigsetjmp(catch_jb, 1)) {
        return tern_last_fault.vector;
    }
    fn();
    return -1;
}

void tern_gdt_load(void)
{
}

void tern_sys_install(void)
{
    idt_install();
}

static void (*user_fn)(void);
static int user_ac;

static void user_trampoline(void)
{
    if (user_ac) {
        __asm__ volatile("pushf\n\torl $0x40000, (%%rsp)\n\tpopf" : : : "memory", "cc");
    }
    user_fn();
    __asm__ volatile("pushf\n\tandl $~0x40000, (%%rsp)\n\tpopf" : : : "memory", "cc");
}

int tern_run_user(void (*fn)(void), uint64_t rflags)
{
    user_fn = fn;
    user_ac = !!(rflags & FL_AC);
    return tern_catch_fault(user_trampoline);
}

int main(int argc, char **argv)
{
    static struct tern_bootinfo bi = {
        .magic = TERN_BOOTINFO_MAGIC,
        .version = 1,
        .ram_size = 0,          /* unknown: tests skip RAM-size checks */
    };

    if (argc > 1) {
        bi.cmdline = (uintptr_t)argv[1];
    }
    tern_exit(tern_guest_main(&bi));
}
