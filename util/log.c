/*
 * log.c: the -d item table, the -dfilter ranges and the log sink (-D FILE,
 * default stderr).
 */
#include "util/osdep.h"
#include "util/log.h"

#include <ctype.h>
#include <pthread.h>

unsigned tern_log_mask;

static FILE *log_sink;
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;

static const struct {
    unsigned mask;
    const char *name;
    const char *help;
} log_items[] = {
#define X(e, name, help) { e, name, help },
    TERN_LOG_ITEMS(X)
#undef X
};

/* -d all */
#define X(e, name, help) | e
static const unsigned log_all_mask = 0 TERN_LOG_ITEMS(X);
#undef X

/* The -dfilter ranges; none: every pc is in range.  Written at start-up
 * (and by the monitor), read by vCPU threads. */
static LogRange dfilter[LOG_DFILTER_MAX];
static unsigned dfilter_count;

int log_parse_items(const char *list, unsigned *maskp, Error **errp)
{
    unsigned mask = 0;
    const char *p = list;

    while (*p) {
        size_t len = strcspn(p, ",");
        bool found = len == 3 && !strncmp(p, "all", 3);

        if (found) {
            mask |= log_all_mask;
        }
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
    *maskp = mask;
    return 0;
}

int log_set_items(const char *list, Error **errp)
{
    unsigned mask;
    int ret = log_parse_items(list, &mask, errp);

    if (ret == 0) {
        tern_log_mask = mask;
    }
    return ret;
}

/* An unsigned number in C syntax (0x.., 0.., decimal) from *p, which must
 * start with a digit (strtoull would take a sign). */
static bool parse_u64(const char **p, uint64_t *val)
{
    char *end;

    if (!isdigit((unsigned char)**p)) {
        return false;
    }
    errno = 0;
    *val = strtoull(*p, &end, 0);
    if (errno) {
        return false;
    }
    *p = end;
    return true;
}

int log_parse_range(const char *str, LogRange *r, Error **errp)
{
    const char *p = str;
    uint64_t a, b;
    char op;

    if (!parse_u64(&p, &a) || !(*p == '+' || *p == '-' || !strncmp(p, "..", 2))) {
        error_setg(errp, "-dfilter %s: bad range (use 0xADDR..0xADDR, 0xADDR+SIZE or 0xADDR-SIZE)",
                   str);
        return -EINVAL;
    }
    op = *p;
    p += op == '.' ? 2 : 1;
    if (!parse_u64(&p, &b) || *p) {
        error_setg(errp, "-dfilter %s: bad range (use 0xADDR..0xADDR, 0xADDR+SIZE or 0xADDR-SIZE)",
                   str);
        return -EINVAL;
    }
    switch (op) {
    case '+':
        if (b == 0 || b - 1 > UINT64_MAX - a) {
            goto invalid;
        }
        *r = (LogRange){ a, a + (b - 1) };
        break;
    case '-':
        if (b == 0 || b - 1 > a) {
            goto invalid;
        }
        *r = (LogRange){ a - (b - 1), a };
        break;
    default:
        if (a > b) {
            goto invalid;
        }
        *r = (LogRange){ a, b };
        break;
    }
    return 0;

invalid:
    error_setg(errp, "-dfilter %s: invalid range (empty, reversed or past 2^64)", str);
    return -EINVAL;
}

int log_set_dfilter(const char *list, Error **errp)
{
    LogRange ranges[LOG_DFILTER_MAX];
    unsigned n = 0;
    const char *p = list;

    do {
        size_t len = strcspn(p, ",");
        char one[64];

        if (n == LOG_DFILTER_MAX) {
            error_setg(errp, "-dfilter: more than %d ranges", LOG_DFILTER_MAX);
            return -EINVAL;
        }
        if (len == 0) {
            error_setg(errp, "-dfilter %s: empty range", list);
            return -EINVAL;
        }
        if (len >= sizeof(one)) {
            error_setg(errp, "-dfilter %.*s...: range too long", 20, p);
            return -EINVAL;
        }
        memcpy(one, p, len);
        one[len] = '\0';
        if (log_parse_range(one, &ranges[n++], errp) < 0) {
            return -EINVAL;
        }
        p += len;
    } while (*p++ == ',');

    memcpy(dfilter, ranges, n * sizeof(ranges[0]));
    dfilter_count = n;
    return 0;
}

void log_clear_dfilter(void)
{
    dfilter_count = 0;
}

bool log_in_range(uint64_t pc)
{
    if (!dfilter_count) {
        return true;
    }
    for (unsigned i = 0; i < dfilter_count; i++) {
        if (pc >= dfilter[i].begin && pc <= dfilter[i].end) {
            return true;
        }
    }
    return false;
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
    fprintf(f, "%-14s %s\n", "all", "all of the above");
    fprintf(f, "\nUse -D FILE to write the log to FILE, and -dfilter RANGE,... (0xADDR..0xADDR,\n"
               "0xADDR+SIZE, 0xADDR-SIZE) to log only blocks whose guest pc is in a range.\n");
}

FILE *log_file(void)
{
    return log_sink ? log_sink : stderr;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&log_mutex);
    vfprintf(log_file(), fmt, ap);
    pthread_mutex_unlock(&log_mutex);
    va_end(ap);
}

FILE *log_lock(void)
{
    pthread_mutex_lock(&log_mutex);
    return log_file();
}

void log_unlock(void)
{
    pthread_mutex_unlock(&log_mutex);
}

void log_flush(void)
{
    fflush(log_file());
}
