/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `tcg` accelerator: Tern's own translator. Choosing it sets up the one
 * engine of the process (code buffer, code generator, IR context) for the
 * guest front end, whose CPUs then run one thread each through the generic
 * vCPU threads (tcg_accel_ops). The engine is shared: translation happens
 * under tb_lock, and dropping all code (a full buffer) is an "exclusive"
 * section during which no vCPU runs generated code. A change of the guest
 * memory map flushes every vCPU's TLB at its next block boundary.
 */
#include <string.h>

#include "accel/accel.h"
#include "exec-internal.h"
#include "hw/core/machine.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "target/arm/cpu.h"
#include "util/error.h"

#define TCG_CODE_BUFFER_SIZE (256u << 20)

TCGExecState tcg_state;
ptrdiff_t tcg_cpu_offset;

void tcg_register_target(const TCGTargetOps *ops)
{
    g_assert(!tcg_state.ops || tcg_state.ops == ops);
    tcg_state.ops = ops;
    tcg_cpu_offset = ops->tcg_offset;
}

const TCGTargetOps *tcg_target(void)
{
    return tcg_state.ops;
}

bool tcg_enabled(void)
{
    return tcg_state.initialized;
}

/* ---- exclusive sections ---- */

void tcg_exec_start(TCGCPU *cpu)
{
    g_mutex_lock(&tcg_state.excl_lock);
    while (tcg_state.excl_pending) {
        g_cond_wait(&tcg_state.excl_cond, &tcg_state.excl_lock);
    }
    tcg_state.running++;
    g_mutex_unlock(&tcg_state.excl_lock);
}

void tcg_exec_end(TCGCPU *cpu)
{
    g_mutex_lock(&tcg_state.excl_lock);
    tcg_state.running--;
    g_cond_broadcast(&tcg_state.excl_cond);
    g_mutex_unlock(&tcg_state.excl_lock);
}

void tcg_start_exclusive(TCGCPU *self)
{
    g_mutex_lock(&tcg_state.excl_lock);
    /* The caller is between blocks: it does not count as running. */
    if (self && self->in_exec) {
        tcg_state.running--;
        g_cond_broadcast(&tcg_state.excl_cond);
    }
    while (tcg_state.excl_pending) {
        g_cond_wait(&tcg_state.excl_cond, &tcg_state.excl_lock);
    }
    __atomic_store_n(&tcg_state.excl_pending, 1, __ATOMIC_SEQ_CST);
    for (guint i = 0; i < tcg_state.cpus->len; i++) {
        TCGCPU *cpu = g_ptr_array_index(tcg_state.cpus, i);
        if (cpu != self) {
            tcg_cpu_kick(cpu);
        }
    }
    while (tcg_state.running > 0) {
        g_cond_wait(&tcg_state.excl_cond, &tcg_state.excl_lock);
    }
    g_mutex_unlock(&tcg_state.excl_lock);
}

void tcg_end_exclusive(TCGCPU *self)
{
    g_mutex_lock(&tcg_state.excl_lock);
    __atomic_store_n(&tcg_state.excl_pending, 0, __ATOMIC_SEQ_CST);
    if (self && self->in_exec) {
        tcg_state.running++;
    }
    g_cond_broadcast(&tcg_state.excl_cond);
    g_mutex_unlock(&tcg_state.excl_lock);
}

/* ---- vCPUs ---- */

static void tcg_memory_commit(MemoryListener *l)
{
    __atomic_add_fetch(&tcg_state.tlb_flush_gen, 1, __ATOMIC_SEQ_CST);
    for (guint i = 0; tcg_state.cpus && i < tcg_state.cpus->len; i++) {
        tcg_cpu_kick(g_ptr_array_index(tcg_state.cpus, i));
    }
}

static MemoryListener tcg_memory_listener = {
    .commit = tcg_memory_commit,
    .priority = 10,
};

static bool tcg_engine_init(size_t code_size, GError **errp)
{
    const TCGTargetOps *ops = tcg_state.ops;

    if (tcg_state.initialized) {
        return true;
    }
    g_assert(ops);
    g_mutex_init(&tcg_state.tb_lock);
    g_mutex_init(&tcg_state.excl_lock);
    g_cond_init(&tcg_state.excl_cond);
    tcg_state.cpus = g_ptr_array_new();
    if (!codebuf_init(&tcg_state.cb, code_size, errp)) {
        return false;
    }
    codebuf_set_flush_fn(&tcg_state.cb, tb_cache_forget_all, NULL);
    tcg_state.cfg = (TCGConfig) {
        .tlb_offset = (int32_t)(ops->tcg_offset + offsetof(TCGCPU, tlb)),
        .page_bits = TCG_PAGE_BITS,
        .tlb_hooks = &tcg_tlb_hooks,
    };
    tcg_state.gen = tcg_codegen_new(&tcg_state.cb, &tcg_state.cfg, errp);
    if (!tcg_state.gen) {
        codebuf_destroy(&tcg_state.cb);
        return false;
    }
    ir_ctx_init(&tcg_state.ctx);
    ops->init_globals(&tcg_state.ctx);
    memory_listener_register(&tcg_memory_listener, address_space_memory());
    tcg_state.initialized = true;
    return true;
}

void tcg_cpu_init(TCGCPU *cpu, CPUState *cs, void *env)
{
    const TCGTargetOps *ops = tcg_state.ops;
    size_t entries = (size_t)1 << TCG_TLB_BITS;

    g_assert(tcg_state.initialized);
    g_assert((char *)cpu == (char *)env + ops->tcg_offset);
    cpu->cs = cs;
    cpu->env = env;
    cpu->ops = ops;
    cpu->jmp_cache = g_new0(TranslationBlock *, TB_JMP_CACHE_SIZE);
    cpu->tlb_tables = g_new(TLBEntry, entries * ops->nb_mmu_modes);
    cpu->tlb_phys = g_new0(uint64_t, entries * ops->nb_mmu_modes);
    for (unsigned m = 0; m < ops->nb_mmu_modes; m++) {
        cpu->tlb.f[m].table = cpu->tlb_tables + m * entries;
        cpu->tlb.f[m].mask = (entries - 1) << TLB_ENTRY_BITS;
        tlb_flush_mmu(&cpu->tlb, m);
    }
    cpu->tlb_flush_gen = __atomic_load_n(&tcg_state.tlb_flush_gen, __ATOMIC_ACQUIRE);
    tb_lock();
    g_ptr_array_add(tcg_state.cpus, cpu);
    tb_unlock();
}

void tcg_cpu_destroy(TCGCPU *cpu)
{
    if (!cpu->ops) {
        return;
    }
    tb_lock();
    g_ptr_array_remove(tcg_state.cpus, cpu);
    tb_unlock();
    g_clear_pointer(&cpu->jmp_cache, g_free);
    g_clear_pointer(&cpu->tlb_tables, g_free);
    g_clear_pointer(&cpu->tlb_phys, g_free);
    for (int k = 0; k < TCG_BREAK_KINDS; k++) {
        g_clear_pointer(&cpu->debug.bp[k], g_free);
    }
    memset(&cpu->debug, 0, sizeof(cpu->debug));
    memset(&cpu->tlb, 0, sizeof(cpu->tlb));
    cpu->ops = NULL;
}

static TCGCPU *tcg_cpu_of(CPUState *cs)
{
    return tcg_cpu_from_env(cs->arch_state);
}

static int tcg_vcpu_exec(CPUState *cs)
{
    return tcg_cpu_exec(tcg_cpu_of(cs));
}

static void tcg_vcpu_kick(CPUState *cs)
{
    tcg_cpu_kick(tcg_cpu_of(cs));
}

static bool tcg_vcpu_has_work(CPUState *cs)
{
    TCGCPU *cpu = tcg_cpu_of(cs);

    if (cpu->ops->has_work) {
        return cpu->ops->has_work(cpu);
    }
    return g_atomic_int_get(&cs->interrupt_request) != 0;
}

static const AccelOps tcg_ops = {
    .name = "tcg",
    .vcpu_exec = tcg_vcpu_exec,
    .vcpu_kick = tcg_vcpu_kick,
    .vcpu_has_work = tcg_vcpu_has_work,
    .runs_without_bql = true,
};

const AccelOps *tcg_accel_ops(void)
{
    return &tcg_ops;
}

/* ---- the accelerator class ---- */

static bool tcg_accel_init(MachineState *ms, KeyvalList *props, GError **errp)
{
    uint64_t tb_size = TCG_CODE_BUFFER_SIZE >> 20;
    const char *thread = props ? keyval_get(props, "thread") : NULL;

    /* QEMU's options: tb-size (MiB of translated code), thread=single|multi. */
    if (props && !keyval_get_uint(props, "tb-size", tb_size, &tb_size, errp)) {
        return false;
    }
    if (thread && strcmp(thread, "multi") && strcmp(thread, "single")) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-accel tcg,thread=%s: expected single or multi", thread);
        return false;
    }
    if (props && !keyval_check_unused(props, "-accel tcg", errp)) {
        return false;
    }
    if (tb_size < 1 || tb_size > 2048) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-accel tcg,tb-size=%" G_GUINT64_FORMAT ": expected 1 to 2048 (MiB)",
                    tb_size);
        return false;
    }
    /* The one guest architecture the translator runs. */
    arm_tcg_register();
    return tcg_engine_init((size_t)tb_size << 20, errp);
}

static const AccelOps *tcg_accel_class_ops(void)
{
    return &tcg_ops;
}

const AccelClass tcg_accel_class = {
    .name = "tcg",
    .desc = "Tern's dynamic binary translator",
    .targets = TARGET_AARCH64,
    .init = tcg_accel_init,
    .ops = tcg_accel_class_ops,
};
