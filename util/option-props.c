/*
 * option-props.c: reading QEMU-style property lists ("KEY=VALUE,...",
 * ",," for a comma inside an item) and their values, for every option
 * that takes properties (util/option-internal.h).
 */
#include "util/osdep.h"
#include "util/option-internal.h"

#include <ctype.h>

bool opt_parse_uint(const char *s, size_t len, uint64_t *val)
{
    char buf[32];
    char *end;

    if (len == 0 || len >= sizeof(buf) || !isdigit((unsigned char)s[0])) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = 0;
    errno = 0;
    *val = strtoull(buf, &end, 0);
    return errno == 0 && *end == 0;
}

int opt_parse_bool(const char *val)
{
    static const char *const on[] = { "on", "yes", "true", "y" };
    static const char *const off[] = { "off", "no", "false", "n" };

    for (size_t i = 0; i < ARRAY_SIZE(on); i++) {
        if (!strcmp(val, on[i])) {
            return 1;
        }
        if (!strcmp(val, off[i])) {
            return 0;
        }
    }
    return -1;
}

bool opt_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (!n || n >= size) {
        return false;
    }
    memcpy(dst, src, n + 1);
    return true;
}

int opt_prop_next(const char **p, OptProp *prop, const char *what, Error **errp)
{
    const char *s = *p;
    char *dst = prop->key;
    size_t size = sizeof(prop->key), n = 0;

    if (!*s) {
        return 0;
    }
    prop->bare = true;
    prop->val[0] = 0;
    for (; *s && !(*s == ',' && s[1] != ','); s++) {
        if (*s == '=' && dst == prop->key) {
            dst[n] = 0;                          /* the key ends at the first '=' */
            dst = prop->val;
            size = sizeof(prop->val);
            n = 0;
            prop->bare = false;
            continue;
        }
        if (n + 1 >= size) {
            error_setg(errp, "%s: %s too long", what, dst == prop->key ? "a property name" :
                       "a property value");
            return -EINVAL;
        }
        dst[n++] = *s;
        s += *s == ',';                          /* ",," is one comma */
    }
    dst[n] = 0;
    *p = *s ? s + 1 : s;
    return 1;
}

int opt_prop_unsupported(const char *what, const OptProp *prop, Error **errp)
{
    if (prop->bare) {
        error_setg(errp, "%s: %s: not supported", what, prop->key);
    } else {
        error_setg(errp, "%s: %s=%s: not supported", what, prop->key, prop->val);
    }
    return -EINVAL;
}

int opt_prop_unknown(const char *what, const OptProp *prop, const char *known, Error **errp)
{
    error_setg(errp, "%s: unknown property '%s'%s%s%s", what, prop->key, known ? " (" : "",
               known ? known : "", known ? ")" : "");
    return -EINVAL;
}

int opt_prop_bool(const char *what, const OptProp *prop, bool *out, Error **errp)
{
    int b = prop->bare ? 1 : opt_parse_bool(prop->val);    /* a bare "server" is server=on */

    if (b < 0) {
        error_setg(errp, "%s: %s=%s: must be on or off", what, prop->key, prop->val);
        return -EINVAL;
    }
    *out = b;
    return 0;
}

int opt_prop_uint(const char *what, const OptProp *prop, uint64_t min, uint64_t max,
                  uint64_t *out, Error **errp)
{
    uint64_t n;

    if (prop->bare || !opt_parse_uint(prop->val, strlen(prop->val), &n) || n < min ||
        n > max) {
        error_setg(errp, "%s: %s=%s: must be a number from %" PRIu64 " to %" PRIu64, what,
                   prop->key, prop->val, min, max);
        return -EINVAL;
    }
    *out = n;
    return 0;
}

int opt_prop_enum(const char *what, const OptProp *prop, const char *const *names, size_t n,
                  Error **errp)
{
    char list[128] = "";

    for (size_t i = 0; i < n; i++) {
        if (!strcmp(prop->val, names[i])) {
            return (int)i;
        }
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                 i ? (i + 1 == n ? " or " : ", ") : "", names[i]);
    }
    error_setg(errp, "%s: %s=%s: must be %s", what, prop->key, prop->val, list);
    return -EINVAL;
}
