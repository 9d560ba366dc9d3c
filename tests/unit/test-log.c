/*
 * test-log.c: the -d item parser, the -dfilter range parser and filter,
 * and -d help's listing.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "util/log.h"
#include "test.h"

TEST_GLOBALS;

/* Parses str as one range; returns 0 and fills *r, or -EINVAL and checks
 * the message names str. */
static int range(const char *str, LogRange *r)
{
    Error *err = NULL;
    int ret = log_parse_range(str, r, &err);

    if (ret < 0) {
        if (!err || !strstr(error_get_pretty(err), str)) {
            return -1000;    /* no message, or one that hides the range */
        }
        error_free(err);
    }
    return ret;
}

static void test_items(void)
{
    unsigned mask = 0;

    CHECK_EQ(log_parse_items("cpu,mmu,page,nochain", &mask, NULL), 0);
    CHECK_EQ(mask, LOG_CPU | LOG_MMU | LOG_PAGE | LOG_NOCHAIN);
    CHECK_EQ(log_parse_items("exec,int,guest_errors,unimp,op_opt", &mask, NULL), 0);
    CHECK_EQ(mask, LOG_EXEC | LOG_INT | LOG_GUEST_ERROR | LOG_UNIMP | LOG_OP_OPT);
    /* a trailing comma is harmless; the empty list is no items */
    CHECK_EQ(log_parse_items("in_asm,", &mask, NULL), 0);
    CHECK_EQ(mask, LOG_IN_ASM);
    CHECK_EQ(log_parse_items("", &mask, NULL), 0);
    CHECK_EQ(mask, 0);
}

static void test_items_all(void)
{
    unsigned mask = 0;

    CHECK_EQ(log_parse_items("all", &mask, NULL), 0);
    CHECK_EQ(mask, LOG_IN_ASM | LOG_OP | LOG_OP_OPT | LOG_OUT_ASM | LOG_EXEC | LOG_CPU |
                   LOG_INT | LOG_MMU | LOG_GUEST_ERROR | LOG_UNIMP | LOG_PAGE | LOG_NOCHAIN);
}

static void test_items_bad(void)
{
    unsigned mask = 1234;
    Error *err = NULL;

    CHECK(log_parse_items("cpu,mmux", &mask, &err) == -EINVAL);
    CHECK(err && strstr(error_get_pretty(err), "'mmux'"));
    error_free(err);
    err = NULL;
    /* a prefix of a name is not the name */
    CHECK(log_parse_items("cp", &mask, &err) == -EINVAL);
    error_free(err);
    err = NULL;
    CHECK(log_parse_items("in_asm,,op", &mask, &err) == -EINVAL);
    error_free(err);
    CHECK_EQ(mask, 1234);    /* untouched on error */
}

static void test_range_forms(void)
{
    LogRange r;

    CHECK_EQ(range("0x1000..0x1fff", &r), 0);
    CHECK(r.begin == 0x1000 && r.end == 0x1fff);
    CHECK_EQ(range("0x1000+0x100", &r), 0);
    CHECK(r.begin == 0x1000 && r.end == 0x10ff);
    CHECK_EQ(range("0x1000-0x100", &r), 0);
    CHECK(r.begin == 0xf01 && r.end == 0x1000);
    CHECK_EQ(range("4096+1", &r), 0);          /* decimal, one byte */
    CHECK(r.begin == 4096 && r.end == 4096);
    CHECK_EQ(range("0x5..0x5", &r), 0);
    CHECK(r.begin == 5 && r.end == 5);
    /* the edges of the address space */
    CHECK_EQ(range("0x1+0xffffffffffffffff", &r), 0);
    CHECK(r.begin == 1 && r.end == UINT64_MAX);
    CHECK_EQ(range("0xff-0x100", &r), 0);
    CHECK(r.begin == 0 && r.end == 0xff);
}

static void test_range_bad(void)
{
    LogRange r = { 7, 7 };

    CHECK_EQ(range("0x10", &r), -EINVAL);           /* no operator */
    CHECK_EQ(range("0x10+", &r), -EINVAL);          /* no size */
    CHECK_EQ(range("0x10+0", &r), -EINVAL);         /* empty */
    CHECK_EQ(range("0x10-0", &r), -EINVAL);
    CHECK_EQ(range("0x10..0x5", &r), -EINVAL);      /* reversed */
    CHECK_EQ(range("0x10-0x12", &r), -EINVAL);      /* below 0 */
    CHECK_EQ(range("0x2+0xffffffffffffffff", &r), -EINVAL);  /* past 2^64 */
    CHECK_EQ(range("-5..6", &r), -EINVAL);          /* signs are not numbers */
    CHECK_EQ(range("0x10..-6", &r), -EINVAL);
    CHECK_EQ(range("0x10..0x20x", &r), -EINVAL);    /* trailing junk */
    CHECK_EQ(range("0x10.0x20", &r), -EINVAL);
    CHECK_EQ(range("0x10..0x100000000000000000", &r), -EINVAL);   /* overflow */
    CHECK_EQ(range("zz+1", &r), -EINVAL);
    CHECK(r.begin == 7 && r.end == 7);
}

static void test_dfilter(void)
{
    Error *err = NULL;

    log_clear_dfilter();
    CHECK(log_in_range(0) && log_in_range(UINT64_MAX));    /* no filter: all */
    CHECK_EQ(log_set_dfilter("0x1000+0x10,0x2000..0x2000,0x3000-2", NULL), 0);
    CHECK(!log_in_range(0xfff));
    CHECK(log_in_range(0x1000) && log_in_range(0x100f));
    CHECK(!log_in_range(0x1010));
    CHECK(log_in_range(0x2000) && !log_in_range(0x2001));
    CHECK(!log_in_range(0x2ffe) && log_in_range(0x2fff) && log_in_range(0x3000));
    /* the mask is tested first: off, nothing is in range */
    tern_log_mask = LOG_IN_ASM;
    CHECK(log_enabled_pc(LOG_IN_ASM, 0x1000));
    CHECK(!log_enabled_pc(LOG_IN_ASM, 0x1010));
    CHECK(!log_enabled_pc(LOG_EXEC, 0x1000));
    tern_log_mask = 0;

    /* a bad list leaves the filter as it was */
    CHECK_EQ(log_set_dfilter("0x5000+1,0x10", &err), -EINVAL);
    CHECK(err && strstr(error_get_pretty(err), "0x10"));
    error_free(err);
    err = NULL;
    CHECK(log_in_range(0x1000) && !log_in_range(0x5000));
    CHECK_EQ(log_set_dfilter("0x5000+1,", &err), -EINVAL);   /* empty range */
    error_free(err);
    err = NULL;
    CHECK_EQ(log_set_dfilter("", &err), -EINVAL);
    error_free(err);
    log_clear_dfilter();
    CHECK(log_in_range(0x1010));
}

static void test_dfilter_many(void)
{
    char list[LOG_DFILTER_MAX * 16 + 32];
    size_t n = 0;
    Error *err = NULL;

    for (int i = 0; i < LOG_DFILTER_MAX; i++) {
        n += (size_t)snprintf(list + n, sizeof(list) - n, "%s0x%x+1", i ? "," : "", i * 0x10);
    }
    CHECK_EQ(log_set_dfilter(list, NULL), 0);
    CHECK(log_in_range((LOG_DFILTER_MAX - 1) * 0x10) && !log_in_range(1));
    snprintf(list + n, sizeof(list) - n, ",0x9999+1");
    CHECK_EQ(log_set_dfilter(list, &err), -EINVAL);
    CHECK(err && strstr(error_get_pretty(err), "more than"));
    error_free(err);
    log_clear_dfilter();
}

/* -d help: a line for every item the parser takes. */
static void test_help_lists_items(void)
{
    static const char *const names[] = {
        "in_asm", "op", "op_opt", "out_asm", "exec", "cpu", "int", "mmu",
        "guest_errors", "unimp", "page", "nochain", "all",
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    log_list_items(f);
    fclose(f);
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        char line[32];
        unsigned mask;

        snprintf(line, sizeof(line), "\n%-14s ", names[i]);
        CHECK(strstr(buf, line) != NULL);
        CHECK_EQ(log_parse_items(names[i], &mask, NULL), 0);
    }
    free(buf);
}

int main(void)
{
    RUN_TEST(test_items);
    RUN_TEST(test_items_all);
    RUN_TEST(test_items_bad);
    RUN_TEST(test_range_forms);
    RUN_TEST(test_range_bad);
    RUN_TEST(test_dfilter);
    RUN_TEST(test_dfilter_many);
    RUN_TEST(test_help_lists_items);
    TEST_MAIN_END();
}
