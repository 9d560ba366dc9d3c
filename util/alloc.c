/*
 * alloc.c: allocation that aborts on exhaustion, so callers need no checks.
 */
#include "util/osdep.h"

static void *oom(size_t size)
{
    fprintf(stderr, "tern: out of memory allocating %zu bytes\n", size);
    abort();
}

void *tern_malloc0(size_t size)
{
    void *p = calloc(1, size ? size : 1);
    return p ? p : oom(size);
}

void *tern_realloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    return q ? q : oom(size);
}

char *tern_strdup(const char *s)
{
    char *d = strdup(s);
    return d ? d : oom(strlen(s) + 1);
}
