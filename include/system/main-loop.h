/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main loop and the big lock (BQL). All host I/O (chardevs, sockets,
 * the monitor) is dispatched from GLib's default main context in the main
 * thread. Device state is protected by the BQL: the main loop holds it
 * while dispatching sources, running timers and processing requests, and
 * releases it only while polling; vCPU threads take it around device
 * accesses. The thread that calls main_loop_run()/main_loop_wait() normally
 * holds the BQL outside those calls (main() takes it once at start-up); if
 * it does not, the loop takes it around dispatch and gives it back.
 */
#ifndef SYSTEM_MAIN_LOOP_H
#define SYSTEM_MAIN_LOOP_H

#include <glib.h>
#include <stdbool.h>

/* Big lock, granted in arrival order. Not recursive: locking twice in one thread is a bug. */
void bql_lock(void);
void bql_unlock(void);
/* True if the calling thread holds the BQL. */
bool bql_locked(void);
/*
 * Wait on cond with the BQL released, like g_cond_wait() with the BQL as
 * the mutex. The signalling side must hold the BQL; spurious wake-ups
 * happen, so callers loop on their condition.
 */
void bql_cond_wait(GCond *cond);
/* Same with a g_get_monotonic_time() deadline; false on timeout. */
bool bql_cond_wait_until(GCond *cond, gint64 end_time);
/* Whether some thread is waiting for the BQL. */
bool bql_has_waiters(void);

/*
 * Install signal handling: SIGTERM/SIGINT/SIGHUP become a host-signal
 * shutdown request ("tern: terminating on signal N" on stderr), SIGPIPE is
 * ignored. Exit notifiers also run at exit() through atexit().
 */
bool main_loop_init(GError **errp);

/*
 * One iteration: poll I/O sources with the nearest timer deadline as
 * timeout (0 if nonblocking), dispatch ready sources, run expired timers
 * and process pending shutdown/reset/powerdown/stop requests.
 */
void main_loop_wait(bool nonblocking);

/*
 * Iterate until a shutdown request is processed; returns the exit status
 * (get_exit_status()). Can be called again after it returns.
 */
int main_loop_run(void);

/* True if the last main_loop_wait() processed a request to exit. */
bool main_loop_should_exit(void);

/* Wake a blocked main_loop_wait() from any thread. */
void main_loop_notify(void);

/* True in the thread currently running main_loop_wait()/main_loop_run(). */
bool main_loop_is_loop_thread(void);

/* GLib context the loop dispatches (the default one). */
GMainContext *main_loop_context(void);

/*
 * Hooks run once at clean exit, most recently added first (restore the
 * terminal, flush logs). main() calls main_loop_cleanup(); atexit() covers
 * early exits.
 */
void main_loop_add_exit_notifier(void (*fn)(void *opaque), void *opaque);
void main_loop_cleanup(void);

#endif
