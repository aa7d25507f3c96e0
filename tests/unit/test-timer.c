/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Clock and timer tests. Virtual-clock tests drive time by hand (manual
 * mode) so every assertion is exact; real-time tests only check that
 * timers fire, and in which order, never how long it took.
 */
#include "system/main-loop.h"
#include "system/timer.h"

typedef struct {
    GArray *fired;          /* of int: ids in firing order */
} Log;

typedef struct {
    Log *log;
    int id;
} Tag;

static void log_cb(void *opaque)
{
    Tag *tag = opaque;

    g_array_append_val(tag->log->fired, tag->id);
}

static Log *log_new(void)
{
    Log *l = g_new0(Log, 1);

    l->fired = g_array_new(FALSE, FALSE, sizeof(int));
    return l;
}

static void log_free(Log *l)
{
    g_array_free(l->fired, TRUE);
    g_free(l);
}

static int fired_at(Log *l, guint i)
{
    return g_array_index(l->fired, int, i);
}

/* Each test starts from a running manual virtual clock with no timers. */
static void virt_setup(void)
{
    clock_virtual_set_manual(true);
    clock_virtual_start();
    g_assert_cmpint(timers_deadline_ns(), ==, -1);
}

static void test_order(void)
{
    enum { N = 200 };
    Log *log = log_new();
    Tag tags[N];
    Timer *timers[N];
    int64_t deadline[N];
    int64_t base;
    GRand *rand = g_rand_new_with_seed(42);

    virt_setup();
    base = clock_get_ns(TERN_CLOCK_VIRTUAL);
    for (int i = 0; i < N; i++) {
        tags[i] = (Tag){ log, i };
        /* Few distinct values, so there are many ties. */
        deadline[i] = base + g_rand_int_range(rand, 1, 50) * 10;
        timers[i] = timer_new_ns(TERN_CLOCK_VIRTUAL, log_cb, &tags[i]);
        timer_mod_ns(timers[i], deadline[i]);
    }
    clock_virtual_advance(1000);
    g_assert_cmpuint(log->fired->len, ==, N);
    for (guint i = 1; i < N; i++) {
        int a = fired_at(log, i - 1), b = fired_at(log, i);

        g_assert_cmpint(deadline[a], <=, deadline[b]);
        if (deadline[a] == deadline[b]) {
            g_assert_cmpint(a, <, b);   /* ties in arming order */
        }
    }
    for (int i = 0; i < N; i++) {
        g_assert_false(timer_pending(timers[i]));
        timer_free(timers[i]);
    }
    g_rand_free(rand);
    log_free(log);
}

static void test_mod(void)
{
    Log *log = log_new();
    Tag ta = { log, 1 }, tb = { log, 2 };
    Timer *a = timer_new_ns(TERN_CLOCK_VIRTUAL, log_cb, &ta);
    Timer *b = timer_new_ns(TERN_CLOCK_VIRTUAL, log_cb, &tb);
    int64_t now;

    virt_setup();
    now = clock_get_ns(TERN_CLOCK_VIRTUAL);
    g_assert_false(timer_pending(a));
    g_assert_cmpint(timer_expire_time_ns(a), ==, -1);

    timer_mod_ns(a, now + 100);
    timer_mod_ns(b, now + 60);
    g_assert_true(timer_pending(a));
    g_assert_cmpint(timer_expire_time_ns(a), ==, now + 100);
    /* Earlier than b: a now fires first. */
    timer_mod_ns(a, now + 50);
    g_assert_cmpint(timer_expire_time_ns(a), ==, now + 50);
    clock_virtual_advance(49);
    g_assert_cmpuint(log->fired->len, ==, 0);
    clock_virtual_advance(1);
    g_assert_cmpuint(log->fired->len, ==, 1);
    g_assert_cmpint(fired_at(log, 0), ==, 1);
    g_assert_false(timer_pending(a));

    /* Later: b moves past its old deadline. */
    timer_mod_ns(b, now + 200);
    clock_virtual_advance(50);
    g_assert_cmpuint(log->fired->len, ==, 1);
    g_assert_true(timer_pending(b));
    clock_virtual_advance(100);
    g_assert_cmpuint(log->fired->len, ==, 2);
    g_assert_cmpint(fired_at(log, 1), ==, 2);

    /* Relative arming, and a deadline already in the past fires at once. */
    timer_mod_in_ns(a, 10);
    g_assert_cmpint(timer_expire_time_ns(a), ==, clock_get_ns(TERN_CLOCK_VIRTUAL) + 10);
    timer_mod_ns(a, now - 1000);
    g_assert_cmpint(timers_deadline_ns(), ==, 0);
    clock_virtual_advance(0);
    g_assert_cmpuint(log->fired->len, ==, 3);

    timer_free(a);
    timer_free(b);
    log_free(log);
}

static void test_del(void)
{
    Log *log = log_new();
    Tag ta = { log, 1 }, tb = { log, 2 };
    Timer *a = timer_new_ns(TERN_CLOCK_VIRTUAL, log_cb, &ta);
    Timer *b = timer_new_ns(TERN_CLOCK_VIRTUAL, log_cb, &tb);
    int64_t now;

    virt_setup();
    now = clock_get_ns(TERN_CLOCK_VIRTUAL);
    timer_del(a);                       /* not pending: harmless */
    timer_mod_ns(a, now + 10);
    timer_mod_ns(b, now + 20);
    timer_del(a);
    timer_del(a);
    g_assert_false(timer_pending(a));
    g_assert_cmpint(timer_expire_time_ns(a), ==, -1);
    clock_virtual_advance(100);
    g_assert_cmpuint(log->fired->len, ==, 1);
    g_assert_cmpint(fired_at(log, 0), ==, 2);

    /* Freeing a pending timer unlinks it. */
    timer_mod_ns(b, now + 200);
    timer_free(b);
    timer_free(NULL);
    g_assert_cmpint(timers_deadline_ns(), ==, -1);
    clock_virtual_advance(200);
    g_assert_cmpuint(log->fired->len, ==, 1);
    timer_free(a);
    log_free(log);
}

typedef struct {
    Timer *self;
    Timer *victim;
    Timer *spawn;
    int count;
    int limit;
    int64_t period;
    bool free_self;
} Rearm;

static void rearm_cb(void *opaque)
{
    Rearm *r = opaque;

    r->count++;
    if (r->victim) {
        timer_del(r->victim);
    }
    if (r->spawn) {
        timer_mod_ns(r->spawn, clock_get_ns(TERN_CLOCK_VIRTUAL) + 5);
    }
    if (r->free_self) {
        timer_free(r->self);
        r->self = NULL;
    } else if (r->count < r->limit) {
        timer_mod_ns(r->self, clock_get_ns(TERN_CLOCK_VIRTUAL) + r->period);
    }
}

static void count_cb(void *opaque)
{
    (*(int *)opaque)++;
}

static void test_rearm_in_callback(void)
{
    Rearm r = { .limit = 5, .period = 10 };
    Rearm past = { .limit = 3, .period = -100 };
    int victim_count = 0, spawn_count = 0;
    Timer *victim, *spawn;

    virt_setup();
    r.self = timer_new_ns(TERN_CLOCK_VIRTUAL, rearm_cb, &r);
    timer_mod_in_ns(r.self, 10);
    for (int i = 0; i < 10; i++) {
        clock_virtual_advance(10);
    }
    g_assert_cmpint(r.count, ==, 5);
    g_assert_false(timer_pending(r.self));
    timer_free(r.self);

    /*
     * Re-armed into the past: fires once per run, never loops inside one
     * run.
     */
    past.self = timer_new_ns(TERN_CLOCK_VIRTUAL, rearm_cb, &past);
    timer_mod_in_ns(past.self, 0);
    clock_virtual_advance(0);
    g_assert_cmpint(past.count, ==, 1);
    g_assert_cmpint(timers_deadline_ns(), ==, 0);
    g_assert_true(timers_run_expired());
    g_assert_cmpint(past.count, ==, 2);
    g_assert_true(timers_run_expired());
    g_assert_cmpint(past.count, ==, 3);
    g_assert_false(timers_run_expired());
    g_assert_false(timer_pending(past.self));

    /* A callback deletes a later timer, arms another, and frees itself. */
    victim = timer_new_ns(TERN_CLOCK_VIRTUAL, count_cb, &victim_count);
    spawn = timer_new_ns(TERN_CLOCK_VIRTUAL, count_cb, &spawn_count);
    r = (Rearm){ .victim = victim, .spawn = spawn, .free_self = true };
    r.self = timer_new_ns(TERN_CLOCK_VIRTUAL, rearm_cb, &r);
    timer_mod_in_ns(r.self, 10);
    timer_mod_in_ns(victim, 10);        /* same deadline, armed later */
    clock_virtual_advance(10);
    g_assert_cmpint(r.count, ==, 1);
    g_assert_null(r.self);
    g_assert_cmpint(victim_count, ==, 0);
    g_assert_false(timer_pending(victim));
    g_assert_true(timer_pending(spawn));
    clock_virtual_advance(5);
    g_assert_cmpint(spawn_count, ==, 1);

    timer_free(victim);
    timer_free(spawn);
    timer_free(past.self);
}

static void test_deadline(void)
{
    int dummy = 0;
    Timer *v = timer_new_ns(TERN_CLOCK_VIRTUAL, count_cb, &dummy);
    Timer *rt = timer_new_ns(TERN_CLOCK_REALTIME, count_cb, &dummy);
    int64_t d;

    virt_setup();
    timer_mod_in_ns(v, 1000);
    g_assert_cmpint(timers_deadline_ns(), ==, 1000);
    clock_virtual_advance(400);
    g_assert_cmpint(timers_deadline_ns(), ==, 600);

    /* A far real-time timer does not hide the nearer virtual one. */
    timer_mod_in_ns(rt, 3600 * NS_PER_SEC);
    g_assert_cmpint(timers_deadline_ns(), ==, 600);

    /* Stopped virtual clock: only the real-time timer counts. */
    clock_virtual_stop();
    d = timers_deadline_ns();
    g_assert_cmpint(d, >, 600);
    g_assert_cmpint(d, <=, 3600 * NS_PER_SEC);
    clock_virtual_start();
    g_assert_cmpint(timers_deadline_ns(), ==, 600);

    timer_del(rt);
    timer_mod_ns(v, clock_get_ns(TERN_CLOCK_VIRTUAL) - 5);
    g_assert_cmpint(timers_deadline_ns(), ==, 0);
    timer_del(v);
    g_assert_cmpint(timers_deadline_ns(), ==, -1);
    g_assert_cmpint(dummy, ==, 0);
    timer_free(v);
    timer_free(rt);
}

static void test_virtual_pause(void)
{
    int count = 0;
    Timer *t = timer_new_ns(TERN_CLOCK_VIRTUAL, count_cb, &count);
    int64_t v0, v1;

    virt_setup();
    clock_virtual_advance(100);
    v0 = clock_get_ns(TERN_CLOCK_VIRTUAL);
    timer_mod_ns(t, v0 + 150);

    clock_virtual_stop();
    g_assert_false(clock_virtual_running());
    clock_virtual_advance(1000);        /* host time passes, guest time does not */
    g_assert_cmpint(clock_get_ns(TERN_CLOCK_VIRTUAL), ==, v0);
    g_assert_cmpint(count, ==, 0);
    g_assert_true(timer_pending(t));
    g_assert_false(timers_run_expired_clock(TERN_CLOCK_VIRTUAL));

    clock_virtual_start();
    g_assert_true(clock_virtual_running());
    g_assert_cmpint(clock_get_ns(TERN_CLOCK_VIRTUAL), ==, v0);   /* no jump */
    clock_virtual_advance(100);
    g_assert_cmpint(clock_get_ns(TERN_CLOCK_VIRTUAL), ==, v0 + 100);
    g_assert_cmpint(count, ==, 0);
    clock_virtual_advance(50);
    g_assert_cmpint(count, ==, 1);

    /* Stopping twice or starting twice changes nothing. */
    clock_virtual_stop();
    clock_virtual_stop();
    v1 = clock_get_ns(TERN_CLOCK_VIRTUAL);
    clock_virtual_start();
    clock_virtual_start();
    g_assert_cmpint(clock_get_ns(TERN_CLOCK_VIRTUAL), ==, v1);
    timer_free(t);
}

static void test_virtual_real_mode(void)
{
    int64_t a, b;

    /* Leaving manual mode keeps the value continuous. */
    virt_setup();
    clock_virtual_advance(12345);
    a = clock_get_ns(TERN_CLOCK_VIRTUAL);
    clock_virtual_set_manual(false);
    b = clock_get_ns(TERN_CLOCK_VIRTUAL);
    g_assert_cmpint(b, >=, a);

    /* Stopped: the real-time-based virtual clock stands still. */
    clock_virtual_stop();
    a = clock_get_ns(TERN_CLOCK_VIRTUAL);
    g_usleep(1000);
    g_assert_cmpint(clock_get_ns(TERN_CLOCK_VIRTUAL), ==, a);
    clock_virtual_start();
    b = clock_get_ns(TERN_CLOCK_VIRTUAL);
    g_assert_cmpint(b, >=, a);
    clock_virtual_stop();
    clock_virtual_set_manual(true);
}

static void test_host_clocks(void)
{
    int64_t r0 = clock_get_ns(TERN_CLOCK_REALTIME);
    int64_t r1 = clock_get_ns(TERN_CLOCK_REALTIME);
    int64_t h = clock_get_ns(TERN_CLOCK_HOST);

    g_assert_cmpint(r1, >=, r0);
    /* Wall clock: later than 2020-01-01. */
    g_assert_cmpint(h, >, 1577836800LL * NS_PER_SEC);
    /* The same clock in ms: read later, so between h's ms and a second on. */
    int64_t ms = clock_get_ms(TERN_CLOCK_HOST);
    g_assert_cmpint(ms, >=, h / NS_PER_MS);
    g_assert_cmpint(ms, <=, h / NS_PER_MS + 1000);
}

static void test_realtime_mainloop(void)
{
    Log *log = log_new();
    Tag tags[3] = { { log, 3 }, { log, 1 }, { log, 2 } };
    Timer *t[3];

    bql_lock();
    for (int i = 0; i < 3; i++) {
        t[i] = timer_new_ns(TERN_CLOCK_REALTIME, log_cb, &tags[i]);
        timer_mod_in_ns(t[i], tags[i].id * NS_PER_MS);
    }
    while (log->fired->len < 3) {
        main_loop_wait(false);
    }
    g_assert_cmpint(fired_at(log, 0), ==, 1);
    g_assert_cmpint(fired_at(log, 1), ==, 2);
    g_assert_cmpint(fired_at(log, 2), ==, 3);
    for (int i = 0; i < 3; i++) {
        timer_free(t[i]);
    }

    /* Without the BQL, main_loop_wait takes it for the dispatch. */
    bql_unlock();
    t[0] = timer_new_ns(TERN_CLOCK_REALTIME, log_cb, &tags[0]);
    timer_mod_in_ns(t[0], 0);
    while (log->fired->len < 4) {
        main_loop_wait(false);
    }
    g_assert_false(bql_locked());
    timer_free(t[0]);
    log_free(log);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timer/order", test_order);
    g_test_add_func("/timer/mod", test_mod);
    g_test_add_func("/timer/del", test_del);
    g_test_add_func("/timer/rearm-in-callback", test_rearm_in_callback);
    g_test_add_func("/timer/deadline", test_deadline);
    g_test_add_func("/timer/virtual-pause", test_virtual_pause);
    g_test_add_func("/timer/virtual-real-mode", test_virtual_real_mode);
    g_test_add_func("/timer/host-clocks", test_host_clocks);
    g_test_add_func("/timer/realtime-mainloop", test_realtime_mainloop);
    return g_test_run();
}
