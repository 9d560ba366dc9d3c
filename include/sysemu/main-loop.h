/*
 * main-loop.h: the main thread's event loop.
 *
 * After the vCPU threads start, the main thread waits in main_loop_run for
 * whichever comes first: a file descriptor becoming readable (console
 * input; later the monitor, gdb and QMP sockets), the next timer deadline
 * (sysemu/timer.h), or a run-state request (reset, shutdown).  Fd handlers
 * and timer callbacks run in this thread with the machine lock held, so
 * device models see one lock whichever thread calls them.
 */
#ifndef SYSEMU_MAIN_LOOP_H
#define SYSEMU_MAIN_LOOP_H

#include "util/osdep.h"

typedef void (*MainLoopFdHandler)(void *opaque);
/* Whether to watch the fd now (a front end with no room for input says
 * no, so the loop does not spin on data it cannot take). */
typedef bool (*MainLoopFdCanRead)(void *opaque);

/* Before any other thread starts (main.c): the wake-up pipe, and the
 * handlers that turn SIGINT, SIGTERM and SIGHUP into a clean shutdown. */
void main_loop_init(void);

/* fn (async-signal-safe: it runs in a signal handler) runs before a
 * terminating signal that comes 2 s or more after the first kills tern
 * without the clean shutdown: the console gives the terminal back. */
void main_loop_set_last_words(void (*fn)(void));

/* Call on_read(opaque) whenever fd is readable (or at end of file or an
 * error: the handler's read sees it) and can_read(opaque) (NULL: always)
 * says it is wanted; both run with the machine lock held.  on_read NULL
 * removes fd's handler.  Main thread, or any thread before main_loop_run;
 * a front end whose can_read turns true from a vCPU thread calls
 * main_loop_wakeup. */
void main_loop_set_fd_handler(int fd, MainLoopFdCanRead can_read, MainLoopFdHandler on_read,
                              void *opaque);

/* Wake the loop from any thread (a new earliest timer, a request). */
void main_loop_wakeup(void);

/* Run until a shutdown request; reset requests call reset(opaque) (with
 * the vCPUs paused, without the machine lock) and go on.  Returns the
 * shutdown's exit status. */
int main_loop_run(void (*reset)(void *opaque), void *opaque);

#endif
