/*
 * hello.c: the demo guest (make run).  Prints a greeting on the serial
 * port, checks the boot info block tern left at RDI, and passes.
 */
#include "tern.h"

int main(const struct tern_bootinfo *bi)
{
    tern_printf("Hello from a tern guest\n");
    test_group("hello");
    CHECK_EQ_NAMED("bootinfo-magic", bi->magic, TERN_BOOTINFO_MAGIC);
    CHECK_EQ_NAMED("bootinfo-version", bi->version, 1);
    if (bi->ram_size) {
        tern_printf("RAM: %lu MiB\n", (unsigned long)(bi->ram_size >> 20));
    }
    if (bi->cmdline) {
        tern_printf("command line: %s\n", (const char *)(uintptr_t)bi->cmdline);
    }
    /* The printf of the runtime, on fixed values. */
    tern_printf("printf: [%d] [%u] [%x] [%08x] [%lx] [%llx] [%5s] [%-3c] [%p]\n",
                -42, 42u, 0xbeefu, 0x1234u, 0x123456789abcdefUL,
                0xfedcba9876543210ULL, "ab", 'z', (void *)0x100000);
    test_done();
}
