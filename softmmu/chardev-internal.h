/*
 * chardev-internal.h: what the character back ends share: the Chardev
 * itself (chardev.c: the core, stdio, file, null, the -chardev registry),
 * sockets (chardev-socket.c) and pseudo-terminals (chardev-pty.c).
 */
#ifndef SOFTMMU_CHARDEV_INTERNAL_H
#define SOFTMMU_CHARDEV_INTERNAL_H

#include "sysemu/chardev.h"
#include "sysemu/timer.h"

struct Chardev {
    ChardevBackendKind kind;
    char *filename;              /* "info chardev", messages */
    char *id;                    /* -chardev id=, or NULL */
    unsigned users;              /* front ends holding a defined one */
    bool mux;                    /* stdio,mux=on: a second front end may join */
    bool signal;                 /* stdio,signal=on: keep Ctrl-C's SIGINT */
    int fd;                      /* -1: discard output (or no client yet) */
    int fd_in;                   /* -1: no input (file:, null) */
    bool own_fd;                 /* close it in chardev_free */
    bool escape;                 /* Ctrl-A seen, the command key is next */
    int listen_fd;               /* a server socket, else -1 */
    char *unix_path;             /* the server's socket file, removed at free */
    bool pty_connected;          /* the pty's other side is open */
    Timer pty_timer;             /* looks for it while it is not */
    ChardevCanReceive can_receive;
    ChardevReceive receive;
    ChardevEvent event;
    void *opaque;
    /* the other front end of a mux (chardev_mux_add): swapped with the
     * fields above by Ctrl-A c; focus is the one of the front end above */
    ChardevCanReceive mux_can_receive;
    ChardevReceive mux_receive;
    ChardevFocus focus, mux_focus;
    void *mux_opaque;
};

/* A Chardev of kind with no descriptors yet (fd, fd_in, listen_fd -1). */
Chardev *chr_alloc(ChardevBackendKind kind, const char *filename);
/* Watch fd_in for the front end's input, or stop, as the state says. */
void chr_watch_input(Chardev *chr);

/* ---- sockets (chardev-socket.c) ---------------------------------------- */

typedef struct ChrSocketSpec {
    bool is_unix;
    char host[256];              /* tcp: "" means every address */
    char port[16];
    char path[108];              /* unix: */
    bool server, wait;
} ChrSocketSpec;

/* "unix:PATH[,opts]" or "tcp:[HOST]:PORT[,opts]" (chardev.h); -1 with
 * *errp ("LABEL: why") on a bad spec. */
int chr_socket_parse(const char *label, const char *spec, ChrSocketSpec *ss, Error **errp);
/* Listen or connect as ss says; a server with wait waits for its first
 * client here.  NULL with *errp. */
Chardev *chr_socket_new(const char *label, const ChrSocketSpec *ss, const char *filename,
                        Error **errp);
/* The client left (end of file): listen again. */
void chr_socket_closed(Chardev *chr);
void chr_socket_free(Chardev *chr);

/* ---- pseudo-terminals (chardev-pty.c) ------------------------------------ */

/* A new pty; "char device redirected to /dev/pts/N (label LABEL)" on
 * stderr, as QEMU.  NULL with *errp ("OPT: why"). */
Chardev *chr_pty_new(const char *opt, const char *label, Error **errp);
/* Output goes somewhere: the other side is open (or was never opened:
 * the pty keeps what is written until someone reads). */
bool chr_pty_writable(Chardev *chr);
/* Reading gave EIO: the other side closed. */
void chr_pty_hangup(Chardev *chr);
void chr_pty_free(Chardev *chr);

#endif
