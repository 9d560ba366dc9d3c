/*
 * chardev.c: character back ends (stdio, file:PATH, null).
 *
 * Each back end is a host file descriptor, or -1 for null.  Output is
 * written with write(2) at once, without stdio buffering, so guest output
 * interleaves correctly with tern's own messages and survives a crash.
 *
 * Input (stdio only): once a front end takes input, stdin is watched by
 * the main loop whenever the front end has room, and a terminal is put in
 * raw mode (restored at exit) so that every key, Ctrl-C included, goes to
 * the guest.  Ctrl-A is the escape key, as in QEMU's -nographic console:
 * Ctrl-A x quits, Ctrl-A h lists the keys, Ctrl-A Ctrl-A sends Ctrl-A.
 */
#include "util/osdep.h"
#include "sysemu/chardev.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#define CHR_ESCAPE 0x01          /* Ctrl-A */

struct Chardev {
    char *spec;
    int fd;                      /* -1: discard output */
    int fd_in;                   /* -1: no input (file:, null) */
    bool own_fd;                 /* close it in chardev_free */
    bool escape;                 /* Ctrl-A seen, the command key is next */
    ChardevCanReceive can_receive;
    ChardevReceive receive;
    void *opaque;
};

Chardev *chardev_new(const char *spec, Error **errp)
{
    int fd;
    bool own = false;

    int fd_in = -1;

    if (!strcmp(spec, "stdio")) {
        fd = STDOUT_FILENO;
        fd_in = STDIN_FILENO;
    } else if (!strcmp(spec, "null")) {
        fd = -1;
    } else if (!strncmp(spec, "file:", 5) && spec[5]) {
        fd = open(spec + 5, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0) {
            error_setg_errno(errp, errno, "-serial %s: cannot open '%s'", spec, spec + 5);
            return NULL;
        }
        own = true;
    } else {
        error_setg(errp, "-serial %s: unknown character device", spec);
        return NULL;
    }

    Chardev *chr = tern_malloc0(sizeof(*chr));
    chr->spec = tern_strdup(spec);
    chr->fd = fd;
    chr->fd_in = fd_in;
    chr->own_fd = own;
    return chr;
}

void chardev_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    while (chr->fd >= 0 && len > 0) {
        ssize_t n = write(chr->fd, buf, len);
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
         * second signal kills at once, after tty_restore */
        atexit(tty_restore);
        main_loop_set_last_words(tty_restore);
    }
}

/* ---- input ------------------------------------------------------------- */

static void chr_print(Chardev *chr, const char *msg)
{
    chardev_write(chr, (const uint8_t *)msg, strlen(msg));
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
                       "C-a c    switch between console and monitor (no monitor yet)\r\n"
                       "C-a C-a  send C-a\r\n");
        break;
    case 'c':
        chr_print(chr, "\r\ntern: no monitor yet (-monitor comes later)\r\n");
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
        /* end of input (</dev/null, a closed pipe): stop watching it */
        main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
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
        tty_make_raw();
        main_loop_set_fd_handler(chr->fd_in, chr_stdin_can_read, chr_stdin_read, chr);
    } else {
        main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
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
    if (chr->own_fd) {
        close(chr->fd);
    }
    free(chr->spec);
    free(chr);
}
