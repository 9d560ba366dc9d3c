/*
 * chardev.c: character back ends: the core (output, input, the stdio mux),
 * stdio, file:PATH, null, and the -chardev registry; sockets live in
 * chardev-socket.c, pseudo-terminals in chardev-pty.c, the -chardev
 * property parser in chardev-opts.c.
 *
 * Each back end is a host file descriptor, or -1 for null.  Output is
 * written with write(2) at once, without stdio buffering, so guest output
 * interleaves correctly with tern's own messages and survives a crash.
 *
 * Input (stdio, sockets, ptys): once a front end takes input, its fd is
 * watched by the main loop whenever the front end has room, and a terminal
 * is put in raw mode (restored at exit) so that every key, Ctrl-C
 * included, goes to the guest (unless -chardev stdio,signal=on).  On
 * stdio, Ctrl-A is the escape key, as in QEMU's -nographic console:
 * Ctrl-A x quits, Ctrl-A h lists the keys, Ctrl-A Ctrl-A sends Ctrl-A,
 * and Ctrl-A c moves the input between the serial port and the monitor
 * when both are on this terminal (chardev_mux_add).
 *
 * The registry: -chardev back ends are opened by chardev_define, in
 * command-line order before any front end, and live as long as tern;
 * chardev_claim hands each to one front end ("chardev:ID"), a mux=on
 * stdio one to two.  Only one stdio back end may come from -chardev,
 * and none beside it from a spec (QEMU: "cannot use stdio by multiple
 * character devices"); specs alone may still share the terminal as
 * before (the -nographic console and -monitor stdio).
 */
#include "util/osdep.h"
#include "chardev-internal.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#define CHR_ESCAPE 0x01          /* Ctrl-A */
/* How long a write waits for a full pty to drain before dropping. */
#define CHR_WRITE_WAIT_MS 50

/* The -chardev back ends, in command-line order (main thread). */
static Chardev *chr_defined[CHARDEV_MAX];
static unsigned chr_defined_count;
static unsigned chr_stdio_count;         /* stdio back ends open */
static Chardev *chr_stdio_defined;       /* the -chardev stdio, if any */

Chardev *chr_alloc(ChardevBackendKind kind, const char *filename)
{
    Chardev *chr = tern_malloc0(sizeof(*chr));

    chr->kind = kind;
    chr->filename = tern_strdup(filename);
    chr->fd = chr->fd_in = chr->listen_fd = -1;
    return chr;
}

static Chardev *chr_stdio_new(const char *label, bool defined, Error **errp)
{
    Chardev *chr;

    if (chr_stdio_defined) {
        error_setg(errp, "%s: cannot use stdio by multiple character devices (-chardev id '%s' "
                   "has it)", label, chr_stdio_defined->id);
        return NULL;
    }
    if (defined && chr_stdio_count) {
        error_setg(errp, "%s: cannot use stdio by multiple character devices", label);
        return NULL;
    }
    chr = chr_alloc(CHARDEV_BACKEND_STDIO, "stdio");
    chr->fd = STDOUT_FILENO;
    chr->fd_in = STDIN_FILENO;
    chr_stdio_count++;
    if (defined) {
        chr_stdio_defined = chr;         /* its id follows in chardev_define */
    }
    return chr;
}

static Chardev *chr_file_new(const char *label, const char *path, bool append, Error **errp)
{
    int fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0666);
    Chardev *chr;
    char *filename;

    if (fd < 0) {
        error_setg_errno(errp, errno, "%s: cannot open '%s'", label, path);
        return NULL;
    }
    filename = tern_malloc0(strlen(path) + 6);
    sprintf(filename, "file:%s", path);
    chr = chr_alloc(CHARDEV_BACKEND_FILE, filename);
    free(filename);
    chr->fd = fd;
    chr->own_fd = true;
    return chr;
}

Chardev *chardev_new(const char *opt, const char *spec, Error **errp)
{
    char label[320];

    snprintf(label, sizeof(label), "%s %s", opt, spec);

    if (!strcmp(spec, "stdio")) {
        return chr_stdio_new(label, false, errp);
    } else if (!strcmp(spec, "null")) {
        return chr_alloc(CHARDEV_BACKEND_NULL, "null");
    } else if (!strcmp(spec, "pty")) {
        char name[32];

        snprintf(name, sizeof(name), "%s0", opt + (opt[0] == '-'));   /* "serial0" */
        return chr_pty_new(label, name, errp);
    } else if (!strncmp(spec, "file:", 5) && spec[5]) {
        return chr_file_new(label, spec + 5, false, errp);
    } else if (!strncmp(spec, "chardev:", 8)) {
        return chardev_claim(label, spec + 8, NULL, errp);
    } else if (!strncmp(spec, "unix:", 5) || !strncmp(spec, "tcp:", 4)) {
        ChrSocketSpec ss;

        if (chr_socket_parse(label, spec, &ss, errp) < 0) {
            return NULL;
        }
        return chr_socket_new(label, &ss, spec, errp);
    }
    error_setg(errp, "%s: unknown character device (stdio, null, pty, file:PATH, "
               "unix:PATH,server,nowait, tcp:HOST:PORT,server,nowait, chardev:ID)", label);
    return NULL;
}

/* A full non-blocking fd (a pty nobody reads): wait a little, then the
 * caller drops the rest, so the guest never hangs on its console. */
static bool chr_wait_writable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };

    return poll(&pfd, 1, CHR_WRITE_WAIT_MS) > 0 && !(pfd.revents & (POLLHUP | POLLERR));
}

void chardev_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    bool socket = chr->kind == CHARDEV_BACKEND_SOCKET;

    if (chr->kind == CHARDEV_BACKEND_PTY && !chr_pty_writable(chr)) {
        return;                  /* nobody on the other side */
    }
    while (chr->fd >= 0 && len > 0) {
        /* a socket whose client went away: EPIPE, not SIGPIPE */
        ssize_t n = socket ? send(chr->fd, buf, len, MSG_NOSIGNAL) : write(chr->fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN && chr_wait_writable(chr->fd)) {
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
 * on a serial console), no echo, no signals: Ctrl-C is the guest's
 * (with keep_signals, stdio,signal=on, it ends tern as in QEMU). */
static void tty_make_raw(bool keep_signals)
{
    struct termios t;

    if (tty_raw || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tty_saved) < 0) {
        return;
    }
    t = tty_saved;
    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag |= OPOST;
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN | (keep_signals ? 0 : ISIG));
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

static bool chr_fd_can_read(void *opaque)
{
    Chardev *chr = opaque;

    return chr->can_receive && chr->can_receive(chr->opaque) > 0;
}

static void chr_fd_read(void *opaque)
{
    Chardev *chr = opaque;
    uint8_t buf[64];
    int room = chr->can_receive ? chr->can_receive(chr->opaque) : 0;
    ssize_t n = read(chr->fd_in, buf, MIN(sizeof(buf), (size_t)MAX(room, 1)));

    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return;
    }
    if (n <= 0) {
        if (chr->kind == CHARDEV_BACKEND_SOCKET && chr->listen_fd >= 0) {
            chr_socket_closed(chr);      /* the client left: listen again */
        } else if (chr->kind == CHARDEV_BACKEND_PTY && n < 0 && errno == EIO) {
            chr_pty_hangup(chr);         /* the reader left: look for the next */
        } else {
            /* end of input (</dev/null, a closed pipe): stop watching it */
            main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
        }
        return;
    }
    if (chr->kind != CHARDEV_BACKEND_STDIO) {
        chardev_deliver_input(chr, buf, (size_t)n);   /* no escape key */
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

void chr_watch_input(Chardev *chr)
{
    bool want = chr->receive && (chr->kind != CHARDEV_BACKEND_PTY || chr->pty_connected);

    if (chr->fd_in < 0) {
        return;                  /* no input, or a server without a client */
    }
    if (want) {
        if (chr->kind == CHARDEV_BACKEND_STDIO) {
            tty_make_raw(chr->signal);
        }
        main_loop_set_fd_handler(chr->fd_in, chr_fd_can_read, chr_fd_read, chr);
    } else {
        main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
    }
}

void chardev_set_handlers(Chardev *chr, ChardevCanReceive can_receive,
                          ChardevReceive receive, void *opaque)
{
    chr->can_receive = can_receive;
    chr->receive = receive;
    chr->opaque = opaque;
    chr_watch_input(chr);
}

int chardev_mux_add(Chardev *chr, ChardevCanReceive can_receive, ChardevReceive receive,
                    ChardevFocus focus, void *opaque)
{
    assert(chr->kind == CHARDEV_BACKEND_STDIO);
    if (chr->mux_receive) {
        return -EBUSY;
    }
    if (!chr->receive) {
        /* no first front end (-serial none): this one is the only one */
        chardev_set_handlers(chr, can_receive, receive, opaque);
        chr->focus = focus;
        focus(opaque, true);
        return 0;
    }
    chr->mux_can_receive = can_receive;
    chr->mux_receive = receive;
    chr->mux_focus = focus;
    chr->mux_opaque = opaque;
    return 0;
}

void chardev_set_event_handler(Chardev *chr, ChardevEvent event)
{
    chr->event = event;
    if (event && chr->kind == CHARDEV_BACKEND_SOCKET && chr->fd >= 0) {
        event(chr->opaque, CHARDEV_EVENT_OPENED);   /* connected before */
    }
}

bool chardev_is_connected(const Chardev *chr)
{
    return chr->fd >= 0 && (chr->kind != CHARDEV_BACKEND_PTY || chr->pty_connected);
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

/* ---- -chardev: the registry ---------------------------------------------- */

static Chardev *chr_new_from_opts(const char *label, const ChardevOptions *co, Error **errp)
{
    Chardev *chr = NULL;

    switch (co->backend) {
    case CHARDEV_BACKEND_NULL:
        chr = chr_alloc(CHARDEV_BACKEND_NULL, "null");
        break;
    case CHARDEV_BACKEND_STDIO:
        chr = chr_stdio_new(label, true, errp);
        break;
    case CHARDEV_BACKEND_FILE:
        chr = chr_file_new(label, co->path, co->append, errp);
        break;
    case CHARDEV_BACKEND_PTY:
        chr = chr_pty_new(label, co->id, errp);
        break;
    case CHARDEV_BACKEND_SOCKET: {
        ChrSocketSpec ss = { .is_unix = !co->port[0], .server = co->server, .wait = co->wait };
        char filename[CHARDEV_PATH_MAX + 320];

        size_t plen = strlen(co->path);

        assert(plen < sizeof(ss.path));          /* checked by chardev_opts_parse */
        memcpy(ss.path, co->path, plen + 1);
        _Static_assert(sizeof(ss.host) >= sizeof(co->host), "host");
        _Static_assert(sizeof(ss.port) >= sizeof(co->port), "port");
        strcpy(ss.host, co->host);
        strcpy(ss.port, co->port);
        if (ss.is_unix) {
            snprintf(filename, sizeof(filename), "unix:%s%s", co->path,
                     co->server ? ",server=on" : "");
        } else {
            snprintf(filename, sizeof(filename), "tcp:%s:%s%s", co->host, co->port,
                     co->server ? ",server=on" : "");
        }
        chr = chr_socket_new(label, &ss, filename, errp);
        break;
    }
    }
    return chr;
}

static Chardev *chr_find(const char *id)
{
    for (unsigned i = 0; i < chr_defined_count; i++) {
        if (!strcmp(chr_defined[i]->id, id)) {
            return chr_defined[i];
        }
    }
    return NULL;
}

int chardev_define(const char *arg, Error **errp)
{
    ChardevOptions *co = tern_malloc0(sizeof(*co));
    char *label = tern_malloc0(strlen(arg) + 16);
    Chardev *chr;
    int ret = -EINVAL;

    sprintf(label, "-chardev %s", arg);
    if (chardev_opts_parse(arg, co, errp) < 0) {
        goto out;
    }
    if (chr_find(co->id)) {
        error_setg(errp, "%s: duplicate ID '%s' for chardev", label, co->id);
        goto out;
    }
    if (chr_defined_count >= CHARDEV_MAX) {
        error_setg(errp, "%s: at most %d -chardev back ends", label, CHARDEV_MAX);
        goto out;
    }
    chr = chr_new_from_opts(label, co, errp);
    if (!chr) {
        goto out;
    }
    chr->id = tern_strdup(co->id);
    chr->mux = co->mux;
    chr->signal = co->signal;
    chr_defined[chr_defined_count++] = chr;
    ret = 0;
out:
    free(label);
    free(co);
    return ret;
}

Chardev *chardev_claim(const char *label, const char *id, bool *shared, Error **errp)
{
    Chardev *chr = chr_find(id);

    if (!chr) {
        error_setg(errp, "%s: chardev '%s' not found", label, id);
        return NULL;
    }
    if (chr->users == 0 || (shared && chr->mux && chr->users == 1)) {
        if (shared) {
            *shared = chr->users == 1;
        }
        chr->users++;
        return chr;
    }
    if (chr->mux && chr->users == 1) {
        error_setg(errp, "%s: device '%s' is in use (a mux=on chardev is shared with the "
                   "human monitor only)", label, id);
    } else {
        error_setg(errp, "%s: device '%s' is in use", label, id);
    }
    return NULL;
}

const char *chardev_id(const Chardev *chr)
{
    return chr->id;
}

const char *chardev_filename(const Chardev *chr)
{
    return chr->filename;
}

bool chardev_is_stdio(const Chardev *chr)
{
    return chr->kind == CHARDEV_BACKEND_STDIO;
}

void chardev_foreach_defined(void (*fn)(void *opaque, const Chardev *chr), void *opaque)
{
    for (unsigned i = 0; i < chr_defined_count; i++) {
        fn(opaque, chr_defined[i]);
    }
}

void chardev_free(Chardev *chr)
{
    if (!chr) {
        return;
    }
    if (chr->id) {
        /* the registry keeps it: only the front end goes */
        if (chr->users && --chr->users == 0) {
            chardev_set_handlers(chr, NULL, NULL, NULL);
            chr->event = NULL;
        }
        return;
    }
    if (chr->fd_in >= 0 && chr->fd_in != chr->fd) {
        main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
    }
    if (chr->own_fd && chr->fd >= 0) {
        main_loop_set_fd_handler(chr->fd, NULL, NULL, NULL);
        close(chr->fd);
    }
    if (chr->kind == CHARDEV_BACKEND_SOCKET) {
        chr_socket_free(chr);
    } else if (chr->kind == CHARDEV_BACKEND_PTY) {
        chr_pty_free(chr);
    } else if (chr->kind == CHARDEV_BACKEND_STDIO) {
        chr_stdio_count--;
    }
    free(chr->filename);
    free(chr);
}
