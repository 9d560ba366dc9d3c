/*
 * ps2.c: PS/2 keyboard and mouse command sets (see ps2.h).  Called by the
 * 8042 model with the machine lock held.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/input/ps2.h"

/* Answers */
#define PS2_ACK          0xfa
#define PS2_RESEND       0xfe
#define PS2_BAT_OK       0xaa    /* basic assurance test passed */
/* Commands common to both devices */
#define PS2_CMD_RESET    0xff
#define PS2_CMD_RESEND   0xfe
#define PS2_CMD_DEFAULTS 0xf6
#define PS2_CMD_DISABLE  0xf5
#define PS2_CMD_ENABLE   0xf4
#define PS2_CMD_RATE     0xf3    /* keyboard: typematic; mouse: sample rate */
#define PS2_CMD_GET_ID   0xf2
/* Keyboard */
#define KBD_CMD_SCANCODE 0xf0
#define KBD_CMD_ECHO     0xee
#define KBD_CMD_LEDS     0xed
/* Mouse */
#define MOUSE_CMD_REMOTE 0xf0
#define MOUSE_CMD_READ   0xeb
#define MOUSE_CMD_STREAM 0xea
#define MOUSE_CMD_STATUS 0xe9
#define MOUSE_CMD_RES    0xe8
#define MOUSE_CMD_SCALE2 0xe7
#define MOUSE_CMD_SCALE1 0xe6

#define KBD_ID0          0xab    /* MF2 keyboard: AB 83, or AB 41 translated */
#define KBD_ID1          0x83
#define KBD_ID1_XLATE    0x41
#define MOUSE_ID         0x00    /* standard PS/2 mouse */
#define MOUSE_PACKET_B0  0x08    /* first packet byte: bit 3 always set */

/* Scan code set numbers as a translating controller shows them (F0 00). */
static const uint8_t kbd_set_xlate[4] = { 0, 0x43, 0x41, 0x3f };

static void ps2_queue_push(PS2Queue *q, uint8_t byte)
{
    if (q->count == PS2_QUEUE_SIZE) {
        log_mask(LOG_GUEST_ERROR, "ps2: queue full, byte 0x%02x dropped\n", byte);
        return;
    }
    q->data[(q->head + q->count++) % PS2_QUEUE_SIZE] = byte;
}

bool ps2_queue_pop(PS2Queue *q, uint8_t *byte)
{
    if (!q->count) {
        return false;
    }
    *byte = q->data[q->head];
    q->head = (q->head + 1) % PS2_QUEUE_SIZE;
    q->count--;
    return true;
}

/* Keyboard */

static void kbd_send(PS2KbdState *s, uint8_t byte)
{
    s->last = byte;
    ps2_queue_push(&s->queue, byte);
}

static void kbd_defaults(PS2KbdState *s)
{
    s->scancode_set = 2;
    s->typematic = 0x2b;         /* 10.9 chars/s, 500 ms delay */
}

void ps2_kbd_reset(PS2KbdState *s)
{
    bool translate = s->translate;   /* the controller's setting, not the keyboard's */

    memset(s, 0, sizeof(*s));
    s->translate = translate;
    s->pending_cmd = -1;
    s->scanning = true;
    kbd_defaults(s);
}

/* The argument byte of F0, F3 or ED. */
static void kbd_write_arg(PS2KbdState *s, uint8_t cmd, uint8_t val)
{
    switch (cmd) {
    case KBD_CMD_SCANCODE:
        if (val == 0) {
            kbd_send(s, PS2_ACK);
            kbd_send(s, s->translate ? kbd_set_xlate[s->scancode_set] : s->scancode_set);
        } else if (val <= 3) {
            s->scancode_set = val;
            kbd_send(s, PS2_ACK);
        } else {
            kbd_send(s, PS2_RESEND);
        }
        break;
    case PS2_CMD_RATE:
        s->typematic = val & 0x7f;
        kbd_send(s, PS2_ACK);
        break;
    case KBD_CMD_LEDS:
        s->leds = val & 7;
        kbd_send(s, PS2_ACK);
        break;
    }
}

void ps2_kbd_write(PS2KbdState *s, uint8_t val)
{
    if (s->pending_cmd >= 0) {
        uint8_t cmd = s->pending_cmd;

        s->pending_cmd = -1;
        kbd_write_arg(s, cmd, val);
        return;
    }
    switch (val) {
    case PS2_CMD_RESET:
        ps2_kbd_reset(s);
        kbd_send(s, PS2_ACK);
        kbd_send(s, PS2_BAT_OK);
        break;
    case PS2_CMD_RESEND:
        ps2_queue_push(&s->queue, s->last);
        break;
    case PS2_CMD_DEFAULTS:
        kbd_defaults(s);
        kbd_send(s, PS2_ACK);
        break;
    case PS2_CMD_DISABLE:
        kbd_defaults(s);
        s->scanning = false;
        kbd_send(s, PS2_ACK);
        break;
    case PS2_CMD_ENABLE:
        s->scanning = true;
        kbd_send(s, PS2_ACK);
        break;
    case PS2_CMD_GET_ID:
        kbd_send(s, PS2_ACK);
        kbd_send(s, KBD_ID0);
        kbd_send(s, s->translate ? KBD_ID1_XLATE : KBD_ID1);
        break;
    case KBD_CMD_ECHO:
        kbd_send(s, KBD_CMD_ECHO);
        break;
    case KBD_CMD_SCANCODE:
    case PS2_CMD_RATE:
    case KBD_CMD_LEDS:
        s->pending_cmd = val;
        kbd_send(s, PS2_ACK);
        break;
    default:
        log_mask(LOG_UNIMP, "ps2: keyboard command 0x%02x\n", val);
        kbd_send(s, PS2_RESEND);
        break;
    }
}

/* Mouse */

static void mouse_send(PS2MouseState *s, uint8_t byte)
{
    s->last = byte;
    ps2_queue_push(&s->queue, byte);
}

static void mouse_defaults(PS2MouseState *s)
{
    s->sample_rate = 100;
    s->resolution = 2;           /* 4 counts/mm */
    s->scaling21 = false;
    s->remote = false;
    s->enabled = false;
}

void ps2_mouse_reset(PS2MouseState *s)
{
    memset(s, 0, sizeof(*s));
    s->pending_cmd = -1;
    mouse_defaults(s);
}

/* The argument byte of F3 or E8. */
static void mouse_write_arg(PS2MouseState *s, uint8_t cmd, uint8_t val)
{
    if (cmd == MOUSE_CMD_RES) {
        if (val > 3) {
            mouse_send(s, PS2_RESEND);
            return;
        }
        s->resolution = val;
    } else {
        s->sample_rate = val;
    }
    mouse_send(s, PS2_ACK);
}

void ps2_mouse_write(PS2MouseState *s, uint8_t val)
{
    if (s->pending_cmd >= 0) {
        uint8_t cmd = s->pending_cmd;

        s->pending_cmd = -1;
        mouse_write_arg(s, cmd, val);
        return;
    }
    switch (val) {
    case PS2_CMD_RESET:
        ps2_mouse_reset(s);
        mouse_send(s, PS2_ACK);
        mouse_send(s, PS2_BAT_OK);
        mouse_send(s, MOUSE_ID);
        break;
    case PS2_CMD_RESEND:
        ps2_queue_push(&s->queue, s->last);
        break;
    case PS2_CMD_DEFAULTS:
        mouse_defaults(s);
        mouse_send(s, PS2_ACK);
        break;
    case PS2_CMD_DISABLE:
    case PS2_CMD_ENABLE:
        s->enabled = val == PS2_CMD_ENABLE;
        mouse_send(s, PS2_ACK);
        break;
    case PS2_CMD_GET_ID:
        mouse_send(s, PS2_ACK);
        mouse_send(s, MOUSE_ID);
        break;
    case MOUSE_CMD_REMOTE:
    case MOUSE_CMD_STREAM:
        s->remote = val == MOUSE_CMD_REMOTE;
        mouse_send(s, PS2_ACK);
        break;
    case MOUSE_CMD_READ:         /* a packet without movement or buttons */
        mouse_send(s, PS2_ACK);
        mouse_send(s, MOUSE_PACKET_B0);
        mouse_send(s, 0);
        mouse_send(s, 0);
        break;
    case MOUSE_CMD_STATUS:
        mouse_send(s, PS2_ACK);
        mouse_send(s, (s->remote << 6) | (s->enabled << 5) | (s->scaling21 << 4));
        mouse_send(s, s->resolution);
        mouse_send(s, s->sample_rate);
        break;
    case MOUSE_CMD_SCALE2:
    case MOUSE_CMD_SCALE1:
        s->scaling21 = val == MOUSE_CMD_SCALE2;
        mouse_send(s, PS2_ACK);
        break;
    case PS2_CMD_RATE:
    case MOUSE_CMD_RES:
        s->pending_cmd = val;
        mouse_send(s, PS2_ACK);
        break;
    default:
        log_mask(LOG_UNIMP, "ps2: mouse command 0x%02x\n", val);
        mouse_send(s, PS2_RESEND);
        break;
    }
}
