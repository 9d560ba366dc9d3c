/*
 * monitor-internal.h: what the monitor's front end (monitor.c) and its
 * commands (hmp-cmds.c) share.
 */
#ifndef MONITOR_MONITOR_INTERNAL_H
#define MONITOR_MONITOR_INTERNAL_H

#include "monitor/monitor.h"

/* The machine the commands look at (monitor_set_machine), or NULL. */
MachineState *hmp_machine(void);
/* "info chardev": the monitors' back ends, one line each. */
void monitor_info_chardev(GString *out);

#endif
