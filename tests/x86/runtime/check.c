/*
 * check.c: the check API of guest tests.  One line per check on the
 * output; test_done() turns the tally into the exit code.  Shared by the
 * guest and the native runtime.
 */
#include "tern.h"

static const char *cur_group;
static unsigned n_pass, n_fail;

void test_group(const char *group)
{
    cur_group = group;
}

static void print_name(const char *name)
{
    if (cur_group) {
        tern_printf("%s/", cur_group);
    }
    tern_puts(name);
}

void test_check(int ok, const char *name, const char *file, int line,
                const char *expr)
{
    tern_puts(ok ? "PASS " : "FAIL ");
    print_name(name);
    if (!ok) {
        tern_printf(": %s:%d: %s", file, line, expr);
        n_fail++;
    } else {
        n_pass++;
    }
    tern_putchar('\n');
}

void test_check_eq(uint64_t got, uint64_t want, const char *name,
                   const char *file, int line, const char *expr)
{
    int ok = got == want;

    tern_puts(ok ? "PASS " : "FAIL ");
    print_name(name);
    if (!ok) {
        tern_printf(": %s:%d: %s (got 0x%llx, want 0x%llx)", file, line, expr,
                    (unsigned long long)got, (unsigned long long)want);
        n_fail++;
    } else {
        n_pass++;
    }
    tern_putchar('\n');
}

/* name + suffix, truncated to fit buf */
static const char *suffixed(char *buf, size_t size, const char *name, const char *suffix)
{
    size_t n = strlen(name), m = strlen(suffix);

    n = n < size - 1 ? n : size - 1;
    m = m < size - 1 - n ? m : size - 1 - n;
    memcpy(buf, name, n);
    memcpy(buf + n, suffix, m);
    buf[n + m] = '\0';
    return buf;
}

void test_check_fault(const char *name, const struct tern_fault *f, int got, int vector,
                      uint64_t code, const void *rip, uint64_t cs, const char *file, int line)
{
    char buf[80];

    test_check_eq((uint64_t)got, (uint64_t)vector, suffixed(buf, sizeof(buf), name, "-vector"),
                  file, line, "vector");
    test_check_eq(f->error_code, code, suffixed(buf, sizeof(buf), name, "-code"),
                  file, line, "error code");
    test_check_eq(f->rip, (uint64_t)(uintptr_t)rip,
                  suffixed(buf, sizeof(buf), name, "-rip"), file, line, "rip");
    if (cs) {
        test_check_eq(f->cs, cs, suffixed(buf, sizeof(buf), name, "-cs"),
                      file, line, "cs");
    }
}

int test_failures(void)
{
    return (int)n_fail;
}

_Noreturn void test_done(void)
{
    tern_printf("%u passed, %u failed\n", n_pass, n_fail);
    tern_exit(n_fail == 0 && n_pass > 0 ? 0 : 1);
}
