/*
 * error.h: error reporting.
 *
 * Functions below main.c never exit.  They return a negative errno or fill an
 * Error ** with a one-line, human message; the caller decides.  main.c prints
 * it as "tern: <message>" and exits 1.
 */
#ifndef UTIL_ERROR_H
#define UTIL_ERROR_H

#include "util/osdep.h"

typedef struct Error Error;

/* Set *errp (if errp is non-NULL and *errp is NULL) to a new error. */
void error_setg(Error **errp, const char *fmt, ...) TERN_PRINTF(2, 3);
/* Like error_setg, with ": strerror(os_errno)" appended. */
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...) TERN_PRINTF(3, 4);
/* Move err into *dst (freeing it if *dst is already set or dst is NULL). */
void error_propagate(Error **dst, Error *err);
const char *error_get_pretty(const Error *err);
void error_free(Error *err);

/* Print "tern: <message>\n" on stderr. */
void error_report(const char *fmt, ...) TERN_PRINTF(1, 2);
void error_report_err(Error *err);   /* prints and frees */
void warn_report(const char *fmt, ...) TERN_PRINTF(1, 2);

#endif
