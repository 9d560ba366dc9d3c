/*
 * error.c: Error objects and the "tern: " one-line reports.
 */
#include "util/osdep.h"
#include "util/error.h"

#include <glib.h>

struct Error {
    char *msg;
};

static void error_setv(Error **errp, const char *fmt, va_list ap, const char *suffix)
{
    if (!errp || *errp) {
        return;
    }
    Error *err = tern_malloc0(sizeof(*err));
    char *msg = g_strdup_vprintf(fmt, ap);
    if (suffix) {
        err->msg = g_strconcat(msg, ": ", suffix, NULL);
        g_free(msg);
    } else {
        err->msg = msg;
    }
    *errp = err;
}

void error_setg(Error **errp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(errp, fmt, ap, NULL);
    va_end(ap);
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(errp, fmt, ap, strerror(os_errno));
    va_end(ap);
}

void error_propagate(Error **dst, Error *err)
{
    if (!err) {
        return;
    }
    if (dst && !*dst) {
        *dst = err;
    } else {
        error_free(err);
    }
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

void error_free(Error *err)
{
    if (err) {
        g_free(err->msg);
        free(err);
    }
}

static void report(const char *prefix, const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "tern: %s", prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void error_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("warning: ", fmt, ap);
    va_end(ap);
}

void error_report_err(Error *err)
{
    error_report("%s", err->msg);
    error_free(err);
}
