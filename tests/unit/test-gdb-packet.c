/*
 * test-gdb-packet.c: the gdb remote protocol framing (gdbstub/packet.c):
 * checksums, acks and noise between packets, 0x03, over-long packets,
 * escaping in binary replies, and the hex helpers.
 */
#include "util/osdep.h"
#include "gdbstub/packet.h"
#include "test.h"

TEST_GLOBALS;

/* Feed str; the last event that was not NONE (NONE if none). */
static GdbPacketEvent feed(GdbPacketReader *r, const char *str, size_t len)
{
    GdbPacketEvent last = GDB_PACKET_NONE;

    for (size_t i = 0; i < len; i++) {
        GdbPacketEvent ev = gdb_packet_feed(r, (uint8_t)str[i]);

        if (ev != GDB_PACKET_NONE) {
            last = ev;
        }
    }
    return last;
}

static void test_good_packet(void)
{
    GdbPacketReader r = { 0 };

    /* acks and noise before the packet are skipped */
    CHECK_EQ(feed(&r, "++-x$qC#b4", 10), GDB_PACKET_OK);
    CHECK_EQ(r.len, 2);
    CHECK(!strcmp(r.data, "qC"));
    CHECK_EQ(feed(&r, "$g#67", 5), GDB_PACKET_OK);
    CHECK(!strcmp(r.data, "g"));
    CHECK_EQ(feed(&r, "$g#6F", 5), GDB_PACKET_BAD);   /* wrong checksum */
    CHECK_EQ(feed(&r, "$g#6z", 5), GDB_PACKET_BAD);   /* not hex */
    CHECK_EQ(feed(&r, "$?#3f", 5), GDB_PACKET_OK);    /* and it recovers */
}

static void test_interrupt_and_overflow(void)
{
    GdbPacketReader r = { 0 };
    char *big = malloc(GDB_PACKET_MAX + 16);

    CHECK_EQ(gdb_packet_feed(&r, 0x03), GDB_PACKET_INTERRUPT);
    memset(big, 'a', GDB_PACKET_MAX + 16);
    big[0] = '$';
    CHECK_EQ(feed(&r, big, GDB_PACKET_MAX + 16), GDB_PACKET_NONE);
    CHECK_EQ(feed(&r, "#00", 3), GDB_PACKET_BAD);
    CHECK(r.len <= GDB_PACKET_MAX);
    free(big);
}

static void test_frame(void)
{
    GString *s = g_string_new(NULL);

    gdb_packet_frame(s, "OK", 2, false);
    CHECK(!strcmp(s->str, "$OK#9a"));
    g_string_truncate(s, 0);
    gdb_packet_frame(s, "a#b", 3, true);        /* '#' escaped as }\x03 */
    CHECK(!strcmp(s->str, "$a}\x03" "b#43"));
    g_string_free(s, true);
}

static void test_hex(void)
{
    const char *p = "1aF,";
    uint64_t v = 0;
    uint8_t buf[3];

    CHECK_EQ(gdb_parse_hex(&p, &v), 0);
    CHECK_EQ(v, 0x1af);
    CHECK_EQ(*p, ',');
    p = ",1";
    CHECK_EQ(gdb_parse_hex(&p, &v), -1);          /* no digit */
    p = "11112222333344445";
    CHECK_EQ(gdb_parse_hex(&p, &v), -1);          /* over 64 bits */
    CHECK_EQ(gdb_hex_decode("00ff7f", buf, 3), 0);
    CHECK_EQ(buf[1], 0xff);
    CHECK_EQ(gdb_hex_decode("00f", buf, 2), -1);  /* short */
    CHECK_EQ(gdb_hex_decode("0g", buf, 1), -1);
}

int main(void)
{
    RUN_TEST(test_good_packet);
    RUN_TEST(test_interrupt_and_overflow);
    RUN_TEST(test_frame);
    RUN_TEST(test_hex);
    TEST_MAIN_END();
}
