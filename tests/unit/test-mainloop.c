/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Main loop, run state and vCPU thread tests. Cross-thread checks use sync
 * points (a request made while the main thread polls, run_on_cpu as a
 * barrier) rather than sleeps, so the results do not depend on timing.
 * The main thread holds the BQL throughout, as main() does.
 */
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "system/timer.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bring the global run state back to a fresh prelaunch VM. */
static void rs_reset(void)
{
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
    runstate_set(RUN_STATE_PRELAUNCH);
    runstate_set_no_reboot(false);
    runstate_set_no_shutdown(false);
    set_exit_status(0);
    while (runstate_requests_pending()) {
        main_loop_wait(true);
    }
}

/* ---- BQL and main loop ---- */

static gpointer bql_other_thread(gpointer opaque)
{
    /* The flag is per thread: the main thread's lock is not ours. */
    g_assert_false(bql_locked());
    bql_lock();
    g_assert_true(bql_locked());
    bql_unlock();
    return NULL;
}

static void test_bql(void)
{
    GThread *t;

    g_assert_true(bql_locked());
    bql_unlock();
    g_assert_false(bql_locked());
    t = g_thread_new("bql", bql_other_thread, NULL);
    g_thread_join(t);
    bql_lock();
    g_assert_true(bql_locked());
}

static void count_cb(void *opaque)
{
    (*(int *)opaque)++;
}

/*
 * The helper can only get the BQL while the main thread is inside the
 * poll, so its request must wake that poll.
 */
static gpointer powerdown_thread(gpointer opaque)
{
    bql_lock();
    request_powerdown();
    bql_unlock();
    return NULL;
}

static void test_request_wakes_loop(void)
{
    static int presses;
    GThread *t;

    runstate_add_powerdown_notifier(count_cb, &presses);
    for (int i = 1; i <= 20; i++) {
        t = g_thread_new("powerdown", powerdown_thread, NULL);
        while (presses < i) {
            main_loop_wait(false);
        }
        g_thread_join(t);
        g_assert_cmpint(presses, ==, i);
    }
    /* Nothing pending: a non-blocking iteration does nothing. */
    main_loop_wait(true);
    g_assert_cmpint(presses, ==, 20);
}

static gboolean idle_cb(gpointer opaque)
{
    (*(int *)opaque)++;
    g_assert_true(bql_locked());
    return G_SOURCE_REMOVE;
}

static void test_glib_sources(void)
{
    int n = 0;

    g_idle_add(idle_cb, &n);
    while (n == 0) {
        main_loop_wait(false);
    }
    g_assert_cmpint(n, ==, 1);
}

typedef struct {
    int status;
    ShutdownCause cause;
} ShutdownArgs;

static gpointer shutdown_thread(gpointer opaque)
{
    ShutdownArgs *a = opaque;

    bql_lock();
    set_exit_status(a->status);
    request_shutdown(a->cause);
    bql_unlock();
    return NULL;
}

static void record_cause(void *opaque, ShutdownCause cause)
{
    *(ShutdownCause *)opaque = cause;
}

static ShutdownCause last_shutdown = SHUTDOWN_CAUSE_NONE;
static ShutdownCause last_reset = SHUTDOWN_CAUSE_NONE;

static void test_shutdown_run(void)
{
    ShutdownArgs a = { 7, SHUTDOWN_CAUSE_HOST_QMP_QUIT };
    GThread *t;

    rs_reset();
    t = g_thread_new("shutdown", shutdown_thread, &a);
    g_assert_cmpint(main_loop_run(), ==, 7);
    g_thread_join(t);
    g_assert_true(main_loop_should_exit());
    g_assert_cmpint(last_shutdown, ==, SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    g_assert_false(shutdown_requested());
    g_assert_cmpint(get_exit_status(), ==, 7);

    /* The loop can run again. */
    rs_reset();
    a = (ShutdownArgs){ 0, SHUTDOWN_CAUSE_HOST_UI };
    t = g_thread_new("shutdown", shutdown_thread, &a);
    g_assert_cmpint(main_loop_run(), ==, 0);
    g_thread_join(t);
    g_assert_cmpint(last_shutdown, ==, SHUTDOWN_CAUSE_HOST_UI);
}

typedef struct {
    GString *s;
    char c;
} CharHook;

static void append_char(void *opaque)
{
    CharHook *h = opaque;

    g_string_append_c(h->s, h->c);
}

static void test_no_reboot(void)
{
    int resets = 0;

    rs_reset();
    system_reset_register(count_cb, &resets);
    runstate_set_no_reboot(true);
    request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    g_assert_true(shutdown_requested());
    g_assert_cmpint(main_loop_run(), ==, 0);
    g_assert_cmpint(resets, ==, 0);
    g_assert_cmpint(last_shutdown, ==, SHUTDOWN_CAUSE_GUEST_RESET);

    /* A subsystem reset is not a reboot. */
    rs_reset();
    runstate_set_no_reboot(true);
    request_reset(SHUTDOWN_CAUSE_SUBSYSTEM_RESET);
    main_loop_wait(true);
    g_assert_false(main_loop_should_exit());
    g_assert_cmpint(resets, ==, 1);
    g_assert_cmpint(last_reset, ==, SHUTDOWN_CAUSE_SUBSYSTEM_RESET);

    /* Without -no-reboot a guest reset resets. */
    runstate_set_no_reboot(false);
    request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    main_loop_wait(true);
    g_assert_cmpint(resets, ==, 2);
    g_assert_cmpint(last_reset, ==, SHUTDOWN_CAUSE_GUEST_RESET);
    system_reset_unregister(count_cb, &resets);
    rs_reset();
}

static void test_no_shutdown(void)
{
    rs_reset();
    runstate_set_no_shutdown(true);
    vm_start();
    request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    main_loop_wait(true);
    g_assert_false(main_loop_should_exit());
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_SHUTDOWN);
    g_assert_false(clock_virtual_running());

    /* system_reset from the monitor makes it startable again. */
    request_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    main_loop_wait(true);
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_PRELAUNCH);

    vm_start();
    request_shutdown(SHUTDOWN_CAUSE_GUEST_PANIC);
    main_loop_wait(true);
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_GUEST_PANICKED);

    /* Host causes still exit. */
    request_shutdown(SHUTDOWN_CAUSE_HOST_SIGNAL);
    main_loop_wait(true);
    g_assert_true(main_loop_should_exit());
    rs_reset();
}

static void test_system_reset_order(void)
{
    GString *s = g_string_new(NULL);
    CharHook hooks[3] = { { s, 'a' }, { s, 'b' }, { s, 'c' } };
    GString *want = g_string_new(NULL);

    rs_reset();
    for (int i = 0; i < 3; i++) {
        system_reset_register(append_char, &hooks[i]);
    }
    for (int i = 0; i < 100; i++) {
        system_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
        g_string_append(want, "abc");
    }
    g_assert_cmpstr(s->str, ==, want->str);

    system_reset_unregister(append_char, &hooks[1]);
    g_string_truncate(s, 0);
    system_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    g_assert_cmpstr(s->str, ==, "ac");
    system_reset_unregister(append_char, &hooks[0]);
    system_reset_unregister(append_char, &hooks[2]);
    g_string_free(s, TRUE);
    g_string_free(want, TRUE);
}

/* ---- run states ---- */

typedef struct {
    GString *log;
    const char *tag;
} NotifyRec;

static void runstate_cb(void *opaque, bool running, RunState st)
{
    NotifyRec *r = opaque;

    g_string_append_printf(r->log, "%s:%d:%s ", r->tag, running, runstate_name(st));
}

static void test_runstate(void)
{
    GString *log = g_string_new(NULL);
    NotifyRec a = { log, "a" }, b = { log, "b" };

    rs_reset();
    g_assert_cmpstr(runstate_name(RUN_STATE_PRELAUNCH), ==, "prelaunch");
    g_assert_cmpstr(runstate_name(RUN_STATE_RUNNING), ==, "running");
    g_assert_cmpstr(runstate_name(RUN_STATE_PAUSED), ==, "paused");
    g_assert_cmpstr(runstate_name(RUN_STATE_SHUTDOWN), ==, "shutdown");
    g_assert_cmpstr(runstate_name(RUN_STATE_INTERNAL_ERROR), ==, "internal-error");
    g_assert_cmpstr(runstate_name(RUN_STATE_GUEST_PANICKED), ==, "guest-panicked");
    for (int i = 0; i < RUN_STATE_MAX; i++) {
        g_assert_cmpint(runstate_from_name(runstate_name(i)), ==, i);
    }
    g_assert_cmpint(runstate_from_name("bogus"), ==, RUN_STATE_MAX);
    g_assert_cmpint(runstate_from_name(NULL), ==, RUN_STATE_MAX);
    g_assert_cmpstr(shutdown_cause_name(SHUTDOWN_CAUSE_GUEST_SHUTDOWN), ==, "guest-shutdown");
    g_assert_cmpstr(shutdown_cause_name(SHUTDOWN_CAUSE_HOST_QMP_QUIT), ==, "host-qmp-quit");
    g_assert_true(shutdown_cause_is_guest(SHUTDOWN_CAUSE_GUEST_RESET));
    g_assert_false(shutdown_cause_is_guest(SHUTDOWN_CAUSE_HOST_SIGNAL));

    g_assert_true(runstate_can_transition(RUN_STATE_PRELAUNCH, RUN_STATE_RUNNING));
    g_assert_true(runstate_can_transition(RUN_STATE_RUNNING, RUN_STATE_PAUSED));
    g_assert_true(runstate_can_transition(RUN_STATE_SHUTDOWN, RUN_STATE_PRELAUNCH));
    g_assert_false(runstate_can_transition(RUN_STATE_SHUTDOWN, RUN_STATE_RUNNING));
    g_assert_false(runstate_can_transition(RUN_STATE_PRELAUNCH, RUN_STATE_SUSPENDED));
    g_assert_false(runstate_can_transition(RUN_STATE_INTERNAL_ERROR, RUN_STATE_RUNNING));
    g_assert_false(runstate_can_transition(RUN_STATE_MAX, RUN_STATE_RUNNING));
    g_assert_false(runstate_can_transition(RUN_STATE_RUNNING, -1));

    runstate_add_notifier(runstate_cb, &a);
    runstate_add_notifier(runstate_cb, &b);
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_PRELAUNCH);
    g_assert_false(runstate_is_running());
    vm_start();
    g_assert_true(runstate_is_running());
    g_assert_true(clock_virtual_running());
    vm_start();                                 /* already running: no-op */
    vm_stop(RUN_STATE_PAUSED);
    g_assert_false(clock_virtual_running());
    vm_stop(RUN_STATE_PAUSED);                  /* same state: no-op */
    vm_start();
    vm_stop(RUN_STATE_DEBUG);
    g_assert_cmpstr(log->str, ==,
                    "a:1:running b:1:running b:0:paused a:0:paused "
                    "a:1:running b:1:running b:0:debug a:0:debug ");

    runstate_remove_notifier(runstate_cb, &a);
    g_string_truncate(log, 0);
    vm_start();
    vm_stop(RUN_STATE_PAUSED);
    g_assert_cmpstr(log->str, ==, "b:1:running b:0:paused ");
    runstate_remove_notifier(runstate_cb, &b);

    /* Guest-initiated stop requests, processed by the loop. */
    vm_start();
    request_vm_stop(RUN_STATE_INTERNAL_ERROR);
    main_loop_wait(true);
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_INTERNAL_ERROR);
    runstate_set(RUN_STATE_PAUSED);
    runstate_set(RUN_STATE_PRELAUNCH);
    g_string_free(log, TRUE);
}

static void test_runstate_invalid(void)
{
    if (g_test_subprocess()) {
        runstate_set(RUN_STATE_SHUTDOWN);
        runstate_set(RUN_STATE_RUNNING);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*invalid run state transition: 'shutdown' -> 'running'*");
}

static void test_signal(void)
{
    if (g_test_subprocess()) {
        GError *err = NULL;

        g_assert_true(main_loop_init(&err));
        g_assert_true(main_loop_init(&err));    /* idempotent */
        set_exit_status(3);
        kill(getpid(), SIGTERM);
        printf("status %d\n", main_loop_run());
        /* SIGPIPE is ignored. */
        kill(getpid(), SIGPIPE);
        printf("alive\n");
        exit(0);
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*tern: terminating on signal 15*");
    g_test_trap_assert_stdout("status 3\nalive\n");
}

static void exit_hook(void *opaque)
{
    fputs(opaque, stdout);
}

static void test_exit_notifiers(void)
{
    if (g_test_subprocess()) {
        main_loop_init(NULL);
        main_loop_add_exit_notifier(exit_hook, "first\n");
        main_loop_add_exit_notifier(exit_hook, "second\n");
        exit(0);    /* runs them through atexit */
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("second\nfirst\n");
}

/* ---- vCPU threads with a fake accelerator ---- */

typedef struct {
    gint64 counter;         /* atomic: work units done in guest code */
    int halt_req;           /* atomic: next exec returns HALTED */
    int debug_req;          /* atomic: next exec returns DEBUG */
    int poweroff_req;       /* atomic: next exec requests a guest shutdown */
    int interrupts;         /* atomic: CPU_INTERRUPT_HARD seen */
    int kicks;              /* atomic */
    int execs;              /* atomic */
    GThread *exec_thread;
    bool destroyed;
} FakeCpu;

static int fake_exec(CPUState *cpu)
{
    FakeCpu *f = cpu->arch_state;

    g_assert(f->exec_thread == NULL || f->exec_thread == g_thread_self());
    f->exec_thread = g_thread_self();
    g_atomic_int_inc(&f->execs);
    g_assert_false(bql_locked());
    for (;;) {
        if (g_atomic_int_get(&cpu->interrupt_request) & CPU_INTERRUPT_HARD) {
            cpu_reset_interrupt(cpu, CPU_INTERRUPT_HARD);
            g_atomic_int_inc(&f->interrupts);
        }
        if (g_atomic_int_get(&cpu->exit_request)) {
            return CPU_EXIT_INTERRUPTED;
        }
        if (g_atomic_int_compare_and_exchange(&f->halt_req, 1, 0)) {
            return CPU_EXIT_HALTED;
        }
        if (g_atomic_int_compare_and_exchange(&f->debug_req, 1, 0)) {
            return CPU_EXIT_DEBUG;
        }
        if (g_atomic_int_compare_and_exchange(&f->poweroff_req, 1, 0)) {
            /* Device access: under the BQL, as the rule says. */
            bql_lock();
            request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
            bql_unlock();
            continue;
        }
        __atomic_add_fetch(&f->counter, 1, __ATOMIC_RELAXED);
    }
}

/* Bounded slice under the BQL, for accelerators without runs_without_bql. */
static int fake_exec_bql(CPUState *cpu)
{
    FakeCpu *f = cpu->arch_state;

    g_assert_true(bql_locked());
    for (int i = 0; i < 1000 && !g_atomic_int_get(&cpu->exit_request); i++) {
        __atomic_add_fetch(&f->counter, 1, __ATOMIC_RELAXED);
    }
    return CPU_EXIT_INTERRUPTED;
}

static void fake_kick(CPUState *cpu)
{
    FakeCpu *f = cpu->arch_state;

    g_atomic_int_inc(&f->kicks);
}

static bool fake_init(CPUState *cpu, GError **errp)
{
    g_assert_true(bql_locked());
    if (cpu->index == 99) {
        g_set_error(errp, g_quark_from_static_string("test"), 1, "fake: no vCPU 99");
        return false;
    }
    return true;
}

static void fake_destroy(CPUState *cpu)
{
    FakeCpu *f = cpu->arch_state;

    g_assert_true(cpu_is_self(cpu));
    f->destroyed = true;
}

static const AccelOps fake_ops = {
    .name = "fake",
    .vcpu_init = fake_init,
    .vcpu_exec = fake_exec,
    .vcpu_kick = fake_kick,
    .vcpu_destroy = fake_destroy,
    .runs_without_bql = true,
};

static const AccelOps fake_bql_ops = {
    .name = "fake-bql",
    .vcpu_exec = fake_exec_bql,
};

static gint64 counter(FakeCpu *f)
{
    return __atomic_load_n(&f->counter, __ATOMIC_RELAXED);
}

/* Wait, without the BQL, until the vCPU did more work than `than`. */
static void wait_progress(FakeCpu *f, gint64 than)
{
    bql_unlock();
    while (counter(f) <= than) {
        g_thread_yield();
    }
    bql_lock();
}

static void noop_fn(CPUState *cpu, void *data)
{
}

static void thread_fn(CPUState *cpu, void *data)
{
    g_assert_true(bql_locked());
    g_assert_true(cpu_is_self(cpu));
    g_assert_true(cpu_current() == cpu);
    *(GThread **)data = g_thread_self();
}

static void read_halted(CPUState *cpu, void *data)
{
    *(bool *)data = cpu->halted;
}

static void async_fn(CPUState *cpu, void *data)
{
    g_assert_true(cpu_is_self(cpu));
    g_atomic_int_inc((int *)data);
}

/* Pause, check that nothing moves, resume, check that everything moves. */
static void pause_resume_cycle(FakeCpu *f, int n)
{
    gint64 before[8];

    pause_all_vcpus();
    g_assert_true(all_vcpus_paused());
    for (int i = 0; i < n; i++) {
        before[i] = counter(&f[i]);
    }
    for (int i = 0; i < n; i++) {
        CPUState *cpu = cpu_by_index(i);

        g_assert_true(cpu->stopped);
        /* Sync point: the vCPU thread ran this after leaving guest code. */
        run_on_cpu(cpu, noop_fn, NULL);
        g_assert_cmpint(counter(&f[i]), ==, before[i]);
    }
    resume_all_vcpus();
    for (int i = 0; i < n; i++) {
        wait_progress(&f[i], before[i]);
    }
}

static gpointer run_on_cpu_thread(gpointer opaque)
{
    GThread *where = NULL;

    g_assert_false(bql_locked());
    run_on_cpu(opaque, thread_fn, &where);
    g_assert_true(where == ((CPUState *)opaque)->thread);
    return NULL;
}

static void test_vcpus(void)
{
    enum { N = 4 };
    FakeCpu f[N] = { 0 };
    FakeCpu bad = { 0 };
    GError *err = NULL;
    int async_count = 0;
    GThread *t;
    bool halted;

    rs_reset();
    for (int i = 0; i < N; i++) {
        g_assert_nonnull(cpu_create(i, &fake_ops, &f[i], &err));
        g_assert_no_error(err);
    }
    g_assert_cmpint(cpu_count(), ==, N);
    g_assert_cmpint(cpu_by_index(2)->index, ==, 2);
    g_assert_null(cpu_by_index(7));
    g_assert_null(cpu_current());

    /* Bad input: duplicate or negative index, failing vcpu_init. */
    g_assert_null(cpu_create(1, &fake_ops, &bad, &err));
    g_assert_nonnull(strstr(err->message, "vCPU index 1"));
    g_clear_error(&err);
    g_assert_null(cpu_create(-1, &fake_ops, &bad, &err));
    g_clear_error(&err);
    g_assert_null(cpu_create(99, &fake_ops, &bad, &err));
    g_assert_cmpstr(err->message, ==, "fake: no vCPU 99");
    g_clear_error(&err);
    g_assert_cmpint(cpu_count(), ==, N);

    /* Created vCPUs wait until the VM starts. */
    g_assert_true(all_vcpus_paused());
    run_on_cpu(cpu_by_index(0), noop_fn, NULL);
    g_assert_cmpint(counter(&f[0]), ==, 0);
    vm_start();
    for (int i = 0; i < N; i++) {
        wait_progress(&f[i], 0);
    }

    for (int k = 0; k < 50; k++) {
        pause_resume_cycle(f, N);
    }

    /* run_on_cpu runs in the vCPU's thread, paused or running. */
    for (int i = 0; i < N; i++) {
        GThread *where = NULL;

        run_on_cpu(cpu_by_index(i), thread_fn, &where);
        g_assert_true(where == cpu_by_index(i)->thread);
        g_assert_true(where == f[i].exec_thread);
    }
    bql_unlock();
    t = g_thread_new("run-on-cpu", run_on_cpu_thread, cpu_by_index(3));
    g_thread_join(t);
    bql_lock();
    for (int i = 0; i < N; i++) {
        async_run_on_cpu(cpu_by_index(i), async_fn, &async_count);
    }
    for (int i = 0; i < N; i++) {
        run_on_cpu(cpu_by_index(i), noop_fn, NULL);     /* FIFO: async ran first */
    }
    g_assert_cmpint(async_count, ==, N);

    /* Halt until an interrupt arrives. */
    g_atomic_int_set(&f[1].halt_req, 1);
    do {
        run_on_cpu(cpu_by_index(1), read_halted, &halted);
    } while (!halted);
    {
        gint64 c = counter(&f[1]);

        run_on_cpu(cpu_by_index(1), noop_fn, NULL);
        g_assert_cmpint(counter(&f[1]), ==, c);
        g_assert_false(cpu_has_work(cpu_by_index(1)));
        /* Pausing and resuming a halted vCPU keeps it halted. */
        pause_all_vcpus();
        resume_all_vcpus();
        run_on_cpu(cpu_by_index(1), read_halted, &halted);
        g_assert_true(halted);
        g_assert_cmpint(counter(&f[1]), ==, c);
        cpu_interrupt(cpu_by_index(1), CPU_INTERRUPT_HARD);
        wait_progress(&f[1], c);
        g_assert_cmpint(g_atomic_int_get(&f[1].interrupts), ==, 1);
    }

    /* System reset pauses the vCPUs around the handlers, many times. */
    for (int k = 0; k < 100; k++) {
        system_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    }
    g_assert_true(runstate_is_running());
    pause_resume_cycle(f, N);

    /* A breakpoint stops the whole VM in "debug". */
    g_atomic_int_set(&f[2].debug_req, 1);
    while (runstate_get() != RUN_STATE_DEBUG) {
        main_loop_wait(false);
    }
    g_assert_true(all_vcpus_paused());
    g_assert_true(cpu_debug_stop_cpu() == cpu_by_index(2));
    vm_start();
    pause_resume_cycle(f, N);

    /* A guest power-off from a vCPU thread, with -no-shutdown. */
    runstate_set_no_shutdown(true);
    g_atomic_int_set(&f[0].poweroff_req, 1);
    while (runstate_get() != RUN_STATE_SHUTDOWN) {
        main_loop_wait(false);
    }
    g_assert_true(all_vcpus_paused());
    g_assert_false(main_loop_should_exit());
    request_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    main_loop_wait(true);
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_PRELAUNCH);
    vm_start();
    pause_resume_cycle(f, N);

    g_assert_cmpint(g_atomic_int_get(&f[0].kicks), >, 0);
    cpus_destroy_all();
    g_assert_cmpint(cpu_count(), ==, 0);
    for (int i = 0; i < N; i++) {
        g_assert_true(f[i].destroyed);
    }
    rs_reset();
}

static void test_vcpus_with_bql(void)
{
    FakeCpu f[2] = { 0 };

    rs_reset();
    for (int i = 0; i < 2; i++) {
        g_assert_nonnull(cpu_create(i, &fake_bql_ops, &f[i], NULL));
    }
    vm_start();
    for (int k = 0; k < 20; k++) {
        pause_resume_cycle(f, 2);
    }
    for (int i = 0; i < 2; i++) {
        GThread *where = NULL;

        run_on_cpu(cpu_by_index(i), thread_fn, &where);
        g_assert_true(where == cpu_by_index(i)->thread);
    }
    /* Destroy while running, and without holding the BQL. */
    bql_unlock();
    cpus_destroy_all();
    bql_lock();
    g_assert_cmpint(cpu_count(), ==, 0);
    rs_reset();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    clock_virtual_set_manual(true);
    runstate_add_shutdown_notifier(record_cause, &last_shutdown);
    runstate_add_reset_notifier(record_cause, &last_reset);
    bql_lock();

    g_test_add_func("/mainloop/bql", test_bql);
    g_test_add_func("/mainloop/request-wakes-loop", test_request_wakes_loop);
    g_test_add_func("/mainloop/glib-sources", test_glib_sources);
    g_test_add_func("/mainloop/shutdown-run", test_shutdown_run);
    g_test_add_func("/mainloop/no-reboot", test_no_reboot);
    g_test_add_func("/mainloop/no-shutdown", test_no_shutdown);
    g_test_add_func("/mainloop/system-reset-order", test_system_reset_order);
    g_test_add_func("/mainloop/signal", test_signal);
    g_test_add_func("/mainloop/exit-notifiers", test_exit_notifiers);
    g_test_add_func("/runstate/transitions", test_runstate);
    g_test_add_func("/runstate/invalid", test_runstate_invalid);
    g_test_add_func("/cpus/fake-accel", test_vcpus);
    g_test_add_func("/cpus/fake-accel-bql", test_vcpus_with_bql);
    return g_test_run();
}
