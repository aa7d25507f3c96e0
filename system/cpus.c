/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vCPU threads. The per-vCPU flags (stop, stopped, halted, unplug, the work
 * queue) are only touched with the BQL held, and every wait is a condition
 * wait on the BQL, so the handshakes cannot lose a wake-up and never block
 * a vCPU that needs the BQL to finish a device access. exit_request and
 * interrupt_request are atomics because the accelerator polls them from
 * guest-code context without the BQL.
 *
 * The loop clears exit_request with the BQL held and then re-checks stop
 * and the work queue before entering guest code. Whoever sets stop or
 * queues work does so under the BQL and then sets exit_request, so either
 * the check sees the flag or vcpu_exec sees exit_request: a stop is never
 * missed.
 */
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "util/error.h"

struct CpuWorkItem {
    void (*fn)(CPUState *cpu, void *data);
    void *data;
    bool sync;      /* run_on_cpu: caller waits on work_cond */
    bool done;
};

typedef struct {
    GPtrArray *cpus;        /* of CPUState, creation order (BQL) */
    GCond pause_cond;       /* a vCPU stopped or exited */
    GCond created_cond;     /* a vCPU thread finished its set-up */
    GCond work_cond;        /* a synchronous work item completed */
    CPUState *debug_cpu;
} CpuList;

static CpuList cl;
static __thread CPUState *current_cpu;

/* Run fn with the BQL held whether or not the caller has it. */
#define WITH_BQL(stmt)                         \
    do {                                       \
        bool had_bql_ = bql_locked();          \
        if (!had_bql_) {                       \
            bql_lock();                        \
        }                                      \
        stmt;                                  \
        if (!had_bql_) {                       \
            bql_unlock();                      \
        }                                      \
    } while (0)

static GPtrArray *cpu_list(void)
{
    if (!cl.cpus) {
        cl.cpus = g_ptr_array_new();
    }
    return cl.cpus;
}

CPUState *cpu_current(void)
{
    return current_cpu;
}

bool cpu_is_self(CPUState *cpu)
{
    return cpu && cpu == current_cpu;
}

bool cpu_has_work(CPUState *cpu)
{
    if (cpu->ops->vcpu_has_work) {
        return cpu->ops->vcpu_has_work(cpu);
    }
    return g_atomic_int_get(&cpu->interrupt_request) != 0;
}

/* BQL held. */
static void cpu_wake_locked(CPUState *cpu)
{
    g_cond_broadcast(&cpu->halt_cond);
}

void cpu_kick(CPUState *cpu)
{
    g_atomic_int_set(&cpu->exit_request, 1);
    /* From its own thread the flag suffices: vcpu_exec is not running. */
    if (!cpu_is_self(cpu) && cpu->ops->vcpu_kick) {
        cpu->ops->vcpu_kick(cpu);
    }
}

void cpu_interrupt(CPUState *cpu, uint32_t mask)
{
    g_atomic_int_or(&cpu->interrupt_request, mask);
    WITH_BQL(cpu_wake_locked(cpu));
    cpu_kick(cpu);
}

void cpu_reset_interrupt(CPUState *cpu, uint32_t mask)
{
    g_atomic_int_and(&cpu->interrupt_request, ~mask);
}

void cpu_halt(CPUState *cpu)
{
    g_assert(cpu_is_self(cpu));
    WITH_BQL(cpu->halted = true);
}

static bool cpu_can_run(CPUState *cpu)
{
    return !cpu->stop && !cpu->stopped && !cpu->halted && !cpu->unplug &&
           g_queue_is_empty(&cpu->work);
}

static bool cpu_thread_is_idle(CPUState *cpu)
{
    if (!g_queue_is_empty(&cpu->work) || cpu->stop || cpu->unplug) {
        return false;
    }
    if (cpu->stopped) {
        return true;
    }
    return cpu->halted && !cpu_has_work(cpu);
}

static void cpu_process_work(CPUState *cpu)
{
    CpuWorkItem *item;

    while ((item = g_queue_pop_head(&cpu->work))) {
        item->fn(cpu, item->data);
        if (item->sync) {
            item->done = true;
            g_cond_broadcast(&cl.work_cond);
        } else {
            g_free(item);
        }
    }
}

/* BQL held; returns with it held. */
static void cpu_wait_io_event(CPUState *cpu)
{
    while (cpu_thread_is_idle(cpu)) {
        bql_cond_wait(&cpu->halt_cond);
    }
    if (cpu->halted && cpu_has_work(cpu)) {
        cpu->halted = false;
    }
    if (cpu->stop) {
        cpu->stop = false;
        cpu->stopped = true;
        g_cond_broadcast(&cl.pause_cond);
    }
    cpu_process_work(cpu);
}

static void cpu_handle_exit(CPUState *cpu, int ret)
{
    switch (ret) {
    case CPU_EXIT_HALTED:
        cpu->halted = true;
        break;
    case CPU_EXIT_DEBUG:
        cl.debug_cpu = cpu;
        cpu->stop = true;
        request_vm_stop(RUN_STATE_DEBUG);
        break;
    case CPU_EXIT_ERROR:
        cpu->stop = true;
        request_vm_stop(RUN_STATE_INTERNAL_ERROR);
        break;
    default:
        break;
    }
}

static gpointer vcpu_thread_fn(gpointer opaque)
{
    CPUState *cpu = opaque;
    const AccelOps *ops = cpu->ops;

    current_cpu = cpu;
    bql_lock();
    if (ops->vcpu_init) {
        GError *err = NULL;

        if (!ops->vcpu_init(cpu, &err)) {
            if (!err) {
                g_set_error(&err, TERN_ERROR, TERN_ERROR_FAILED, "%s: vCPU %d failed to start",
                            ops->name, cpu->index);
            }
            cpu->init_error = err;
            g_cond_broadcast(&cl.created_cond);
            bql_unlock();
            return NULL;
        }
    }
    cpu->created = true;
    g_cond_broadcast(&cl.created_cond);

    while (!cpu->unplug) {
        if (cpu_can_run(cpu)) {
            int ret;

            g_atomic_int_set(&cpu->exit_request, 0);
            if (ops->runs_without_bql) {
                bql_unlock();
                ret = ops->vcpu_exec(cpu);
                bql_lock();
            } else {
                ret = ops->vcpu_exec(cpu);
            }
            cpu_handle_exit(cpu, ret);
            if (!ops->runs_without_bql && bql_has_waiters()) {
                /* Between slices; the ticket lock serves the waiters first. */
                bql_unlock();
                bql_lock();
            }
        }
        cpu_wait_io_event(cpu);
    }

    cpu_process_work(cpu);
    if (ops->vcpu_destroy) {
        ops->vcpu_destroy(cpu);
    }
    cpu->created = false;
    cpu->stopped = true;
    g_cond_broadcast(&cl.pause_cond);
    bql_unlock();
    current_cpu = NULL;
    return NULL;
}

CPUState *cpu_create(int index, const AccelOps *ops, void *arch_state, GError **errp)
{
    bool had_bql = bql_locked();
    CPUState *cpu = NULL;
    GError *err = NULL;
    char *name;

    g_assert(ops && ops->vcpu_exec);
    if (!had_bql) {
        bql_lock();
    }
    if (index < 0 || cpu_by_index(index)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "vCPU index %d is %s", index,
                    index < 0 ? "negative" : "already in use");
        goto out;
    }

    cpu = g_new0(CPUState, 1);
    cpu->index = index;
    cpu->ops = ops;
    cpu->arch_state = arch_state;
    cpu->stopped = true;    /* until resume_all_vcpus (vm_start) */
    g_cond_init(&cpu->halt_cond);
    g_queue_init(&cpu->work);

    name = g_strdup_printf("CPU %d/%s", index, ops->name ? ops->name : "?");
    cpu->thread = g_thread_try_new(name, vcpu_thread_fn, cpu, &err);
    g_free(name);
    if (!cpu->thread) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "vCPU %d: cannot create thread: %s",
                    index, err->message);
        g_error_free(err);
        goto fail;
    }
    while (!cpu->created && !cpu->init_error) {
        bql_cond_wait(&cl.created_cond);
    }
    if (cpu->init_error) {
        /* The thread released the BQL for good before we woke up. */
        g_thread_join(cpu->thread);
        g_propagate_error(errp, cpu->init_error);
        goto fail;
    }
    g_ptr_array_add(cpu_list(), cpu);
    goto out;

fail:
    g_cond_clear(&cpu->halt_cond);
    g_free(cpu);
    cpu = NULL;
out:
    if (!had_bql) {
        bql_unlock();
    }
    return cpu;
}

void cpu_foreach(void (*fn)(CPUState *cpu, void *opaque), void *opaque)
{
    for (guint i = 0; cl.cpus && i < cl.cpus->len; i++) {
        fn(g_ptr_array_index(cl.cpus, i), opaque);
    }
}

CPUState *cpu_by_index(int index)
{
    for (guint i = 0; cl.cpus && i < cl.cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cl.cpus, i);

        if (cpu->index == index) {
            return cpu;
        }
    }
    return NULL;
}

int cpu_count(void)
{
    return cl.cpus ? cl.cpus->len : 0;
}

CPUState *cpu_debug_stop_cpu(void)
{
    return cl.debug_cpu;
}

bool all_vcpus_paused(void)
{
    for (guint i = 0; cl.cpus && i < cl.cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cl.cpus, i);

        if (cpu->created && !cpu->stopped) {
            return false;
        }
    }
    return true;
}

void pause_all_vcpus(void)
{
    g_assert(bql_locked());
    for (guint i = 0; cl.cpus && i < cl.cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cl.cpus, i);

        if (cpu_is_self(cpu)) {
            /* We are outside guest code by definition. */
            cpu->stop = false;
            cpu->stopped = true;
        } else if (!cpu->stopped) {
            cpu->stop = true;
            cpu_wake_locked(cpu);
            cpu_kick(cpu);
        }
    }
    while (!all_vcpus_paused()) {
        bql_cond_wait(&cl.pause_cond);
    }
}

void cpu_resume(CPUState *cpu)
{
    g_assert(bql_locked());
    cpu->stop = false;
    cpu->stopped = false;
    cpu_wake_locked(cpu);
}

void resume_all_vcpus(void)
{
    g_assert(bql_locked());
    for (guint i = 0; cl.cpus && i < cl.cpus->len; i++) {
        cpu_resume(g_ptr_array_index(cl.cpus, i));
    }
}

void cpu_stop_current(void)
{
    CPUState *cpu = current_cpu;

    if (cpu) {
        WITH_BQL(cpu->stop = true);
        g_atomic_int_set(&cpu->exit_request, 1);
    }
}

static void cpu_queue_work(CPUState *cpu, CpuWorkItem *item)
{
    g_queue_push_tail(&cpu->work, item);
    cpu_wake_locked(cpu);
    cpu_kick(cpu);
}

void run_on_cpu(CPUState *cpu, void (*fn)(CPUState *cpu, void *data), void *data)
{
    CpuWorkItem item = { .fn = fn, .data = data, .sync = true };
    bool had_bql = bql_locked();

    if (!had_bql) {
        bql_lock();
    }
    if (cpu_is_self(cpu)) {
        fn(cpu, data);
    } else {
        g_assert(cpu->created);
        cpu_queue_work(cpu, &item);
        while (!item.done) {
            bql_cond_wait(&cl.work_cond);
        }
    }
    if (!had_bql) {
        bql_unlock();
    }
}

void async_run_on_cpu(CPUState *cpu, void (*fn)(CPUState *cpu, void *data), void *data)
{
    CpuWorkItem *item = g_new0(CpuWorkItem, 1);

    item->fn = fn;
    item->data = data;
    WITH_BQL(cpu_queue_work(cpu, item));
}

void cpus_destroy_all(void)
{
    bool had_bql = bql_locked();
    GPtrArray *cpus;

    if (!had_bql) {
        bql_lock();
    }
    g_assert(!current_cpu);
    cpus = cl.cpus;
    cl.cpus = NULL;
    cl.debug_cpu = NULL;
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        cpu->unplug = true;
        cpu_wake_locked(cpu);
        cpu_kick(cpu);
    }
    /* The threads need the BQL to leave their loops. */
    bql_unlock();
    for (guint i = 0; cpus && i < cpus->len; i++) {
        g_thread_join(((CPUState *)g_ptr_array_index(cpus, i))->thread);
    }
    bql_lock();
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        g_cond_clear(&cpu->halt_cond);
        g_free(cpu);
    }
    if (cpus) {
        g_ptr_array_free(cpus, TRUE);
    }
    if (!had_bql) {
        bql_unlock();
    }
}
