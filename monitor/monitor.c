/*
 * monitor.c: the human monitor's front end on a Chardev (monitor/monitor.h).
 *
 * Input is gathered into a line; a newline (\r, \n or \r\n) runs it through
 * monitor_run_command and the output goes back followed by the prompt.  A
 * line longer than MONITOR_LINE_MAX is dropped whole with a one-line error
 * when its end comes; control bytes other than tab are dropped, so binary
 * junk only makes an unknown command.
 *
 * Back ends: a socket (-monitor unix:PATH,server,nowait) gets the banner
 * and prompt on each connection; "stdio" shares the console with the serial
 * port when that is on stdio too (chardev_mux_add, Ctrl-A c switches, as
 * QEMU's -nographic), else owns the terminal; a -chardev stdio,mux=on is
 * shared the same way.  Several monitors may run (-monitor and -mon).  On
 * a terminal the monitor echoes what is typed (the terminal is in raw
 * mode) and handles backspace.
 */
#include "util/osdep.h"
#include "monitor/monitor-internal.h"
#include "hw/core/machine.h"
#include "hw/i386/pc.h"

#include <unistd.h>

#define MONITOR_LINE_MAX 4096
#define MONITOR_PROMPT "(tern) "

typedef struct Monitor {
    Chardev *chr;
    char line[MONITOR_LINE_MAX];
    size_t len;
    bool overflow;               /* this line is too long: drop it */
    bool after_cr;               /* a \n right after \r ends no new line */
    bool echo;                   /* a terminal: echo input */
    bool greeted;                /* banner shown (mux: on first focus) */
} Monitor;

/* The monitors (-monitor, each -mon mode=readline); QMP and gdb reach
 * commands without one.  They share the commands' state ("cpu N"). */
#define MONITOR_MAX 8
static Monitor *monitors[MONITOR_MAX];
static unsigned nb_monitors;

static void monitor_puts(Monitor *mon, const char *s, size_t len)
{
    chardev_write(mon->chr, (const uint8_t *)s, len);
}

static void monitor_print(Monitor *mon, const char *s)
{
    monitor_puts(mon, s, strlen(s));
}

static void monitor_greet(Monitor *mon)
{
    if (!mon->greeted) {
        monitor_print(mon, "tern " TERN_VERSION " monitor - type 'help' for more information\n");
        mon->greeted = true;
    }
    monitor_print(mon, MONITOR_PROMPT);
}

static void monitor_end_line(Monitor *mon)
{
    GString *out = g_string_new(NULL);

    if (mon->echo) {
        monitor_print(mon, "\n");
    }
    if (mon->overflow) {
        g_string_append_printf(out, "line too long (at most %d bytes)\n", MONITOR_LINE_MAX - 1);
    } else {
        mon->line[mon->len] = '\0';
        monitor_run_command(mon->line, out);
    }
    mon->len = 0;
    mon->overflow = false;
    monitor_puts(mon, out->str, out->len);
    g_string_free(out, true);
    monitor_print(mon, MONITOR_PROMPT);
}

static void monitor_backspace(Monitor *mon)
{
    if (mon->len > 0) {
        mon->len--;
        if (mon->echo) {
            monitor_print(mon, "\b \b");
        }
    }
}

static void monitor_take_byte(Monitor *mon, uint8_t c)
{
    bool after_cr = mon->after_cr;

    mon->after_cr = c == '\r';
    if (c == '\r' || c == '\n') {
        if (!(c == '\n' && after_cr)) {
            monitor_end_line(mon);
        }
        return;
    }
    if (c == 0x7f || c == '\b') {
        monitor_backspace(mon);
        return;
    }
    if (c < 0x20 && c != '\t') {
        return;
    }
    if (mon->len + 1 >= MONITOR_LINE_MAX) {
        mon->overflow = true;
        return;
    }
    mon->line[mon->len++] = (char)c;
    if (mon->echo) {
        monitor_puts(mon, (const char *)&c, 1);
    }
}

static int monitor_can_receive(void *opaque)
{
    return MONITOR_LINE_MAX;     /* every byte is consumed at once */
}

static void monitor_receive(void *opaque, const uint8_t *buf, size_t len)
{
    Monitor *mon = opaque;

    for (size_t i = 0; i < len; i++) {
        monitor_take_byte(mon, buf[i]);
    }
}

static void monitor_event(void *opaque, ChardevEventKind event)
{
    Monitor *mon = opaque;

    mon->len = 0;
    mon->overflow = false;
    mon->after_cr = false;
    if (event == CHARDEV_EVENT_OPENED) {
        mon->greeted = false;    /* each client gets the banner */
        monitor_greet(mon);
    }
}

static void monitor_focus(void *opaque, bool in)
{
    Monitor *mon = opaque;

    if (in) {
        monitor_print(mon, "\n");
        monitor_greet(mon);
    } else {
        mon->len = 0;
    }
}

/* The console's back end when it is this terminal: the monitor joins it. */
static Chardev *monitor_console(void)
{
    MachineState *ms = hmp_machine();
    PCMachineState *pcms = ms ? ms->board : NULL;

    if (!pcms || !pcms->serial_chr || !chardev_is_stdio(pcms->serial_chr)) {
        return NULL;
    }
    return pcms->serial_chr;
}

/* A monitor on chr; shared: chr's first front end is there already (the
 * console, a mux=on -chardev), and Ctrl-A c switches between them. */
static int monitor_attach(const char *label, Chardev *chr, bool shared, Error **errp)
{
    Monitor *mon;

    if (nb_monitors == MONITOR_MAX) {
        error_setg(errp, "%s: at most %d monitors", label, MONITOR_MAX);
        return -EINVAL;
    }
    mon = tern_malloc0(sizeof(*mon));
    mon->chr = chr;
    mon->echo = chardev_is_stdio(chr) && isatty(STDIN_FILENO);
    if (shared) {
        if (chardev_mux_add(chr, monitor_can_receive, monitor_receive, monitor_focus, mon) < 0) {
            error_setg(errp, "%s: the console has a monitor already", label);
            free(mon);
            return -EBUSY;
        }
    } else {
        chardev_set_handlers(chr, monitor_can_receive, monitor_receive, mon);
        chardev_set_event_handler(chr, monitor_event);
        if (!mon->greeted && chardev_is_connected(chr)) {
            monitor_greet(mon);  /* stdio, a file, a pty: no connection event */
        }
    }
    monitors[nb_monitors++] = mon;
    return 0;
}

int monitor_start(const char *spec, Error **errp)
{
    char label[320];
    Chardev *chr;
    bool shared = false;

    if (!spec || !strcmp(spec, "none")) {
        return 0;
    }
    snprintf(label, sizeof(label), "-monitor %s", spec);
    chr = !strcmp(spec, "stdio") ? monitor_console() : NULL;
    if (chr) {
        shared = true;
    } else if (!strncmp(spec, "chardev:", 8)) {
        chr = chardev_claim(label, spec + 8, &shared, errp);
    } else {
        chr = chardev_new("-monitor", spec, errp);
    }
    if (!chr) {
        return -EINVAL;
    }
    return monitor_attach(label, chr, shared, errp);
}

int monitor_start_chardev(const char *label, const char *id, Error **errp)
{
    bool shared;
    Chardev *chr = chardev_claim(label, id, &shared, errp);

    return chr ? monitor_attach(label, chr, shared, errp) : -EINVAL;
}

void monitor_info_chardev(GString *out)
{
    for (unsigned i = 0; i < nb_monitors; i++) {
        if (!chardev_id(monitors[i]->chr)) {        /* a -chardev has its own line */
            g_string_append_printf(out, "monitor%u: filename=%s\n", i,
                                   chardev_filename(monitors[i]->chr));
        }
    }
}
