/*
 * chardev.c: character back ends (stdio, file:PATH, null).
 *
 * Each back end is a host file descriptor, or -1 for null.  Output is
 * written with write(2) at once, without stdio buffering, so guest output
 * interleaves correctly with tern's own messages and survives a crash.
 * Input is not read yet: chardev_deliver_input is the path a future
 * stdin reader (in the main loop) will use.
 */
#include "util/osdep.h"
#include "sysemu/chardev.h"

#include <fcntl.h>
#include <unistd.h>

struct Chardev {
    char *spec;
    int fd;                      /* -1: discard output */
    bool own_fd;                 /* close it in chardev_free */
    ChardevCanReceive can_receive;
    ChardevReceive receive;
    void *opaque;
};

Chardev *chardev_new(const char *spec, Error **errp)
{
    int fd;
    bool own = false;

    if (!strcmp(spec, "stdio")) {
        fd = STDOUT_FILENO;
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

void chardev_set_handlers(Chardev *chr, ChardevCanReceive can_receive,
                          ChardevReceive receive, void *opaque)
{
    chr->can_receive = can_receive;
    chr->receive = receive;
    chr->opaque = opaque;
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
