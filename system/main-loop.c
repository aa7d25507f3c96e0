/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main loop: GLib's default context iterated by hand so that the BQL
 * can be dropped exactly around the poll, the poll timeout can include our
 * own timers with nanosecond precision (ppoll), and run-state requests are
 * handled after every wake-up. Cross-thread wake-ups use GLib's context
 * wake-up; requests and timer deadlines are re-checked after the context
 * query so a wake-up that raced with the previous iteration is not lost.
 */
#include "system/main-loop.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "util/error.h"

#include <errno.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    void (*fn)(void *opaque);
    void *opaque;
} ExitNotifier;

typedef struct {
    GMutex m;               /* guards the two counters */
    GCond turn;             /* serving moved on */
    uint64_t next;          /* next ticket to hand out */
    uint64_t serving;       /* ticket that owns the BQL */
} TicketLock;

typedef struct {
    TicketLock bql;
    bool initialized;
    bool exit_requested;
    bool cleaned_up;
    GArray *exit_notifiers; /* of ExitNotifier */
    GPollFD *fds;
    int fds_cap;
} MainLoopState;

static MainLoopState ml;
static __thread bool bql_held;
static __thread int loop_depth;

/*
 * The BQL is a ticket lock: threads get it in arrival order. A plain mutex
 * lets a thread that unlocks and immediately relocks (a vCPU between
 * slices, the main loop between iterations) starve a thread woken from a
 * condition wait, which then never gets to run.
 */
static void bql_take_locked(void)
{
    uint64_t ticket = ml.bql.next++;

    while (ml.bql.serving != ticket) {
        g_cond_wait(&ml.bql.turn, &ml.bql.m);
    }
}

static void bql_release_locked(void)
{
    ml.bql.serving++;
    if (ml.bql.next != ml.bql.serving) {
        g_cond_broadcast(&ml.bql.turn);
    }
}

void bql_lock(void)
{
    g_assert(!bql_held);
    g_mutex_lock(&ml.bql.m);
    bql_take_locked();
    g_mutex_unlock(&ml.bql.m);
    bql_held = true;
}

void bql_unlock(void)
{
    g_assert(bql_held);
    bql_held = false;
    g_mutex_lock(&ml.bql.m);
    bql_release_locked();
    g_mutex_unlock(&ml.bql.m);
}

bool bql_locked(void)
{
    return bql_held;
}

/*
 * The inner mutex is held from giving up the BQL until the condition wait
 * has started, and anyone who signals `cond` holds the BQL, which it can
 * only have obtained through that mutex: the signal cannot be lost.
 */
void bql_cond_wait(GCond *cond)
{
    g_assert(bql_held);
    g_mutex_lock(&ml.bql.m);
    bql_release_locked();
    g_cond_wait(cond, &ml.bql.m);
    bql_take_locked();
    g_mutex_unlock(&ml.bql.m);
}

bool bql_cond_wait_until(GCond *cond, gint64 end_time)
{
    bool signalled;

    g_assert(bql_held);
    g_mutex_lock(&ml.bql.m);
    bql_release_locked();
    signalled = g_cond_wait_until(cond, &ml.bql.m, end_time);
    bql_take_locked();
    g_mutex_unlock(&ml.bql.m);
    return signalled;
}

bool bql_has_waiters(void)
{
    bool r;

    g_mutex_lock(&ml.bql.m);
    r = ml.bql.next - ml.bql.serving > 1;
    g_mutex_unlock(&ml.bql.m);
    return r;
}

GMainContext *main_loop_context(void)
{
    return g_main_context_default();
}

void main_loop_notify(void)
{
    g_main_context_wakeup(g_main_context_default());
}

bool main_loop_is_loop_thread(void)
{
    return loop_depth > 0;
}

bool main_loop_should_exit(void)
{
    return ml.exit_requested;
}

static gboolean main_loop_signal_cb(gpointer opaque)
{
    int sig = GPOINTER_TO_INT(opaque);

    fprintf(stderr, "tern: terminating on signal %d\n", sig);
    request_shutdown(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return G_SOURCE_CONTINUE;
}

static void main_loop_atexit(void)
{
    main_loop_cleanup();
}

bool main_loop_init(GError **errp)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    struct sigaction sa = { .sa_handler = SIG_IGN };

    if (ml.initialized) {
        return true;
    }
    /* A closed socket or pipe must surface as EPIPE, not kill the VM. */
    if (sigaction(SIGPIPE, &sa, NULL) < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "cannot ignore SIGPIPE: %s",
                    g_strerror(errno));
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        g_unix_signal_add(sigs[i], main_loop_signal_cb, GINT_TO_POINTER(sigs[i]));
    }
    atexit(main_loop_atexit);
    ml.initialized = true;
    return true;
}

void main_loop_add_exit_notifier(void (*fn)(void *opaque), void *opaque)
{
    ExitNotifier n = { fn, opaque };

    if (!ml.exit_notifiers) {
        ml.exit_notifiers = g_array_new(FALSE, FALSE, sizeof(ExitNotifier));
    }
    g_array_append_val(ml.exit_notifiers, n);
}

void main_loop_cleanup(void)
{
    if (ml.cleaned_up) {
        return;
    }
    ml.cleaned_up = true;
    /* Reverse order: later hooks may depend on state set up earlier. */
    for (guint i = ml.exit_notifiers ? ml.exit_notifiers->len : 0; i > 0; i--) {
        ExitNotifier *n = &g_array_index(ml.exit_notifiers, ExitNotifier, i - 1);

        n->fn(n->opaque);
    }
}

static int main_loop_query(GMainContext *ctx, gint max_prio, gint *timeout_ms)
{
    for (;;) {
        int n = g_main_context_query(ctx, max_prio, timeout_ms, ml.fds, ml.fds_cap);

        if (n <= ml.fds_cap) {
            return n;
        }
        ml.fds_cap = MAX(n, ml.fds_cap * 2);
        ml.fds = g_renew(GPollFD, ml.fds, ml.fds_cap);
    }
}

/* min() where a negative value means "no limit". */
static int64_t timeout_min(int64_t a, int64_t b)
{
    if (a < 0) {
        return b;
    }
    if (b < 0) {
        return a;
    }
    return MIN(a, b);
}

static void main_loop_poll(int nfds, int64_t timeout_ns)
{
    struct timespec tv;

    G_STATIC_ASSERT(sizeof(GPollFD) == sizeof(struct pollfd));
    if (timeout_ns >= 0) {
        tv.tv_sec = timeout_ns / NS_PER_SEC;
        tv.tv_nsec = timeout_ns % NS_PER_SEC;
    }
    ppoll((struct pollfd *)ml.fds, nfds, timeout_ns >= 0 ? &tv : NULL, NULL);
}

void main_loop_wait(bool nonblocking)
{
    GMainContext *ctx = g_main_context_default();
    bool had_bql = bql_locked();
    gint max_prio = 0;
    gint glib_timeout = -1;
    int64_t timeout_ns;
    int nfds;

    if (!had_bql) {
        bql_lock();
    }
    ml.exit_requested = false;
    loop_depth++;
    if (!g_main_context_acquire(ctx)) {
        g_error("main loop: the default GLib context is owned by another thread");
    }

    g_main_context_prepare(ctx, &max_prio);
    nfds = main_loop_query(ctx, max_prio, &glib_timeout);
    if (nonblocking) {
        timeout_ns = 0;
    } else {
        timeout_ns = glib_timeout < 0 ? -1 : (int64_t)glib_timeout * NS_PER_MS;
        timeout_ns = timeout_min(timeout_ns, timers_deadline_ns());
        if (runstate_requests_pending()) {
            timeout_ns = 0;
        }
    }

    bql_unlock();
    main_loop_poll(nfds, timeout_ns);
    bql_lock();

    if (g_main_context_check(ctx, max_prio, ml.fds, nfds)) {
        g_main_context_dispatch(ctx);
    }
    g_main_context_release(ctx);

    timers_run_expired();
    if (runstate_process_requests()) {
        ml.exit_requested = true;
    }

    loop_depth--;
    if (!had_bql) {
        bql_unlock();
    }
}

int main_loop_run(void)
{
    do {
        main_loop_wait(false);
    } while (!ml.exit_requested);
    return get_exit_status();
}
