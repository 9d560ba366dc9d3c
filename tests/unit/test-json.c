/*
 * test-json.c: util/json.c, the parser, the writer (QEMU's QMP layout)
 * and the stream splitter, with bad input.
 */
#include "util/osdep.h"
#include "util/json.h"
#include "tests/unit/test.h"

TEST_GLOBALS;

static JsonValue *parse(const char *text, char **msg)
{
    Error *err = NULL;
    JsonValue *v = json_parse(text, strlen(text), &err);

    *msg = NULL;
    if (err) {
        *msg = g_strdup(error_get_pretty(err));
        error_free(err);
    }
    return v;
}

/* Parse text and write it back: the written form, or "ERR: message". */
static char *roundtrip(const char *text)
{
    char *msg;
    JsonValue *v = parse(text, &msg);
    GString *out = g_string_new(NULL);

    if (v) {
        json_write(v, out);
        json_free(v);
    } else {
        g_string_printf(out, "ERR: %s", msg);
        g_free(msg);
    }
    return g_string_free(out, false);
}

static bool roundtrip_is(const char *text, const char *want)
{
    char *got = roundtrip(text);
    bool ok = !strcmp(got, want);
    if (!ok) {
        printf("  %s -> %s (want %s)\n", text, got, want);
    }
    g_free(got);
    return ok;
}

static void test_parse_values(void)
{
    char *msg;
    JsonValue *v = parse(" {\"execute\": \"stop\", \"id\": [1, -2, 3.5, true, false, null],"
                         " \"n\": {}} ", &msg);

    CHECK(v && v->type == JSON_OBJECT);
    CHECK(!strcmp(json_get_string(json_object_get(v, "execute")), "stop"));
    JsonValue *id = json_object_get(v, "id");
    CHECK(id && id->type == JSON_ARRAY && id->list.count == 6);
    CHECK(id->list.items[0].value->type == JSON_INT && id->list.items[0].value->i == 1);
    CHECK(id->list.items[1].value->i == -2);
    CHECK(id->list.items[2].value->type == JSON_DOUBLE && id->list.items[2].value->d == 3.5);
    CHECK(id->list.items[3].value->type == JSON_BOOL && id->list.items[3].value->b);
    CHECK(id->list.items[5].value->type == JSON_NULL);
    CHECK(json_object_get(v, "n")->type == JSON_OBJECT);
    CHECK(!json_object_get(v, "missing"));
    json_free(v);
}

static void test_write_qemu_layout(void)
{
    CHECK(roundtrip_is("{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{}}",
                       "{\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {}}"));
    CHECK(roundtrip_is("12345678901234567890", "12345678901234567890"));
    CHECK(roundtrip_is("-0", "0"));
    CHECK(roundtrip_is("1.5e3", "1500"));
    CHECK(roundtrip_is("{\"a\":1,\"a\":2}", "{\"a\": 2}"));
}

static void test_write_escapes(void)
{
    /* '/' stays, non-ASCII and controls become upper-case \uXXXX */
    CHECK(roundtrip_is("\"a/b\xc3\xa9\\ud83d\\ude00\\u001f\\n\\\"\\\\\"",
                       "\"a/b\\u00E9\\uD83D\\uDE00\\u001F\\n\\\"\\\\\""));
    CHECK(roundtrip_is("\"\\u0000x\"", "\"\\u0000x\""));
    CHECK(roundtrip_is("\"\\u007f\"", "\"\\u007F\""));
    JsonValue *v = json_new_string("bad\xff");
    GString *out = g_string_new(NULL);
    json_write(v, out);
    CHECK(!strcmp(out->str, "\"bad\\uFFFD\""));
    g_string_free(out, true);
    json_free(v);
}

static void test_parse_errors(void)
{
    CHECK(roundtrip_is("{\"a\" 1}", "ERR: JSON parse error, missing : in object pair"));
    CHECK(roundtrip_is("{\"a\":1,}", "ERR: JSON parse error, key is not a string in object"));
    CHECK(roundtrip_is("[1,]", "ERR: JSON parse error, expecting value"));
    CHECK(roundtrip_is("nul", "ERR: JSON parse error, invalid keyword 'nul'"));
    CHECK(roundtrip_is("\"\xc3\x28\"", "ERR: JSON parse error, invalid UTF-8 sequence in string"));
    CHECK(roundtrip_is("\"\xc0\x80\"", "ERR: JSON parse error, invalid UTF-8 sequence in string"));
    CHECK(roundtrip_is("\"\xed\xa0\x80\"", "ERR: JSON parse error, invalid UTF-8 sequence in string"));
    CHECK(roundtrip_is("\"\\q\"", "ERR: JSON parse error, invalid escape sequence in string"));
    CHECK(roundtrip_is("\"\\u12\"", "ERR: JSON parse error, invalid escape sequence in string"));
    CHECK(roundtrip_is("\"\\ud800\"", "ERR: JSON parse error, \\ud800 is not a valid Unicode character"));
    CHECK(roundtrip_is("\"abc", "ERR: JSON parse error, missing '\"' at the end of a string"));
    CHECK(roundtrip_is("\"a\nb\"", "ERR: JSON parse error, control character in string"));
    CHECK(roundtrip_is("[1 2]", "ERR: JSON parse error, expected separator in list"));
    CHECK(roundtrip_is("1 2", "ERR: JSON parse error, trailing characters after the value"));
    CHECK(roundtrip_is("01", "ERR: JSON parse error, trailing characters after the value"));
    CHECK(roundtrip_is("1.", "ERR: JSON parse error, invalid number"));
    CHECK(roundtrip_is("", "ERR: JSON parse error, expecting value"));
    CHECK(roundtrip_is("{", "ERR: JSON parse error, key is not a string in object"));
}

static void test_depth_limit(void)
{
    GString *s = g_string_new(NULL);
    char *msg;
    JsonValue *v;

    for (int i = 0; i < JSON_MAX_DEPTH; i++) {
        g_string_append_c(s, '[');
    }
    for (int i = 0; i < JSON_MAX_DEPTH; i++) {
        g_string_append_c(s, ']');
    }
    v = parse(s->str, &msg);
    CHECK(v);                               /* exactly the limit is fine */
    json_free(v);
    g_string_prepend_c(s, '[');
    g_string_append_c(s, ']');
    v = parse(s->str, &msg);
    CHECK(!v && !strcmp(msg, "JSON nesting depth limit exceeded"));
    g_free(msg);
    g_string_free(s, true);
}

static void test_size_limit(void)
{
    size_t len = JSON_MAX_SIZE + 3;
    char *big = g_malloc(len);
    Error *err = NULL;

    memset(big, ' ', len);
    big[0] = '"';
    big[len - 1] = '"';
    CHECK(!json_parse(big, len, &err));
    CHECK(err && !strcmp(error_get_pretty(err), "JSON token size limit exceeded"));
    error_free(err);
    g_free(big);
}

/* The stream: what it emitted, one line per value or error. */
static void collect(void *opaque, JsonValue *v, Error *err)
{
    GString *log = opaque;
    if (v) {
        json_write(v, log);
        json_free(v);
    } else {
        g_string_append_printf(log, "ERR %s", error_get_pretty(err));
        error_free(err);
    }
    g_string_append_c(log, '|');
}

static char *stream_run(const char *const *chunks, size_t n)
{
    GString *log = g_string_new(NULL);
    JsonStream s;

    json_stream_init(&s, collect, log);
    for (size_t i = 0; i < n; i++) {
        json_stream_feed(&s, (const uint8_t *)chunks[i], strlen(chunks[i]));
    }
    json_stream_destroy(&s);
    return g_string_free(log, false);
}

static void test_stream_split(void)
{
    /* values split across chunks, several per chunk, brackets in strings */
    const char *chunks[] = { "{\"a\": \"}{[\\\"\"", ", \"b\"", ": 1}{\"c\":2}\n", " [1]", " 7 \"s\"\n" };
    char *log = stream_run(chunks, ARRAY_SIZE(chunks));
    CHECK(!strcmp(log, "{\"a\": \"}{[\\\"\", \"b\": 1}|{\"c\": 2}|[1]|7|\"s\"|"));
    g_free(log);
}

static void test_stream_recovers(void)
{
    /* an error drops the rest of its line; the next line parses */
    const char *chunks[] = { "{\"a\": [1,, 2]}\n{\"ok\":1}\n", "{\"foo\n{\"ok\":2}\n",
                             "\xff\xfe\n{\"ok\":3}\n", "]\n{\"ok\":4}\n" };
    char *log = stream_run(chunks, ARRAY_SIZE(chunks));
    CHECK(!strcmp(log, "ERR JSON parse error, expecting value|{\"ok\": 1}|"
                       "ERR JSON parse error, control character in string|{\"ok\": 2}|"
                       "ERR JSON parse error, expecting value|{\"ok\": 3}|"
                       "ERR JSON parse error, expecting value|{\"ok\": 4}|"));
    g_free(log);
}

static void test_stream_depth_limit(void)
{
    GString *in = g_string_new(NULL);
    char *log;
    const char *chunks[2];

    for (int i = 0; i < JSON_MAX_DEPTH + 5; i++) {
        g_string_append_c(in, '{');
    }
    g_string_append(in, "junk]]]\n[true]\n");
    chunks[0] = in->str;
    log = stream_run(chunks, 1);
    CHECK(!strcmp(log, "ERR JSON nesting depth limit exceeded|[true]|"));
    g_free(log);
    g_string_free(in, true);
}

int main(void)
{
    RUN_TEST(test_parse_values);
    RUN_TEST(test_write_qemu_layout);
    RUN_TEST(test_write_escapes);
    RUN_TEST(test_parse_errors);
    RUN_TEST(test_depth_limit);
    RUN_TEST(test_size_limit);
    RUN_TEST(test_stream_split);
    RUN_TEST(test_stream_recovers);
    RUN_TEST(test_stream_depth_limit);
    TEST_MAIN_END();
}
