/*
 * test-util.c: error objects and -d log item parsing.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "util/log.h"
#include "test.h"

TEST_GLOBALS;

static void test_error_first_wins(void)
{
    Error *err = NULL;
    error_setg(&err, "first %d", 1);
    error_setg(&err, "second");
    CHECK(err != NULL);
    CHECK(!strcmp(error_get_pretty(err), "first 1"));
    error_free(err);
}

static void test_error_errno_suffix(void)
{
    Error *err = NULL;
    error_setg_errno(&err, ENOENT, "open '%s'", "x");
    CHECK(!strcmp(error_get_pretty(err), "open 'x': No such file or directory"));
    error_free(err);
}

static void test_log_items(void)
{
    Error *err = NULL;
    CHECK_EQ(log_set_items("in_asm,out_asm", &err), 0);
    CHECK_EQ(tern_log_mask, LOG_IN_ASM | LOG_OUT_ASM);
    CHECK(log_set_items("in_asm,bogus", &err) == -EINVAL);
    CHECK(err != NULL);
    CHECK(strstr(error_get_pretty(err), "bogus") != NULL);
    error_free(err);
    /* a failed parse leaves the mask as it was */
    CHECK_EQ(tern_log_mask, LOG_IN_ASM | LOG_OUT_ASM);
    tern_log_mask = 0;
}

int main(void)
{
    RUN_TEST(test_error_first_wins);
    RUN_TEST(test_error_errno_suffix);
    RUN_TEST(test_log_items);
    TEST_MAIN_END();
}
