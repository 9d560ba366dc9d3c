/*
 * chardev.h: character back ends, the host side of serial ports (and later
 * the monitor).
 *
 * A Chardev is created from a -serial spec:
 *   stdio      this terminal: output to stdout, input from stdin (raw
 *              mode on a terminal; Ctrl-A is the escape key: Ctrl-A x
 *              quits, Ctrl-A h lists the keys)
 *   file:PATH  PATH, created or truncated
 *   null       output discarded
 *   unix:PATH[,server][,nowait]      a Unix socket
 *   tcp:[HOST]:PORT[,server][,nowait] a TCP socket
 *              with server (server=on), tern listens and serves one
 *              client at a time (output is dropped while none is
 *              connected) and, unless nowait (wait=off), waits for the
 *              first one before going on; without it tern connects
 * ("none", meaning "no serial port at all", is the board's business.)
 * Writes are synchronous and complete before chardev_write returns, so a
 * front end (the UART) can treat its transmitter as always empty.
 *
 * Input: a front end registers handlers with chardev_set_handlers; the
 * back end calls can_receive/receive from the main loop with the machine
 * lock held, only while can_receive says there is room.  A front end whose
 * room grows (the guest read its receive buffer) calls chardev_input_ready
 * so the main loop looks again.
 *
 * Locking: a Chardev is used by its one front end under the machine lock.
 */
#ifndef SYSEMU_CHARDEV_H
#define SYSEMU_CHARDEV_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct Chardev Chardev;

/* How many bytes the front end can take now, and the delivery itself. */
typedef int (*ChardevCanReceive)(void *opaque);
typedef void (*ChardevReceive)(void *opaque, const uint8_t *buf, size_t len);
/* A socket's client connected or left (a greeting goes out on OPENED). */
typedef enum { CHARDEV_EVENT_OPENED, CHARDEV_EVENT_CLOSED } ChardevEventKind;
typedef void (*ChardevEvent)(void *opaque, ChardevEventKind event);

/* Open the back end named by spec for option opt ("-serial"); NULL with
 * *errp set ("OPT SPEC: why", naming the path for file:) on failure. */
Chardev *chardev_new(const char *opt, const char *spec, Error **errp);
/* Write all of buf; errors (a closed pipe, a full disk) drop the bytes. */
void chardev_write(Chardev *chr, const uint8_t *buf, size_t len);
void chardev_set_handlers(Chardev *chr, ChardevCanReceive can_receive,
                          ChardevReceive receive, void *opaque);
/* After chardev_set_handlers (same opaque): connect and disconnect
 * events; a client already connected gets OPENED at once. */
void chardev_set_event_handler(Chardev *chr, ChardevEvent event);
/* Output goes somewhere now (a file, stdio, a connected client). */
bool chardev_is_connected(const Chardev *chr);
/* The front end has room again (any thread, machine lock held). */
void chardev_input_ready(Chardev *chr);
/* A second front end on the stdio console (the monitor beside the serial
 * port, as QEMU's mux): input goes to one at a time, the first one first;
 * Ctrl-A c moves it to the other, telling both through focus(opaque, in).
 * Output of both goes out. */
typedef void (*ChardevFocus)(void *opaque, bool in);
void chardev_mux_add(Chardev *chr, ChardevCanReceive can_receive, ChardevReceive receive,
                     ChardevFocus focus, void *opaque);
/* Deliver input to the front end (back ends, tests); returns bytes taken. */
size_t chardev_deliver_input(Chardev *chr, const uint8_t *buf, size_t len);
void chardev_free(Chardev *chr);

#endif
