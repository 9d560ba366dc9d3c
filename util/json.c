/*
 * json.c: JSON parser, writer and stream splitter (see util/json.h).
 *
 * The parser is recursive descent over a buffer; its recursion is bounded
 * by JSON_MAX_DEPTH.  Error messages are QEMU's, since QMP clients see
 * them.
 */
#include "util/osdep.h"
#include "util/json.h"

#include <math.h>

/* ---- UTF-8 ------------------------------------------------------------ */

/* Decode one strict UTF-8 sequence at p (n bytes left): its length, or 0
 * if invalid (overlong, surrogate, above U+10FFFF, truncated).  The pair
 * C0 80 (our stored \u0000) is accepted when allow_c080. */
static size_t utf8_decode(const uint8_t *p, size_t n, uint32_t *cp, bool allow_c080)
{
    static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    size_t len;
    uint32_t c = p[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (allow_c080 && c == 0xc0 && n >= 2 && p[1] == 0x80) {
        *cp = 0;
        return 2;
    }
    if ((c & 0xe0) == 0xc0) {
        len = 2, c &= 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, c &= 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, c &= 0x07;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (p[i] & 0x3f);
    }
    if (c < min_cp[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return 0;
    }
    *cp = c;
    return len;
}

static void utf8_append(GString *s, uint32_t c)
{
    if (c == 0) {
        g_string_append_len(s, "\xc0\x80", 2);   /* modified UTF-8: no NUL inside */
    } else {
        g_string_append_unichar(s, c);
    }
}

/* ---- values ----------------------------------------------------------- */

static JsonValue *json_new(JsonType type)
{
    JsonValue *v = g_new0(JsonValue, 1);
    v->type = type;
    return v;
}

JsonValue *json_new_null(void) { return json_new(JSON_NULL); }

JsonValue *json_new_bool(bool b)
{
    JsonValue *v = json_new(JSON_BOOL);
    v->b = b;
    return v;
}

JsonValue *json_new_int(int64_t i)
{
    JsonValue *v = json_new(JSON_INT);
    v->i = i;
    return v;
}

static JsonValue *json_new_string_take(char *s)
{
    JsonValue *v = json_new(JSON_STRING);
    v->s = s;
    return v;
}

JsonValue *json_new_string(const char *s) { return json_new_string_take(g_strdup(s)); }
JsonValue *json_new_array(void) { return json_new(JSON_ARRAY); }
JsonValue *json_new_object(void) { return json_new(JSON_OBJECT); }

static void json_list_add(JsonValue *list, char *key, JsonValue *v)
{
    if (list->list.count == list->list.alloc) {
        list->list.alloc = list->list.alloc ? list->list.alloc * 2 : 4;
        list->list.items = g_renew(JsonMember, list->list.items, list->list.alloc);
    }
    list->list.items[list->list.count++] = (JsonMember){ key, v };
}

void json_array_append(JsonValue *array, JsonValue *v)
{
    assert(array->type == JSON_ARRAY);
    json_list_add(array, NULL, v);
}

static JsonMember *json_object_find(const JsonValue *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT) {
        return NULL;
    }
    for (size_t i = 0; i < obj->list.count; i++) {
        if (!strcmp(obj->list.items[i].key, key)) {
            return &obj->list.items[i];
        }
    }
    return NULL;
}

static void json_object_set_take(JsonValue *obj, char *key, JsonValue *v)
{
    JsonMember *m = json_object_find(obj, key);

    assert(obj->type == JSON_OBJECT);
    if (m) {
        g_free(key);
        json_free(m->value);
        m->value = v;
    } else {
        json_list_add(obj, key, v);
    }
}

void json_object_set(JsonValue *obj, const char *key, JsonValue *v)
{
    json_object_set_take(obj, g_strdup(key), v);
}

JsonValue *json_object_get(const JsonValue *obj, const char *key)
{
    JsonMember *m = json_object_find(obj, key);
    return m ? m->value : NULL;
}

const char *json_get_string(const JsonValue *v)
{
    return v && v->type == JSON_STRING ? v->s : NULL;
}

JsonValue *json_copy(const JsonValue *v)
{
    JsonValue *c = json_new(v->type);

    switch (v->type) {
    case JSON_STRING:
        c->s = g_strdup(v->s);
        break;
    case JSON_ARRAY:
    case JSON_OBJECT:
        for (size_t i = 0; i < v->list.count; i++) {
            json_list_add(c, g_strdup(v->list.items[i].key), json_copy(v->list.items[i].value));
        }
        break;
    default:
        *c = *v;
        break;
    }
    return c;
}

void json_free(JsonValue *v)
{
    if (!v) {
        return;
    }
    if (v->type == JSON_STRING) {
        g_free(v->s);
    } else if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
        for (size_t i = 0; i < v->list.count; i++) {
            g_free(v->list.items[i].key);
            json_free(v->list.items[i].value);
        }
        g_free(v->list.items);
    }
    g_free(v);
}

/* ---- parser ----------------------------------------------------------- */

typedef struct JsonParser {
    const uint8_t *p, *end;
    Error **errp;
    bool failed;
} JsonParser;

static void TERN_PRINTF(2, 3) parse_error(JsonParser *ps, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (ps->failed) {
        return;
    }
    ps->failed = true;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(ps->errp, "JSON parse error, %s", msg);
    g_free(msg);
}

static void skip_ws(JsonParser *ps)
{
    while (ps->p < ps->end && *ps->p && strchr(" \t\r\n", *ps->p)) {
        ps->p++;
    }
}

static int hex4(const uint8_t *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(p[i]);
        if (d < 0) {
            return -1;
        }
        v = v << 4 | d;
    }
    return v;
}

/* A \uXXXX escape (or surrogate pair) at ps->p, just after the 'u'. */
static bool parse_unicode_escape(JsonParser *ps, GString *out)
{
    const uint8_t *start = ps->p - 2;
    int c, lo;

    if (ps->end - ps->p < 4 || (c = hex4(ps->p)) < 0) {
        parse_error(ps, "invalid escape sequence in string");
        return false;
    }
    ps->p += 4;
    if (c >= 0xd800 && c <= 0xdbff && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
        ps->p[1] == 'u' && (lo = hex4(ps->p + 2)) >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        ps->p += 6;
    } else if (c >= 0xd800 && c <= 0xdfff) {
        parse_error(ps, "%.6s is not a valid Unicode character", (const char *)start);
        return false;
    }
    utf8_append(out, (uint32_t)c);
    return true;
}

static char *parse_string(JsonParser *ps)
{
    static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
    GString *s = g_string_new(NULL);

    ps->p++;                                /* the opening quote */
    while (ps->p < ps->end && *ps->p != '"') {
        uint32_t cp;
        size_t n;

        if (*ps->p == '\\') {
            const char *e;
            if (ps->end - ps->p < 2) {
                break;
            }
            ps->p += 2;
            if (ps->p[-1] == 'u') {
                if (!parse_unicode_escape(ps, s)) {
                    goto fail;
                }
            } else if (ps->p[-1] && (e = strchr(esc_in, ps->p[-1]))) {
                g_string_append_c(s, esc_out[e - esc_in]);
            } else {
                parse_error(ps, "invalid escape sequence in string");
                goto fail;
            }
            continue;
        }
        if (*ps->p < 0x20) {
            parse_error(ps, "control character in string");
            goto fail;
        }
        n = utf8_decode(ps->p, (size_t)(ps->end - ps->p), &cp, false);
        if (!n) {
            parse_error(ps, "invalid UTF-8 sequence in string");
            goto fail;
        }
        g_string_append_len(s, (const char *)ps->p, (gssize)n);
        ps->p += n;
    }
    if (ps->p >= ps->end) {
        parse_error(ps, "missing '\"' at the end of a string");
        goto fail;
    }
    ps->p++;
    return g_string_free(s, false);
fail:
    g_string_free(s, true);
    return NULL;
}

static JsonValue *parse_number(JsonParser *ps)
{
    const uint8_t *start = ps->p;
    bool integral = true;
    JsonValue *v;
    char *text;

    ps->p += *ps->p == '-';
    if (ps->p < ps->end && *ps->p == '0') {
        ps->p++;
    } else if (ps->p < ps->end && g_ascii_isdigit(*ps->p)) {
        while (ps->p < ps->end && g_ascii_isdigit(*ps->p)) {
            ps->p++;
        }
    } else {
        parse_error(ps, "expecting value");
        return NULL;
    }
    if (ps->p < ps->end && *ps->p == '.') {
        integral = false;
        if (++ps->p >= ps->end || !g_ascii_isdigit(*ps->p)) {
            parse_error(ps, "invalid number");
            return NULL;
        }
        while (ps->p < ps->end && g_ascii_isdigit(*ps->p)) {
            ps->p++;
        }
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        integral = false;
        ps->p++;
        ps->p += ps->p < ps->end && (*ps->p == '+' || *ps->p == '-');
        if (ps->p >= ps->end || !g_ascii_isdigit(*ps->p)) {
            parse_error(ps, "invalid number");
            return NULL;
        }
        while (ps->p < ps->end && g_ascii_isdigit(*ps->p)) {
            ps->p++;
        }
    }
    text = g_strndup((const char *)start, (gsize)(ps->p - start));
    v = json_new(JSON_INT);
    errno = 0;
    if (integral) {
        v->i = g_ascii_strtoll(text, NULL, 10);
        if (errno == ERANGE && *text != '-') {
            errno = 0;
            v->type = JSON_UINT;
            v->u = g_ascii_strtoull(text, NULL, 10);
        }
    }
    if (!integral || errno == ERANGE) {
        v->type = JSON_DOUBLE;
        v->d = g_ascii_strtod(text, NULL);
    }
    g_free(text);
    return v;
}

static JsonValue *parse_value(JsonParser *ps, unsigned depth);

/* An array or object; ps->p is at its '[' or '{'. */
static JsonValue *parse_list(JsonParser *ps, unsigned depth)
{
    bool is_obj = *ps->p == '{';
    char close = is_obj ? '}' : ']';
    JsonValue *list = json_new(is_obj ? JSON_OBJECT : JSON_ARRAY);

    if (depth >= JSON_MAX_DEPTH) {
        json_free(list);
        ps->failed = true;
        error_setg(ps->errp, "JSON nesting depth limit exceeded");
        return NULL;
    }
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return list;
    }
    for (;;) {
        char *key = NULL;
        JsonValue *v;

        skip_ws(ps);
        if (is_obj) {
            if (ps->p >= ps->end || *ps->p != '"') {
                parse_error(ps, "key is not a string in object");
                goto fail;
            }
            if (!(key = parse_string(ps))) {
                goto fail;
            }
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                g_free(key);
                parse_error(ps, "missing : in object pair");
                goto fail;
            }
            ps->p++;
        }
        if (!(v = parse_value(ps, depth + 1))) {
            g_free(key);
            goto fail;
        }
        if (is_obj) {
            json_object_set_take(list, key, v);
        } else {
            json_list_add(list, NULL, v);
        }
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return list;
        }
        if (ps->p >= ps->end || *ps->p != ',') {
            parse_error(ps, is_obj ? "expected separator in dict" : "expected separator in list");
            goto fail;
        }
        ps->p++;
    }
fail:
    json_free(list);
    return NULL;
}

static JsonValue *parse_value(JsonParser *ps, unsigned depth)
{
    static const char *const keywords[] = { "null", "true", "false" };

    skip_ws(ps);
    if (ps->p >= ps->end) {
        parse_error(ps, "expecting value");
        return NULL;
    }
    switch (*ps->p) {
    case '{':
    case '[':
        return parse_list(ps, depth);
    case '"': {
        char *s = parse_string(ps);
        return s ? json_new_string_take(s) : NULL;
    }
    case '-':
    case '0' ... '9':
        return parse_number(ps);
    }
    if (g_ascii_isalpha(*ps->p)) {
        const uint8_t *start = ps->p;
        size_t len;
        while (ps->p < ps->end && g_ascii_isalnum(*ps->p)) {
            ps->p++;
        }
        len = (size_t)(ps->p - start);
        for (size_t k = 0; k < ARRAY_SIZE(keywords); k++) {
            if (len == strlen(keywords[k]) && !memcmp(start, keywords[k], len)) {
                return k == 0 ? json_new_null() : json_new_bool(k == 1);
            }
        }
        parse_error(ps, "invalid keyword '%.*s'", (int)MIN(len, 32), (const char *)start);
        return NULL;
    }
    parse_error(ps, "expecting value");
    return NULL;
}

JsonValue *json_parse(const char *buf, size_t len, Error **errp)
{
    JsonParser ps = { (const uint8_t *)buf, (const uint8_t *)buf + len, errp, false };
    JsonValue *v;

    if (len > JSON_MAX_SIZE) {
        error_setg(errp, "JSON token size limit exceeded");
        return NULL;
    }
    v = parse_value(&ps, 0);
    if (v) {
        skip_ws(&ps);
        if (ps.p < ps.end) {
            parse_error(&ps, "trailing characters after the value");
            json_free(v);
            v = NULL;
        }
    }
    return v;
}

/* ---- writer ----------------------------------------------------------- */

static void write_string(const char *str, GString *out)
{
    const uint8_t *p = (const uint8_t *)str;
    size_t n = strlen(str);

    g_string_append_c(out, '"');
    while (n) {
        uint32_t c;
        size_t len = utf8_decode(p, n, &c, true);
        const char *e;

        if (!len) {
            c = 0xfffd;                     /* not UTF-8: replaced, as QEMU does */
            len = 1;
        }
        p += len, n -= len;
        if (c && c < 0x80 && (e = strchr("\"\\\b\f\n\r\t", (int)c))) {
            g_string_append_c(out, '\\');
            g_string_append_c(out, "\"\\bfnrt"[e - "\"\\\b\f\n\r\t"]);
        } else if (c >= 0x20 && c < 0x7f) {
            g_string_append_c(out, (char)c);
        } else if (c >= 0x10000) {
            c -= 0x10000;
            g_string_append_printf(out, "\\u%04X\\u%04X", 0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
        } else {
            g_string_append_printf(out, "\\u%04X", c);
        }
    }
    g_string_append_c(out, '"');
}

void json_write(const JsonValue *v, GString *out)
{
    switch (v->type) {
    case JSON_NULL:
        g_string_append(out, "null");
        break;
    case JSON_BOOL:
        g_string_append(out, v->b ? "true" : "false");
        break;
    case JSON_INT:
        g_string_append_printf(out, "%" PRId64, v->i);
        break;
    case JSON_UINT:
        g_string_append_printf(out, "%" PRIu64, v->u);
        break;
    case JSON_DOUBLE:
        if (isfinite(v->d)) {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g", v->d));
        } else {
            g_string_append(out, "null");   /* JSON has no inf/nan */
        }
        break;
    case JSON_STRING:
        write_string(v->s, out);
        break;
    case JSON_ARRAY:
    case JSON_OBJECT:
        g_string_append_c(out, v->type == JSON_OBJECT ? '{' : '[');
        for (size_t i = 0; i < v->list.count; i++) {
            if (i) {
                g_string_append(out, ", ");
            }
            if (v->type == JSON_OBJECT) {
                write_string(v->list.items[i].key, out);
                g_string_append(out, ": ");
            }
            json_write(v->list.items[i].value, out);
        }
        g_string_append_c(out, v->type == JSON_OBJECT ? '}' : ']');
        break;
    }
}

/* ---- stream ----------------------------------------------------------- */

void json_stream_init(JsonStream *s, JsonStreamEmit emit, void *opaque)
{
    *s = (JsonStream){ .emit = emit, .opaque = opaque, .buf = g_string_new(NULL) };
}

void json_stream_reset(JsonStream *s)
{
    g_string_truncate(s->buf, 0);
    s->depth = 0;
    s->in_string = s->escape = s->skip_line = false;
}

void json_stream_destroy(JsonStream *s)
{
    g_string_free(s->buf, true);
    s->buf = NULL;
}

/* Parse and hand over what was collected. */
static void json_stream_flush(JsonStream *s)
{
    Error *err = NULL;
    JsonValue *v = json_parse(s->buf->str, s->buf->len, &err);

    json_stream_reset(s);
    s->emit(s->opaque, v, err);
}

/* An error in the byte stream: drop the value, and the rest of the line
 * unless the offending byte ended it. */
static void json_stream_fail(JsonStream *s, uint8_t c, const char *msg)
{
    Error *err = NULL;

    error_setg(&err, "%s", msg);
    json_stream_reset(s);
    s->skip_line = c != '\n';
    s->emit(s->opaque, NULL, err);
}

static bool is_delimiter(uint8_t c)
{
    return c && strchr(" \t\r\n{}[]\",:", c);
}

void json_stream_feed(JsonStream *s, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = buf[i];

        if (s->skip_line) {
            s->skip_line = c != '\n';
            continue;
        }
        /* A top-level scalar (1, true, junk) ends at the first delimiter. */
        if (!s->depth && !s->in_string && s->buf->len && is_delimiter(c)) {
            json_stream_flush(s);
        }
        if (s->buf->len >= JSON_MAX_SIZE) {
            json_stream_fail(s, c, "JSON token size limit exceeded");
            continue;
        }
        if (s->in_string) {
            if (c < 0x20) {
                json_stream_fail(s, c, "JSON parse error, control character in string");
                continue;
            }
            g_string_append_c(s->buf, (char)c);
            if (s->escape) {
                s->escape = false;
            } else if (c == '\\') {
                s->escape = true;
            } else if (c == '"') {
                s->in_string = false;
                if (!s->depth) {
                    json_stream_flush(s);
                }
            }
            continue;
        }
        switch (c) {
        case ' ': case '\t': case '\r': case '\n':
            if (s->buf->len) {
                g_string_append_c(s->buf, (char)c);
            }
            break;
        case '"':
            s->in_string = true;
            g_string_append_c(s->buf, (char)c);
            break;
        case '{': case '[':
            if (s->depth >= JSON_MAX_DEPTH) {
                json_stream_fail(s, c, "JSON nesting depth limit exceeded");
                break;
            }
            s->depth++;
            g_string_append_c(s->buf, (char)c);
            break;
        case '}': case ']':
            g_string_append_c(s->buf, (char)c);
            if (!s->depth || !--s->depth) {
                json_stream_flush(s);   /* a stray one is the parser's error */
            }
            break;
        default:
            g_string_append_c(s->buf, (char)c);
            if (!s->depth && (c == ',' || c == ':')) {
                json_stream_flush(s);
            }
            break;
        }
    }
}
