/*
 * chardev-pty.c: the pty back end (-serial pty, -chardev pty,id=ID).
 *
 * tern holds the master side of a new pseudo-terminal in raw mode (so the
 * line discipline neither echoes nor translates) and prints the slave's
 * path as QEMU does; a user attaches with screen, minicom, or any program
 * that opens it.  The master is non-blocking.
 *
 * Connection state, as QEMU's: a slave that was never opened shows no
 * hangup and what is written waits in the pty for the first reader; once
 * a reader opened it and closed it again, the master reads EIO and polls
 * POLLHUP, output is dropped and a timer looks for the next reader every
 * CHR_PTY_POLL_MS (the fd gives no event for it).  Front ends hear
 * CHARDEV_EVENT_CLOSED and CHARDEV_EVENT_OPENED.
 */
#include "util/osdep.h"
#include "chardev-internal.h"
#include "sysemu/main-loop.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#define CHR_PTY_POLL_MS 200

static bool chr_pty_hung_up(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };

    return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLHUP);
}

static void chr_pty_poll(void *opaque)
{
    Chardev *chr = opaque;

    if (chr_pty_hung_up(chr->fd)) {
        timer_mod(&chr->pty_timer,
                  timer_clock_ns(TIMER_CLOCK_REALTIME) + CHR_PTY_POLL_MS * 1000000LL);
        return;
    }
    chr->pty_connected = true;
    chr_watch_input(chr);
    if (chr->event) {
        chr->event(chr->opaque, CHARDEV_EVENT_OPENED);
    }
}

void chr_pty_hangup(Chardev *chr)
{
    if (!chr->pty_connected) {
        return;
    }
    chr->pty_connected = false;
    chr_watch_input(chr);
    if (chr->event) {
        chr->event(chr->opaque, CHARDEV_EVENT_CLOSED);
    }
    chr_pty_poll(chr);
}

bool chr_pty_writable(Chardev *chr)
{
    return !chr_pty_hung_up(chr->fd);
}

Chardev *chr_pty_new(const char *opt, const char *label, Error **errp)
{
    struct termios t;
    const char *name;
    Chardev *chr;
    char filename[128];
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

    if (fd < 0) {
        error_setg_errno(errp, errno, "%s: posix_openpt", opt);
        return NULL;
    }
    if (grantpt(fd) < 0 || unlockpt(fd) < 0 || !(name = ptsname(fd))) {
        error_setg_errno(errp, errno, "%s: cannot set up the pty", opt);
        close(fd);
        return NULL;
    }
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    snprintf(filename, sizeof(filename), "pty:%s", name);
    chr = chr_alloc(CHARDEV_BACKEND_PTY, filename);
    chr->fd = chr->fd_in = fd;
    chr->own_fd = true;
    chr->pty_connected = !chr_pty_hung_up(fd);
    timer_init(&chr->pty_timer, TIMER_CLOCK_REALTIME, chr_pty_poll, chr);
    fprintf(stderr, "char device redirected to %s (label %s)\n", name, label);
    return chr;
}

void chr_pty_free(Chardev *chr)
{
    timer_del(&chr->pty_timer);
}
