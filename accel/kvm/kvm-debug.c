/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest debugging through KVM: KVM_SET_GUEST_DEBUG, debug exits, and
 * synchronous vCPU ioctls for the gdb stub.
 *
 * Every vCPU ioctl runs in the vCPU's own thread (run_on_cpu): the vCPU is
 * stopped then, so nothing races with KVM_RUN, and the kvm_run area still
 * describes the exit that stopped it, which is how stop reasons are read
 * back without keeping a copy.
 *
 * Software breakpoints on the PVM backend: with KVM_GUESTDBG_USE_SW_BP an
 * int3 should exit with KVM_EXIT_DEBUG, but PVM instead reports a failed
 * emulation of the int3 (KVM_INTERNAL_ERROR_EMULATION with the instruction
 * bytes), RIP still pointing at it. That is the same information, so such
 * an exit counts as a breakpoint hit while software breakpoints are on.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm/kvm-debug.h"
#include "accel/kvm/kvm-int.h"
#include "util/log.h"

#define X86_INT3 0xcc

/*
 * Whether some vCPU runs with KVM_GUESTDBG_USE_SW_BP. The stub programs
 * every vCPU alike, so one flag per process (one VM) is enough.
 */
static int kvm_debug_sw_bp_on;

uint32_t kvm_guest_debug_caps(void)
{
    KvmState *s = kvm_state();
    int r;

    if (!s) {
        return 0;
    }
#ifdef KVM_CAP_SET_GUEST_DEBUG2
    r = ioctl(s->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_GUEST_DEBUG2);
    if (r > 0) {
        return (uint32_t)r;
    }
#endif
    r = ioctl(s->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_GUEST_DEBUG);
    if (r <= 0) {
        return 0;
    }
    return KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP |
           KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW_BP;
}

typedef struct IoctlWork {
    unsigned long request;
    void *arg;
    int ret;
} IoctlWork;

static void kvm_ioctl_work(CPUState *cpu, void *data)
{
    IoctlWork *w = data;
    KvmVcpu *v = cpu->accel_state;

    if (!v) {
        w->ret = -ENODEV;
        return;
    }
    w->ret = ioctl(v->fd, w->request, w->arg) < 0 ? -errno : 0;
}

int kvm_vcpu_ioctl_sync(CPUState *cpu, unsigned long request, void *arg)
{
    IoctlWork w = { .request = request, .arg = arg, .ret = -ENODEV };

    if (!cpu) {
        return -ENODEV;
    }
    run_on_cpu(cpu, kvm_ioctl_work, &w);
    return w.ret;
}

int kvm_update_guest_debug(CPUState *cpu, uint32_t flags, const uint64_t *debugregs)
{
    struct kvm_guest_debug dbg;
    int r;

    memset(&dbg, 0, sizeof(dbg));
    dbg.control = flags;
    if (debugregs) {
        memcpy(dbg.arch.debugreg, debugregs, sizeof(dbg.arch.debugreg));
    }
    r = kvm_vcpu_ioctl_sync(cpu, KVM_SET_GUEST_DEBUG, &dbg);
    if (r == 0) {
        g_atomic_int_set(&kvm_debug_sw_bp_on,
                         (flags & KVM_GUESTDBG_ENABLE) && (flags & KVM_GUESTDBG_USE_SW_BP));
    }
    log_mask(LOG_KVM, "kvm: vCPU %d: guest debug 0x%x dr7 0x%llx: %s\n", cpu->index, flags,
             debugregs ? (unsigned long long)debugregs[7] : 0ull,
             r ? g_strerror(-r) : "ok");
    return r;
}

int kvm_handle_debug_exit(KvmVcpu *v)
{
    struct kvm_run *run = v->run;

    log_mask(LOG_KVM, "kvm: vCPU %d: debug exit, exception %u pc 0x%llx dr6 0x%llx\n",
             v->cpu->index, run->debug.arch.exception,
             (unsigned long long)run->debug.arch.pc,
             (unsigned long long)run->debug.arch.dr6);
    return CPU_EXIT_DEBUG;
}

bool kvm_debug_is_breakpoint_failure(KvmVcpu *v)
{
    struct kvm_run *run = v->run;

    if (!g_atomic_int_get(&kvm_debug_sw_bp_on) ||
        run->exit_reason != KVM_EXIT_INTERNAL_ERROR ||
        run->emulation_failure.suberror != KVM_INTERNAL_ERROR_EMULATION ||
        run->emulation_failure.ndata < 3 ||
        !(run->emulation_failure.flags & KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES) ||
        run->emulation_failure.insn_size < 1) {
        return false;
    }
    return run->emulation_failure.insn_bytes[0] == X86_INT3;
}

typedef struct LastExitWork {
    KvmDebugExit *out;
    bool found;
} LastExitWork;

static void kvm_last_exit_work(CPUState *cpu, void *data)
{
    LastExitWork *w = data;
    KvmVcpu *v = cpu->accel_state;
    struct kvm_regs regs;

    if (!v) {
        return;
    }
    if (v->run->exit_reason == KVM_EXIT_DEBUG) {
        w->out->exception = v->run->debug.arch.exception;
        w->out->pc = v->run->debug.arch.pc;
        w->out->dr6 = v->run->debug.arch.dr6;
        w->out->dr7 = v->run->debug.arch.dr7;
        w->found = true;
    } else if (kvm_debug_is_breakpoint_failure(v) && ioctl(v->fd, KVM_GET_REGS, &regs) == 0) {
        memset(w->out, 0, sizeof(*w->out));
        w->out->exception = 3;
        w->out->pc = regs.rip;
        w->found = true;
    }
}

bool kvm_debug_last_exit(CPUState *cpu, KvmDebugExit *out)
{
    LastExitWork w = { .out = out };

    if (!cpu) {
        return false;
    }
    run_on_cpu(cpu, kvm_last_exit_work, &w);
    return w.found;
}
