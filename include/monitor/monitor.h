/*
 * monitor.h: the human monitor (HMP), QEMU's "(qemu)" prompt as "(tern)".
 *
 * A monitor is a front end on a Chardev (-monitor SPEC, or the -nographic
 * console's Ctrl-A c): it reads lines, runs each as a command and writes
 * the text back.  The commands themselves (monitor/hmp-cmds.c) only append
 * text to a GString, so gdb's "monitor" packet and QMP's
 * human-monitor-command run them too, through monitor_run_command.
 *
 * Locking: everything here runs on the main thread with the machine lock
 * held (the main loop's fd handlers, or the caller's).
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "util/osdep.h"
#include "util/error.h"
#include "sysemu/chardev.h"

#include <glib.h>

typedef struct AccelOps AccelOps;
typedef struct MachineState MachineState;

/* What the commands look at: set once by main.c before any monitor runs. */
void monitor_set_machine(MachineState *ms, const AccelOps *ops);

/* Run one command line (no trailing newline needed); its output, errors
 * included (one line each), is appended to out.  Main thread, machine
 * lock held; a command that reads vCPU state drops the lock while it
 * waits for the vCPUs to pause (vm_inspect_begin). */
void monitor_run_command(const char *line, GString *out);

/* The monitor of "-monitor SPEC" (NULL or "none": none): the banner and
 * prompt on each connection; "stdio" shares a stdio console with the
 * serial port (Ctrl-A c).  After monitor_set_machine and the board. */
int monitor_start(const char *spec, Error **errp);
/* A monitor on the -chardev ID (-mon chardev=ID,mode=readline); label
 * starts the errors.  After monitor_set_machine and the board. */
int monitor_start_chardev(const char *label, const char *id, Error **errp);

#endif
