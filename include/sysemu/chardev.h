/*
 * chardev.h: character back ends, the host side of serial ports, the
 * monitors and the gdb stub.
 *
 * A Chardev is created from a spec (-serial, -monitor, -qmp, -gdb):
 *   stdio      this terminal: output to stdout, input from stdin (raw
 *              mode on a terminal; Ctrl-A is the escape key: Ctrl-A x
 *              quits, Ctrl-A h lists the keys)
 *   file:PATH  PATH, created or truncated
 *   null       output discarded
 *   pty        a new host pseudo-terminal (its /dev/pts path is printed)
 *   unix:PATH[,server][,nowait]      a Unix socket
 *   tcp:[HOST]:PORT[,server][,nowait] a TCP socket
 *              with server (server=on), tern listens and serves one
 *              client at a time (output is dropped while none is
 *              connected) and, unless nowait (wait=off), waits for the
 *              first one before going on; without it tern connects
 *   chardev:ID the back end defined by -chardev ...,id=ID
 * ("none", meaning "no serial port at all", is the board's business.)
 * or from QEMU's -chardev BACKEND,id=ID[,PROPS] (chardev_define; the
 * properties: chardev_opts_parse).  A defined back end has one front end,
 * or two for stdio with mux=on (the serial port and a human monitor).
 * Writes are synchronous and complete before chardev_write returns, so a
 * front end (the UART) can treat its transmitter as always empty.
 *
 * Input: a front end registers handlers with chardev_set_handlers; the
 * back end calls can_receive/receive from the main loop with the machine
 * lock held, only while can_receive says there is room.  A front end whose
 * room grows (the guest read its receive buffer) calls chardev_input_ready
 * so the main loop looks again.
 *
 * Locking: a Chardev is used by its front ends under the machine lock;
 * chardev_define and the specs are handled on the main thread at start-up.
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
 * *errp set ("OPT SPEC: why", naming the path for file:) on failure.
 * "chardev:ID" gives the defined back end ID (chardev_claim). */
Chardev *chardev_new(const char *opt, const char *spec, Error **errp);

/* ---- -chardev ------------------------------------------------------------ */

typedef enum ChardevBackendKind {
    CHARDEV_BACKEND_NULL,
    CHARDEV_BACKEND_STDIO,
    CHARDEV_BACKEND_FILE,
    CHARDEV_BACKEND_SOCKET,
    CHARDEV_BACKEND_PTY,
} ChardevBackendKind;

#define CHARDEV_ID_MAX   64          /* with the NUL */
#define CHARDEV_PATH_MAX 4096
#define CHARDEV_MAX      16          /* -chardev options */

/* One -chardev, parsed: QEMU's properties for each back end
 *   null, pty      (only id= and mux=off)
 *   stdio          signal=on|off, mux=on|off
 *   file           path=PATH, append=on|off
 *   socket         path=PATH (Unix) or [host=HOST,]port=PORT (TCP),
 *                  server=on|off, wait=on|off
 * Booleans also as QEMU's bare flags: "server" is server=on, "nowait"
 * wait=off.  ",," in a value is a comma. */
typedef struct ChardevOptions {
    ChardevBackendKind backend;
    char id[CHARDEV_ID_MAX];
    char path[CHARDEV_PATH_MAX];     /* file, Unix socket; "" if none */
    char host[256];                  /* TCP: "" = every address (server) or localhost */
    char port[8];                    /* TCP: "" for a Unix socket */
    bool append;                     /* file: append=on */
    bool server, wait;               /* socket: wait defaults to on */
    bool signal;                     /* stdio: Ctrl-C ends tern (signal=on) */
    bool mux;                        /* stdio: a second front end may join */
} ChardevOptions;

/* Parse the argument of -chardev into co; -EINVAL with a one-line *errp
 * ("-chardev ARG: why") if it is not one QEMU and tern both accept. */
int chardev_opts_parse(const char *arg, ChardevOptions *co, Error **errp);

/* -mon [chardev=]ID[,mode=readline|control][,pretty=off][,id=NAME]. */
typedef struct ChardevMonOptions {
    char chardev[CHARDEV_ID_MAX];
    bool control;                    /* mode=control: QMP, else the human monitor */
} ChardevMonOptions;

int chardev_mon_parse(const char *arg, ChardevMonOptions *mo, Error **errp);

/* -chardev ARG: parse it and open the back end under its id (a server
 * socket with wait=on waits for its client here, as QEMU).  -EINVAL with
 * *errp on a bad or duplicate one or one that cannot open. */
int chardev_define(const char *arg, Error **errp);
/* The defined back end ID, for a front end; label starts the errors
 * ("-serial chardev:ID").  NULL with *errp if there is none or it is in
 * use.  With shared non-NULL, a mux=on back end that already has its
 * first front end is given too and *shared set: join it with
 * chardev_mux_add. */
Chardev *chardev_claim(const char *label, const char *id, bool *shared, Error **errp);
/* The id given with -chardev, or NULL for a back end from a spec. */
const char *chardev_id(const Chardev *chr);
/* What "info chardev" shows: "stdio", "pty:/dev/pts/3", "unix:PATH,server=on". */
const char *chardev_filename(const Chardev *chr);
/* The terminal (the stdio back end). */
bool chardev_is_stdio(const Chardev *chr);
/* The defined back ends in -chardev order, for "info chardev". */
void chardev_foreach_defined(void (*fn)(void *opaque, const Chardev *chr), void *opaque);
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
/* -EBUSY if two front ends share chr already. */
int chardev_mux_add(Chardev *chr, ChardevCanReceive can_receive, ChardevReceive receive,
                     ChardevFocus focus, void *opaque);
/* Deliver input to the front end (back ends, tests); returns bytes taken. */
size_t chardev_deliver_input(Chardev *chr, const uint8_t *buf, size_t len);
/* Close a back end from a spec; a defined one (chardev:ID) is only given
 * back (the front end's handlers dropped), for another front end. */
void chardev_free(Chardev *chr);

#endif
