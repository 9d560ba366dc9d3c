/*
 * chardev-opts.c: the -chardev and -mon argument parsers.
 *
 * The syntax is QEMU's (QemuOpts): items split at commas, ",," being a
 * comma inside a value; a first item without '=' is the implied key (the
 * back end for -chardev, chardev= for -mon); a bare boolean "KEY" means
 * KEY=on and "noKEY" KEY=off (QEMU's short forms: server, nowait); a key
 * given twice keeps the last value.  Unlike QEMU, a property the back end
 * does not use is an error rather than ignored.
 *
 * Pure functions: they fill a struct and open nothing, so the tests call
 * them directly; every error is one line "-chardev ARG: why".
 */
#include "util/osdep.h"
#include "sysemu/chardev.h"
#include "util/option-props.h"

#include <ctype.h>

#define CHR_ITEMS_MAX 32
#define CHR_BACKENDS "null, stdio, file, socket or pty"

typedef struct ChrItem {
    const char *key;             /* into the argument; NULL: the implied key */
    size_t key_len;
    char *value;                 /* unescaped; NULL for a bare item */
} ChrItem;

typedef struct ChrItems {
    ChrItem item[CHR_ITEMS_MAX];
    unsigned n;
    char *buf;                   /* the values, unescaped */
} ChrItems;

/* Split arg into items.  The first bare item is the implied key's value. */
static int chr_items_split(const char *opt, const char *arg, ChrItems *it, Error **errp)
{
    const char *p = arg;
    char *out;

    memset(it, 0, sizeof(*it));
    it->buf = out = tern_malloc0(strlen(arg) + 1);
    while (*p) {
        ChrItem *item = &it->item[it->n];
        size_t len = 0;
        const char *eq, *vstart;

        /* to the first comma that is not a ",," */
        while (p[len] && !(p[len] == ',' && p[len + 1] != ',')) {
            len += p[len] == ',' ? 2 : 1;
        }
        if (len == 0) {
            p++;                 /* an empty item: a trailing comma */
            continue;
        }
        if (it->n == CHR_ITEMS_MAX) {
            error_setg(errp, "%s %s: more than %d properties", opt, arg, CHR_ITEMS_MAX);
            return -EINVAL;
        }
        eq = memchr(p, '=', len);
        vstart = eq ? eq + 1 : NULL;
        if (it->n == 0 && !eq) {
            item->key = NULL;    /* the implied key: the whole item is its value */
            vstart = p;
        } else {
            item->key = p;
            item->key_len = eq ? (size_t)(eq - p) : len;
        }
        if (vstart) {
            item->value = out;
            for (const char *v = vstart; v < p + len; v++) {
                *out++ = *v;
                v += *v == ',';  /* ",," */
            }
            *out++ = '\0';
        }
        it->n++;
        p += len;
        p += *p == ',';
    }
    return 0;
}

static bool chr_item_is(const ChrItem *item, const char *key)
{
    return item->key && item->key_len == strlen(key) && !strncmp(item->key, key, item->key_len);
}

/* QEMU's identifiers: a letter, then letters, digits, '-', '.', '_'. */
static bool chr_id_valid(const char *id)
{
    if (!isalpha((unsigned char)id[0]) || strlen(id) >= CHARDEV_ID_MAX) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

static int chr_copy(const char *opt, const char *arg, const char *key, char *dst, size_t size,
                    const char *val, Error **errp)
{
    if (strlen(val) >= size) {
        error_setg(errp, "%s %s: %s= longer than %zu characters", opt, arg, key, size - 1);
        return -EINVAL;
    }
    strcpy(dst, val);
    return 0;
}

/* -chardev's properties: each with the back ends that take it. */
#define B(kind) (1u << CHARDEV_BACKEND_##kind)
#define B_ALL (B(NULL) | B(STDIO) | B(FILE) | B(SOCKET) | B(PTY))

typedef enum ChrKey {
    CHR_KEY_BACKEND, CHR_KEY_ID, CHR_KEY_MUX, CHR_KEY_SIGNAL, CHR_KEY_PATH, CHR_KEY_APPEND,
    CHR_KEY_HOST, CHR_KEY_PORT, CHR_KEY_SERVER, CHR_KEY_WAIT, CHR_KEY_COUNT
} ChrKey;

static const struct {
    const char *name;
    bool is_bool;
    unsigned backends;
} chr_keys[CHR_KEY_COUNT] = {
    [CHR_KEY_BACKEND] = { "backend", false, B_ALL },
    [CHR_KEY_ID] = { "id", false, B_ALL },
    [CHR_KEY_MUX] = { "mux", true, B_ALL },
    [CHR_KEY_SIGNAL] = { "signal", true, B(STDIO) },
    [CHR_KEY_PATH] = { "path", false, B(FILE) | B(SOCKET) },
    [CHR_KEY_APPEND] = { "append", true, B(FILE) },
    [CHR_KEY_HOST] = { "host", false, B(SOCKET) },
    [CHR_KEY_PORT] = { "port", false, B(SOCKET) },
    [CHR_KEY_SERVER] = { "server", true, B(SOCKET) },
    [CHR_KEY_WAIT] = { "wait", true, B(SOCKET) },
};

static const char *const chr_backend_names[] = {
    [CHARDEV_BACKEND_NULL] = "null", [CHARDEV_BACKEND_STDIO] = "stdio",
    [CHARDEV_BACKEND_FILE] = "file", [CHARDEV_BACKEND_SOCKET] = "socket",
    [CHARDEV_BACKEND_PTY] = "pty",
};

/* The key of item, its value in *val ("on"/"off" for a bare boolean);
 * CHR_KEY_COUNT with *errp if it is none of them. */
static ChrKey chr_item_key(const char *arg, const ChrItem *item, const char **val, Error **errp)
{
    if (!item->key) {
        *val = item->value;
        return CHR_KEY_BACKEND;
    }
    for (unsigned k = 0; k < CHR_KEY_COUNT; k++) {
        if (chr_item_is(item, chr_keys[k].name)) {
            if (!item->value && !chr_keys[k].is_bool) {
                error_setg(errp, "-chardev %s: %s needs a value (%s=...)", arg,
                           chr_keys[k].name, chr_keys[k].name);
                return CHR_KEY_COUNT;
            }
            *val = item->value ? item->value : "on";
            return (ChrKey)k;
        }
        /* "noKEY": KEY=off */
        if (!item->value && chr_keys[k].is_bool && item->key_len == strlen(chr_keys[k].name) + 2 &&
            !strncmp(item->key, "no", 2) &&
            !strncmp(item->key + 2, chr_keys[k].name, item->key_len - 2)) {
            *val = "off";
            return (ChrKey)k;
        }
    }
    error_setg(errp, "-chardev %s: unknown property '%.*s'", arg, (int)item->key_len, item->key);
    return CHR_KEY_COUNT;
}

/* The back end's own checks, after every item is in. */
static int chr_opts_check(const char *arg, ChardevOptions *co, bool has_path, bool has_host,
                          Error **errp)
{
    if (co->mux && co->backend != CHARDEV_BACKEND_STDIO) {
        error_setg(errp, "-chardev %s: mux=on: not supported for %s (only stdio)", arg,
                   chr_backend_names[co->backend]);
        return -EINVAL;
    }
    if (co->backend == CHARDEV_BACKEND_FILE && !co->path[0]) {
        error_setg(errp, "-chardev %s: missing path=", arg);
        return -EINVAL;
    }
    if (co->backend != CHARDEV_BACKEND_SOCKET) {
        return 0;
    }
    if (has_path && (has_host || co->port[0])) {
        error_setg(errp, "-chardev %s: path= with host= or port=: give one address", arg);
        return -EINVAL;
    }
    if (has_path) {
        /* sockaddr_un's sun_path: 108 bytes with the NUL */
        if (!co->path[0] || strlen(co->path) > 107) {
            error_setg(errp, "-chardev %s: path=: a socket path must be 1 to 107 characters", arg);
            return -EINVAL;
        }
        return 0;
    }
    if (!co->port[0]) {
        error_setg(errp, "-chardev %s: missing %s", arg, has_host ? "port=" : "path= or port=");
        return -EINVAL;
    }
    return 0;
}

int chardev_opts_parse(const char *arg, ChardevOptions *co, Error **errp)
{
    ChrItems it;
    bool has_backend = false, has_path = false, has_host = false;
    int ret = -EINVAL;
    unsigned long port;
    char *end;

    memset(co, 0, sizeof(*co));
    co->wait = true;                 /* QEMU's default for a server */
    if (chr_items_split("-chardev", arg, &it, errp) < 0) {
        goto out;
    }
    /* the back end first: which properties apply depends on it */
    for (unsigned i = 0; i < it.n; i++) {
        const char *val;

        if (!it.item[i].key || chr_item_is(&it.item[i], "backend")) {
            if (chr_item_key(arg, &it.item[i], &val, errp) == CHR_KEY_COUNT) {
                goto out;
            }
            has_backend = false;
            for (unsigned b = 0; b < ARRAY_SIZE(chr_backend_names); b++) {
                if (!strcmp(val, chr_backend_names[b])) {
                    co->backend = (ChardevBackendKind)b;
                    has_backend = true;
                }
            }
            if (!has_backend) {
                static const char *const qemu_only[] = { "vc", "pipe", "udp", "tty", "serial",
                                                         "parallel", "ringbuf", "memory",
                                                         "msmouse", "wctablet", "braille",
                                                         "spicevmc", "spiceport", "testdev",
                                                         "qemu-vdagent", "dbus" };
                for (size_t q = 0; q < ARRAY_SIZE(qemu_only); q++) {
                    if (!strcmp(val, qemu_only[q])) {
                        error_setg(errp, "-chardev %s: not supported (" CHR_BACKENDS ")", val);
                        goto out;
                    }
                }
                error_setg(errp, "-chardev %s: unknown backend '%s' (" CHR_BACKENDS ")", arg, val);
                goto out;
            }
        }
    }
    if (!has_backend) {
        error_setg(errp, "-chardev %s: missing the backend (" CHR_BACKENDS ")", arg);
        goto out;
    }
    for (unsigned i = 0; i < it.n; i++) {
        const char *val;
        ChrKey k = chr_item_key(arg, &it.item[i], &val, errp);
        int b = 0;

        if (k == CHR_KEY_COUNT) {
            goto out;
        }
        if (!(chr_keys[k].backends & (1u << co->backend))) {
            error_setg(errp, "-chardev %s: %s has no property '%s'", arg,
                       chr_backend_names[co->backend], chr_keys[k].name);
            goto out;
        }
        if (chr_keys[k].is_bool && (b = opt_parse_bool(val)) < 0) {
            error_setg(errp, "-chardev %s: %s=%s: must be on or off", arg, chr_keys[k].name, val);
            goto out;
        }
        switch (k) {
        case CHR_KEY_BACKEND:
        case CHR_KEY_COUNT:
            break;
        case CHR_KEY_ID:
            if (!chr_id_valid(val)) {
                error_setg(errp, "-chardev %s: id=%s: an id has letters, digits, '-', '.' and '_', "
                           "starts with a letter and is at most %d long", arg, val,
                           CHARDEV_ID_MAX - 1);
                goto out;
            }
            strcpy(co->id, val);
            break;
        case CHR_KEY_MUX:
            co->mux = b;
            break;
        case CHR_KEY_SIGNAL:
            co->signal = b;
            break;
        case CHR_KEY_APPEND:
            co->append = b;
            break;
        case CHR_KEY_SERVER:
            co->server = b;
            break;
        case CHR_KEY_WAIT:
            co->wait = b;
            break;
        case CHR_KEY_PATH:
            has_path = true;
            if (chr_copy("-chardev", arg, "path", co->path, sizeof(co->path), val, errp) < 0) {
                goto out;
            }
            break;
        case CHR_KEY_HOST:
            has_host = true;
            if (chr_copy("-chardev", arg, "host", co->host, sizeof(co->host), val, errp) < 0) {
                goto out;
            }
            break;
        case CHR_KEY_PORT:
            errno = 0;
            port = strtoul(val, &end, 10);
            if (!isdigit((unsigned char)val[0]) || *end || errno || port > 65535) {
                error_setg(errp, "-chardev %s: port=%s: must be a port number (0 to 65535)", arg,
                           val);
                goto out;
            }
            snprintf(co->port, sizeof(co->port), "%lu", port);
            break;
        }
    }
    if (!co->id[0]) {
        error_setg(errp, "-chardev %s: missing id=", arg);
        goto out;
    }
    ret = chr_opts_check(arg, co, has_path, has_host, errp);
out:
    free(it.buf);
    return ret;
}

int chardev_mon_parse(const char *arg, ChardevMonOptions *mo, Error **errp)
{
    ChrItems it;
    int ret = -EINVAL;

    memset(mo, 0, sizeof(*mo));
    if (chr_items_split("-mon", arg, &it, errp) < 0) {
        goto out;
    }
    for (unsigned i = 0; i < it.n; i++) {
        const ChrItem *item = &it.item[i];
        const char *val = item->value;

        if (item->key && !val &&
            (chr_item_is(item, "chardev") || chr_item_is(item, "mode") ||
             chr_item_is(item, "id"))) {
            error_setg(errp, "-mon %s: %.*s needs a value", arg, (int)item->key_len, item->key);
            goto out;
        }
        if (!item->key || chr_item_is(item, "chardev")) {
            if (!chr_id_valid(val)) {
                error_setg(errp, "-mon %s: chardev=%s: not a chardev id", arg, val);
                goto out;
            }
            strcpy(mo->chardev, val);
        } else if (chr_item_is(item, "mode") && val) {
            if (strcmp(val, "readline") && strcmp(val, "control")) {
                error_setg(errp, "-mon %s: mode=%s: must be readline or control", arg, val);
                goto out;
            }
            mo->control = !strcmp(val, "control");
        } else if (chr_item_is(item, "pretty") || (!val && chr_item_is(item, "nopretty"))) {
            int b = !val ? item->key[0] != 'n' : opt_parse_bool(val);

            if (b < 0) {
                error_setg(errp, "-mon %s: pretty=%s: must be on or off", arg, val);
                goto out;
            }
            if (b) {
                error_setg(errp, "-mon %s: pretty=on: not supported", arg);
                goto out;
            }
        } else if (chr_item_is(item, "id") && val) {
            /* the monitor's own name (libvirt gives one): nothing uses it */
        } else {
            error_setg(errp, "-mon %s: unknown property '%.*s'", arg, (int)item->key_len,
                       item->key);
            goto out;
        }
    }
    if (!mo->chardev[0]) {
        error_setg(errp, "-mon %s: missing chardev=", arg);
        goto out;
    }
    ret = 0;
out:
    free(it.buf);
    return ret;
}
