/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The translator seen from the monitor: counters for `info jit`, the TLB
 * for `info tlb`, a non-faulting page walk for `x`. Everything here only
 * reads execution-layer state, under tb_lock where the state is shared.
 */
#include "accel/tcg/tcg-stats.h"

#include <inttypes.h>
#include <string.h>

#include "accel/tcg/exec-internal.h"

bool tcg_jit_stats_get(TCGJitStats *st)
{
    TBStats tb;

    memset(st, 0, sizeof(*st));
    if (!tcg_state.initialized) {
        return false;
    }
    tb_get_stats(&tb);
    tb_lock();
    st->code_size = tcg_state.cb.size;
    st->code_used = tcg_state.cb.used;
    st->vcpus = tcg_state.cpus ? tcg_state.cpus->len : 0;
    tb_unlock();
    st->translated = tb.translated;
    st->invalidated = tb.invalidated;
    st->chained = tb.chained;
    st->flushes = tb.flushes;
    st->live_tbs = tb.live_tbs;
    return true;
}

static TCGCPU *tcg_cpu_of(CPUState *cs)
{
    TCGCPU *found = NULL;

    if (!tcg_state.initialized || !cs) {
        return NULL;
    }
    tb_lock();
    for (guint i = 0; tcg_state.cpus && i < tcg_state.cpus->len; i++) {
        TCGCPU *cpu = g_ptr_array_index(tcg_state.cpus, i);

        if (cpu->cs == cs) {
            found = cpu;
            break;
        }
    }
    tb_unlock();
    return found;
}

/* A tag is live when no low flag bit makes every compare miss. */
static bool tag_valid(uint64_t tag)
{
    return tag != TLB_INVALID_ADDR;
}

bool tcg_tlb_dump(CPUState *cs, GString *out)
{
    TCGCPU *cpu = tcg_cpu_of(cs);
    size_t entries = (size_t)1 << TCG_TLB_BITS;
    unsigned shown = 0;

    if (!cpu) {
        return false;
    }
    for (unsigned m = 0; m < cpu->ops->nb_mmu_modes; m++) {
        for (size_t k = 0; k < entries; k++) {
            const TLBEntry *e = &cpu->tlb_tables[m * entries + k];
            uint64_t r = __atomic_load_n(&e->addr_read, __ATOMIC_RELAXED);
            uint64_t w = __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);
            uint64_t x = __atomic_load_n(&e->addr_code, __ATOMIC_RELAXED);
            uint64_t page;

            if (!tag_valid(r) && !tag_valid(w) && !tag_valid(x)) {
                continue;
            }
            page = (tag_valid(r) ? r : tag_valid(w) ? w : x) & TCG_PAGE_MASK;
            g_string_append_printf(out, "mmu%u %016" PRIx64 " -> %016" PRIx64 " %c%c%c%s\n",
                                   m, page, cpu->tlb_phys[m * entries + k],
                                   tag_valid(r) ? 'r' : '-',
                                   tag_valid(w) ? 'w' : '-',
                                   tag_valid(x) ? 'x' : '-',
                                   tag_valid(w) && (w & TLB_NOTDIRTY) ? " code" : "");
            shown++;
        }
    }
    if (!shown) {
        g_string_append(out, "TLB empty\n");
    }
    return true;
}

bool tcg_debug_translate(CPUState *cs, uint64_t vaddr, uint64_t *paddr)
{
    TCGCPU *cpu = tcg_cpu_of(cs);
    int prot = 0;
    int mmu_idx;

    if (!cpu || !cpu->ops->tlb_fill) {
        return false;
    }
    mmu_idx = cpu->ops->cpu_mmu_index ? cpu->ops->cpu_mmu_index(cpu->env, false) : 0;
    /* retaddr 0: a fault comes back as false instead of a guest exception. */
    return cpu->ops->tlb_fill(cpu, vaddr, MMU_DATA_LOAD, mmu_idx, paddr, &prot, 0);
}
