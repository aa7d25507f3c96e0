/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run states, start/stop of the VM and the request mailbox. Requests are
 * single atomic words written by any thread and consumed by the main loop,
 * which is the only place that acts on them: a vCPU that powers the guest
 * off must not tear the machine down underneath itself, so it only posts
 * the request and stops at its next exit.
 */
#include "system/runstate.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/timer.h"

#include <string.h>

/* Hooks of several signatures share storage; cast back when calling. */
typedef void (*HookFn)(void);

typedef struct {
    HookFn fn;
    void *opaque;
} Hook;

typedef struct {
    RunState state;
    GArray *notifiers;      /* of Hook: RunStateNotifyFn */
    GArray *powerdown;      /* of Hook: void (*)(void *) */
    GArray *on_shutdown;    /* of Hook: void (*)(void *, ShutdownCause) */
    GArray *on_reset;       /* of Hook: void (*)(void *, ShutdownCause) */
    GArray *reset_handlers; /* of Hook: void (*)(void *) */
    /* Request mailbox, atomic. 0 means none. */
    int shutdown_req;       /* ShutdownCause */
    int reset_req;          /* ShutdownCause */
    int powerdown_req;
    int vmstop_req;         /* RunState + 1 */
    int exit_status;
    int no_reboot;
    int no_shutdown;
} RunStateCtx;

static RunStateCtx rs = { .state = RUN_STATE_PRELAUNCH };

static const char *const runstate_names[RUN_STATE_MAX] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_DEBUG] = "debug",
    [RUN_STATE_SUSPENDED] = "suspended",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
};

static const char *const cause_names[SHUTDOWN_CAUSE_MAX] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
    [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
    [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
    [SHUTDOWN_CAUSE_SUBSYSTEM_RESET] = "subsystem-reset",
};

#define BIT(s) (1u << (s))

/* Read and clear a mailbox slot (g_atomic_int_exchange needs GLib 2.74). */
static int atomic_take(int *slot)
{
    return __atomic_exchange_n(slot, 0, __ATOMIC_SEQ_CST);
}

/*
 * Legal successors of each state. Every stopped state leads back to
 * prelaunch through a system reset, after which "cont" may run the guest
 * again; a state a vCPU can post asynchronously (shutdown, panic, error,
 * debug) is also reachable from paused, because the user may pause the VM
 * between the post and its processing.
 */
static const uint32_t runstate_next[RUN_STATE_MAX] = {
    [RUN_STATE_PRELAUNCH] = BIT(RUN_STATE_RUNNING) | BIT(RUN_STATE_PAUSED) |
                            BIT(RUN_STATE_DEBUG) | BIT(RUN_STATE_SHUTDOWN) |
                            BIT(RUN_STATE_INTERNAL_ERROR) | BIT(RUN_STATE_GUEST_PANICKED),
    [RUN_STATE_RUNNING] = BIT(RUN_STATE_PAUSED) | BIT(RUN_STATE_DEBUG) |
                          BIT(RUN_STATE_SUSPENDED) | BIT(RUN_STATE_SHUTDOWN) |
                          BIT(RUN_STATE_INTERNAL_ERROR) | BIT(RUN_STATE_GUEST_PANICKED) |
                          BIT(RUN_STATE_PRELAUNCH),
    [RUN_STATE_PAUSED] = BIT(RUN_STATE_RUNNING) | BIT(RUN_STATE_DEBUG) |
                         BIT(RUN_STATE_SHUTDOWN) | BIT(RUN_STATE_PRELAUNCH) |
                         BIT(RUN_STATE_INTERNAL_ERROR) | BIT(RUN_STATE_GUEST_PANICKED),
    [RUN_STATE_DEBUG] = BIT(RUN_STATE_RUNNING) | BIT(RUN_STATE_PAUSED) |
                        BIT(RUN_STATE_SHUTDOWN) | BIT(RUN_STATE_PRELAUNCH),
    [RUN_STATE_SUSPENDED] = BIT(RUN_STATE_RUNNING) | BIT(RUN_STATE_PAUSED) |
                            BIT(RUN_STATE_DEBUG) | BIT(RUN_STATE_SHUTDOWN) |
                            BIT(RUN_STATE_PRELAUNCH) | BIT(RUN_STATE_INTERNAL_ERROR) |
                            BIT(RUN_STATE_GUEST_PANICKED),
    [RUN_STATE_SHUTDOWN] = BIT(RUN_STATE_PAUSED) | BIT(RUN_STATE_PRELAUNCH) |
                           BIT(RUN_STATE_DEBUG),
    [RUN_STATE_INTERNAL_ERROR] = BIT(RUN_STATE_PAUSED) | BIT(RUN_STATE_PRELAUNCH) |
                                 BIT(RUN_STATE_SHUTDOWN),
    [RUN_STATE_GUEST_PANICKED] = BIT(RUN_STATE_PAUSED) | BIT(RUN_STATE_PRELAUNCH) |
                                 BIT(RUN_STATE_DEBUG) | BIT(RUN_STATE_SHUTDOWN),
};

const char *runstate_name(RunState st)
{
    g_assert(st >= 0 && st < RUN_STATE_MAX);
    return runstate_names[st];
}

RunState runstate_from_name(const char *name)
{
    for (int i = 0; i < RUN_STATE_MAX; i++) {
        if (name && strcmp(runstate_names[i], name) == 0) {
            return i;
        }
    }
    return RUN_STATE_MAX;
}

RunState runstate_get(void)
{
    return rs.state;
}

bool runstate_is_running(void)
{
    return rs.state == RUN_STATE_RUNNING;
}

bool runstate_can_transition(RunState from, RunState to)
{
    if (from < 0 || from >= RUN_STATE_MAX || to < 0 || to >= RUN_STATE_MAX) {
        return false;
    }
    return from == to || (runstate_next[from] & BIT(to)) != 0;
}

void runstate_set(RunState st)
{
    if (st == rs.state) {
        return;
    }
    if (!runstate_can_transition(rs.state, st)) {
        g_error("invalid run state transition: '%s' -> '%s'", runstate_name(rs.state),
                (st >= 0 && st < RUN_STATE_MAX) ? runstate_name(st) : "?");
    }
    rs.state = st;
}

const char *shutdown_cause_name(ShutdownCause cause)
{
    g_assert(cause >= 0 && cause < SHUTDOWN_CAUSE_MAX);
    return cause_names[cause];
}

bool shutdown_cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN || cause == SHUTDOWN_CAUSE_GUEST_RESET ||
           cause == SHUTDOWN_CAUSE_GUEST_PANIC;
}

static void hook_add(GArray **arr, HookFn fn, void *opaque)
{
    Hook h = { fn, opaque };

    g_assert(fn);
    if (!*arr) {
        *arr = g_array_new(FALSE, FALSE, sizeof(Hook));
    }
    g_array_append_val(*arr, h);
}

static void hook_remove(GArray *arr, HookFn fn, void *opaque)
{
    for (guint i = 0; arr && i < arr->len; i++) {
        Hook *h = &g_array_index(arr, Hook, i);

        if (h->fn == fn && h->opaque == opaque) {
            g_array_remove_index(arr, i);
            return;
        }
    }
}

static guint hook_count(GArray *arr)
{
    return arr ? arr->len : 0;
}

/* Copied out by value: a hook may register or remove hooks. */
static Hook hook_at(GArray *arr, guint i)
{
    return g_array_index(arr, Hook, i);
}

void runstate_add_notifier(RunStateNotifyFn *fn, void *opaque)
{
    hook_add(&rs.notifiers, (HookFn)fn, opaque);
}

void runstate_remove_notifier(RunStateNotifyFn *fn, void *opaque)
{
    hook_remove(rs.notifiers, (HookFn)fn, opaque);
}

void runstate_add_powerdown_notifier(void (*fn)(void *opaque), void *opaque)
{
    hook_add(&rs.powerdown, (HookFn)fn, opaque);
}

void runstate_add_shutdown_notifier(void (*fn)(void *opaque, ShutdownCause cause),
                                    void *opaque)
{
    hook_add(&rs.on_shutdown, (HookFn)fn, opaque);
}

void runstate_add_reset_notifier(void (*fn)(void *opaque, ShutdownCause cause), void *opaque)
{
    hook_add(&rs.on_reset, (HookFn)fn, opaque);
}

void system_reset_register(void (*fn)(void *opaque), void *opaque)
{
    hook_add(&rs.reset_handlers, (HookFn)fn, opaque);
}

void system_reset_unregister(void (*fn)(void *opaque), void *opaque)
{
    hook_remove(rs.reset_handlers, (HookFn)fn, opaque);
}

static void runstate_notify(bool running)
{
    guint n = hook_count(rs.notifiers);

    /* Start in registration order, stop in reverse, like nested set-up. */
    for (guint k = 0; k < n && k < hook_count(rs.notifiers); k++) {
        Hook h = hook_at(rs.notifiers, running ? k : n - 1 - k);

        ((RunStateNotifyFn *)h.fn)(h.opaque, running, rs.state);
    }
}

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    clock_virtual_start();
    runstate_set(RUN_STATE_RUNNING);
    runstate_notify(true);
    resume_all_vcpus();
}

void vm_stop(RunState to)
{
    g_assert(to != RUN_STATE_RUNNING);
    if (cpu_current()) {
        /* A vCPU cannot wait for itself to stop: let the main loop do it. */
        request_vm_stop(to);
        cpu_stop_current();
        return;
    }
    if (!runstate_is_running()) {
        runstate_set(to);
        return;
    }
    clock_virtual_stop();
    pause_all_vcpus();
    runstate_set(to);
    runstate_notify(false);
}

static void request_post(int *slot, int value)
{
    g_atomic_int_set(slot, value);
    if (cpu_current()) {
        /* The guest should not run on after asking to stop or reset. */
        cpu_stop_current();
    }
    main_loop_notify();
}

void request_shutdown(ShutdownCause cause)
{
    g_assert(cause > SHUTDOWN_CAUSE_NONE && cause < SHUTDOWN_CAUSE_MAX);
    request_post(&rs.shutdown_req, cause);
}

void request_reset(ShutdownCause cause)
{
    g_assert(cause > SHUTDOWN_CAUSE_NONE && cause < SHUTDOWN_CAUSE_MAX);
    if (g_atomic_int_get(&rs.no_reboot) && cause != SHUTDOWN_CAUSE_SUBSYSTEM_RESET) {
        request_post(&rs.shutdown_req, cause);
    } else {
        request_post(&rs.reset_req, cause);
    }
}

void request_powerdown(void)
{
    g_atomic_int_set(&rs.powerdown_req, 1);
    main_loop_notify();
}

void request_vm_stop(RunState to)
{
    g_assert(to >= 0 && to < RUN_STATE_MAX && to != RUN_STATE_RUNNING);
    g_atomic_int_set(&rs.vmstop_req, to + 1);
    main_loop_notify();
}

bool shutdown_requested(void)
{
    return g_atomic_int_get(&rs.shutdown_req) != 0;
}

bool runstate_requests_pending(void)
{
    return g_atomic_int_get(&rs.shutdown_req) || g_atomic_int_get(&rs.reset_req) ||
           g_atomic_int_get(&rs.powerdown_req) || g_atomic_int_get(&rs.vmstop_req);
}

void set_exit_status(int status)
{
    g_atomic_int_set(&rs.exit_status, status);
}

int get_exit_status(void)
{
    return g_atomic_int_get(&rs.exit_status);
}

void runstate_set_no_reboot(bool on)
{
    g_atomic_int_set(&rs.no_reboot, on);
}

void runstate_set_no_shutdown(bool on)
{
    g_atomic_int_set(&rs.no_shutdown, on);
}

void system_reset(ShutdownCause cause)
{
    bool was_running = runstate_is_running();

    if (was_running) {
        pause_all_vcpus();
    }
    for (guint i = 0; i < hook_count(rs.reset_handlers); i++) {
        Hook h = hook_at(rs.reset_handlers, i);

        ((void (*)(void *))h.fn)(h.opaque);
    }
    for (guint i = 0; i < hook_count(rs.on_reset); i++) {
        Hook h = hook_at(rs.on_reset, i);

        ((void (*)(void *, ShutdownCause))h.fn)(h.opaque, cause);
    }
    if (was_running) {
        resume_all_vcpus();
    }
}

bool runstate_process_requests(void)
{
    int cause;

    g_assert(bql_locked());
    cause = atomic_take(&rs.shutdown_req);
    if (cause) {
        for (guint i = 0; i < hook_count(rs.on_shutdown); i++) {
            Hook h = hook_at(rs.on_shutdown, i);

            ((void (*)(void *, ShutdownCause))h.fn)(h.opaque, cause);
        }
        if (g_atomic_int_get(&rs.no_shutdown) && shutdown_cause_is_guest(cause)) {
            vm_stop(cause == SHUTDOWN_CAUSE_GUEST_PANIC ? RUN_STATE_GUEST_PANICKED
                                                        : RUN_STATE_SHUTDOWN);
        } else {
            /* Quiesce the guest before main() tears the machine down. */
            vm_stop(RUN_STATE_SHUTDOWN);
            return true;
        }
    }

    cause = atomic_take(&rs.reset_req);
    if (cause) {
        system_reset(cause);
        /* A reset un-sticks shutdown/error states so "cont" can run again. */
        if (!runstate_is_running()) {
            runstate_set(RUN_STATE_PRELAUNCH);
        }
    }

    if (atomic_take(&rs.powerdown_req)) {
        for (guint i = 0; i < hook_count(rs.powerdown); i++) {
            Hook h = hook_at(rs.powerdown, i);

            ((void (*)(void *))h.fn)(h.opaque);
        }
    }

    cause = atomic_take(&rs.vmstop_req);
    if (cause) {
        vm_stop(cause - 1);
    }
    return false;
}
