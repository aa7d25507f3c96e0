/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VM run states (QEMU's status names, as reported by query-status) and the
 * requests that change them. Any thread may post a request (a vCPU writing
 * a power-off register, a signal handler, the monitor); the main loop
 * processes them with the BQL held, so shutdown, reset and stop never run
 * in the middle of a device access. Everything else here requires the BQL.
 */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include <glib.h>
#include <stdbool.h>

typedef enum {
    RUN_STATE_PRELAUNCH,       /* "prelaunch": created, not started (-S) */
    RUN_STATE_RUNNING,         /* "running" */
    RUN_STATE_PAUSED,          /* "paused": stopped by the user */
    RUN_STATE_DEBUG,           /* "debug": stopped by the gdb stub */
    RUN_STATE_SUSPENDED,       /* "suspended": guest asked to sleep */
    RUN_STATE_SHUTDOWN,        /* "shutdown": guest powered off (-no-shutdown) */
    RUN_STATE_INTERNAL_ERROR,  /* "internal-error": the accelerator failed */
    RUN_STATE_GUEST_PANICKED,  /* "guest-panicked" */
    RUN_STATE_MAX,
} RunState;

/* QAPI ShutdownCause names. */
typedef enum {
    SHUTDOWN_CAUSE_NONE,                  /* "none" */
    SHUTDOWN_CAUSE_HOST_ERROR,            /* "host-error" */
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,         /* "host-qmp-quit": quit command */
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET, /* "host-qmp-system-reset" */
    SHUTDOWN_CAUSE_HOST_SIGNAL,           /* "host-signal" */
    SHUTDOWN_CAUSE_HOST_UI,               /* "host-ui": window closed */
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,        /* "guest-shutdown" */
    SHUTDOWN_CAUSE_GUEST_RESET,           /* "guest-reset" */
    SHUTDOWN_CAUSE_GUEST_PANIC,           /* "guest-panic" */
    SHUTDOWN_CAUSE_SUBSYSTEM_RESET,       /* "subsystem-reset" */
    SHUTDOWN_CAUSE_MAX,
} ShutdownCause;

const char *runstate_name(RunState st);
/* Parse a status name; returns RUN_STATE_MAX if unknown. */
RunState runstate_from_name(const char *name);
RunState runstate_get(void);
bool runstate_is_running(void);
/* Whether runstate_set(to) is legal from the current/any state. */
bool runstate_can_transition(RunState from, RunState to);
/*
 * Change state. Setting the current state is a no-op; an illegal
 * transition is a programming error (assertion). Does not notify: use
 * vm_start()/vm_stop() for changes that start or stop the guest.
 */
void runstate_set(RunState st);

const char *shutdown_cause_name(ShutdownCause cause);
/* True for causes that come from the guest (-no-shutdown applies). */
bool shutdown_cause_is_guest(ShutdownCause cause);

/*
 * Called when the VM starts (in registration order) and stops (in reverse
 * order), after the state changed. QMP STOP/RESUME, clocks, display.
 */
typedef void RunStateNotifyFn(void *opaque, bool running, RunState st);
void runstate_add_notifier(RunStateNotifyFn *fn, void *opaque);
void runstate_remove_notifier(RunStateNotifyFn *fn, void *opaque);

/* Start: CLOCK_VIRTUAL resumes, state becomes running, vCPUs resume. */
void vm_start(void);
/*
 * Stop: pause every vCPU synchronously, stop CLOCK_VIRTUAL, enter state
 * `to`. From a vCPU thread the stop is posted to the main loop and the
 * calling vCPU stops at its next exit.
 */
void vm_stop(RunState to);

/* Requests: any thread, processed by the main loop. */
void request_shutdown(ShutdownCause cause);
void request_reset(ShutdownCause cause);
void request_powerdown(void);
void request_vm_stop(RunState to);
/* Whether a shutdown request is pending (for tests and the monitor). */
bool shutdown_requested(void);

/* Exit status returned by main_loop_run() (e.g. isa-debug-exit). */
void set_exit_status(int status);
int get_exit_status(void);

/* -no-reboot: a reset request (except subsystem-reset) shuts down instead. */
void runstate_set_no_reboot(bool on);
/* -no-shutdown: a guest shutdown or panic stops the VM instead of exiting. */
void runstate_set_no_shutdown(bool on);

/* Machine power button, pressed on request_powerdown(). */
void runstate_add_powerdown_notifier(void (*fn)(void *opaque), void *opaque);
/* Told about every processed shutdown (QMP SHUTDOWN event), before exit. */
void runstate_add_shutdown_notifier(void (*fn)(void *opaque, ShutdownCause cause),
                                    void *opaque);
/* Told after each system reset (QMP RESET event). */
void runstate_add_reset_notifier(void (*fn)(void *opaque, ShutdownCause cause),
                                 void *opaque);

/* System reset handlers run in registration order. */
void system_reset_register(void (*fn)(void *opaque), void *opaque);
void system_reset_unregister(void (*fn)(void *opaque), void *opaque);
/*
 * Pause the vCPUs, run the handlers and the reset notifiers, resume the
 * vCPUs if the VM was running. Main thread, BQL held.
 */
void system_reset(ShutdownCause cause);

/*
 * Process pending requests (main loop, BQL held). Returns true if the
 * process should exit.
 */
bool runstate_process_requests(void);
/* Whether any request is waiting (lock-free; used before polling). */
bool runstate_requests_pending(void);

#endif
