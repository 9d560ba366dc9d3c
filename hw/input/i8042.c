/*
 * i8042.c: the 8042 keyboard controller (see i8042.h; IBM PS/2 Technical
 * Reference, "Keyboard/Auxiliary Device Controller").  The controller
 * passes bytes between the guest and its two PS/2 devices (ps2.c) through
 * a one-byte output buffer, and drives the A20 and reset lines from its
 * output port.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/input/i8042.h"

/* Status register (read at 0x64) */
#define STAT_OBF      0x01       /* output buffer full */
#define STAT_IBF      0x02       /* input buffer full: never, writes are taken at once */
#define STAT_SYS      0x04       /* system flag: command byte bit 2 */
#define STAT_A2       0x08       /* last write was a command (0x64), not data */
#define STAT_INH      0x10       /* 1: keyboard not inhibited (key lock) */
#define STAT_AUXB     0x20       /* the output buffer's byte is from the aux device */

/* Command byte (CTR, RAM byte 0) */
#define CTR_KBDINT    0x01
#define CTR_AUXINT    0x02
#define CTR_SYS       0x04
#define CTR_KBDDIS    0x10       /* keyboard clock off: its data waits */
#define CTR_AUXDIS    0x20
#define CTR_XLATE     0x40

/* Output port */
#define OUT_RESET     0x01       /* 0: the CPU is held in reset */
#define OUT_A20       0x02
#define OUT_KBD_OBF   0x10       /* IRQ 1 output */
#define OUT_AUX_OBF   0x20       /* IRQ 12 output */
#define OUT_ONES      0xcc       /* clock and data lines, idle high */

/* Controller commands (written to 0x64) */
#define CMD_READ_RAM     0x20    /* 0x20-0x3f: RAM byte cmd & 0x1f; 0x20 the CTR */
#define CMD_WRITE_RAM    0x60    /* 0x60-0x7f */
#define CMD_AUX_DISABLE  0xa7
#define CMD_AUX_ENABLE   0xa8
#define CMD_AUX_TEST     0xa9
#define CMD_SELF_TEST    0xaa
#define CMD_KBD_TEST     0xab
#define CMD_KBD_DISABLE  0xad
#define CMD_KBD_ENABLE   0xae
#define CMD_READ_INPORT  0xc0
#define CMD_READ_OUTPORT 0xd0
#define CMD_WRITE_OUTPORT 0xd1
#define CMD_KBD_LOOP     0xd2
#define CMD_AUX_LOOP     0xd3
#define CMD_AUX_SEND     0xd4
#define CMD_PULSE        0xf0    /* 0xf0-0xff: pulse output port bits 3-0 that are 0 */

#define SELF_TEST_OK     0x55
#define IFACE_TEST_OK    0x00
#define INPORT_VALUE     0x80    /* bit 7: keyboard not inhibited */

/* Power-on state as a BIOS leaves it, since a -kernel boot has none (as
 * SeaBIOS: keyboard interrupt and translation on, aux clock off, self-test
 * passed).  The output port's A20 bit is 0: port 0x92 holds the gate open. */
#define CTR_RESET     (CTR_KBDINT | CTR_SYS | CTR_AUXDIS | CTR_XLATE)
#define OUTPORT_RESET (OUT_ONES | OUT_RESET)

static void i8042_set_line(IRQLine *irq, int *cur, int level)
{
    if (*cur != level) {
        *cur = level;
        irq_line_set(irq, level);
    }
}

/* IRQ 1 / IRQ 12: high while the buffer holds a byte from that side and
 * the CTR enables it. */
static void i8042_update_lines(I8042State *s)
{
    bool full = s->status & STAT_OBF, aux = s->status & STAT_AUXB;

    i8042_set_line(s->kbd_irq, &s->kbd_level, full && !aux && (s->ram[0] & CTR_KBDINT));
    i8042_set_line(s->aux_irq, &s->aux_level, full && aux && (s->ram[0] & CTR_AUXINT));
}

/* Fill an empty output buffer: a controller answer first, then the
 * keyboard, then the aux device, each while its clock is enabled; then
 * drive the lines. */
static void i8042_update(I8042State *s)
{
    uint8_t ctr = s->ram[0];
    bool full = true, aux = false;

    if (!(s->status & STAT_OBF)) {
        if (s->ctrl_byte >= 0) {
            s->obuf = s->ctrl_byte;
            aux = s->ctrl_aux;
            s->ctrl_byte = -1;
        } else if (!(ctr & CTR_KBDDIS) && ps2_queue_pop(&s->kbd.queue, &s->obuf)) {
            aux = false;
        } else if (!(ctr & CTR_AUXDIS) && ps2_queue_pop(&s->mouse.queue, &s->obuf)) {
            aux = true;
        } else {
            full = false;
        }
        if (full) {
            s->status |= STAT_OBF | (aux ? STAT_AUXB : 0);
        }
    }
    i8042_update_lines(s);
}

/* A byte the controller itself answers; a second answer before the guest
 * took the first replaces it. */
static void i8042_answer(I8042State *s, uint8_t byte, bool aux)
{
    s->ctrl_byte = byte;
    s->ctrl_aux = aux;
}

static void i8042_pulse_reset(I8042State *s)
{
    log_mask(LOG_INT, "i8042: CPU reset\n");
    irq_line_set(s->reset, 1);
    irq_line_set(s->reset, 0);
}

static void i8042_write_outport(I8042State *s, uint8_t val)
{
    uint8_t old = s->outport;

    s->outport = val & ~(OUT_KBD_OBF | OUT_AUX_OBF);
    if ((old ^ val) & OUT_A20) {
        irq_line_set(s->a20, !!(val & OUT_A20));
    }
    if (!(val & OUT_RESET)) {
        i8042_pulse_reset(s);
    }
}

static uint8_t i8042_read_outport(I8042State *s)
{
    return s->outport | (s->kbd_level ? OUT_KBD_OBF : 0) | (s->aux_level ? OUT_AUX_OBF : 0);
}

static void i8042_write_ctr(I8042State *s, uint8_t val)
{
    s->ram[0] = val;
    s->status = (s->status & ~STAT_SYS) | (val & CTR_SYS ? STAT_SYS : 0);
    s->kbd.translate = val & CTR_XLATE;
}

static void i8042_command(I8042State *s, uint8_t cmd)
{
    s->write_cmd = -1;
    if (cmd >= CMD_READ_RAM && cmd < CMD_READ_RAM + I8042_RAM_SIZE) {
        i8042_answer(s, s->ram[cmd - CMD_READ_RAM], false);
        return;
    }
    if ((cmd >= CMD_WRITE_RAM && cmd < CMD_WRITE_RAM + I8042_RAM_SIZE) ||
        cmd == CMD_WRITE_OUTPORT || cmd == CMD_KBD_LOOP || cmd == CMD_AUX_LOOP ||
        cmd == CMD_AUX_SEND) {
        s->write_cmd = cmd;
        return;
    }
    if (cmd >= CMD_PULSE) {
        if (!(cmd & OUT_RESET)) {
            i8042_pulse_reset(s);
        }
        return;
    }
    switch (cmd) {
    case CMD_AUX_DISABLE:
        i8042_write_ctr(s, s->ram[0] | CTR_AUXDIS);
        break;
    case CMD_AUX_ENABLE:
        i8042_write_ctr(s, s->ram[0] & ~CTR_AUXDIS);
        break;
    case CMD_AUX_TEST:
    case CMD_KBD_TEST:
        i8042_answer(s, IFACE_TEST_OK, false);
        break;
    case CMD_SELF_TEST:
        s->status |= STAT_SYS;
        i8042_answer(s, SELF_TEST_OK, false);
        break;
    case CMD_KBD_DISABLE:
        i8042_write_ctr(s, s->ram[0] | CTR_KBDDIS);
        break;
    case CMD_KBD_ENABLE:
        i8042_write_ctr(s, s->ram[0] & ~CTR_KBDDIS);
        break;
    case CMD_READ_INPORT:
        i8042_answer(s, INPORT_VALUE, false);
        break;
    case CMD_READ_OUTPORT:
        i8042_answer(s, i8042_read_outport(s), false);
        break;
    default:
        log_mask(LOG_UNIMP, "i8042: controller command 0x%02x ignored\n", cmd);
        break;
    }
}

/* A byte at 0x60: the argument of a controller command, else for the
 * keyboard (which turns its clock back on, as the 8042 does). */
static void i8042_data(I8042State *s, uint8_t val)
{
    int cmd = s->write_cmd;

    s->write_cmd = -1;
    if (cmd >= CMD_WRITE_RAM && cmd < CMD_WRITE_RAM + I8042_RAM_SIZE) {
        if (cmd == CMD_WRITE_RAM) {
            i8042_write_ctr(s, val);
        } else {
            s->ram[cmd - CMD_WRITE_RAM] = val;
        }
        return;
    }
    switch (cmd) {
    case CMD_WRITE_OUTPORT:
        i8042_write_outport(s, val);
        break;
    case CMD_KBD_LOOP:
    case CMD_AUX_LOOP:
        i8042_answer(s, val, cmd == CMD_AUX_LOOP);
        break;
    case CMD_AUX_SEND:
        i8042_write_ctr(s, s->ram[0] & ~CTR_AUXDIS);
        ps2_mouse_write(&s->mouse, val);
        break;
    default:
        i8042_write_ctr(s, s->ram[0] & ~CTR_KBDDIS);
        ps2_kbd_write(&s->kbd, val);
        break;
    }
}

static uint64_t i8042_data_read(void *opaque, uint64_t addr, unsigned size)
{
    I8042State *s = opaque;
    uint8_t val = s->obuf;

    s->status &= ~(STAT_OBF | STAT_AUXB);
    i8042_update_lines(s);       /* the line falls, so the next byte is a new edge */
    i8042_update(s);
    return val;
}

static void i8042_data_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8042State *s = opaque;

    s->status &= ~STAT_A2;
    i8042_data(s, val);
    i8042_update(s);
}

static uint64_t i8042_cmd_read(void *opaque, uint64_t addr, unsigned size)
{
    I8042State *s = opaque;

    return s->status;
}

static void i8042_cmd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8042State *s = opaque;

    s->status |= STAT_A2;
    i8042_command(s, val);
    i8042_update(s);
}

static const MemoryRegionOps i8042_data_ops = {
    .read = i8042_data_read,
    .write = i8042_data_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps i8042_cmd_ops = {
    .read = i8042_cmd_read,
    .write = i8042_cmd_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void i8042_reset(I8042State *s)
{
    memset(s->ram, 0, sizeof(s->ram));
    s->status = STAT_INH;
    s->obuf = 0;
    s->write_cmd = -1;
    s->ctrl_byte = -1;
    s->outport = OUTPORT_RESET;
    irq_line_set(s->a20, !!(OUTPORT_RESET & OUT_A20));
    ps2_kbd_reset(&s->kbd);
    ps2_mouse_reset(&s->mouse);
    i8042_write_ctr(s, CTR_RESET);
    i8042_update(s);
}

I8042State *i8042_init(MemoryRegion *io, uint64_t base, IRQLine *kbd_irq, IRQLine *aux_irq,
                       IRQLine *a20, IRQLine *reset)
{
    I8042State *s = tern_malloc0(sizeof(*s));

    s->kbd_irq = kbd_irq;
    s->aux_irq = aux_irq;
    s->reset = reset;
    i8042_reset(s);
    s->a20 = a20;                /* after the reset: not driven at creation (i8042.h) */
    memory_region_init_io(&s->data_io, &i8042_data_ops, s, "i8042-data", 1);
    memory_region_add_subregion(io, base, &s->data_io);
    memory_region_init_io(&s->cmd_io, &i8042_cmd_ops, s, "i8042-cmd", 1);
    memory_region_add_subregion(io, base + I8042_CMD_PORT - I8042_DATA_PORT, &s->cmd_io);
    return s;
}
