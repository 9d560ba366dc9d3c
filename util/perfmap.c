/*
 * perfmap.c: -perfmap (util/perfmap.h).  Lines come from every vCPU
 * thread that translates; each is one fprintf on a line-buffered stream,
 * which stdio locks.
 */
#include "util/perfmap.h"

#include <stdarg.h>
#include <unistd.h>

static FILE *perfmap;

int perfmap_open(Error **errp)
{
    char path[64];

    snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
    perfmap = fopen(path, "w");
    if (!perfmap) {
        int err = -errno;
        error_setg_errno(errp, -err, "-perfmap: %s", path);
        return err;
    }
    setvbuf(perfmap, NULL, _IOLBF, 0);
    return 0;
}

void perfmap_add(const void *start, size_t size, const char *fmt, ...)
{
    char name[128];
    va_list ap;

    if (!perfmap) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    fprintf(perfmap, "%" PRIxPTR " %zx %s\n", (uintptr_t)start, size, name);
}
