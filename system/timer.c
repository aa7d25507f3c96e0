/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Clocks and timers. Each clock keeps its pending timers in a list sorted by
 * expiry, so the main loop's poll timeout is the head of each list. One
 * mutex covers the lists and the virtual clock's bookkeeping: the BQL
 * already serialises callers, but the main loop computes its deadline with
 * the BQL released, while a vCPU may be re-arming a timer.
 *
 * TERN_CLOCK_VIRTUAL is derived from a monotonic base (host time, or a fake one
 * in manual test mode) plus an offset chosen at each start so that the
 * value continues from where it stopped.
 */
#include "system/timer.h"
#include "system/main-loop.h"

#include <time.h>

struct Timer {
    ClockType type;
    int64_t expire;
    TimerCb *cb;
    void *opaque;
    bool pending;
    uint64_t armed_seq;     /* run_seq when armed, see timers_run_expired */
    Timer *next;
};

typedef struct {
    GMutex lock;
    Timer *lists[TERN_CLOCK_MAX];
    /*
     * Incremented at the start of each expiry run; a timer armed during a
     * run is skipped by it, so a callback re-arming in the past cannot
     * loop forever.
     */
    uint64_t run_seq;

    bool virt_running;
    int64_t virt_offset;    /* virtual = base + offset while running */
    int64_t virt_frozen;    /* virtual value while stopped */
    bool manual;
    int64_t manual_base;    /* fake base time in manual mode */
} TimerState;

static TimerState ts;

static int64_t host_clock_ns(clockid_t id)
{
    struct timespec t;

    clock_gettime(id, &t);
    return (int64_t)t.tv_sec * NS_PER_SEC + t.tv_nsec;
}

static int64_t virt_base_locked(void)
{
    return ts.manual ? ts.manual_base : host_clock_ns(CLOCK_MONOTONIC);
}

static int64_t virt_now_locked(void)
{
    return ts.virt_running ? virt_base_locked() + ts.virt_offset : ts.virt_frozen;
}

static int64_t clock_now_locked(ClockType type)
{
    switch (type) {
    case TERN_CLOCK_REALTIME:
        return host_clock_ns(CLOCK_MONOTONIC);
    case TERN_CLOCK_VIRTUAL:
        return virt_now_locked();
    case TERN_CLOCK_HOST:
        return host_clock_ns(CLOCK_REALTIME);
    default:
        g_assert_not_reached();
    }
}

int64_t clock_get_ns(ClockType type)
{
    int64_t now;

    if (type != TERN_CLOCK_VIRTUAL) {
        return clock_now_locked(type);
    }
    g_mutex_lock(&ts.lock);
    now = virt_now_locked();
    g_mutex_unlock(&ts.lock);
    return now;
}

void clock_virtual_start(void)
{
    bool started = false;

    g_mutex_lock(&ts.lock);
    if (!ts.virt_running) {
        ts.virt_offset = ts.virt_frozen - virt_base_locked();
        ts.virt_running = true;
        started = ts.lists[TERN_CLOCK_VIRTUAL] != NULL;
    }
    g_mutex_unlock(&ts.lock);
    /* Virtual deadlines count again; the loop may be sleeping without them. */
    if (started && !main_loop_is_loop_thread()) {
        main_loop_notify();
    }
}

void clock_virtual_stop(void)
{
    g_mutex_lock(&ts.lock);
    if (ts.virt_running) {
        ts.virt_frozen = virt_base_locked() + ts.virt_offset;
        ts.virt_running = false;
    }
    g_mutex_unlock(&ts.lock);
}

bool clock_virtual_running(void)
{
    bool r;

    g_mutex_lock(&ts.lock);
    r = ts.virt_running;
    g_mutex_unlock(&ts.lock);
    return r;
}

void clock_virtual_set_manual(bool on)
{
    g_mutex_lock(&ts.lock);
    if (on != ts.manual) {
        int64_t now = virt_now_locked();

        ts.manual = on;
        ts.manual_base = 0;
        if (ts.virt_running) {
            ts.virt_offset = now - virt_base_locked();
        }
    }
    g_mutex_unlock(&ts.lock);
}

void clock_virtual_advance(int64_t ns)
{
    g_assert(ns >= 0);
    g_mutex_lock(&ts.lock);
    g_assert(ts.manual);
    ts.manual_base += ns;
    g_mutex_unlock(&ts.lock);
    timers_run_expired_clock(TERN_CLOCK_VIRTUAL);
}

Timer *timer_new_ns(ClockType type, TimerCb *cb, void *opaque)
{
    Timer *t;

    g_assert(type >= 0 && type < TERN_CLOCK_MAX);
    g_assert(cb);
    t = g_new0(Timer, 1);
    t->type = type;
    t->cb = cb;
    t->opaque = opaque;
    t->expire = -1;
    return t;
}

static void timer_unlink_locked(Timer *t)
{
    Timer **pp;

    if (!t->pending) {
        return;
    }
    for (pp = &ts.lists[t->type]; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = NULL;
    t->pending = false;
}

void timer_del(Timer *t)
{
    g_mutex_lock(&ts.lock);
    timer_unlink_locked(t);
    g_mutex_unlock(&ts.lock);
}

void timer_free(Timer *t)
{
    if (t) {
        timer_del(t);
        g_free(t);
    }
}

void timer_mod_ns(Timer *t, int64_t expire_abs_ns)
{
    Timer **pp;
    bool new_head;

    g_mutex_lock(&ts.lock);
    timer_unlink_locked(t);
    t->expire = expire_abs_ns;
    t->armed_seq = ts.run_seq;
    t->pending = true;
    /* After equal deadlines, so ties fire in arming order. */
    for (pp = &ts.lists[t->type]; *pp && (*pp)->expire <= expire_abs_ns; pp = &(*pp)->next) {
    }
    t->next = *pp;
    *pp = t;
    new_head = ts.lists[t->type] == t;
    g_mutex_unlock(&ts.lock);

    if (new_head && !main_loop_is_loop_thread()) {
        main_loop_notify();
    }
}

void timer_mod_in_ns(Timer *t, int64_t delta_ns)
{
    timer_mod_ns(t, clock_get_ns(t->type) + delta_ns);
}

bool timer_pending(Timer *t)
{
    bool p;

    g_mutex_lock(&ts.lock);
    p = t->pending;
    g_mutex_unlock(&ts.lock);
    return p;
}

int64_t timer_expire_time_ns(Timer *t)
{
    int64_t e;

    g_mutex_lock(&ts.lock);
    e = t->pending ? t->expire : -1;
    g_mutex_unlock(&ts.lock);
    return e;
}

int64_t timers_deadline_ns(void)
{
    int64_t best = -1;

    g_mutex_lock(&ts.lock);
    for (int c = 0; c < TERN_CLOCK_MAX; c++) {
        Timer *head = ts.lists[c];
        int64_t delta;

        if (!head || (c == TERN_CLOCK_VIRTUAL && !ts.virt_running)) {
            continue;
        }
        delta = MAX(head->expire - clock_now_locked(c), 0);
        if (best < 0 || delta < best) {
            best = delta;
        }
    }
    g_mutex_unlock(&ts.lock);
    return best;
}

bool timers_run_expired_clock(ClockType type)
{
    bool ran = false;
    uint64_t seq;
    int64_t now;

    g_mutex_lock(&ts.lock);
    seq = ++ts.run_seq;
    /* One reading per run: timers a callback arms "now" wait for the next run. */
    now = clock_now_locked(type);
    g_mutex_unlock(&ts.lock);

    for (;;) {
        Timer *t;
        TimerCb *cb = NULL;
        void *opaque = NULL;

        g_mutex_lock(&ts.lock);
        if (type == TERN_CLOCK_VIRTUAL && !ts.virt_running) {
            /* A callback stopped the VM: no more guest time passes. */
            g_mutex_unlock(&ts.lock);
            break;
        }
        for (t = ts.lists[type]; t && t->expire <= now; t = t->next) {
            if (t->armed_seq < seq) {
                timer_unlink_locked(t);
                cb = t->cb;
                opaque = t->opaque;
                break;
            }
        }
        g_mutex_unlock(&ts.lock);
        if (!cb) {
            break;
        }
        /* The timer may be re-armed or freed by its own callback. */
        cb(opaque);
        ran = true;
    }
    return ran;
}

bool timers_run_expired(void)
{
    bool ran = false;

    for (int c = 0; c < TERN_CLOCK_MAX; c++) {
        ran |= timers_run_expired_clock(c);
    }
    return ran;
}
