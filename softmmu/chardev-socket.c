/*
 * chardev-socket.c: the socket back ends (unix:, tcp:, -chardev socket).
 *
 * A server listens and serves one client at a time; while none is
 * connected output is dropped, as with nothing on the line.  The listening
 * socket is watched only while no client is connected; a client's end of
 * file closes it and listening resumes.  Front ends hear of both through
 * their event handler (a greeting on CHARDEV_EVENT_OPENED).  Without
 * server, tern connects as a client.
 */
#include "util/osdep.h"
#include "chardev-internal.h"
#include "sysemu/main-loop.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* opts: server, server=on|off, nowait, wait=on|off.  A server waits for
 * its first client by default, as in QEMU. */
int chr_socket_parse(const char *label, const char *spec, ChrSocketSpec *ss, Error **errp)
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
#define CHR_MAX_UNIX_SERVERS (CHARDEV_MAX + 8)
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

void chr_socket_closed(Chardev *chr)
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
    chr_watch_input(chr);
}

Chardev *chr_socket_new(const char *label, const ChrSocketSpec *ss, const char *filename,
                        Error **errp)
{
    Chardev *chr;
    int fd = chr_socket_open(label, ss, errp);

    if (fd < 0) {
        return NULL;
    }
    chr = chr_alloc(CHARDEV_BACKEND_SOCKET, filename);
    chr->own_fd = true;
    if (!ss->server) {
        chr->fd = chr->fd_in = fd;
        return chr;
    }
    chr->listen_fd = fd;
    if (ss->is_unix) {
        chr->unix_path = tern_strdup(ss->path);
        chr_unix_path_add(ss->path);
    }
    if (ss->wait) {
        /* as QEMU: the machine starts once the first client is there */
        fprintf(stderr, "tern: waiting for a connection on %s\n", filename);
        chr_socket_accept(chr);
    } else {
        chr_socket_watch(chr);
    }
    return chr;
}

void chr_socket_free(Chardev *chr)
{
    if (chr->listen_fd >= 0) {
        main_loop_set_fd_handler(chr->listen_fd, NULL, NULL, NULL);
        close(chr->listen_fd);
    }
    if (chr->unix_path) {
        unlink(chr->unix_path);
        free(chr->unix_path);
    }
}
