/*
 * test-i8042.c: the 8042 keyboard controller with its PS/2 keyboard and
 * mouse (hw/input/i8042.c, ps2.c), driven through ports 0x60/0x64 of an
 * I/O address space as a driver would: status flags, controller commands,
 * keyboard and mouse command sequences, the output port's A20 and reset
 * lines, IRQ 1 / IRQ 12 and their enables, and out-of-range use.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/input/i8042.h"
#include "test.h"

TEST_GLOBALS;

#define DATA 0x60
#define CMD  0x64
#define ST_OBF  0x01
#define ST_IBF  0x02
#define ST_SYS  0x04
#define ST_A2   0x08
#define ST_AUXB 0x20

enum { LINE_KBD, LINE_AUX, LINE_A20, LINE_RESET, NLINES };

static MemoryRegion io;
static AddressSpace as;
static IRQLine lines[NLINES];
static int level[NLINES], raises[NLINES];
static I8042State *kbc;

static void on_line(void *opaque, int n, int l)
{
    raises[n] += l && !level[n];
    level[n] = l;
}

static void out8(uint16_t port, uint8_t v) { address_space_write(&as, port, &v, 1); }
static uint8_t in8(uint16_t port) { uint8_t v; address_space_read(&as, port, &v, 1); return v; }

static void setup(void)
{
    static bool done;

    if (!done) {
        memory_region_init_container(&io, "io", 0x10000);
        for (int i = 0; i < NLINES; i++) {
            irq_line_init(&lines[i], on_line, NULL, i);
        }
        kbc = i8042_init(&io, DATA, &lines[LINE_KBD], &lines[LINE_AUX], &lines[LINE_A20],
                         &lines[LINE_RESET]);
        address_space_init(&as, &io, "test-io");
        done = true;
    }
    i8042_reset(kbc);
    memset(raises, 0, sizeof(raises));
}

/* Read the next byte as a polling driver does: OBF must be set. */
static int next_byte(void)
{
    if (!(in8(CMD) & ST_OBF)) {
        return -1;
    }
    return in8(DATA);
}

static void cmd(uint8_t c) { out8(CMD, c); }
static void cmd_arg(uint8_t c, uint8_t arg) { out8(CMD, c); out8(DATA, arg); }

static void test_reset_state(void)
{
    setup();
    CHECK_EQ(in8(CMD) & (ST_OBF | ST_IBF | ST_AUXB), 0);
    CHECK(in8(CMD) & ST_SYS);
    CHECK_EQ(level[LINE_A20], 0);        /* port 0x92 holds the gate open */
    cmd(0x20);
    CHECK_EQ(next_byte(), 0x65);         /* KBDINT | SYS | AUXDIS | XLATE */
    CHECK_EQ(next_byte(), -1);
}

static void test_self_test_and_interfaces(void)
{
    setup();
    cmd(0xaa);
    CHECK_EQ(in8(CMD) & (ST_OBF | ST_A2 | ST_AUXB | ST_IBF), ST_OBF | ST_A2);
    CHECK_EQ(in8(DATA), 0x55);
    CHECK_EQ(in8(CMD) & ST_OBF, 0);
    CHECK(in8(CMD) & ST_SYS);
    cmd(0xab);
    CHECK_EQ(next_byte(), 0x00);
    cmd(0xa9);
    CHECK_EQ(next_byte(), 0x00);
    cmd(0xc0);
    CHECK_EQ(next_byte(), 0x80);
}

/* The command byte round trip, SYS following bit 2, and 0xA7/0xA8,
 * 0xAD/0xAE as Linux's i8042_check_aux and i8042_controller_init see
 * them. */
static void test_command_byte(void)
{
    setup();
    cmd_arg(0x60, 0x30);
    CHECK_EQ(in8(CMD) & (ST_SYS | ST_A2), 0);
    cmd(0x20);
    CHECK_EQ(next_byte(), 0x30);
    cmd(0xa8);
    cmd(0xae);
    cmd(0x20);
    CHECK_EQ(next_byte(), 0x00);
    cmd(0xa7);
    cmd(0xad);
    cmd(0x20);
    CHECK_EQ(next_byte(), 0x30);
    cmd_arg(0x60, 0x47);
    CHECK(in8(CMD) & ST_SYS);
    cmd(0x20);
    CHECK_EQ(next_byte(), 0x47);
    cmd_arg(0x7f, 0x5a);                 /* RAM byte 31 */
    cmd(0x3f);
    CHECK_EQ(next_byte(), 0x5a);
}

static void test_kbd_reset_identify(void)
{
    setup();
    out8(DATA, 0xff);
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0xaa);
    CHECK_EQ(next_byte(), -1);
    cmd_arg(0x60, 0x01);                 /* translation off: set 2 ID */
    out8(DATA, 0xf2);
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0xab);
    CHECK_EQ(next_byte(), 0x83);
    cmd_arg(0x60, 0x41);                 /* translated */
    out8(DATA, 0xf2);
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0xab);
    CHECK_EQ(next_byte(), 0x41);
    out8(DATA, 0xf0);                    /* get scan code set: 2, as 0x41 */
    CHECK_EQ(next_byte(), 0xfa);
    out8(DATA, 0x00);
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0x41);
    cmd_arg(0x60, 0x01);
    out8(DATA, 0xf0);
    out8(DATA, 0x03);                    /* set 3 */
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0xfa);
    out8(DATA, 0xf0);
    out8(DATA, 0x00);
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0x03);
    out8(DATA, 0xf0);
    out8(DATA, 0x07);                    /* no such set */
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0xfe);
    out8(DATA, 0xed);                    /* LEDs */
    out8(DATA, 0x07);
    out8(DATA, 0xf3);                    /* typematic */
    out8(DATA, 0x20);
    CHECK_EQ(kbc->kbd.leds, 7);
    CHECK_EQ(kbc->kbd.typematic, 0x20);
    out8(DATA, 0xf5);
    CHECK(!kbc->kbd.scanning);
    CHECK_EQ(kbc->kbd.typematic, 0x2b);  /* default disable: defaults too */
    out8(DATA, 0xf6);
    out8(DATA, 0xf4);
    CHECK(kbc->kbd.scanning);
    out8(DATA, 0xee);
    for (int i = 0; i < 7; i++) {
        CHECK_EQ(next_byte(), 0xfa);
    }
    CHECK_EQ(next_byte(), 0xee);         /* echo */
    CHECK_EQ(next_byte(), -1);
}

/* 0xD4 sends to the mouse; its answers come with AUXB. */
static void test_aux_commands(void)
{
    static const struct { uint8_t cmd; int arg; uint8_t answer[4]; int n; } seq[] = {
        { 0xff, -1, { 0xfa, 0xaa, 0x00 }, 3 },
        { 0xf2, -1, { 0xfa, 0x00 }, 2 },
        { 0xf3, 200, { 0xfa, 0xfa }, 2 },
        { 0xe8, 3, { 0xfa, 0xfa }, 2 },
        { 0xe8, 4, { 0xfa, 0xfe }, 2 },
        { 0xe7, -1, { 0xfa }, 1 },
        { 0xf4, -1, { 0xfa }, 1 },
        { 0xf0, -1, { 0xfa }, 1 },
        { 0xe9, -1, { 0xfa, 0x70, 0x03, 200 }, 4 },   /* remote, enabled, 2:1 */
        { 0xe6, -1, { 0xfa }, 1 },
        { 0xea, -1, { 0xfa }, 1 },
        { 0xf5, -1, { 0xfa }, 1 },
        { 0xe9, -1, { 0xfa, 0x00, 0x03, 200 }, 4 },
        { 0xf6, -1, { 0xfa }, 1 },
        { 0xe9, -1, { 0xfa, 0x00, 0x02, 100 }, 4 },
        { 0xeb, -1, { 0xfa, 0x08, 0x00, 0x00 }, 4 },
        { 0x12, -1, { 0xfe }, 1 },                     /* unknown */
    };

    setup();
    cmd_arg(0x60, 0x00);                 /* polled, as Linux's probe */
    for (size_t i = 0; i < ARRAY_SIZE(seq); i++) {
        cmd_arg(0xd4, seq[i].cmd);
        if (seq[i].arg >= 0) {
            cmd_arg(0xd4, seq[i].arg);
        }
        for (int j = 0; j < seq[i].n; j++) {
            CHECK_EQ(in8(CMD) & (ST_OBF | ST_AUXB), ST_OBF | ST_AUXB);
            CHECK_EQ(in8(DATA), seq[i].answer[j]);
        }
        CHECK_EQ(in8(CMD) & (ST_OBF | ST_AUXB), 0);
    }
    CHECK_EQ(raises[LINE_AUX] + raises[LINE_KBD], 0);
}

/* 0xD2 / 0xD3 loop a byte back as keyboard / aux data (i8042_check_aux). */
static void test_loopback(void)
{
    setup();
    cmd_arg(0x60, 0x00);
    cmd_arg(0xd3, 0x5a);
    CHECK_EQ(in8(CMD) & (ST_OBF | ST_AUXB), ST_OBF | ST_AUXB);
    CHECK_EQ(in8(DATA), 0x5a);
    cmd_arg(0xd2, 0xa5);
    CHECK_EQ(in8(CMD) & (ST_OBF | ST_AUXB), ST_OBF);
    CHECK_EQ(in8(DATA), 0xa5);
}

/* IRQ 1 / IRQ 12 are high while a byte from their side waits and the
 * command byte enables them; each byte is a new rising edge. */
static void test_interrupts(void)
{
    setup();
    cmd_arg(0x60, 0x00);                 /* no interrupts, both clocks on */
    out8(DATA, 0xff);
    CHECK(in8(CMD) & ST_OBF);
    CHECK_EQ(level[LINE_KBD], 0);
    in8(DATA);
    in8(DATA);
    CHECK_EQ(raises[LINE_KBD], 0);
    cmd_arg(0x60, 0x01);                 /* keyboard interrupt */
    out8(DATA, 0xf2);
    CHECK_EQ(level[LINE_KBD], 1);
    CHECK_EQ(in8(DATA), 0xfa);
    CHECK_EQ(level[LINE_KBD], 1);
    CHECK_EQ(in8(DATA), 0xab);
    CHECK_EQ(in8(DATA), 0x83);
    CHECK_EQ(level[LINE_KBD], 0);
    CHECK_EQ(raises[LINE_KBD], 3);
    cmd_arg(0xd4, 0xf2);                 /* aux interrupt disabled */
    CHECK_EQ(level[LINE_AUX] + level[LINE_KBD], 0);
    in8(DATA);
    in8(DATA);
    cmd_arg(0x60, 0x02);
    cmd_arg(0xd4, 0xf2);
    CHECK_EQ(level[LINE_AUX], 1);
    CHECK_EQ(level[LINE_KBD], 0);
    in8(DATA);
    in8(DATA);
    CHECK_EQ(level[LINE_AUX], 0);
    CHECK_EQ(raises[LINE_AUX], 2);
    /* enabling the interrupt with a byte waiting raises the line */
    cmd_arg(0x60, 0x00);
    cmd_arg(0xd2, 0x11);
    CHECK_EQ(level[LINE_KBD], 0);
    cmd_arg(0x60, 0x01);                 /* 0x60's own write leaves the byte */
    CHECK_EQ(level[LINE_KBD], 1);
    CHECK_EQ(in8(DATA), 0x11);
}

/* A disabled device's bytes wait until its clock is on again; the
 * controller's own answers do not; data for the keyboard turns its clock
 * on, as 0xD4 does the aux clock. */
static void test_disabled_clock(void)
{
    setup();
    cmd_arg(0x60, 0x00);
    cmd(0xad);
    ps2_kbd_write(&kbc->kbd, 0xee);      /* the keyboard answers while off */
    cmd(0x20);
    CHECK_EQ(next_byte(), 0x10);
    CHECK_EQ(next_byte(), -1);
    cmd(0xae);
    CHECK_EQ(next_byte(), 0xee);
    cmd(0xa7);
    ps2_mouse_write(&kbc->mouse, 0xf2);
    CHECK_EQ(next_byte(), -1);
    cmd(0xa8);
    CHECK_EQ(in8(CMD) & ST_AUXB, ST_AUXB);
    CHECK_EQ(next_byte(), 0xfa);
    CHECK_EQ(next_byte(), 0x00);
    cmd(0xad);
    out8(DATA, 0xee);
    CHECK_EQ(next_byte(), 0xee);
    cmd(0xa7);
    cmd_arg(0xd4, 0xee);                 /* no wrap mode: resend */
    CHECK_EQ(next_byte(), 0xfe);
    cmd(0x20);
    CHECK_EQ(next_byte(), 0x00);
}

static void test_output_port(void)
{
    setup();
    cmd(0xd0);
    CHECK_EQ(next_byte(), 0xcd);
    cmd_arg(0xd1, 0xdf);                 /* A20 on (Linux's enable_a20_kbc) */
    CHECK_EQ(level[LINE_A20], 1);
    CHECK_EQ(raises[LINE_RESET], 0);
    cmd(0xd0);
    CHECK_EQ(next_byte(), 0xdf & ~0x30);
    cmd_arg(0xd1, 0xdd);
    CHECK_EQ(level[LINE_A20], 0);
    CHECK_EQ(raises[LINE_A20], 1);
    cmd_arg(0xd1, 0xdc);                 /* bit 0 low: reset */
    CHECK_EQ(raises[LINE_RESET], 1);
    CHECK_EQ(level[LINE_RESET], 0);      /* a pulse */
    cmd_arg(0xd1, 0xdf);
    i8042_reset(kbc);                    /* the system reset closes the 8042's A20 */
    CHECK_EQ(level[LINE_A20], 0);
}

static void test_pulse_reset(void)
{
    setup();
    cmd(0xff);                           /* pulse nothing */
    cmd(0xf1);
    CHECK_EQ(raises[LINE_RESET], 0);
    cmd(0xfe);
    CHECK_EQ(raises[LINE_RESET], 1);
    cmd(0xf0);
    CHECK_EQ(raises[LINE_RESET], 2);
    CHECK_EQ(in8(CMD) & ST_OBF, 0);
}

static void test_unknown_commands(void)
{
    setup();
    cmd(0x01);
    cmd(0xc8);
    cmd(0xe0);
    CHECK_EQ(in8(CMD) & ST_OBF, 0);
    out8(DATA, 0x42);                    /* unknown keyboard command */
    CHECK_EQ(next_byte(), 0xfe);
    out8(DATA, 0xfe);                    /* resend: the last byte again */
    CHECK_EQ(next_byte(), 0xfe);
    cmd(0xd1);                           /* a command cancels a pending argument */
    cmd(0x20);
    CHECK_EQ(next_byte(), 0x65);
    CHECK_EQ(level[LINE_A20], 0);
}

static void test_empty_read(void)
{
    setup();
    cmd(0xaa);
    CHECK_EQ(in8(DATA), 0x55);
    CHECK_EQ(in8(DATA), 0x55);           /* the buffer keeps its last byte */
    CHECK_EQ(in8(DATA), 0x55);
    CHECK_EQ(in8(CMD) & ST_OBF, 0);
}

/* Commands without reads: the device queue is bounded, the controller
 * keeps one answer. */
static void test_flood(void)
{
    unsigned n = 0;

    setup();
    cmd_arg(0x60, 0x00);
    for (int i = 0; i < 1000; i++) {
        out8(DATA, 0xf2);
        cmd_arg(0xd4, 0xe9);
        cmd(0x20);
    }
    while (in8(CMD) & ST_OBF) {
        in8(DATA);
        n++;
        CHECK(n <= 2 * PS2_QUEUE_SIZE + 2);
    }
    CHECK(n >= PS2_QUEUE_SIZE);
    out8(DATA, 0xee);                    /* still answers afterwards */
    CHECK_EQ(next_byte(), 0xee);
}

int main(void)
{
    RUN_TEST(test_reset_state);
    RUN_TEST(test_self_test_and_interfaces);
    RUN_TEST(test_command_byte);
    RUN_TEST(test_kbd_reset_identify);
    RUN_TEST(test_aux_commands);
    RUN_TEST(test_loopback);
    RUN_TEST(test_interrupts);
    RUN_TEST(test_disabled_clock);
    RUN_TEST(test_output_port);
    RUN_TEST(test_pulse_reset);
    RUN_TEST(test_unknown_commands);
    RUN_TEST(test_empty_read);
    RUN_TEST(test_flood);
    TEST_MAIN_END();
}
