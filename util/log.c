/*
 * log.c: the -d item table and the log sink (-D FILE, default stderr).
 */
#include "util/osdep.h"
#include "util/log.h"

#include <pthread.h>

unsigned tern_log_mask;

static FILE *log_sink;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct {
    unsigned mask;
    const char *name;
    const char *help;
} log_items[] = {
#define X(e, name, help) { e, name, help },
    TERN_LOG_ITEMS(X)
#undef X
};

int log_set_items(const char *list, Error **errp)
{
    unsigned mask = 0;
    const char *p = list;

    while (*p) {
        size_t len = strcspn(p, ",");
        bool found = false;
        for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
            if (strlen(log_items[i].name) == len && !strncmp(p, log_items[i].name, len)) {
                mask |= log_items[i].mask;
                found = true;
            }
        }
        if (!found) {
            error_setg(errp, "-d: unknown log item '%.*s' (try -d help)", (int)len, p);
            return -EINVAL;
        }
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    tern_log_mask = mask;
    return 0;
}

int log_set_file(const char *path, Error **errp)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        error_setg_errno(errp, errno, "-D: cannot open '%s'", path);
        return -errno;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    if (log_sink && log_sink != stderr) {
        fclose(log_sink);
    }
    log_sink = f;
    return 0;
}

void log_list_items(FILE *f)
{
    fprintf(f, "Log items (comma separated, for -d):\n");
    for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
        fprintf(f, "%-14s %s\n", log_items[i].name, log_items[i].help);
    }
}

FILE *log_file(void)
{
    return log_sink ? log_sink : stderr;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&log_lock);
    vfprintf(log_file(), fmt, ap);
    pthread_mutex_unlock(&log_lock);
    va_end(ap);
}

void log_flush(void)
{
    fflush(log_file());
}
