/*
 * qmp.h: the QEMU Machine Protocol (QMP), QEMU's JSON monitor (-qmp DEV).
 *
 * A QMP monitor is a front end on a Chardev: on each connection it sends
 * the greeting, accepts only qmp_capabilities until the client has
 * negotiated, then runs commands (query-status, stop, cont, ...) and
 * sends events (STOP, RESUME, RESET, SHUTDOWN, POWERDOWN), in QEMU's
 * exact wire format (docs/debugging.md, "QMP").
 *
 * Locking: everything runs on the main thread with the machine lock held
 * (the chardev's input handlers and the run-state listeners).
 */
#ifndef MONITOR_QMP_H
#define MONITOR_QMP_H

#include "util/osdep.h"
#include "util/error.h"
#include "sysemu/chardev.h"

typedef struct MachineState MachineState;

/* Serve QMP on chr (taken over) for the machine ms.  Returns 0, or a
 * negative errno with *errp set. */
int qmp_init(Chardev *chr, MachineState *ms, Error **errp);

#endif
