/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Clocks and one-shot timers. Device models arm timers on TERN_CLOCK_VIRTUAL so
 * that guest-visible time stands still while the VM is paused; host-side
 * housekeeping (chardev reconnects, display refresh) uses TERN_CLOCK_REALTIME;
 * RTCs read TERN_CLOCK_HOST. Expired timers run in the main loop thread with the
 * BQL held. Arming, deleting and querying timers requires the BQL too (vCPU
 * threads take it for device access anyway); arming from another thread
 * wakes the main loop when the deadline moves earlier.
 */
#ifndef SYSTEM_TIMER_H
#define SYSTEM_TIMER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    TERN_CLOCK_REALTIME,   /* host monotonic time, always runs */
    TERN_CLOCK_VIRTUAL,    /* guest time: stops while the VM is not running */
    TERN_CLOCK_HOST,       /* host wall clock (may jump), for RTCs */
    TERN_CLOCK_MAX,
} ClockType;

#define NS_PER_US  1000LL
#define NS_PER_MS  1000000LL
#define NS_PER_SEC 1000000000LL

typedef struct Timer Timer;
typedef void TimerCb(void *opaque);

/* Current time of a clock in nanoseconds. */
int64_t clock_get_ns(ClockType type);
static inline int64_t clock_get_ms(ClockType type)
{
    return clock_get_ns(type) / NS_PER_MS;
}

/*
 * TERN_CLOCK_VIRTUAL starts stopped at 0; vm_start()/vm_stop() call these. A
 * restart continues from the value it had when stopped, without a jump.
 */
void clock_virtual_start(void);
void clock_virtual_stop(void);
bool clock_virtual_running(void);

/*
 * Test hook: in manual mode TERN_CLOCK_VIRTUAL is driven by a fake host clock
 * that moves only through clock_virtual_advance(). Start/stop still apply,
 * so an advance while stopped changes nothing guest-visible. Advancing runs
 * the expired virtual timers (caller holds the BQL).
 */
void clock_virtual_set_manual(bool on);
void clock_virtual_advance(int64_t ns);

/* Timers. A new timer is not pending. */
Timer *timer_new_ns(ClockType type, TimerCb *cb, void *opaque);
/* Deletes the timer if pending, then frees it; NULL is ignored. */
void timer_free(Timer *t);
/* (Re-)arm to fire when the clock reaches expire_abs_ns. */
void timer_mod_ns(Timer *t, int64_t expire_abs_ns);
/* Convenience: arm relative to the clock's current time. */
void timer_mod_in_ns(Timer *t, int64_t delta_ns);
void timer_del(Timer *t);
bool timer_pending(Timer *t);
/* Expiry time of a pending timer, -1 if not pending. */
int64_t timer_expire_time_ns(Timer *t);

/*
 * Nanoseconds until the nearest pending deadline over all clocks, 0 if one
 * is already due, -1 if nothing can fire (virtual timers cannot fire while
 * TERN_CLOCK_VIRTUAL is stopped).
 */
int64_t timers_deadline_ns(void);
/*
 * Run every expired timer in deadline order (ties in arming order). A
 * timer re-armed by a callback to a time already past waits for the next
 * call, so a callback cannot starve the loop. Returns true if any ran.
 */
bool timers_run_expired(void);
/* Same, for one clock. */
bool timers_run_expired_clock(ClockType type);

#endif
