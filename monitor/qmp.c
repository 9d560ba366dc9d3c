/*
 * qmp.c: the QEMU Machine Protocol on a Chardev (-qmp DEV).
 *
 * Wire format, as QEMU 7.2 speaks it: one JSON value per line, "\r\n"
 * after each.  On connect the server sends {"QMP": {...}}; until the
 * client runs qmp_capabilities every other command gets CommandNotFound
 * and no events are sent.  A request is {"execute": NAME, "arguments":
 * {...}, "id": ANY}; the answer is {"return": ...} or {"error": {"class",
 * "desc"}}, with the id echoed.  Members appear in QEMU's order (its
 * dictionaries are hash tables, so its order is fixed per key set), which
 * is why responses are built member by member here.
 *
 * Input goes through a JsonStream: malformed JSON gets QEMU's "JSON parse
 * error, ..." GenericError and the connection stays usable.
 *
 * Events come from the run-state listener (STOP, RESUME, RESET,
 * SHUTDOWN) and from system_powerdown (POWERDOWN).  A RESET or SHUTDOWN
 * that a QMP command asked for says so in its reason; any other is
 * reported as the guest's.
 *
 * Locking: the main thread with the machine lock held, throughout.
 */
#include "util/osdep.h"
#include "util/json.h"
#include "monitor/qmp.h"
#include "monitor/monitor.h"
#include "sysemu/runstate.h"
#include "hw/core/machine.h"
#include "hw/i386/pc.h"

#include <glib.h>

/* Each takes a run-state listener (RUNSTATE_MAX_LISTENERS). */
#define QMP_MAX_MONITORS 4

typedef struct QmpMonitor {
    Chardev *chr;
    MachineState *ms;
    JsonStream stream;
    bool negotiated;            /* qmp_capabilities ran on this connection */
    bool reset_by_qmp;          /* the next RESET is system_reset's */
    bool quit_by_qmp;           /* the SHUTDOWN is quit's */
    bool greeted;               /* a client connected before qmp_init */
} QmpMonitor;

/* ---- output ------------------------------------------------------------ */

static void qmp_send(QmpMonitor *mon, JsonValue *msg)
{
    GString *out = g_string_new(NULL);

    json_write(msg, out);
    g_string_append(out, "\r\n");
    chardev_write(mon->chr, (const uint8_t *)out->str, out->len);
    g_string_free(out, true);
    json_free(msg);
}

static JsonValue *qmp_version(void)
{
    int major = 0, minor = 0, micro = 0;
    JsonValue *qemu = json_new_object(), *v = json_new_object();

    sscanf(TERN_QEMU_VERSION, "%d.%d.%d", &major, &minor, &micro);   /* what tools compare */
    json_object_set(qemu, "micro", json_new_int(micro));
    json_object_set(qemu, "minor", json_new_int(minor));
    json_object_set(qemu, "major", json_new_int(major));
    json_object_set(v, "qemu", qemu);
    json_object_set(v, "package", json_new_string("tern " TERN_VERSION));
    return v;
}

static void qmp_send_greeting(QmpMonitor *mon)
{
    JsonValue *qmp = json_new_object(), *msg = json_new_object();

    json_object_set(qmp, "version", qmp_version());
    json_object_set(qmp, "capabilities", json_new_array());   /* no oob */
    json_object_set(msg, "QMP", qmp);
    qmp_send(mon, msg);
}

/* The error classes clients see; everything but a missing command is
 * GenericError, as in QEMU. */
typedef enum QmpErrorClass { QMP_GENERIC_ERROR, QMP_COMMAND_NOT_FOUND } QmpErrorClass;

static void qmp_send_error(QmpMonitor *mon, const JsonValue *id, QmpErrorClass cls,
                           const char *desc)
{
    JsonValue *err = json_new_object(), *msg = json_new_object();

    json_object_set(err, "class", json_new_string(cls == QMP_COMMAND_NOT_FOUND ?
                                                  "CommandNotFound" : "GenericError"));
    json_object_set(err, "desc", json_new_string(desc));
    if (id) {
        json_object_set(msg, "id", json_copy(id));
    }
    json_object_set(msg, "error", err);
    qmp_send(mon, msg);
}

static void qmp_send_event(QmpMonitor *mon, const char *name, JsonValue *data)
{
    gint64 now = g_get_real_time();
    JsonValue *ts = json_new_object(), *msg = json_new_object();

    if (!mon->negotiated || !chardev_is_connected(mon->chr)) {
        json_free(data);
        return;
    }
    json_object_set(ts, "seconds", json_new_int(now / G_USEC_PER_SEC));
    json_object_set(ts, "microseconds", json_new_int(now % G_USEC_PER_SEC));
    json_object_set(msg, "timestamp", ts);
    json_object_set(msg, "event", json_new_string(name));
    if (data) {
        json_object_set(msg, "data", data);
    }
    qmp_send(mon, msg);
}

/* RESET and SHUTDOWN data: who asked, and why. */
static JsonValue *qmp_event_cause(bool by_qmp, const char *qmp_reason, const char *guest_reason)
{
    JsonValue *data = json_new_object();

    json_object_set(data, "guest", json_new_bool(!by_qmp));
    json_object_set(data, "reason", json_new_string(by_qmp ? qmp_reason : guest_reason));
    return data;
}

static void qmp_runstate_changed(RunstateListenerEvent ev, void *opaque)
{
    QmpMonitor *mon = opaque;

    switch (ev) {
    case RUNSTATE_LISTENER_STOP:
        qmp_send_event(mon, "STOP", NULL);
        break;
    case RUNSTATE_LISTENER_RESUME:
        qmp_send_event(mon, "RESUME", NULL);
        break;
    case RUNSTATE_LISTENER_RESET:
        qmp_send_event(mon, "RESET", qmp_event_cause(mon->reset_by_qmp,
                                                     "host-qmp-system-reset", "guest-reset"));
        mon->reset_by_qmp = false;
        break;
    case RUNSTATE_LISTENER_SHUTDOWN:
        qmp_send_event(mon, "SHUTDOWN", qmp_event_cause(mon->quit_by_qmp,
                                                        "host-qmp-quit", "guest-shutdown"));
        break;
    }
}

/* ---- commands ---------------------------------------------------------- */

/* A command returns its "return" value, or NULL with *errp set. */
typedef JsonValue *(*QmpHandler)(QmpMonitor *mon, const JsonValue *args, Error **errp);

typedef struct QmpParam {
    const char *name;
    JsonType type;              /* JSON_INT, JSON_STRING or JSON_ARRAY */
    bool optional;
} QmpParam;

#define QMP_MAX_PARAMS 2

typedef struct QmpCommand {
    const char *name;
    QmpHandler fn;
    QmpParam params[QMP_MAX_PARAMS];
} QmpCommand;

static JsonValue *qmp_cmd_capabilities(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    const JsonValue *enable = json_object_get(args, "enable");

    if (enable && enable->list.count) {
        error_setg(errp, "Capability '%s' not available",
                   json_get_string(enable->list.items[0].value) ?: "?");
        return NULL;
    }
    mon->negotiated = true;
    return json_new_object();
}

static JsonValue *qmp_cmd_query_status(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    JsonValue *v = json_new_object();

    json_object_set(v, "status", json_new_string(runstate_name()));
    json_object_set(v, "singlestep", json_new_bool(false));
    json_object_set(v, "running", json_new_bool(vm_running()));
    return v;
}

static JsonValue *qmp_cmd_query_version(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    return qmp_version();
}

/* {"name": NAME} with -name, {} without, as QEMU. */
static JsonValue *qmp_cmd_query_name(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    JsonValue *v = json_new_object();

    if (mon->ms->guest_name) {
        json_object_set(v, "name", json_new_string(mon->ms->guest_name));
    }
    return v;
}

/* {"UUID": "..."}: -uuid's, or all zeros without it, as QEMU. */
static JsonValue *qmp_cmd_query_uuid(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    static const uint8_t none[16];
    const uint8_t *u = mon->ms->uuid ? mon->ms->uuid : none;
    JsonValue *v = json_new_object();
    char text[37];

    snprintf(text, sizeof(text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8],
             u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
    json_object_set(v, "UUID", json_new_string(text));
    return v;
}

/* QEMU's x86 ids for CPU index i: threads within cores within sockets. */
static JsonValue *qmp_cpu_info(const CpuTopology *t, unsigned i)
{
    JsonValue *props = json_new_object(), *v = json_new_object();
    char *path = g_strdup_printf("/machine/unattached/device[%u]", i);

    json_object_set(props, "core-id", json_new_int(i / t->threads % t->cores));
    json_object_set(props, "thread-id", json_new_int(i % t->threads));
    json_object_set(props, "socket-id", json_new_int(i / (t->threads * t->cores)));
    json_object_set(v, "props", props);
    json_object_set(v, "qom-path", json_new_string(path));
    json_object_set(v, "cpu-index", json_new_int(i));
    json_object_set(v, "target", json_new_string("x86_64"));
    g_free(path);
    return v;
}

static JsonValue *qmp_cmd_query_cpus_fast(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    JsonValue *list = json_new_array();

    for (unsigned i = 0; i < cpus_count(); i++) {
        json_array_append(list, qmp_cpu_info(&mon->ms->smp, i));
    }
    return list;
}

/* QEMU's BlockInfo, the members a drive of tern has: the image (raw),
 * its read-only flag and cache mode; a CD-ROM drive without a disc has
 * no "inserted". */
static JsonValue *qmp_block_info(const DriveInfo *d)
{
    JsonValue *v = json_new_object();
    bool removable = d->media == DRIVE_MEDIA_CDROM;

    json_object_set(v, "device", json_new_string(d->id));
    json_object_set(v, "locked", json_new_bool(false));
    json_object_set(v, "removable", json_new_bool(removable));
    if (d->blk) {
        JsonValue *ins = json_new_object(), *image = json_new_object(), *cache = json_new_object();
        BlockCacheMode mode = blk_cache_mode(d->blk);

        json_object_set(cache, "no-flush", json_new_bool(mode == BLK_CACHE_UNSAFE));
        json_object_set(cache, "direct", json_new_bool(mode == BLK_CACHE_NONE));
        json_object_set(cache, "writeback", json_new_bool(mode != BLK_CACHE_WRITETHROUGH));
        json_object_set(image, "virtual-size", json_new_int((int64_t)blk_length(d->blk)));
        json_object_set(image, "filename", json_new_string(blk_filename(d->blk)));
        json_object_set(image, "format", json_new_string("raw"));
        json_object_set(ins, "ro", json_new_bool(blk_is_read_only(d->blk)));
        json_object_set(ins, "drv", json_new_string("raw"));
        json_object_set(ins, "encrypted", json_new_bool(false));
        json_object_set(ins, "file", json_new_string(blk_filename(d->blk)));
        json_object_set(ins, "cache", cache);
        json_object_set(ins, "image", image);
        json_object_set(v, "inserted", ins);
    }
    if (removable) {
        json_object_set(v, "tray_open", json_new_bool(false));
    }
    json_object_set(v, "type", json_new_string("unknown"));
    return v;
}

static JsonValue *qmp_cmd_query_block(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    JsonValue *list = json_new_array();
    DriveTable *t = mon->ms->drives;

    for (unsigned i = 0; t && i < t->count; i++) {
        json_array_append(list, qmp_block_info(&t->drives[i]));
    }
    return list;
}

static JsonValue *qmp_cmd_stop(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    vm_stop();
    return json_new_object();
}

static JsonValue *qmp_cmd_cont(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    vm_start();
    return json_new_object();
}

static JsonValue *qmp_cmd_system_reset(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    mon->reset_by_qmp = true;
    runstate_request_reset();
    return json_new_object();
}

static JsonValue *qmp_cmd_system_powerdown(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    PCMachineState *pcms = mon->ms->board;

    if (!pcms || !pcms->acpi_pm) {
        error_setg(errp, "the machine has no ACPI power button");
        return NULL;
    }
    qmp_send_event(mon, "POWERDOWN", NULL);
    acpi_pm_power_button(pcms->acpi_pm);
    return json_new_object();
}

static JsonValue *qmp_cmd_quit(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    mon->quit_by_qmp = true;
    runstate_request_shutdown(0);
    return json_new_object();
}

static JsonValue *qmp_cmd_human_monitor(QmpMonitor *mon, const JsonValue *args, Error **errp)
{
    const JsonValue *cpu = json_object_get(args, "cpu-index");
    GString *out = g_string_new(NULL), *crlf;
    const char *p;

    if (cpu && (cpu->i < 0 || (uint64_t)cpu->i >= cpus_count())) {
        error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
        g_string_free(out, true);
        return NULL;
    }
    monitor_run_command(json_get_string(json_object_get(args, "command-line")), out);
    /* the monitor's lines end in "\r\n" on the wire, as in QEMU */
    crlf = g_string_sized_new(out->len + 16);
    for (p = out->str; *p; p++) {
        if (*p == '\n' && (p == out->str || p[-1] != '\r')) {
            g_string_append_c(crlf, '\r');
        }
        g_string_append_c(crlf, *p);
    }
    g_string_free(out, true);
    JsonValue *v = json_new_string(crlf->str);
    g_string_free(crlf, true);
    return v;
}

static const QmpCommand qmp_commands[] = {
    { "qmp_capabilities", qmp_cmd_capabilities, { { "enable", JSON_ARRAY, true } } },
    { "query-status", qmp_cmd_query_status, { { NULL } } },
    { "query-version", qmp_cmd_query_version, { { NULL } } },
    { "query-name", qmp_cmd_query_name, { { NULL } } },
    { "query-uuid", qmp_cmd_query_uuid, { { NULL } } },
    { "query-cpus-fast", qmp_cmd_query_cpus_fast, { { NULL } } },
    { "query-block", qmp_cmd_query_block, { { NULL } } },
    { "stop", qmp_cmd_stop, { { NULL } } },
    { "cont", qmp_cmd_cont, { { NULL } } },
    { "system_reset", qmp_cmd_system_reset, { { NULL } } },
    { "system_powerdown", qmp_cmd_system_powerdown, { { NULL } } },
    { "quit", qmp_cmd_quit, { { NULL } } },
    { "human-monitor-command", qmp_cmd_human_monitor,
      { { "command-line", JSON_STRING, false }, { "cpu-index", JSON_INT, true } } },
};

static const QmpCommand *qmp_command_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(qmp_commands); i++) {
        if (!strcmp(qmp_commands[i].name, name)) {
            return &qmp_commands[i];
        }
    }
    return NULL;
}

/* Arguments against the command's parameters, with QEMU's messages. */
static bool qmp_check_args(const QmpCommand *cmd, const JsonValue *args, Error **errp)
{
    static const char *const type_names[] = {
        [JSON_INT] = "integer", [JSON_STRING] = "string", [JSON_ARRAY] = "array",
    };

    for (size_t i = 0; args && i < args->list.count; i++) {
        const char *key = args->list.items[i].key;
        const JsonValue *v = args->list.items[i].value;
        const QmpParam *p = NULL;

        for (size_t k = 0; k < QMP_MAX_PARAMS && cmd->params[k].name; k++) {
            if (!strcmp(cmd->params[k].name, key)) {
                p = &cmd->params[k];
            }
        }
        if (!p) {
            error_setg(errp, "Parameter '%s' is unexpected", key);
            return false;
        }
        if (v->type != p->type) {
            error_setg(errp, "Invalid parameter type for '%s', expected: %s", key,
                       type_names[p->type]);
            return false;
        }
    }
    for (size_t k = 0; k < QMP_MAX_PARAMS && cmd->params[k].name; k++) {
        if (!cmd->params[k].optional && !json_object_get(args, cmd->params[k].name)) {
            error_setg(errp, "Parameter '%s' is missing", cmd->params[k].name);
            return false;
        }
    }
    return true;
}

/* The request's members, checked as QEMU's qmp_dispatch does. */
static const char *qmp_check_request(const JsonValue *req, const JsonValue **args, char **why)
{
    const char *execute = NULL;

    for (size_t i = 0; i < req->list.count; i++) {
        const char *key = req->list.items[i].key;
        const JsonValue *v = req->list.items[i].value;

        if (!strcmp(key, "execute")) {
            if (v->type != JSON_STRING) {
                *why = g_strdup("QMP input member 'execute' must be a string");
                return NULL;
            }
            execute = v->s;
        } else if (!strcmp(key, "arguments")) {
            if (v->type != JSON_OBJECT) {
                *why = g_strdup("QMP input member 'arguments' must be an object");
                return NULL;
            }
            *args = v;
        } else if (strcmp(key, "id")) {
            *why = g_strdup_printf("QMP input member '%s' is unexpected", key);
            return NULL;
        }
    }
    if (!execute) {
        *why = g_strdup("QMP input lacks member 'execute'");
    }
    return execute;
}

static void qmp_dispatch(QmpMonitor *mon, const JsonValue *req)
{
    const JsonValue *id = json_object_get(req, "id"), *args = NULL;
    const QmpCommand *cmd;
    char *why = NULL;
    const char *name = qmp_check_request(req, &args, &why);
    Error *err = NULL;
    JsonValue *ret, *msg;

    if (!name) {
        qmp_send_error(mon, id, QMP_GENERIC_ERROR, why);
        g_free(why);
        return;
    }
    cmd = qmp_command_find(name);
    if (!mon->negotiated && strcmp(name, "qmp_capabilities")) {
        qmp_send_error(mon, id, QMP_COMMAND_NOT_FOUND,
                       "Expecting capabilities negotiation with 'qmp_capabilities'");
        return;
    }
    if (mon->negotiated && cmd && cmd->fn == qmp_cmd_capabilities) {
        qmp_send_error(mon, id, QMP_COMMAND_NOT_FOUND,
                       "Capabilities negotiation is already complete, command ignored");
        return;
    }
    if (!cmd) {
        why = g_strdup_printf("The command %s has not been found", name);
        qmp_send_error(mon, id, QMP_COMMAND_NOT_FOUND, why);
        g_free(why);
        return;
    }
    ret = qmp_check_args(cmd, args, &err) ? cmd->fn(mon, args, &err) : NULL;
    if (!ret) {
        qmp_send_error(mon, id, QMP_GENERIC_ERROR, error_get_pretty(err));
        error_free(err);
        return;
    }
    msg = json_new_object();
    json_object_set(msg, "return", ret);
    if (id) {
        json_object_set(msg, "id", json_copy(id));
    }
    qmp_send(mon, msg);
}

/* ---- the connection ---------------------------------------------------- */

static void qmp_stream_value(void *opaque, JsonValue *req, Error *err)
{
    QmpMonitor *mon = opaque;

    if (err) {
        qmp_send_error(mon, NULL, QMP_GENERIC_ERROR, error_get_pretty(err));
        error_free(err);
    } else if (req->type != JSON_OBJECT) {
        qmp_send_error(mon, NULL, QMP_GENERIC_ERROR, "QMP input must be a JSON object");
    } else {
        qmp_dispatch(mon, req);
    }
    json_free(req);
}

static int qmp_can_receive(void *opaque)
{
    return 4096;
}

static void qmp_receive(void *opaque, const uint8_t *buf, size_t len)
{
    QmpMonitor *mon = opaque;
    json_stream_feed(&mon->stream, buf, len);
}

static void qmp_chr_event(void *opaque, ChardevEventKind event)
{
    QmpMonitor *mon = opaque;

    json_stream_reset(&mon->stream);
    mon->negotiated = false;          /* each client negotiates anew */
    if (event == CHARDEV_EVENT_OPENED) {
        qmp_send_greeting(mon);
        mon->greeted = true;
    }
}

int qmp_init(Chardev *chr, MachineState *ms, Error **errp)
{
    static unsigned nb_qmp;
    QmpMonitor *mon;

    if (nb_qmp == QMP_MAX_MONITORS) {
        error_setg(errp, "at most %d QMP monitors (-qmp, -mon mode=control)", QMP_MAX_MONITORS);
        return -EINVAL;
    }
    nb_qmp++;
    mon = g_new0(QmpMonitor, 1);        /* lives as long as tern */

    mon->chr = chr;
    mon->ms = ms;
    json_stream_init(&mon->stream, qmp_stream_value, mon);
    runstate_add_listener(qmp_runstate_changed, mon);
    chardev_set_handlers(chr, qmp_can_receive, qmp_receive, mon);
    chardev_set_event_handler(chr, qmp_chr_event);
    if (!mon->greeted && chardev_is_connected(chr)) {
        qmp_send_greeting(mon);       /* stdio, a file: no connect event */
    }
    return 0;
}
