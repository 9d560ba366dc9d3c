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
 * QEMU's -nographic), else owns the terminal.  On a terminal the monitor
 * echoes what is typed (the terminal is in raw mode) and handles backspace.
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
    char *spec;                  /* for "info chardev" */
    char line[MONITOR_LINE_MAX];
    size_t len;
    bool overflow;               /* this line is too long: drop it */
    bool after_cr;               /* a \n right after \r ends no new line */
    bool echo;                   /* a terminal: echo input */
    bool greeted;                /* banner shown (mux: on first focus) */
} Monitor;

/* One monitor (-monitor); QMP and gdb reach commands without one. */
static Monitor *the_monitor;

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

    if (!pcms || !ms->serial || strcmp(ms->serial, "stdio") != 0) {
        return NULL;
    }
    return pcms->serial_chr;
}

int monitor_start(const char *spec, Error **errp)
{
    Monitor *mon;
    Chardev *console;

    if (!spec || !strcmp(spec, "none")) {
        return 0;
    }
    if (the_monitor) {
        error_setg(errp, "-monitor %s: only one monitor is supported", spec);
        return -EINVAL;
    }
    mon = tern_malloc0(sizeof(*mon));
    mon->spec = tern_strdup(spec);
    console = !strcmp(spec, "stdio") ? monitor_console() : NULL;
    if (console) {
        mon->chr = console;
        mon->echo = isatty(STDIN_FILENO);
        the_monitor = mon;
        chardev_mux_add(console, monitor_can_receive, monitor_receive, monitor_focus, mon);
        return 0;
    }
    mon->chr = chardev_new("-monitor", spec, errp);
    if (!mon->chr) {
        free(mon->spec);
        free(mon);
        return -EINVAL;
    }
    mon->echo = !strcmp(spec, "stdio") && isatty(STDIN_FILENO);
    the_monitor = mon;
    chardev_set_handlers(mon->chr, monitor_can_receive, monitor_receive, mon);
    chardev_set_event_handler(mon->chr, monitor_event);
    if (!strcmp(spec, "stdio") || !strncmp(spec, "file:", 5)) {
        monitor_greet(mon);      /* no connection event to wait for */
    }
    return 0;
}

void monitor_info_chardev(GString *out)
{
    if (the_monitor) {
        g_string_append_printf(out, "monitor0: filename=%s\n", the_monitor->spec);
    }
}
