/*
 * option-props.h: reading QEMU-style property lists, for every option
 * that takes properties (util/option*.c) and the chardev back ends
 * (softmmu/chardev-opts.c).
 *
 * Items are separated by ',', a ",," is a comma inside an item; an item
 * without '=' is a bare word, which an option takes as the value of its
 * implied first key ("-m 512", "-machine pc", "-device NAME") or, later
 * in the list, as a flag ("server").
 */
#ifndef UTIL_OPTION_PROPS_H
#define UTIL_OPTION_PROPS_H

#include "util/osdep.h"
#include "util/error.h"

/* One item of a property list, unescaped. */
#define OPT_KEY_MAX 32
#define OPT_VAL_MAX 4096

typedef struct OptProp {
    char key[OPT_KEY_MAX];       /* the item itself when bare */
    char val[OPT_VAL_MAX];       /* "" when bare */
    bool bare;                   /* no '=' */
} OptProp;

/*
 * Read the next item of the list at *p into prop and move *p past it.
 * Returns 1, 0 at the end of the list, or -EINVAL (an item too long) with
 * "WHAT: ..." in *errp; what names the option for messages ("-m 2G").
 */
int opt_prop_next(const char **p, OptProp *prop, const char *what, Error **errp);

/* "WHAT: KEY: not supported" or "WHAT: unknown property 'KEY'": the two
 * refusals, one line each.  Both return -EINVAL. */
int opt_prop_unsupported(const char *what, const OptProp *prop, Error **errp);
int opt_prop_unknown(const char *what, const OptProp *prop, const char *known, Error **errp);

/* Value parsers: 0, or -EINVAL with "WHAT: KEY=VAL: must be ..." */
int opt_prop_bool(const char *what, const OptProp *prop, bool *out, Error **errp);
int opt_prop_uint(const char *what, const OptProp *prop, uint64_t min, uint64_t max,
                  uint64_t *out, Error **errp);
/* The index of prop->val in names[n]; the error lists the names. */
int opt_prop_enum(const char *what, const OptProp *prop, const char *const *names, size_t n,
                  Error **errp);

/* An unsigned number (decimal, 0x hex or 0 octal) of exactly len bytes. */
bool opt_parse_uint(const char *s, size_t len, uint64_t *val);
/* on/off and QEMU's other spellings (yes/no, true/false, y/n) as 1/0,
 * else -1. */
int opt_parse_bool(const char *val);

/* Copy a C string into a fixed buffer; false (and nothing copied) if it
 * does not fit or is empty. */
bool opt_copy(char *dst, size_t size, const char *src);

#endif
