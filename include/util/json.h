/*
 * json.h: a small JSON parser and writer (RFC 8259), for QMP.
 *
 * json_parse turns one JSON text into a tree of JsonValue; json_write
 * prints a tree the way QEMU's QMP does ({"a": 1, "b": [true, null]},
 * non-ASCII and control characters as \uXXXX).  Strings are UTF-8 and
 * NUL-terminated; a \u0000 escape is kept as the two bytes C0 80 (modified
 * UTF-8, as QEMU does) and written back as \u0000.
 *
 * Input is untrusted: nesting deeper than JSON_MAX_DEPTH, invalid UTF-8,
 * bad escapes, lone surrogates and trailing garbage are errors with
 * QEMU's "JSON parse error, ..." messages, never a crash.
 *
 * JsonStream splits a byte stream (a QMP socket) into complete top-level
 * values and parses each; after an error it drops input up to the next
 * newline so the peer can carry on.
 *
 * No locking: a tree or stream belongs to its one user.
 */
#ifndef UTIL_JSON_H
#define UTIL_JSON_H

#include "util/osdep.h"
#include "util/error.h"

#include <glib.h>

#define JSON_MAX_DEPTH 1024                 /* QEMU's MAX_NESTING */
#define JSON_MAX_SIZE  (64u << 20)          /* one value, QEMU's MAX_TOKEN_SIZE */

typedef enum JsonType {
    JSON_NULL,
    JSON_BOOL,
    JSON_INT,       /* integral and fits int64_t */
    JSON_UINT,      /* integral, above INT64_MAX, fits uint64_t */
    JSON_DOUBLE,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} JsonType;

typedef struct JsonValue JsonValue;

/* An object member (key set) or an array element (key NULL). */
typedef struct JsonMember {
    char *key;
    JsonValue *value;
} JsonMember;

struct JsonValue {
    JsonType type;
    union {
        bool b;
        int64_t i;
        uint64_t u;
        double d;
        char *s;
        struct {
            JsonMember *items;
            size_t count, alloc;
        } list;             /* JSON_ARRAY, JSON_OBJECT */
    };
};

/* Parse exactly one JSON value from buf[0..len) (whitespace around it is
 * fine).  NULL with *errp set on any error. */
JsonValue *json_parse(const char *buf, size_t len, Error **errp);
void json_free(JsonValue *v);

/* Append v to out, on one line. */
void json_write(const JsonValue *v, GString *out);

/* Constructors; the container takes ownership of what is added. */
JsonValue *json_new_null(void);
JsonValue *json_new_bool(bool b);
JsonValue *json_new_int(int64_t i);
JsonValue *json_new_string(const char *s);
JsonValue *json_new_array(void);
JsonValue *json_new_object(void);
JsonValue *json_copy(const JsonValue *v);
void json_array_append(JsonValue *array, JsonValue *v);
/* Replaces an existing member of the same name. */
void json_object_set(JsonValue *obj, const char *key, JsonValue *v);

/* The member named key, or NULL (also when obj is not an object). */
JsonValue *json_object_get(const JsonValue *obj, const char *key);
/* The string, or NULL when v is not a string. */
const char *json_get_string(const JsonValue *v);

/* ---- a stream of values --------------------------------------------- */

/* Called with a parsed value (owned by the callee) or an error (owned by
 * the callee); exactly one is non-NULL. */
typedef void (*JsonStreamEmit)(void *opaque, JsonValue *value, Error *err);

typedef struct JsonStream {
    JsonStreamEmit emit;
    void *opaque;
    GString *buf;           /* the value being collected */
    unsigned depth;         /* open [ and { */
    bool in_string, escape;
    bool skip_line;         /* after an error: drop input up to '\n' */
} JsonStream;

void json_stream_init(JsonStream *s, JsonStreamEmit emit, void *opaque);
void json_stream_feed(JsonStream *s, const uint8_t *buf, size_t len);
/* Forget a partial value (the peer went away). */
void json_stream_reset(JsonStream *s);
void json_stream_destroy(JsonStream *s);

#endif
