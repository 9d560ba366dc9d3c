/*
 * test-chardev-opts.c: the -chardev and -mon parsers (softmmu/chardev-opts.c):
 * what each back end's properties become, QEMU's short forms and ",,"
 * escape, the exact one-line error of each bad argument; then the registry
 * (chardev_define, chardev_claim, chardev:ID) with back ends that open
 * nothing outside the test: null, file, stdio without a front end.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "sysemu/chardev.h"
#include "test.h"

#include <unistd.h>

TEST_GLOBALS;

static ChardevOptions co;

/* arg parses; the fields are checked by the caller. */
static bool parses(const char *arg)
{
    Error *err = NULL;

    if (chardev_opts_parse(arg, &co, &err) < 0) {
        printf("    %s: %s\n", arg, error_get_pretty(err));
        error_free(err);
        return false;
    }
    return true;
}

/* fn(arg) fails with exactly want. */
static bool fails_with(int (*fn)(const char *arg, Error **errp), const char *arg, const char *want)
{
    Error *err = NULL;
    bool ok = fn(arg, &err) == -EINVAL && err && !strcmp(error_get_pretty(err), want);

    if (!ok) {
        printf("    %s: got '%s', want '%s'\n", arg, err ? error_get_pretty(err) : "(no error)",
               want);
    }
    error_free(err);
    return ok;
}

static int opts_parse(const char *arg, Error **errp)
{
    return chardev_opts_parse(arg, &co, errp);
}

static int mon_parse(const char *arg, Error **errp)
{
    ChardevMonOptions mo;
    return chardev_mon_parse(arg, &mo, errp);
}

#define OPTS_FAIL(arg, why) fails_with(opts_parse, arg, "-chardev " arg ": " why)
#define MON_FAIL(arg, why) fails_with(mon_parse, arg, "-mon " arg ": " why)
#define DEFINE_FAIL(arg, why) fails_with(chardev_define, arg, "-chardev " arg ": " why)

static void test_backends(void)
{
    CHECK(parses("null,id=n0"));
    CHECK_EQ(co.backend, CHARDEV_BACKEND_NULL);
    CHECK(!strcmp(co.id, "n0"));
    CHECK(parses("pty,id=p-0.x_y"));
    CHECK_EQ(co.backend, CHARDEV_BACKEND_PTY);
    CHECK(parses("stdio,id=c,signal=off,mux=on"));
    CHECK_EQ(co.backend, CHARDEV_BACKEND_STDIO);
    CHECK(co.mux && !co.signal);
    CHECK(parses("stdio,id=c,signal=on,mux=off"));
    CHECK(!co.mux && co.signal);
    CHECK(parses("file,id=f,path=/tmp/out.txt"));
    CHECK_EQ(co.backend, CHARDEV_BACKEND_FILE);
    CHECK(!strcmp(co.path, "/tmp/out.txt") && !co.append);
    CHECK(parses("file,path=/tmp/a,append=on,id=f"));
    CHECK(co.append);
    /* the back end may also be a key, anywhere */
    CHECK(parses("id=n,backend=null"));
    CHECK_EQ(co.backend, CHARDEV_BACKEND_NULL);
}

static void test_socket(void)
{
    CHECK(parses("socket,id=s0,path=/tmp/s.sock,server=on,wait=off"));
    CHECK_EQ(co.backend, CHARDEV_BACKEND_SOCKET);
    CHECK(!strcmp(co.path, "/tmp/s.sock") && !co.port[0]);
    CHECK(co.server && !co.wait);
    /* a client, and wait's default */
    CHECK(parses("socket,id=s0,path=/tmp/s.sock"));
    CHECK(!co.server && co.wait);
    CHECK(parses("socket,id=t,host=127.0.0.1,port=4444,server=on"));
    CHECK(!strcmp(co.host, "127.0.0.1") && !strcmp(co.port, "4444") && !co.path[0]);
    CHECK(co.server && co.wait);
    CHECK(parses("socket,id=t,port=0,server=on"));
    CHECK(!co.host[0] && !strcmp(co.port, "0"));
    /* QEMU's short forms and boolean spellings */
    CHECK(parses("socket,id=s,path=/tmp/s,server,nowait"));
    CHECK(co.server && !co.wait);
    CHECK(parses("socket,id=s,path=/tmp/s,server=yes,wait=no"));
    CHECK(co.server && !co.wait);
    CHECK(parses("socket,id=s,path=/tmp/s,server,noserver"));
    CHECK(!co.server);
    /* the last of a key wins */
    CHECK(parses("socket,id=s,path=/tmp/a,path=/tmp/b"));
    CHECK(!strcmp(co.path, "/tmp/b"));
}

static void test_escapes(void)
{
    CHECK(parses("file,id=f,path=/tmp/a,,b"));
    CHECK(!strcmp(co.path, "/tmp/a,b"));
    CHECK(parses("file,path=/tmp/a,,,,b,,,id=f"));
    CHECK(!strcmp(co.path, "/tmp/a,,b,"));
    CHECK(!strcmp(co.id, "f"));
    CHECK(parses("null,id=n,"));                 /* a trailing comma */
}

static void test_errors(void)
{
    CHECK(OPTS_FAIL("null", "missing id="));
    CHECK(OPTS_FAIL("", "missing the backend (null, stdio, file, socket or pty)"));
    CHECK(OPTS_FAIL("id=a", "missing the backend (null, stdio, file, socket or pty)"));
    CHECK(fails_with(opts_parse, "serial,id=a",
                     "-chardev serial: not supported (null, stdio, file, socket or pty)"));
    CHECK(OPTS_FAIL("seriall,id=a", "unknown backend 'seriall' (null, stdio, file, socket or pty)"));
    CHECK(OPTS_FAIL("null,id=1a", "id=1a: an id has letters, digits, '-', '.' and '_', starts "
                                  "with a letter and is at most 63 long"));
    CHECK(OPTS_FAIL("null,id=a/b", "id=a/b: an id has letters, digits, '-', '.' and '_', starts "
                                   "with a letter and is at most 63 long"));
    CHECK(OPTS_FAIL("null,id=a,bogus=1", "unknown property 'bogus'"));
    CHECK(OPTS_FAIL("null,id=a,nobogus", "unknown property 'nobogus'"));
    CHECK(OPTS_FAIL("null,id=a,path=/x", "null has no property 'path'"));
    CHECK(OPTS_FAIL("socket,id=a,path=/x,append=on", "socket has no property 'append'"));
    CHECK(OPTS_FAIL("file,id=a,path=/x,signal=off", "file has no property 'signal'"));
    CHECK(OPTS_FAIL("file,id=f", "missing path="));
    CHECK(OPTS_FAIL("file,id=f,path", "path needs a value (path=...)"));
    CHECK(OPTS_FAIL("socket,id=s0", "missing path= or port="));
    CHECK(OPTS_FAIL("socket,id=s0,server=on", "missing path= or port="));
    CHECK(OPTS_FAIL("socket,id=s0,host=localhost", "missing port="));
    CHECK(OPTS_FAIL("socket,id=s0,path=/x,port=5", "path= with host= or port=: give one address"));
    CHECK(OPTS_FAIL("socket,id=s0,port=ssh", "port=ssh: must be a port number (0 to 65535)"));
    CHECK(OPTS_FAIL("socket,id=s0,port=65536", "port=65536: must be a port number (0 to 65535)"));
    CHECK(OPTS_FAIL("socket,id=s0,port=-1", "port=-1: must be a port number (0 to 65535)"));
    CHECK(OPTS_FAIL("socket,id=s0,path=", "path=: a socket path must be 1 to 107 characters"));
    CHECK(OPTS_FAIL("socket,id=s0,path=/x,server=maybe", "server=maybe: must be on or off"));
    CHECK(OPTS_FAIL("socket,id=s0,path=/x,mux=on",
                    "mux=on: not supported for socket (only stdio)"));
    CHECK(OPTS_FAIL("pty,id=p,mux=on", "mux=on: not supported for pty (only stdio)"));
}

static void test_long_values(void)
{
    char arg[CHARDEV_PATH_MAX + 64], want[2 * sizeof(arg)];
    Error *err = NULL;

    /* a Unix socket path one over sun_path's 107 characters */
    snprintf(arg, sizeof(arg), "socket,id=s,path=/%0107d", 0);
    snprintf(want, sizeof(want), "-chardev %s: path=: a socket path must be 1 to 107 characters",
             arg);
    CHECK_EQ(chardev_opts_parse(arg, &co, &err), -EINVAL);
    CHECK(!strcmp(error_get_pretty(err), want));
    error_free(err);
    err = NULL;
    snprintf(arg, sizeof(arg), "socket,id=s,path=/%0106d", 0);
    CHECK(parses(arg));
    CHECK_EQ(strlen(co.path), 107);
    snprintf(arg, sizeof(arg), "file,id=f,path=/%0*d", CHARDEV_PATH_MAX, 0);
    snprintf(want, sizeof(want), "-chardev %s: path= longer than %d characters", arg,
             CHARDEV_PATH_MAX - 1);
    CHECK_EQ(chardev_opts_parse(arg, &co, &err), -EINVAL);
    CHECK(!strcmp(error_get_pretty(err), want));
    error_free(err);
}

static void test_mon(void)
{
    ChardevMonOptions mo;
    Error *err = NULL;

    CHECK_EQ(chardev_mon_parse("chardev=m0", &mo, &err), 0);
    CHECK(!strcmp(mo.chardev, "m0") && !mo.control);
    CHECK_EQ(chardev_mon_parse("m1,mode=control", &mo, &err), 0);
    CHECK(!strcmp(mo.chardev, "m1") && mo.control);
    CHECK_EQ(chardev_mon_parse("mode=readline,chardev=m2,pretty=off,id=mon", &mo, &err), 0);
    CHECK(!strcmp(mo.chardev, "m2") && !mo.control);
    CHECK(MON_FAIL("mode=control", "missing chardev="));
    CHECK(MON_FAIL("m0,mode=qmp", "mode=qmp: must be readline or control"));
    CHECK(MON_FAIL("m0,mode", "mode needs a value"));
    CHECK(MON_FAIL("m0,mode=control,pretty=on", "pretty=on: not supported"));
    CHECK(MON_FAIL("m0,pretty", "pretty=on: not supported"));
    CHECK(MON_FAIL("m0,pretty=sure", "pretty=sure: must be on or off"));
    CHECK(MON_FAIL("m0,bogus=1", "unknown property 'bogus'"));
    CHECK(MON_FAIL("chardev=0x", "chardev=0x: not a chardev id"));
}

static void test_registry(void)
{
    char path[64], arg[128];
    Error *err = NULL;
    Chardev *a, *b;
    bool shared;

    CHECK_EQ(chardev_define("null,id=n1", &err), 0);
    CHECK(DEFINE_FAIL("null,id=n1", "duplicate ID 'n1' for chardev"));
    CHECK(DEFINE_FAIL("null", "missing id="));
    /* a front end's first claim; the second is refused */
    a = chardev_new("-serial", "chardev:n1", &err);
    CHECK(a && !err);
    CHECK(!strcmp(chardev_id(a), "n1") && !strcmp(chardev_filename(a), "null"));
    CHECK(!chardev_new("-monitor", "chardev:n1", &err));
    CHECK(!strcmp(error_get_pretty(err), "-monitor chardev:n1: device 'n1' is in use"));
    error_free(err);
    err = NULL;
    CHECK(!chardev_claim("-mon chardev=n1", "n1", &shared, &err));
    CHECK(!strcmp(error_get_pretty(err), "-mon chardev=n1: device 'n1' is in use"));
    error_free(err);
    err = NULL;
    CHECK(!chardev_new("-qmp", "chardev:nope", &err));
    CHECK(!strcmp(error_get_pretty(err), "-qmp chardev:nope: chardev 'nope' not found"));
    error_free(err);
    err = NULL;
    /* given back, it can be claimed again */
    chardev_free(a);
    a = chardev_new("-monitor", "chardev:n1", &err);
    CHECK(a && !err);

    /* a file, with append=on keeping what was there */
    snprintf(path, sizeof(path), "/tmp/tern-test-chardev-%d", (int)getpid());
    FILE *f = fopen(path, "w");
    CHECK(f);
    fputs("old\n", f);
    fclose(f);
    snprintf(arg, sizeof(arg), "file,id=f1,path=%s,append=on", path);
    CHECK_EQ(chardev_define(arg, &err), 0);
    b = chardev_claim("-serial chardev:f1", "f1", NULL, &err);
    CHECK(b);
    chardev_write(b, (const uint8_t *)"new\n", 4);
    char buf[16] = "";
    f = fopen(path, "r");
    CHECK(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    unlink(path);
    CHECK_EQ(n, 8);
    CHECK(!strcmp(buf, "old\nnew\n"));
    CHECK(DEFINE_FAIL("file,id=f2,path=/nonexistent-dir/x",
                      "cannot open '/nonexistent-dir/x': No such file or directory"));
}

static void test_registry_stdio(void)
{
    Error *err = NULL;
    Chardev *a, *b;
    bool shared = true;

    /* mux=on: a first front end, then one that joins it, then none */
    CHECK_EQ(chardev_define("stdio,id=c0,mux=on", &err), 0);
    CHECK(DEFINE_FAIL("stdio,id=c1", "cannot use stdio by multiple character devices "
                                     "(-chardev id 'c0' has it)"));
    a = chardev_claim("-serial chardev:c0", "c0", &shared, &err);
    CHECK(a && !shared && chardev_is_stdio(a));
    CHECK(!chardev_new("-qmp", "chardev:c0", &err));
    CHECK(!strcmp(error_get_pretty(err), "-qmp chardev:c0: device 'c0' is in use (a mux=on "
                                         "chardev is shared with the human monitor only)"));
    error_free(err);
    err = NULL;
    b = chardev_claim("-mon chardev=c0", "c0", &shared, &err);
    CHECK(b == a && shared);
    CHECK(!chardev_claim("-mon chardev=c0", "c0", &shared, &err));
    CHECK(!strcmp(error_get_pretty(err), "-mon chardev=c0: device 'c0' is in use"));
    error_free(err);
    err = NULL;
    /* no other stdio back end beside it */
    CHECK(!chardev_new("-serial", "stdio", &err));
    CHECK(!strcmp(error_get_pretty(err), "-serial stdio: cannot use stdio by multiple character "
                                         "devices (-chardev id 'c0' has it)"));
    error_free(err);
}

int main(void)
{
    RUN_TEST(test_backends);
    RUN_TEST(test_socket);
    RUN_TEST(test_escapes);
    RUN_TEST(test_errors);
    RUN_TEST(test_long_values);
    RUN_TEST(test_mon);
    RUN_TEST(test_registry);
    RUN_TEST(test_registry_stdio);
    TEST_MAIN_END();
}
