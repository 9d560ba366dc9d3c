/*
 * gdbstub.c: the gdb remote serial protocol server (exec/gdbstub.h).
 *
 * Packets answered (anything else: the empty reply, "not supported"):
 *   ?                  the last stop (T05 thread:N;)
 *   qSupported         PacketSize, qXfer:features:read+, vContSupported+
 *   qXfer:features:read:target.xml:OFF,LEN   target-x86/gdbstub.c's XML
 *   qfThreadInfo qsThreadInfo qC qAttached T H{g,c}   one thread per vCPU
 *   qRcmd,HEX          a monitor command (monitor_run_command)
 *   g G p P            registers of the H g thread
 *   m M                memory through its page tables; E14: not mapped
 *   Z0-Z4 z0-z4        break-, watchpoints on every vCPU (AccelOps)
 *   c s C S vCont vCont?   resume (step: that vCPU steps, all run)
 *   D k                detach (breakpoints removed, VM runs), kill
 * Malformed packets get E22 (bad argument) or the empty reply; a bad
 * checksum gets '-'.  While the VM runs only 0x03 (stop it) is read.
 *
 * Stops: a vCPU that hits gdb's breakpoint, watchpoint or ends a step
 * stops (the engine's EXCP_DEBUG) and calls gdb_debug_hook, which records
 * it and asks for a VM stop (vm_stop_request); the run-state listener
 * sends the stop reply when the VM has stopped, whatever stopped it.
 *
 * Globals: the one GdbState (one stub per process), main thread only,
 * except stop_cpu (atomic: written by vCPU threads).
 */
#include "util/osdep.h"
#include "util/error.h"
#include "exec/gdbstub.h"
#include "exec/watchpoint.h"
#include "sysemu/chardev.h"
#include "sysemu/runstate.h"
#include "monitor/monitor.h"
#include "target-x86/gdbstub.h"
#include "gdbstub/packet.h"

#include <glib.h>

typedef struct GdbState {
    Chardev *chr;
    const AccelOps *ops;
    GdbPacketReader rd;
    bool connected;
    bool running;            /* resumed by gdb: a stop reply is owed */
    CPUState *g_cpu;         /* Hg: registers and memory */
    CPUState *c_cpu;         /* Hc: what 's' steps */
    CPUState *stop_cpu;      /* the vCPU whose debug event stopped the VM (atomic) */
    GString *reply;          /* the reply being built */
} GdbState;

static GdbState gdb_state;

/* ---- output ---------------------------------------------------------------- */

static void gdb_send_framed(GdbState *s, const char *data, size_t len, bool binary)
{
    GString *out = g_string_new(NULL);

    gdb_packet_frame(out, data, len, binary);
    chardev_write(s->chr, (const uint8_t *)out->str, out->len);
    g_string_free(out, true);
}

static void gdb_send(GdbState *s, const char *text)
{
    gdb_send_framed(s, text, strlen(text), false);
}

/* ---- threads --------------------------------------------------------------- */

static unsigned gdb_thread_id(const CPUState *cs)
{
    return (unsigned)cs->cpu_index + 1;
}

/* The vCPU of a thread id: -1 and 0 ("all", "any") mean the first. */
static CPUState *gdb_thread_cpu(const char *p, bool *ok)
{
    uint64_t id;

    *ok = true;
    if (!strcmp(p, "-1") || !strcmp(p, "0")) {
        return cpus_get(0);
    }
    if (gdb_parse_hex(&p, &id) < 0 || *p || id == 0 || id > cpus_count()) {
        *ok = false;
        return NULL;
    }
    return cpus_get((unsigned)id - 1);
}

/* The vCPU's registers in env, where the accelerator keeps them elsewhere
 * (KVM: read from the kernel, written back before it runs again). */
static CPUState *gdb_sync(GdbState *s, CPUState *cs)
{
    if (s->ops->synchronize_state) {
        s->ops->synchronize_state(cs);
    }
    return cs;
}

/* ---- run control ----------------------------------------------------------- */

static void gdb_debug_hook(CPUState *cs)
{
    CPUState *none = NULL;

    __atomic_compare_exchange_n(&gdb_state.stop_cpu, &none, cs, false, __ATOMIC_ACQ_REL,
                                __ATOMIC_RELAXED);
    vm_stop_request();
}

/* The stop reply for the VM's stop: the stopping vCPU's reason, or
 * SIGINT (T02) for a stop that no vCPU asked for. */
static void gdb_stop_reply(GdbState *s, GString *r)
{
    CPUState *cs = __atomic_exchange_n(&s->stop_cpu, NULL, __ATOMIC_ACQ_REL);

    if (!cs) {
        g_string_append_printf(r, "T02thread:%02x;", gdb_thread_id(s->g_cpu));
        return;
    }
    s->g_cpu = s->c_cpu = cs;
    g_string_append(r, "T05");
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        CPUWatchpoint *wp = &cs->wp.wp[i];
        int hit = wp->flags & BP_WATCHPOINT_HIT;

        if (!wp->len || !(wp->flags & BP_GDB) || !hit) {
            continue;
        }
        wp->flags &= ~BP_WATCHPOINT_HIT;
        g_string_append_printf(r, "%s:%" PRIx64 ";",
                               (wp->flags & BP_MEM_ACCESS) == BP_MEM_ACCESS ? "awatch"
                               : (wp->flags & BP_MEM_READ) ? "rwatch" : "watch",
                               wp->vaddr);
        break;
    }
    g_string_append_printf(r, "thread:%02x;", gdb_thread_id(cs));
}

static void gdb_runstate_changed(RunstateListenerEvent ev, void *opaque)
{
    GdbState *s = opaque;
    GString *r;

    if (ev != RUNSTATE_LISTENER_STOP || !s->connected || !s->running) {
        return;
    }
    s->running = false;
    for (unsigned i = 0; i < cpus_count(); i++) {
        if (s->ops->set_singlestep) {
            s->ops->set_singlestep(cpus_get(i), false);
        }
    }
    r = g_string_new(NULL);
    gdb_stop_reply(s, r);
    gdb_send(s, r->str);
    g_string_free(r, true);
}

/* Resume the VM; step: only that vCPU stops after one instruction. */
static void gdb_resume(GdbState *s, CPUState *step)
{
    if (step) {
        if (!s->ops->set_singlestep) {
            gdb_send(s, "E22");
            return;
        }
        s->ops->set_singlestep(step, true);
    }
    __atomic_store_n(&s->stop_cpu, NULL, __ATOMIC_RELEASE);
    s->running = true;
    vm_start();
}

static void gdb_remove_all(GdbState *s)
{
    for (unsigned i = 0; i < cpus_count(); i++) {
        if (s->ops->remove_all_breakpoints) {
            s->ops->remove_all_breakpoints(cpus_get(i));
        }
        if (s->ops->set_singlestep) {
            s->ops->set_singlestep(cpus_get(i), false);
        }
    }
}

/* gdb is gone or detached: its breakpoints go and the VM runs on. */
static void gdb_release_vm(GdbState *s)
{
    gdb_remove_all(s);
    s->running = false;
    __atomic_store_n(&s->stop_cpu, NULL, __ATOMIC_RELEASE);
    vm_start();
}

/* ---- packets ----------------------------------------------------------------- */

/* c [ADDR], s [ADDR], C sig[;ADDR], S sig[;ADDR] */
static void gdb_cmd_continue(GdbState *s, const char *p, bool step, bool with_signal)
{
    uint64_t addr;

    if (with_signal) {
        uint64_t sig;

        if (gdb_parse_hex(&p, &sig) < 0) {
            gdb_send(s, "E22");
            return;
        }
        p += *p == ';';
    }
    if (*p) {
        if (gdb_parse_hex(&p, &addr) < 0 || *p) {
            gdb_send(s, "E22");
            return;
        }
        x86_gdb_set_pc(gdb_sync(s, s->c_cpu), addr);
    }
    gdb_resume(s, step ? s->c_cpu : NULL);
}

/* vCont;ACTION[:TID];...: the first 's' names the vCPU that steps; any
 * other action (c, C) lets the rest run. */
static void gdb_cmd_vcont(GdbState *s, const char *p)
{
    CPUState *step = NULL;
    bool any = false;

    if (!strcmp(p, "?")) {
        gdb_send(s, "vCont;c;C;s;S");
        return;
    }
    while (*p == ';') {
        char act = *++p;
        CPUState *cs = s->c_cpu;

        if (act != 'c' && act != 's' && act != 'C' && act != 'S') {
            gdb_send(s, "E22");
            return;
        }
        p++;
        if (act == 'C' || act == 'S') {
            uint64_t sig;

            if (gdb_parse_hex(&p, &sig) < 0) {
                gdb_send(s, "E22");
                return;
            }
        }
        if (*p == ':') {
            char tid[24];
            size_t n = strcspn(++p, ";");
            bool ok;

            if (n >= sizeof(tid)) {
                gdb_send(s, "E22");
                return;
            }
            memcpy(tid, p, n);
            tid[n] = '\0';
            p += n;
            cs = gdb_thread_cpu(tid, &ok);
            if (!ok) {
                gdb_send(s, "E22");
                return;
            }
        }
        if ((act == 's' || act == 'S') && !step) {
            step = cs;
        }
        any = true;
    }
    if (!any || *p) {
        gdb_send(s, "E22");
        return;
    }
    gdb_resume(s, step);
}

static void gdb_cmd_read_registers(GdbState *s, GString *r)
{
    uint8_t buf[X86_GDB_MAX_REG_BYTES];

    gdb_sync(s, s->g_cpu);
    for (unsigned n = 0; n < x86_gdb_num_regs(); n++) {
        gdb_hex_append(r, buf, x86_gdb_read_register(s->g_cpu, n, buf));
    }
}

static void gdb_cmd_write_registers(GdbState *s, const char *p, GString *r)
{
    uint8_t buf[X86_GDB_MAX_REG_BYTES];
    uint8_t cur[X86_GDB_MAX_REG_BYTES];

    gdb_sync(s, s->g_cpu);
    for (unsigned n = 0; n < x86_gdb_num_regs() && *p; n++) {
        unsigned size = x86_gdb_read_register(s->g_cpu, n, cur);

        if (strlen(p) < 2 * size || gdb_hex_decode(p, buf, size) < 0) {
            g_string_append(r, "E22");
            return;
        }
        p += 2 * size;
        if (memcmp(buf, cur, size) && x86_gdb_write_register(s->g_cpu, n, buf, size) < 0) {
            g_string_append(r, "E22");
            return;
        }
    }
    g_string_append(r, "OK");
}

/* p N / P N=HEX */
static void gdb_cmd_register(GdbState *s, const char *p, bool write, GString *r)
{
    uint8_t buf[X86_GDB_MAX_REG_BYTES];
    uint64_t n;
    unsigned size;

    if (gdb_parse_hex(&p, &n) < 0 || n >= x86_gdb_num_regs()) {
        g_string_append(r, "E22");
        return;
    }
    size = x86_gdb_read_register(gdb_sync(s, s->g_cpu), (unsigned)n, buf);
    if (!write) {
        if (*p) {
            g_string_append(r, "E22");
            return;
        }
        gdb_hex_append(r, buf, size);
        return;
    }
    if (*p != '=' || strlen(p + 1) != 2 * size || gdb_hex_decode(p + 1, buf, size) < 0 ||
        x86_gdb_write_register(s->g_cpu, (unsigned)n, buf, size) < 0) {
        g_string_append(r, "E22");
        return;
    }
    g_string_append(r, "OK");
}

/* m ADDR,LEN / M ADDR,LEN:HEX */
static void gdb_cmd_memory(GdbState *s, const char *p, bool write, GString *r)
{
    uint64_t addr, len;
    uint8_t *buf;

    if (gdb_parse_hex(&p, &addr) < 0 || *p++ != ',' || gdb_parse_hex(&p, &len) < 0 ||
        len > GDB_PACKET_MAX / 2 || (write ? *p != ':' : *p != '\0') ||
        (write && strlen(p + 1) != 2 * len)) {
        g_string_append(r, "E22");
        return;
    }
    buf = g_malloc(len ? len : 1);
    if (write && gdb_hex_decode(p + 1, buf, len) < 0) {
        g_string_append(r, "E22");
    } else if (x86_gdb_rw_memory(gdb_sync(s, s->g_cpu), addr, buf, len, write) < 0) {
        g_string_append(r, "E14");   /* EFAULT, as QEMU answers */
    } else if (write) {
        g_string_append(r, "OK");
    } else {
        gdb_hex_append(r, buf, len);
    }
    g_free(buf);
}

/* Z/z TYPE,ADDR,KIND: on every vCPU, undone on all if one fails. */
static void gdb_cmd_breakpoint(GdbState *s, const char *p, bool insert, GString *r)
{
    uint64_t type, addr, kind;
    unsigned done = 0, n = cpus_count();
    int ret = 0;

    if (gdb_parse_hex(&p, &type) < 0 || *p++ != ',' || gdb_parse_hex(&p, &addr) < 0 ||
        *p++ != ',' || gdb_parse_hex(&p, &kind) < 0 || (*p && *p != ';')) {
        g_string_append(r, "E22");
        return;
    }
    if (type > ACCEL_WP_ACCESS || !s->ops->insert_breakpoint) {
        return;   /* empty: not supported */
    }
    for (; done < n && ret == 0; done++) {
        CPUState *cs = cpus_get(done);

        ret = insert ? s->ops->insert_breakpoint(cs, (AccelBreakpointType)type, addr, kind)
                     : s->ops->remove_breakpoint(cs, (AccelBreakpointType)type, addr, kind);
    }
    if (ret == 0) {
        g_string_append(r, "OK");
        return;
    }
    if (insert) {
        for (unsigned i = 0; i + 1 < done; i++) {
            s->ops->remove_breakpoint(cpus_get(i), (AccelBreakpointType)type, addr, kind);
        }
    }
    g_string_append(r, ret == -ENOTSUP ? "" : "E22");
}

/* qXfer:features:read:ANNEX:OFF,LEN (binary reply: 'm' more, 'l' last) */
static void gdb_cmd_xfer_features(GdbState *s, const char *p)
{
    const char *xml = x86_gdb_target_xml();
    size_t xml_len = strlen(xml);
    uint64_t off, len;
    GString *r;

    if (strncmp(p, "target.xml:", 11)) {
        gdb_send(s, "E00");   /* no such annex */
        return;
    }
    p += 11;
    if (gdb_parse_hex(&p, &off) < 0 || *p++ != ',' || gdb_parse_hex(&p, &len) < 0 || *p) {
        gdb_send(s, "E22");
        return;
    }
    if (off > xml_len) {
        gdb_send(s, "E22");
        return;
    }
    len = MIN(len, (uint64_t)GDB_PACKET_MAX / 2);   /* room for escapes */
    len = MIN(len, xml_len - off);
    r = g_string_new(off + len < xml_len ? "m" : "l");
    g_string_append_len(r, xml + off, (gssize)len);
    gdb_send_framed(s, r->str, r->len, true);
    g_string_free(r, true);
}

/* qRcmd,HEX: run a monitor command; its text goes back as O packets. */
static void gdb_cmd_monitor(GdbState *s, const char *hex, GString *r)
{
    size_t len = strlen(hex) / 2;
    char *line;
    GString *out;

    if (strlen(hex) % 2) {
        g_string_append(r, "E22");
        return;
    }
    line = g_malloc0(len + 1);
    if (gdb_hex_decode(hex, (uint8_t *)line, len) < 0 || strlen(line) != len) {
        g_free(line);
        g_string_append(r, "E22");
        return;
    }
    out = g_string_new(NULL);
    monitor_run_command(line, out);
    for (size_t off = 0; off < out->len; off += GDB_PACKET_MAX / 4) {
        GString *o = g_string_new("O");

        gdb_hex_append(o, (const uint8_t *)out->str + off,
                       MIN(out->len - off, (size_t)GDB_PACKET_MAX / 4));
        gdb_send(s, o->str);
        g_string_free(o, true);
    }
    g_string_free(out, true);
    g_free(line);
    g_string_append(r, "OK");
}

static void gdb_cmd_query(GdbState *s, const char *p, GString *r)
{
    if (!strncmp(p, "qSupported", 10)) {
        g_string_append_printf(r, "PacketSize=%x;qXfer:features:read+;vContSupported+",
                               GDB_PACKET_MAX);
    } else if (!strncmp(p, "qXfer:features:read:", 20)) {
        gdb_cmd_xfer_features(s, p + 20);
    } else if (!strcmp(p, "qfThreadInfo")) {
        g_string_append_c(r, 'm');
        for (unsigned i = 0; i < cpus_count(); i++) {
            g_string_append_printf(r, "%s%02x", i ? "," : "", gdb_thread_id(cpus_get(i)));
        }
    } else if (!strcmp(p, "qsThreadInfo")) {
        g_string_append_c(r, 'l');
    } else if (!strcmp(p, "qC")) {
        g_string_append_printf(r, "QC%02x", gdb_thread_id(s->g_cpu));
    } else if (!strcmp(p, "qAttached")) {
        g_string_append_c(r, '1');
    } else if (!strncmp(p, "qRcmd,", 6)) {
        gdb_cmd_monitor(s, p + 6, r);
    }
    /* anything else: empty, not supported */
}

/* H{g,c}TID */
static void gdb_cmd_set_thread(GdbState *s, const char *p, GString *r)
{
    CPUState *cs;
    bool ok;

    if (*p != 'g' && *p != 'c') {
        g_string_append(r, "E22");
        return;
    }
    cs = gdb_thread_cpu(p + 1, &ok);
    if (!ok) {
        g_string_append(r, "E22");
        return;
    }
    *(*p == 'g' ? &s->g_cpu : &s->c_cpu) = cs;
    g_string_append(r, "OK");
}

static void gdb_handle_packet(GdbState *s, const char *p)
{
    GString *r = s->reply;
    bool ok;

    g_string_truncate(r, 0);
    switch (p[0]) {
    case '?':
        g_string_append_printf(r, "T05thread:%02x;", gdb_thread_id(s->g_cpu));
        break;
    case 'c':
    case 's':
        gdb_cmd_continue(s, p + 1, p[0] == 's', false);
        return;   /* the stop reply comes when the VM stops */
    case 'C':
    case 'S':
        gdb_cmd_continue(s, p + 1, p[0] == 'S', true);
        return;
    case 'v':
        if (!strncmp(p, "vCont", 5) && (p[5] == ';' || p[5] == '?')) {
            gdb_cmd_vcont(s, p + 5);
            return;
        }
        break;   /* other v packets (vMustReplyEmpty...): empty */
    case 'g':
        gdb_cmd_read_registers(s, r);
        break;
    case 'G':
        gdb_cmd_write_registers(s, p + 1, r);
        break;
    case 'p':
    case 'P':
        gdb_cmd_register(s, p + 1, p[0] == 'P', r);
        break;
    case 'm':
    case 'M':
        gdb_cmd_memory(s, p + 1, p[0] == 'M', r);
        break;
    case 'Z':
    case 'z':
        gdb_cmd_breakpoint(s, p + 1, p[0] == 'Z', r);
        break;
    case 'H':
        gdb_cmd_set_thread(s, p + 1, r);
        break;
    case 'T':
        gdb_thread_cpu(p + 1, &ok);
        g_string_append(r, ok ? "OK" : "E22");
        break;
    case 'q':
        gdb_cmd_query(s, p, r);
        if (!strncmp(p, "qXfer:features:read:", 20)) {
            return;   /* sent binary */
        }
        break;
    case 'D':
        gdb_send(s, "OK");
        gdb_release_vm(s);
        return;
    case 'k':
        gdb_remove_all(s);
        runstate_request_shutdown(0);   /* QEMU exits on gdb's kill too */
        return;
    default:
        break;   /* empty: not supported */
    }
    gdb_send(s, r->str);
}

/* ---- the character back end --------------------------------------------------- */

static int gdb_can_receive(void *opaque)
{
    return GDB_PACKET_MAX;
}

static void gdb_receive(void *opaque, const uint8_t *buf, size_t len)
{
    GdbState *s = opaque;

    for (size_t i = 0; i < len; i++) {
        switch (gdb_packet_feed(&s->rd, buf[i])) {
        case GDB_PACKET_NONE:
            break;
        case GDB_PACKET_BAD:
            chardev_write(s->chr, (const uint8_t *)"-", 1);
            break;
        case GDB_PACKET_INTERRUPT:
            if (s->running) {
                vm_stop();    /* the listener sends the stop reply */
            }
            break;
        case GDB_PACKET_OK:
            chardev_write(s->chr, (const uint8_t *)"+", 1);
            if (s->running) {
                break;        /* only 0x03 while the VM runs for gdb */
            }
            gdb_handle_packet(s, s->rd.data);
            break;
        }
    }
}

static void gdb_event(void *opaque, ChardevEventKind event)
{
    GdbState *s = opaque;

    if (event == CHARDEV_EVENT_OPENED) {
        s->connected = true;
        s->running = false;
        s->rd.state = GDB_RD_IDLE;
        s->g_cpu = s->c_cpu = cpus_get(0);
        vm_stop();            /* gdb looks at a stopped machine, as in QEMU */
    } else if (s->connected) {
        /* gone without 'D': its breakpoints go, the VM stays as it is
         * (QEMU's choice too; the monitor's "cont" resumes it) */
        s->connected = false;
        s->running = false;
        gdb_remove_all(s);
    }
}

/* "tcp::1234" or "unix:PATH" with server,nowait (QEMU's -gdb). */
static char *gdb_chardev_spec(const char *spec)
{
    if (strstr(spec, ",server") || strstr(spec, ",wait") || strstr(spec, ",nowait")) {
        return g_strdup(spec);
    }
    return g_strdup_printf("%s,server,nowait", spec);
}

int gdbserver_start(const char *spec, const AccelOps *ops, Error **errp)
{
    GdbState *s = &gdb_state;
    char *full;

    if (s->chr) {
        error_setg(errp, "-gdb %s: the gdbstub already listens", spec);
        return -EBUSY;
    }
    if (strncmp(spec, "tcp:", 4) && strncmp(spec, "unix:", 5) && strncmp(spec, "chardev:", 8)) {
        error_setg(errp, "-gdb %s: expected tcp::PORT, unix:PATH or chardev:ID", spec);
        return -EINVAL;
    }
    /* a -chardev is used as defined; a bare address listens */
    full = !strncmp(spec, "chardev:", 8) ? g_strdup(spec) : gdb_chardev_spec(spec);
    s->chr = chardev_new("-gdb", full, errp);
    g_free(full);
    if (!s->chr) {
        return -EINVAL;
    }
    s->ops = ops;
    s->reply = g_string_new(NULL);
    s->g_cpu = s->c_cpu = cpus_get(0);
    accel_set_debug_hook(gdb_debug_hook);
    runstate_add_listener(gdb_runstate_changed, s);
    chardev_set_handlers(s->chr, gdb_can_receive, gdb_receive, s);
    chardev_set_event_handler(s->chr, gdb_event);
    return 0;
}
