/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM vCPUs: creation in the vCPU thread, the exit loop, and the kick.
 *
 * The exit loop runs without the BQL and takes it only around device
 * dispatch. Port I/O goes to address_space_io(), MMIO to
 * address_space_memory(), exactly as for every other accelerator.
 *
 * Kicks: the kick signal is blocked in the vCPU thread except inside
 * KVM_RUN (KVM_SET_SIGNAL_MASK). A kick sent at any moment therefore either
 * interrupts KVM_RUN or stays pending and makes the next KVM_RUN return
 * EINTR at once; the pending signal is consumed with sigtimedwait after the
 * EINTR. No window loses a kick.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "accel/kvm/kvm-debug.h"
#include "accel/kvm/kvm-int.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

/* kvm_handle_exit: keep running guest code. */
#define KVM_EXIT_LOOP (-1)

/* Linux's sigset_t for KVM_SET_SIGNAL_MASK is 64 bits on x86-64. */
#define KVM_SIGSET_BYTES 8

static bool kvm_vcpu_setup_kick(KvmVcpu *v, GError **errp)
{
    struct kvm_signal_mask *m = g_malloc0(sizeof(*m) + sizeof(sigset_t));
    sigset_t kick, run;
    int r;

    sigemptyset(&kick);
    sigaddset(&kick, KVM_KICK_SIGNAL);
    pthread_sigmask(SIG_BLOCK, &kick, &run);
    sigdelset(&run, KVM_KICK_SIGNAL);
    m->len = KVM_SIGSET_BYTES;
    memcpy(m->sigset, &run, KVM_SIGSET_BYTES);
    r = ioctl(v->fd, KVM_SET_SIGNAL_MASK, m);
    g_free(m);
    if (r < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                    "kvm: vCPU %d: KVM_SET_SIGNAL_MASK: %s", v->cpu->index, g_strerror(errno));
        return false;
    }
    return true;
}

/* Consume kicks that are pending now; their requests are already visible. */
static void kvm_vcpu_eat_kicks(void)
{
    static const struct timespec zero;
    sigset_t kick;

    sigemptyset(&kick);
    sigaddset(&kick, KVM_KICK_SIGNAL);
    while (sigtimedwait(&kick, NULL, &zero) > 0) {
    }
}

static void kvm_vcpu_free(KvmVcpu *v)
{
    if (v->arch) {
        kvm_arch_vcpu_destroy(v);
    }
    if (v->run && v->run != MAP_FAILED) {
        munmap(v->run, v->s->run_size);
    }
    if (v->fd >= 0) {
        close(v->fd);
    }
    g_free(v);
}

static bool kvm_vcpu_init(CPUState *cpu, GError **errp)
{
    KvmState *s = kvm_state();
    KvmVcpu *v;

    if (!s) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                    "kvm: vCPU %d: accelerator not initialized", cpu->index);
        return false;
    }
    v = g_new0(KvmVcpu, 1);
    v->s = s;
    v->cpu = cpu;
    v->fd = ioctl(s->vm_fd, KVM_CREATE_VCPU, kvm_arch_vcpu_id(cpu));
    if (v->fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: vCPU %d: KVM_CREATE_VCPU: %s",
                    cpu->index, g_strerror(errno));
        goto fail;
    }
    v->run = mmap(NULL, s->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    if (v->run == MAP_FAILED) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: vCPU %d: mmap of kvm_run: %s",
                    cpu->index, g_strerror(errno));
        goto fail;
    }
    if (!kvm_vcpu_setup_kick(v, errp) || !kvm_arch_vcpu_init(v, errp)) {
        goto fail;
    }
    v->thread = pthread_self();
    g_atomic_pointer_set(&cpu->accel_state, v);
    g_atomic_int_set(&v->thread_ready, 1);
    return true;

fail:
    kvm_vcpu_free(v);
    return false;
}

static void kvm_vcpu_destroy(CPUState *cpu)
{
    KvmVcpu *v = cpu->accel_state;

    if (v) {
        g_atomic_int_set(&v->thread_ready, 0);
        g_atomic_pointer_set(&cpu->accel_state, NULL);
        kvm_vcpu_free(v);
    }
}

static void kvm_vcpu_kick(CPUState *cpu)
{
    KvmVcpu *v = g_atomic_pointer_get(&cpu->accel_state);

    if (v && g_atomic_int_get(&v->thread_ready)) {
        pthread_kill(v->thread, KVM_KICK_SIGNAL);
    }
}

/* Unrecoverable: say why, dump the registers, end Tern with an error. */
static int G_GNUC_PRINTF(2, 3) kvm_vcpu_fatal(KvmVcpu *v, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "tern: kvm: vCPU %d: %s\n", v->cpu->index, msg);
    kvm_arch_dump_state(v, stderr);
    fflush(stderr);
    bql_lock();
    set_exit_status(1);
    bql_unlock();
    request_shutdown(SHUTDOWN_CAUSE_HOST_ERROR);
    return CPU_EXIT_ERROR;
}

static void kvm_handle_io(KvmVcpu *v)
{
    struct kvm_run *run = v->run;
    uint8_t *data = (uint8_t *)run + run->io.data_offset;
    unsigned size = run->io.size;
    bool out = run->io.direction == KVM_EXIT_IO_OUT;

    log_mask(LOG_KVM, "kvm: vCPU %d: %s port 0x%x size %u count %u\n", v->cpu->index,
             out ? "out" : "in", run->io.port, size, run->io.count);
    bql_lock();
    /* String I/O (rep ins/outs) arrives as count consecutive elements. */
    for (uint32_t i = 0; i < run->io.count; i++, data += size) {
        uint64_t val = 0;

        if (out) {
            memcpy(&val, data, size);
            address_space_write_val(address_space_io(), run->io.port, val, size);
        } else {
            address_space_read_val(address_space_io(), run->io.port, &val, size);
            memcpy(data, &val, size);
        }
    }
    bql_unlock();
}

static void kvm_handle_mmio(KvmVcpu *v)
{
    struct kvm_run *run = v->run;
    uint64_t addr = run->mmio.phys_addr;
    unsigned len = run->mmio.len;

    log_mask(LOG_KVM, "kvm: vCPU %d: mmio %s 0x%" G_GINT64_MODIFIER "x len %u\n",
             v->cpu->index, run->mmio.is_write ? "write" : "read", addr, len);
    bql_lock();
    if (len == 1 || len == 2 || len == 4 || len == 8) {
        uint64_t val = 0;

        if (run->mmio.is_write) {
            memcpy(&val, run->mmio.data, len);
            address_space_write_val(address_space_memory(), addr, val, len);
        } else {
            address_space_read_val(address_space_memory(), addr, &val, len);
            memcpy(run->mmio.data, &val, len);
        }
    } else {
        /* Odd lengths come from accesses split at a page boundary. */
        address_space_rw(address_space_memory(), addr, run->mmio.data, MIN(len, 8u),
                         run->mmio.is_write);
    }
    bql_unlock();
}

static const char *kvm_internal_error_name(uint32_t suberror)
{
    switch (suberror) {
    case KVM_INTERNAL_ERROR_EMULATION:
        return "instruction emulation failed";
    case KVM_INTERNAL_ERROR_SIMUL_EX:
        return "exception while delivering an exception";
    case KVM_INTERNAL_ERROR_DELIVERY_EV:
        return "event delivery failed";
    case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
        return "unexpected hardware exit reason";
    default:
        return "unknown";
    }
}

static int kvm_handle_system_event(KvmVcpu *v)
{
    struct kvm_run *run = v->run;

    log_mask(LOG_KVM, "kvm: vCPU %d: system event %u\n", v->cpu->index,
             run->system_event.type);
    switch (run->system_event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN:
        request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        break;
    case KVM_SYSTEM_EVENT_RESET:
        request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    case KVM_SYSTEM_EVENT_CRASH:
        request_shutdown(SHUTDOWN_CAUSE_GUEST_PANIC);
        break;
    default:
        return kvm_vcpu_fatal(v, "unknown system event %u", run->system_event.type);
    }
    /* The machine is going away or being reset: do not run on meanwhile. */
    cpu_stop_current();
    return CPU_EXIT_INTERRUPTED;
}

static int kvm_handle_exit(KvmVcpu *v)
{
    struct kvm_run *run = v->run;

    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        kvm_handle_io(v);
        return KVM_EXIT_LOOP;
    case KVM_EXIT_MMIO:
        kvm_handle_mmio(v);
        return KVM_EXIT_LOOP;
    case KVM_EXIT_HLT:
        return CPU_EXIT_HALTED;
    case KVM_EXIT_INTR:
        kvm_vcpu_eat_kicks();
        return CPU_EXIT_INTERRUPTED;
    case KVM_EXIT_SHUTDOWN:
        /* Triple fault: the chipset resets the machine. */
        log_mask(LOG_KVM | LOG_RESET, "kvm: vCPU %d: triple fault, resetting\n",
                 v->cpu->index);
        request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
        cpu_stop_current();
        return CPU_EXIT_INTERRUPTED;
    case KVM_EXIT_SYSTEM_EVENT:
        return kvm_handle_system_event(v);
    case KVM_EXIT_DEBUG:
        return kvm_handle_debug_exit(v);
    case KVM_EXIT_FAIL_ENTRY:
        return kvm_vcpu_fatal(v, "KVM_RUN entry failed, hardware error 0x%llx",
                              (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
    case KVM_EXIT_INTERNAL_ERROR: {
        g_autoptr(GString) data = NULL;

        if (kvm_debug_is_breakpoint_failure(v)) {
            return CPU_EXIT_DEBUG;
        }
        data = g_string_new(NULL);

        for (uint32_t i = 0; i < MIN(run->internal.ndata, 16u); i++) {
            g_string_append_printf(data, " 0x%llx", (unsigned long long)run->internal.data[i]);
        }
        return kvm_vcpu_fatal(v, "internal error %u (%s)%s%s", run->internal.suberror,
                              kvm_internal_error_name(run->internal.suberror),
                              data->len ? ", data" : "", data->str);
    }
    default:
        return kvm_vcpu_fatal(v, "unhandled exit reason %u", run->exit_reason);
    }
}

static int kvm_vcpu_exec(CPUState *cpu)
{
    KvmVcpu *v = cpu->accel_state;

    for (;;) {
        int ret;

        if (g_atomic_int_get(&cpu->exit_request)) {
            return CPU_EXIT_INTERRUPTED;
        }
        if (ioctl(v->fd, KVM_RUN, 0) < 0) {
            int err = errno;

            if (err == EINTR || err == EAGAIN) {
                kvm_vcpu_eat_kicks();
                return CPU_EXIT_INTERRUPTED;
            }
            return kvm_vcpu_fatal(v, "KVM_RUN failed: %s", g_strerror(err));
        }
        ret = kvm_handle_exit(v);
        if (ret != KVM_EXIT_LOOP) {
            return ret;
        }
    }
}

void kvm_cpu_reset(CPUState *cpu)
{
    KvmVcpu *v = cpu->accel_state;

    if (v) {
        kvm_arch_vcpu_reset(v);
    }
}

static const AccelOps kvm_ops = {
    .name = "kvm",
    .vcpu_init = kvm_vcpu_init,
    .vcpu_exec = kvm_vcpu_exec,
    .vcpu_kick = kvm_vcpu_kick,
    .vcpu_destroy = kvm_vcpu_destroy,
    .runs_without_bql = true,
};

const AccelOps *kvm_accel_ops(void)
{
    return &kvm_ops;
}
