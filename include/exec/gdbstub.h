/*
 * gdbstub.h: the gdb remote serial protocol server (gdbstub/), QEMU's
 * -gdb / -s.
 *
 * One stub per process, on one character back end (a TCP or Unix socket,
 * server and nowait implied), serving one gdb at a time.  gdb sees one
 * thread per vCPU (thread ids 1..N).  A connecting gdb stops the VM; 'c',
 * 's' and vCont resume it (vm_start) and the next stop (a breakpoint,
 * watchpoint or step on a vCPU thread, Ctrl-C, the monitor's "stop")
 * answers with a stop reply.  Detaching ('D') removes gdb's breakpoints
 * and lets the VM run; a connection closed without it removes them and
 * leaves the VM as it is (QEMU does the same).  gdbstub/gdbstub.c
 * says which packets it answers.
 *
 * Locking: everything runs on the main thread with the machine lock held,
 * except the debug hook a vCPU thread calls (it only records the vCPU and
 * asks the main loop to stop the VM).
 */
#ifndef EXEC_GDBSTUB_H
#define EXEC_GDBSTUB_H

#include "util/osdep.h"
#include "util/error.h"
#include "accel/accel.h"

/* Listen on spec ("tcp::1234", "unix:PATH", as -gdb and the monitor's
 * gdbserver take it); ops is the accelerator (breakpoints, single step).
 * Main thread.  0, or -errno with *errp set (a bad spec, a socket error,
 * a stub already listening). */
int gdbserver_start(const char *spec, const AccelOps *ops, Error **errp);

#endif
