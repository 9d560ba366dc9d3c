/*
 * chardev.c: character back ends (stdio, file:PATH, null, unix:, tcp:).
 *
 * Each back end is a host file descriptor, or -1 for null.  Output is
 * written with write(2) at once, without stdio buffering, so guest output
 * interleaves correctly with tern's own messages and survives a crash.
 *
 * Sockets (the monitor, QMP, gdb): a server listens and serves one client
 * at a time; while none is connected output is dropped, as with nothing
 * on the line.  The listening socket is watched only while no client is
 * connected; a client's end of file closes it and listening resumes.
 * Front ends hear of both through their event handler (a greeting on
 * CHARDEV_EVENT_OPENED).  Without ",server" tern connects as a client.
 *
 * Input (stdio only): once a front end takes input, stdin is watched by
 * the main loop whenever the front end has room, and a terminal is put in
 * raw mode (restored at exit) so that every key, Ctrl-C included, goes to
 * the guest.  Ctrl-A is the escape key, as in QEMU's -nographic console:
 * Ctrl-A x quits, Ctrl-A h lists the keys, Ctrl-A Ctrl-A sends Ctrl-A,
 * and Ctrl-A c moves the input between the serial port and the monitor
 * when both are on this terminal (chardev_mux_add).
 */
#include "util/osdep.h"
#include "sysemu/chardev.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"

#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#define CHR_ESCAPE 0x01          /* Ctrl-A */

struct Chardev {
    char *spec;
    int fd;                      /* -1: discard output (or no client yet) */
    int fd_in;                   /* -1: no input (file:, null) */
    bool own_fd;                 /* close it in chardev_free */
    bool escape;                 /* Ctrl-A seen, the command key is next */
    bool socket;                 /* fd is a connected socket (send, no SIGPIPE) */
    int listen_fd;               /* a server socket, else -1 */
    char *unix_path;             /* the server's socket file, removed at free */
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

/* ---- sockets ------------------------------------------------------------ */

typedef struct ChrSocketSpec {
    bool is_unix;
    char host[256];              /* tcp: "" means every address */
    char port[16];
    char path[108];              /* unix: */
    bool server, wait;
} ChrSocketSpec;

/* "unix:PATH[,opts]" or "tcp:[HOST]:PORT[,opts]"; opts: server,
 * server=on|off, nowait, wait=on|off.  A server waits for its first
 * client by default, as in QEMU; -1 with *errp on a bad spec. */
static int chr_socket_parse(const char *label, const char *spec, ChrSocketSpec *ss,
                            Error **errp)
{
    const char *addr = strchr(spec, ':') + 1;
    size_t alen = strcspn(addr, ",");
    const char *opt = addr + alen;

    memset(ss, 0, sizeof(*ss));
    ss->is_unix = !strncmp(spec, "unix:", 5);
    ss->wait = true;
    if (ss->is_unix) {
        if (alen == 0 || alen >= sizeof(ss->path)) {
            error_setg(errp, "%s: the socket path must be 1 to %zu characters", label,
                       sizeof(ss->path) - 1);
            return -1;
        }
        memcpy(ss->path, addr, alen);
    } else {
        const char *colon = memrchr(addr, ':', alen);
        size_t hlen = colon ? (size_t)(colon - addr) : 0;
        size_t plen = colon ? alen - hlen - 1 : 0;

        if (!colon || plen == 0 || plen >= sizeof(ss->port) || hlen >= sizeof(ss->host) ||
            strspn(colon + 1, "0123456789") != plen) {
            error_setg(errp, "%s: want tcp:[HOST]:PORT", label);
            return -1;
        }
        memcpy(ss->host, addr, hlen);
        memcpy(ss->port, colon + 1, plen);
    }
    while (*opt == ',') {
        size_t len = strcspn(++opt, ",");

        if ((len == 6 && !strncmp(opt, "server", 6)) || (len == 9 && !strncmp(opt, "server=on", 9))) {
            ss->server = true;
        } else if (len == 10 && !strncmp(opt, "server=off", 10)) {
            ss->server = false;
        } else if ((len == 6 && !strncmp(opt, "nowait", 6)) || (len == 8 && !strncmp(opt, "wait=off", 8))) {
            ss->wait = false;
        } else if (len == 7 && !strncmp(opt, "wait=on", 7)) {
            ss->wait = true;
        } else {
            error_setg(errp, "%s: unknown socket option '%.*s'", label, (int)len, opt);
            return -1;
        }
        opt += len;
    }
    return 0;
}

/* A listening (server) or connected (client) socket for ss; -1 with *errp. */
static int chr_socket_open(const char *label, const ChrSocketSpec *ss, Error **errp)
{
    int fd;

    if (ss->is_unix) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        memcpy(sa.sun_path, ss->path, sizeof(ss->path));
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            error_setg_errno(errp, errno, "%s: socket", label);
            return -1;
        }
        if (ss->server) {
            unlink(ss->path);            /* a stale socket of an earlier run */
        }
        if (ss->server ? (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0)
                       : connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            error_setg_errno(errp, errno, "%s: cannot %s '%s'", label,
                             ss->server ? "listen on" : "connect to", ss->path);
            close(fd);
            return -1;
        }
        return fd;
    }

    struct addrinfo hints = {
        .ai_family = AF_UNSPEC,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = ss->server ? AI_PASSIVE : 0,
    }, *res, *ai;
    int gai = getaddrinfo(ss->host[0] ? ss->host : NULL, ss->port, &hints, &res);
    int err = 0;

    if (gai) {
        error_setg(errp, "%s: %s", label, gai_strerror(gai));
        return -1;
    }
    fd = -1;
    for (ai = res; ai && fd < 0; ai = ai->ai_next) {
        static const int one = 1;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (ss->server) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        }
        if (ss->server ? (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0)
                       : connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, err, "%s: cannot %s port %s", label,
                         ss->server ? "listen on" : "connect to", ss->port);
    }
    return fd;
}

static void chr_socket_watch(Chardev *chr);

/* Server socket files to remove when tern exits, as QEMU does. */
#define CHR_MAX_UNIX_SERVERS 8
static char *chr_unix_paths[CHR_MAX_UNIX_SERVERS];

static void chr_unix_paths_remove(void)
{
    for (unsigned i = 0; i < CHR_MAX_UNIX_SERVERS; i++) {
        if (chr_unix_paths[i]) {
            unlink(chr_unix_paths[i]);
        }
    }
}

static void chr_unix_path_add(const char *path)
{
    static bool registered;

    if (!registered) {
        atexit(chr_unix_paths_remove);
        registered = true;
    }
    for (unsigned i = 0; i < CHR_MAX_UNIX_SERVERS; i++) {
        if (!chr_unix_paths[i]) {
            chr_unix_paths[i] = tern_strdup(path);
            return;
        }
    }
}

static void chr_socket_closed(Chardev *chr)
{
    main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
    close(chr->fd);
    chr->fd = chr->fd_in = -1;
    if (chr->event) {
        chr->event(chr->opaque, CHARDEV_EVENT_CLOSED);
    }
    chr_socket_watch(chr);
}

static void chr_socket_accept(void *opaque)
{
    Chardev *chr = opaque;
    int fd = accept4(chr->listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0) {
        return;
    }
    chr->fd = chr->fd_in = fd;
    chr_socket_watch(chr);
    if (chr->event) {
        chr->event(chr->opaque, CHARDEV_EVENT_OPENED);
    }
}

static Chardev *chr_socket_new(const char *label, const char *spec, Error **errp)
{
    ChrSocketSpec ss;
    Chardev *chr;
    int fd;

    if (chr_socket_parse(label, spec, &ss, errp) < 0 ||
        (fd = chr_socket_open(label, &ss, errp)) < 0) {
        return NULL;
    }
    chr = tern_malloc0(sizeof(*chr));
    chr->spec = tern_strdup(spec);
    chr->socket = true;
    chr->own_fd = true;
    chr->fd = chr->fd_in = chr->listen_fd = -1;
    if (!ss.server) {
        chr->fd = chr->fd_in = fd;
        return chr;
    }
    chr->listen_fd = fd;
    if (ss.is_unix) {
        chr->unix_path = tern_strdup(ss.path);
        chr_unix_path_add(ss.path);
    }
    if (ss.wait) {
        /* as QEMU: the machine starts once the first client is there */
        fprintf(stderr, "tern: waiting for a connection on %s\n", spec);
        chr_socket_accept(chr);
    } else {
        chr_socket_watch(chr);
    }
    return chr;
}

Chardev *chardev_new(const char *opt, const char *spec, Error **errp)
{
    int fd;
    bool own = false;
    int fd_in = -1;
    char label[320];

    snprintf(label, sizeof(label), "%s %s", opt, spec);

    if (!strcmp(spec, "stdio")) {
        fd = STDOUT_FILENO;
        fd_in = STDIN_FILENO;
    } else if (!strcmp(spec, "null")) {
        fd = -1;
    } else if (!strncmp(spec, "file:", 5) && spec[5]) {
        fd = open(spec + 5, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0) {
            error_setg_errno(errp, errno, "%s: cannot open '%s'", label, spec + 5);
            return NULL;
        }
        own = true;
    } else if (!strncmp(spec, "unix:", 5) || !strncmp(spec, "tcp:", 4)) {
        return chr_socket_new(label, spec, errp);
    } else {
        error_setg(errp, "%s: unknown character device (stdio, null, file:PATH, "
                   "unix:PATH,server,nowait, tcp:HOST:PORT,server,nowait)", label);
        return NULL;
    }

    Chardev *chr = tern_malloc0(sizeof(*chr));
    chr->spec = tern_strdup(spec);
    chr->fd = fd;
    chr->fd_in = fd_in;
    chr->own_fd = own;
    chr->listen_fd = -1;
    return chr;
}

void chardev_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    while (chr->fd >= 0 && len > 0) {
        /* a socket whose client went away: EPIPE, not SIGPIPE */
        ssize_t n = chr->socket ? send(chr->fd, buf, len, MSG_NOSIGNAL) : write(chr->fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;              /* like a real UART with nothing listening */
        }
        buf += n;
        len -= (size_t)n;
    }
}

/* ---- the terminal ---------------------------------------------------- */

static struct termios tty_saved;
static bool tty_raw;

static void tty_restore(void)
{
    if (tty_raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &tty_saved);
        tty_raw = false;
    }
}

/* Raw input, output post-processing kept (the guest's \n becomes \r\n as
 * on a serial console), no echo, no signals: Ctrl-C is the guest's. */
static void tty_make_raw(void)
{
    struct termios t;

    if (tty_raw || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tty_saved) < 0) {
        return;
    }
    t = tty_saved;
    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag |= OPOST;
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN | ISIG);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0) {
        tty_raw = true;
        /* a clean end (also on SIGTERM: main-loop.c) runs atexit; a
         * signal 2 s or more after the first kills, after tty_restore */
        atexit(tty_restore);
        main_loop_set_last_words(tty_restore);
    }
}

/* ---- input ------------------------------------------------------------- */

static void chr_print(Chardev *chr, const char *msg)
{
    chardev_write(chr, (const uint8_t *)msg, strlen(msg));
}

/* Ctrl-A c: input goes to the other front end from now on. */
static void chr_mux_switch(Chardev *chr)
{
    ChardevCanReceive can_receive = chr->can_receive;
    ChardevReceive receive = chr->receive;
    ChardevFocus focus = chr->focus;
    void *opaque = chr->opaque;

    chr->can_receive = chr->mux_can_receive;
    chr->receive = chr->mux_receive;
    chr->focus = chr->mux_focus;
    chr->opaque = chr->mux_opaque;
    chr->mux_can_receive = can_receive;
    chr->mux_receive = receive;
    chr->mux_focus = focus;
    chr->mux_opaque = opaque;
    if (chr->mux_focus) {
        chr->mux_focus(chr->mux_opaque, false);
    }
    if (chr->focus) {
        chr->focus(chr->opaque, true);
    }
}

/* The key after Ctrl-A. */
static void chr_escape_command(Chardev *chr, uint8_t key)
{
    static const uint8_t escape = CHR_ESCAPE;

    switch (key) {
    case 'x':
        chr_print(chr, "\r\ntern: terminated (Ctrl-A x)\r\n");
        runstate_request_shutdown(0);
        break;
    case 'h':
    case '?':
        chr_print(chr, "\r\nC-a h    print this help\r\n"
                       "C-a x    exit tern\r\n"
                       "C-a c    switch between console and monitor\r\n"
                       "C-a C-a  send C-a\r\n");
        break;
    case 'c':
        if (!chr->mux_receive) {
            chr_print(chr, "\r\ntern: no monitor on this console (-monitor)\r\n");
        } else {
            chr_mux_switch(chr);
        }
        break;
    case CHR_ESCAPE:
    case 'a':
        chardev_deliver_input(chr, &escape, 1);
        break;
    default:
        break;                   /* as QEMU: unknown commands are ignored */
    }
}

static bool chr_stdin_can_read(void *opaque)
{
    Chardev *chr = opaque;

    return chr->can_receive && chr->can_receive(chr->opaque) > 0;
}

static void chr_stdin_read(void *opaque)
{
    Chardev *chr = opaque;
    uint8_t buf[64];
    int room = chr->can_receive ? chr->can_receive(chr->opaque) : 0;
    ssize_t n = read(chr->fd_in, buf, MIN(sizeof(buf), (size_t)MAX(room, 1)));

    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        if (chr->socket && chr->listen_fd >= 0) {
            chr_socket_closed(chr);      /* the client left: listen again */
            return;
        }
        /* end of input (</dev/null, a closed pipe): stop watching it */
        main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
        return;
    }
    if (chr->socket) {
        chardev_deliver_input(chr, buf, (size_t)MAX(n, 0));   /* no escape key */
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (chr->escape) {
            chr->escape = false;
            chr_escape_command(chr, buf[i]);
        } else if (buf[i] == CHR_ESCAPE) {
            chr->escape = true;
        } else {
            chardev_deliver_input(chr, &buf[i], 1);
        }
    }
}

void chardev_set_handlers(Chardev *chr, ChardevCanReceive can_receive,
                          ChardevReceive receive, void *opaque)
{
    chr->can_receive = can_receive;
    chr->receive = receive;
    chr->opaque = opaque;
    if (chr->fd_in < 0) {
        return;
    }
    if (receive) {
        if (!chr->socket) {
            tty_make_raw();
        }
        main_loop_set_fd_handler(chr->fd_in, chr_stdin_can_read, chr_stdin_read, chr);
    } else {
        main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
    }
}

void chardev_mux_add(Chardev *chr, ChardevCanReceive can_receive, ChardevReceive receive,
                     ChardevFocus focus, void *opaque)
{
    assert(!chr->socket && !chr->mux_receive);
    if (!chr->receive) {
        /* no first front end (-serial none): this one is the only one */
        chardev_set_handlers(chr, can_receive, receive, opaque);
        chr->focus = focus;
        focus(opaque, true);
        return;
    }
    chr->mux_can_receive = can_receive;
    chr->mux_receive = receive;
    chr->mux_focus = focus;
    chr->mux_opaque = opaque;
}

void chardev_set_event_handler(Chardev *chr, ChardevEvent event)
{
    chr->event = event;
    if (event && chr->socket && chr->fd >= 0) {
        event(chr->opaque, CHARDEV_EVENT_OPENED);   /* connected before */
    }
}

bool chardev_is_connected(const Chardev *chr)
{
    return chr->fd >= 0;
}

/* Watch what the socket needs now: the listener while no client is
 * connected, else the client (when a front end takes input). */
static void chr_socket_watch(Chardev *chr)
{
    if (chr->listen_fd < 0) {
        return;
    }
    if (chr->fd < 0) {
        main_loop_set_fd_handler(chr->listen_fd, NULL, chr_socket_accept, chr);
        return;
    }
    main_loop_set_fd_handler(chr->listen_fd, NULL, NULL, NULL);
    if (chr->receive) {
        main_loop_set_fd_handler(chr->fd_in, chr_stdin_can_read, chr_stdin_read, chr);
    }
}

void chardev_input_ready(Chardev *chr)
{
    if (chr->fd_in >= 0) {
        main_loop_wakeup();      /* the loop re-asks can_read */
    }
}

size_t chardev_deliver_input(Chardev *chr, const uint8_t *buf, size_t len)
{
    if (!chr->receive || !chr->can_receive) {
        return 0;
    }
    int room = chr->can_receive(chr->opaque);
    size_t n = room > 0 ? MIN(len, (size_t)room) : 0;
    if (n) {
        chr->receive(chr->opaque, buf, n);
    }
    return n;
}

void chardev_free(Chardev *chr)
{
    if (!chr) {
        return;
    }
    if (chr->fd_in >= 0 && chr->fd_in != chr->fd) {
        main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
    }
    if (chr->own_fd && chr->fd >= 0) {
        main_loop_set_fd_handler(chr->fd, NULL, NULL, NULL);
        close(chr->fd);
    }
    if (chr->listen_fd >= 0) {
        main_loop_set_fd_handler(chr->listen_fd, NULL, NULL, NULL);
        close(chr->listen_fd);
    }
    if (chr->unix_path) {
        unlink(chr->unix_path);
        free(chr->unix_path);
    }
    free(chr->spec);
    free(chr);
}
