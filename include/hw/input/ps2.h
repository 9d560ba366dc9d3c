/*
 * ps2.h: a PS/2 keyboard and a PS/2 mouse, as the devices behind an 8042.
 *
 * The controller hands each device the bytes the guest sends it
 * (ps2_kbd_write, ps2_mouse_write) and takes the device's answers from its
 * queue (ps2_queue_pop) when its output buffer is free.  Answers follow the
 * IBM PS/2 keyboard and mouse technical references: 0xFA acknowledges,
 * 0xFE (resend) refuses an unknown command or argument.  There is no host
 * input yet, so the queues only ever hold command answers.
 */
#ifndef HW_INPUT_PS2_H
#define HW_INPUT_PS2_H

#include "util/osdep.h"

#define PS2_QUEUE_SIZE 16        /* bytes a device holds for the controller */

typedef struct PS2Queue {
    uint8_t data[PS2_QUEUE_SIZE];
    unsigned head, count;        /* a byte that finds the queue full is dropped */
} PS2Queue;

typedef struct PS2KbdState {
    PS2Queue queue;
    int pending_cmd;             /* command awaiting its argument byte, or -1 */
    bool scanning;               /* F4/F5 */
    bool translate;              /* the controller translates: set-2 IDs read as set 1 */
    uint8_t scancode_set;        /* 1-3 (F0) */
    uint8_t leds;                /* ED */
    uint8_t typematic;           /* F3 */
    uint8_t last;                /* last byte sent, for FE (resend) */
} PS2KbdState;

typedef struct PS2MouseState {
    PS2Queue queue;
    int pending_cmd;             /* command awaiting its argument byte, or -1 */
    bool enabled;                /* data reporting (F4/F5) */
    bool remote;                 /* remote mode (F0) vs stream mode (EA) */
    bool scaling21;              /* E7/E6 */
    uint8_t resolution;          /* 0-3 (E8) */
    uint8_t sample_rate;         /* F3 */
    uint8_t last;
} PS2MouseState;

/* Next byte for the controller; false if the queue is empty. */
bool ps2_queue_pop(PS2Queue *q, uint8_t *byte);

/* A byte from the controller (command or argument); answers are queued. */
void ps2_kbd_write(PS2KbdState *s, uint8_t val);
void ps2_mouse_write(PS2MouseState *s, uint8_t val);

/* Power-on state: queue empty, defaults, scanning / reporting as after
 * power-up (keyboard scanning, mouse disabled). */
void ps2_kbd_reset(PS2KbdState *s);
void ps2_mouse_reset(PS2MouseState *s);

#endif
