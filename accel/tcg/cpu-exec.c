/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vCPU loop of the translator and everything generated code calls back
 * into: the indirect-jump lookup, the softmmu slow paths (TLB fill through
 * the target's hook and the memory API, MMIO under the BQL, accesses that
 * cross a page, stores to pages holding translated code), the accessors
 * helpers use, and the unwinding of guest exceptions raised by helpers.
 *
 * Loop: take pending interrupts, find or translate the block for (PC,
 * flags), chain the previous block's exit to it, run it. A block returns
 * `tb | n` when its exit n may be chained, 0 otherwise.
 */
#include <inttypes.h>
#include <string.h>

#include "exec-internal.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/memory.h"
#include "util/log.h"

/* ---- unwinding ---- */

void tcg_cpu_loop_exit(TCGCPU *cpu)
{
    g_assert(cpu->in_exec);
    siglongjmp(cpu->jmp_env, 1);
}

void tcg_cpu_restore_state(TCGCPU *cpu, uintptr_t retaddr)
{
    TranslationBlock *tb;
    int i;

    if (!retaddr) {
        return;
    }
    tb = tb_find_by_host_pc(retaddr);
    if (!tb) {
        return;
    }
    i = tcg_block_find_insn(&tb->code, retaddr);
    if (i >= 0) {
        cpu->ops->restore_pc(cpu->env, tb->code.insn_pc[i]);
    }
}

void tcg_cpu_loop_exit_restore(TCGCPU *cpu, uintptr_t retaddr)
{
    tcg_cpu_restore_state(cpu, retaddr);
    tcg_cpu_loop_exit(cpu);
}

void tcg_cpu_request_exit(TCGCPU *cpu, int reason)
{
    cpu->exit_reason = reason;
    tcg_cpu_kick(cpu);
}

/* ---- TLB ---- */

/*
 * The jump cache is keyed by virtual PC: once mappings may have changed it
 * could hand out a block of another address space, so it goes too.
 */
void tcg_cpu_tlb_flush(TCGCPU *cpu)
{
    for (unsigned i = 0; i < cpu->ops->nb_mmu_modes; i++) {
        tlb_flush_mmu(&cpu->tlb, i);
    }
    if (cpu->jmp_cache) {
        memset(cpu->jmp_cache, 0, TB_JMP_CACHE_SIZE * sizeof(cpu->jmp_cache[0]));
    }
}

void tcg_cpu_tlb_flush_page(TCGCPU *cpu, uint64_t vaddr)
{
    uint64_t page = vaddr & TCG_PAGE_MASK;

    for (unsigned i = 0; i < cpu->ops->nb_mmu_modes; i++) {
        TLBEntry *e = tlb_entry(&cpu->tlb, i, page, TCG_PAGE_BITS);

        if ((e->addr_read & TCG_PAGE_MASK) == page || (e->addr_code & TCG_PAGE_MASK) == page ||
            ((e->addr_write & ~TLB_NOTDIRTY) & TCG_PAGE_MASK) == page) {
            e->addr_read = e->addr_write = e->addr_code = TLB_INVALID_ADDR;
        }
    }
    /* Blocks start at 4-byte aligned PCs or anywhere: clear every slot of the page. */
    for (uint64_t pc = page; cpu->jmp_cache && pc < page + TCG_PAGE_SIZE; pc += 2) {
        __atomic_store_n(&cpu->jmp_cache[tb_jmp_cache_hash(pc)], NULL, __ATOMIC_RELAXED);
    }
}

void tcg_tlb_flush_all_cpus(void)
{
    __atomic_add_fetch(&tcg_state.tlb_flush_gen, 1, __ATOMIC_SEQ_CST);
    for (guint i = 0; tcg_state.cpus && i < tcg_state.cpus->len; i++) {
        tcg_cpu_kick(g_ptr_array_index(tcg_state.cpus, i));
    }
}

static inline size_t tlb_index(TCGCPU *cpu, unsigned mmu_idx, uint64_t addr)
{
    return (size_t)(tlb_entry(&cpu->tlb, mmu_idx, addr, TCG_PAGE_BITS) -
                    cpu->tlb_tables);
}

/*
 * A physical page now holds code: every writable TLB entry of any vCPU that
 * maps it, under any virtual address, must send stores to the slow path.
 */
void tlb_protect_code_page(uint64_t phys)
{
    uint64_t ppage = phys & TCG_PAGE_MASK;

    for (guint i = 0; i < tcg_state.cpus->len; i++) {
        TCGCPU *cpu = g_ptr_array_index(tcg_state.cpus, i);
        size_t n = ((size_t)1 << TCG_TLB_BITS) * cpu->ops->nb_mmu_modes;

        for (size_t k = 0; k < n; k++) {
            TLBEntry *e = &cpu->tlb_tables[k];
            uint64_t w = __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);

            if (w != TLB_INVALID_ADDR && !(w & TLB_NOTDIRTY) && cpu->tlb_phys[k] == ppage) {
                __atomic_or_fetch(&e->addr_write, TLB_NOTDIRTY, __ATOMIC_SEQ_CST);
            }
        }
    }
}

typedef struct TLBFill {
    uint64_t paddr;
    uint8_t *host;          /* RAM: host address of addr; NULL: MMIO */
    TLBEntry *entry;
} TLBFill;

/*
 * Translate addr and, for RAM, install the page in the TLB. Stores to a
 * page holding code get TLB_NOTDIRTY so that they keep coming here.
 */
static bool tlb_fill_page(TCGCPU *cpu, uint64_t addr, MMUAccessType access,
                          unsigned mmu_idx, uintptr_t ra, TLBFill *f)
{
    uint64_t vpage = addr & TCG_PAGE_MASK;
    uint64_t xlat, plen;
    MemoryRegion *mr;
    bool is_write = access == MMU_DATA_STORE;
    int prot = TCG_PROT_READ | TCG_PROT_WRITE | TCG_PROT_EXEC;

    f->host = NULL;
    if (!cpu->ops->tlb_fill(cpu, addr, access, mmu_idx, &f->paddr, &prot, ra)) {
        return false;
    }
    f->entry = tlb_entry(&cpu->tlb, mmu_idx, addr, TCG_PAGE_BITS);
    mr = address_space_translate(address_space_memory(), f->paddr & TCG_PAGE_MASK, &xlat,
                                 &plen, is_write);
    if (!mr || !memory_region_is_ram(mr) || plen < TCG_PAGE_SIZE ||
        (is_write && memory_region_is_rom(mr)) || (prot & TCG_PROT_NOCACHE)) {
        return true;
    }
    uint8_t *host_page = (uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
    bool rom = memory_region_is_rom(mr);
    TLBEntry *e = f->entry;

    tb_lock();
    e->addr_read = (prot & TCG_PROT_READ) ? vpage : TLB_INVALID_ADDR;
    e->addr_code = (prot & TCG_PROT_EXEC) ? vpage : TLB_INVALID_ADDR;
    e->addr_write = rom || !(prot & TCG_PROT_WRITE) ? TLB_INVALID_ADDR :
                    vpage | (tb_page_has_code_locked(f->paddr) ? TLB_NOTDIRTY : 0);
    e->addend = (uintptr_t)host_page - (uintptr_t)vpage;
    cpu->tlb_phys[e - cpu->tlb_tables] = f->paddr & TCG_PAGE_MASK;
    tb_unlock();
    f->host = host_page + (addr & ~TCG_PAGE_MASK);
    return true;
}

/* A store hit a page with translated code: drop that code, then store. */
static void tlb_notdirty(TCGCPU *cpu, TLBEntry *e)
{
    uint64_t phys = cpu->tlb_phys[e - cpu->tlb_tables];

    tb_lock();
    tb_invalidate_phys_page_locked(phys);
    __atomic_and_fetch(&e->addr_write, ~TLB_NOTDIRTY, __ATOMIC_SEQ_CST);
    tb_unlock();
}

/* Host pointer for a RAM access within one page, or NULL (MMIO; f filled). */
static uint8_t *tlb_host(TCGCPU *cpu, uint64_t addr, MMUAccessType access,
                         unsigned mmu_idx, uintptr_t ra, TLBFill *f)
{
    TLBEntry *e = tlb_entry(&cpu->tlb, mmu_idx, addr, TCG_PAGE_BITS);
    uint64_t page = addr & TCG_PAGE_MASK;
    uint64_t tag = access == MMU_DATA_STORE ? e->addr_write :
                   access == MMU_INST_FETCH ? e->addr_code : e->addr_read;

    if ((tag & ~TLB_NOTDIRTY) != page) {
        tlb_fill_page(cpu, addr, access, mmu_idx, ra, f);
        if (!f->host) {
            return NULL;
        }
        tag = access == MMU_DATA_STORE ? e->addr_write : e->addr_read;
    }
    if (tag & TLB_NOTDIRTY) {
        tlb_notdirty(cpu, e);
    }
    return (uint8_t *)(uintptr_t)(addr + e->addend);
}

static void mmio_failed(TCGCPU *cpu, uint64_t addr, MMUAccessType access, uintptr_t ra)
{
    cpu->ops->transaction_failed(cpu, addr, access, ra);
    g_assert_not_reached();
}

/*
 * A device access may have interrupted or stopped this very vCPU; from its
 * own thread that only sets exit_request, so leave generated code soon.
 */
static inline void check_self_kick(TCGCPU *cpu)
{
    if (g_atomic_int_get(&cpu->cs->exit_request)) {
        tcg_cpu_kick(cpu);
    }
}

/* Little-endian raw value of size bytes at addr; the access is in one page. */
static uint64_t load_raw(TCGCPU *cpu, uint64_t addr, unsigned size, unsigned mmu_idx,
                         uintptr_t ra)
{
    TLBFill f;
    uint8_t *host = tlb_host(cpu, addr, MMU_DATA_LOAD, mmu_idx, ra, &f);
    uint64_t val = 0;

    if (host) {
        memcpy(&val, host, size);
        return val;
    }
    bool had_bql = bql_locked();
    MemTxResult r;

    if (!had_bql) {
        bql_lock();
    }
    r = address_space_read_val(address_space_memory(), f.paddr, &val, size);
    if (!had_bql) {
        bql_unlock();
    }
    check_self_kick(cpu);
    if (r != MEMTX_OK) {
        mmio_failed(cpu, addr, MMU_DATA_LOAD, ra);
    }
    return val;
}

static void store_raw(TCGCPU *cpu, uint64_t addr, uint64_t val, unsigned size,
                      unsigned mmu_idx, uintptr_t ra)
{
    TLBFill f;
    uint8_t *host = tlb_host(cpu, addr, MMU_DATA_STORE, mmu_idx, ra, &f);

    if (host) {
        memcpy(host, &val, size);
        return;
    }
    bool had_bql = bql_locked();
    MemTxResult r;

    if (!had_bql) {
        bql_lock();
    }
    r = address_space_write_val(address_space_memory(), f.paddr, val, size);
    if (!had_bql) {
        bql_unlock();
    }
    /*
     * The store may have changed the memory map (a flash bank leaving ROM
     * mode): the rest of this block must not read through the old TLB.
     */
    if (cpu->tlb_flush_gen != __atomic_load_n(&tcg_state.tlb_flush_gen, __ATOMIC_ACQUIRE)) {
        cpu->tlb_flush_gen = __atomic_load_n(&tcg_state.tlb_flush_gen, __ATOMIC_ACQUIRE);
        tcg_cpu_tlb_flush(cpu);
    }
    check_self_kick(cpu);
    if (r != MEMTX_OK) {
        mmio_failed(cpu, addr, MMU_DATA_STORE, ra);
    }
}

static bool crosses_page(uint64_t addr, unsigned size)
{
    return (addr & ~TCG_PAGE_MASK) + size > TCG_PAGE_SIZE;
}

static void check_align(TCGCPU *cpu, uint64_t addr, MemOp mop, MMUAccessType access,
                        uintptr_t ra)
{
    unsigned a_bits = memop_alignment_bits(mop);

    if (addr & ((1ull << a_bits) - 1)) {
        cpu->ops->unaligned_access(cpu, addr, access, ra);
        g_assert_not_reached();
    }
}

uint64_t tcg_cpu_load(TCGCPU *cpu, uint64_t addr, MemOp mop, int mmu_idx, uintptr_t ra)
{
    unsigned size = memop_size(mop);
    uint64_t val;

    check_align(cpu, addr, mop, MMU_DATA_LOAD, ra);
    if (crosses_page(addr, size)) {
        val = 0;
        for (unsigned i = 0; i < size; i++) {
            val |= load_raw(cpu, addr + i, 1, mmu_idx, ra) << (8 * i);
        }
    } else {
        val = load_raw(cpu, addr, size, mmu_idx, ra);
    }
    return memop_load_value(val, mop);
}

void tcg_cpu_store(TCGCPU *cpu, uint64_t addr, uint64_t val, MemOp mop, int mmu_idx,
                   uintptr_t ra)
{
    unsigned size = memop_size(mop);

    check_align(cpu, addr, mop, MMU_DATA_STORE, ra);
    val = memop_store_value(val, mop);
    if (crosses_page(addr, size)) {
        /* Fault on either page before writing any byte. */
        TLBFill f;
        (void)tlb_host(cpu, addr, MMU_DATA_STORE, mmu_idx, ra, &f);
        (void)tlb_host(cpu, addr + size - 1, MMU_DATA_STORE, mmu_idx, ra, &f);
        for (unsigned i = 0; i < size; i++) {
            store_raw(cpu, addr + i, (val >> (8 * i)) & 0xff, 1, mmu_idx, ra);
        }
    } else {
        store_raw(cpu, addr, val, size, mmu_idx, ra);
    }
}

static uint64_t slow_load(void *env, uint64_t addr, MemOp memop, unsigned mmu_idx,
                          uintptr_t retaddr)
{
    return tcg_cpu_load(tcg_cpu_from_env(env), addr, memop, mmu_idx, retaddr);
}

static void slow_store(void *env, uint64_t addr, uint64_t val, MemOp memop,
                       unsigned mmu_idx, uintptr_t retaddr)
{
    tcg_cpu_store(tcg_cpu_from_env(env), addr, val, memop, mmu_idx, retaddr);
}

const TCGTlbHooks tcg_tlb_hooks = {
    .load_slow = slow_load,
    .store_slow = slow_store,
};

void *tcg_cpu_probe_host(TCGCPU *cpu, uint64_t addr, unsigned size, MMUAccessType access,
                         int mmu_idx, uintptr_t ra)
{
    TLBFill f;

    if (addr & (size - 1)) {
        cpu->ops->unaligned_access(cpu, addr, access, ra);
        g_assert_not_reached();
    }
    return tlb_host(cpu, addr, access, mmu_idx, ra, &f);
}

bool tcg_cpu_rw_virt(TCGCPU *cpu, uint64_t vaddr, void *buf, size_t len, bool is_write,
                     int mmu_idx)
{
    uint8_t *p = buf;

    while (len) {
        uint64_t paddr;
        size_t chunk = MIN(len, TCG_PAGE_SIZE - (vaddr & ~TCG_PAGE_MASK));

        int prot;

        if (!cpu->ops->tlb_fill(cpu, vaddr, is_write ? MMU_DATA_STORE : MMU_DATA_LOAD,
                                mmu_idx, &paddr, &prot, 0)) {
            return false;
        }
        if (is_write) {
            tb_invalidate_phys_page(paddr);
        }
        if (address_space_rw(address_space_memory(), paddr, p, chunk, is_write) != MEMTX_OK) {
            return false;
        }
        vaddr += chunk;
        p += chunk;
        len -= chunk;
    }
    return true;
}

/*
 * Host address of the code page holding pc and its physical address, from
 * the TLB's code tag when it hits, else through the target's translation
 * (which installs the page). NULL when the page cannot be executed.
 */
const void *tcg_code_page(TCGCPU *cpu, uint64_t pc, uint64_t *phys)
{
    int mmu_idx = cpu->ops->cpu_mmu_index(cpu->env, true);
    TLBEntry *e = tlb_entry(&cpu->tlb, mmu_idx, pc, TCG_PAGE_BITS);
    uint64_t page = pc & TCG_PAGE_MASK;
    TLBFill f;

    if (e->addr_code != page) {
        if (!tlb_fill_page(cpu, pc, MMU_INST_FETCH, mmu_idx, 0, &f) || !f.host ||
            e->addr_code != page) {
            return NULL;
        }
    }
    *phys = cpu->tlb_phys[e - cpu->tlb_tables] | (pc & ~TCG_PAGE_MASK);
    return (const void *)(uintptr_t)(page + e->addend);
}

/* ---- indirect jumps ---- */

void *helper_lookup_tb_ptr(void *env)
{
    TCGCPU *cpu = tcg_cpu_from_env(env);
    const TCGTargetOps *ops = cpu->ops;
    TranslationBlock *tb;
    uint64_t pc;
    uint32_t flags;

    if (ops->pc_offset) {
        pc = *(uint64_t *)((char *)env + ops->pc_offset);
        flags = *(uint32_t *)((char *)env + ops->flags_offset);
    } else {
        ops->get_tb_cpu_state(env, &pc, &flags);
    }
    /* The jump cache inline: this runs for every indirect branch and return. */
    tb = __atomic_load_n(&cpu->jmp_cache[tb_jmp_cache_hash(pc)], __ATOMIC_RELAXED);
    if (!tb || tb->pc != pc || tb->flags != flags ||
        __atomic_load_n(&tb->invalid, __ATOMIC_RELAXED)) {
        tb = tb_lookup(cpu, pc, flags);
        if (!tb) {
            return NULL;
        }
    }
    if (__builtin_expect(log_enabled(LOG_EXEC | LOG_CPU), 0)) {
        return NULL;
    }
    return (void *)tb->code.code;
}

/* ---- the loop ---- */

static void log_exec(TCGCPU *cpu, TranslationBlock *tb)
{
    if (log_enabled(LOG_CPU) && cpu->ops->dump_state) {
        g_autoptr(GString) s = g_string_new(NULL);
        cpu->ops->dump_state(cpu, s);
        log_printf("%s", s->str);
    }
    log_mask(LOG_EXEC, "Trace %d: %p [%016" PRIx64 "/%08x]\n", cpu->cs->index,
             tb->code.code, tb->pc, tb->flags);
}

static int cpu_exec_debug_one(TCGCPU *cpu);

static int cpu_exec_inner(TCGCPU *cpu)
{
    const TCGTargetOps *ops = cpu->ops;
    CPUState *cs = cpu->cs;
    TranslationBlock *last_tb = NULL;
    int slot = 0;

    for (;;) {
        TranslationBlock *tb;
        uint32_t req, flags;
        unsigned flushes;
        uint64_t pc;
        uintptr_t ret;

        if (cpu->exit_reason) {
            int r = cpu->exit_reason;
            cpu->exit_reason = 0;
            return r;
        }
        if (__atomic_load_n(&cpu->exit_flag, __ATOMIC_RELAXED)) {
            return CPU_EXIT_INTERRUPTED;
        }
        if (cpu->tlb_flush_gen != __atomic_load_n(&tcg_state.tlb_flush_gen, __ATOMIC_ACQUIRE)) {
            cpu->tlb_flush_gen = __atomic_load_n(&tcg_state.tlb_flush_gen, __ATOMIC_ACQUIRE);
            tcg_cpu_tlb_flush(cpu);
        }
        if (__builtin_expect(cpu->debug.active, 0)) {
            int r = cpu_exec_debug_one(cpu);

            if (r) {
                return r;
            }
            last_tb = NULL;
            continue;
        }
        req = g_atomic_int_get(&cs->interrupt_request);
        if (req && ops->exec_interrupt && ops->exec_interrupt(cpu, req)) {
            last_tb = NULL;
        }

        ops->get_tb_cpu_state(cpu->env, &pc, &flags);
        flushes = tcg_state.cb.flush_count;
        tb = tb_lookup_or_gen(cpu, pc, flags);
        if (tcg_state.cb.flush_count != flushes) {
            last_tb = NULL;     /* it went away with the flush */
        }
        if (last_tb && !log_enabled(LOG_EXEC | LOG_CPU)) {
            tb_add_jump(last_tb, slot, tb);
        }
        if (log_enabled(LOG_EXEC | LOG_CPU)) {
            log_exec(cpu, tb);
        }
        ret = tcg_exec(tcg_state.gen, cpu->env, tb->code.code);
        last_tb = (TranslationBlock *)(ret & ~(uintptr_t)3);
        slot = ret & 3;
    }
}

int tcg_cpu_exec(TCGCPU *cpu)
{
    int ret;

    __atomic_store_n(&cpu->exit_flag, 0, __ATOMIC_SEQ_CST);
    if (g_atomic_int_get(&cpu->cs->exit_request)) {
        return CPU_EXIT_INTERRUPTED;
    }
    tcg_exec_start(cpu);
    cpu->in_exec = true;
    for (;;) {
        if (sigsetjmp(cpu->jmp_env, 0) == 0) {
            ret = cpu_exec_inner(cpu);
            break;
        }
        /* A helper raised a guest exception: the target already took it. */
        if (bql_locked()) {
            bql_unlock();
        }
    }
    cpu->in_exec = false;
    tcg_exec_end(cpu);
    return ret;
}

/* ---- debugging ---- */

static void debug_update_active(TCGCPU *cpu)
{
    TCGCPUDebug *d = &cpu->debug;

    d->active = d->step || d->nb_bp[TCG_BREAK_SW] || d->nb_bp[TCG_BREAK_HW];
}

void tcg_cpu_debug_set_breaks(TCGCPU *cpu, TCGDebugBreak kind, const uint64_t *pcs, int n)
{
    TCGCPUDebug *d = &cpu->debug;

    g_free(d->bp[kind]);
    d->bp[kind] = n ? g_memdup2(pcs, n * sizeof(*pcs)) : NULL;
    d->nb_bp[kind] = n;
    debug_update_active(cpu);
}

void tcg_cpu_debug_set_step(TCGCPU *cpu, bool on)
{
    cpu->debug.step = on;
    cpu->debug.step_running = false;
    debug_update_active(cpu);
}

TCGDebugStop tcg_cpu_debug_stop(TCGCPU *cpu, TCGDebugBreak *kind, int *index, uint64_t *pc)
{
    const TCGCPUDebug *d = &cpu->debug;

    *kind = d->stop_kind;
    *index = d->stop_index;
    *pc = d->stop_pc;
    return d->stop;
}

static int debug_stop(TCGCPU *cpu, TCGDebugStop why, TCGDebugBreak kind, int index,
                      uint64_t pc)
{
    TCGCPUDebug *d = &cpu->debug;

    d->stop = why;
    d->stop_kind = kind;
    d->stop_index = index;
    d->stop_pc = pc;
    return CPU_EXIT_DEBUG;
}

/*
 * One turn of the loop with debugging on: stop at a breakpoint before its
 * instruction runs, else run a one-instruction block that returns here.
 * A step reports after its instruction whichever way it ended, also when a
 * helper unwound out of it by raising a guest exception. 0: keep going.
 */
static int cpu_exec_debug_one(TCGCPU *cpu)
{
    const TCGTargetOps *ops = cpu->ops;
    TCGCPUDebug *d = &cpu->debug;
    TranslationBlock *tb;
    uint32_t req, flags;
    uint64_t pc;

    if (d->step_running) {
        d->step_running = false;
        ops->get_tb_cpu_state(cpu->env, &pc, &flags);
        return debug_stop(cpu, TCG_DEBUG_STOP_STEP, TCG_BREAK_SW, -1, pc);
    }
    /* A stepped instruction must not land in an interrupt handler. */
    req = g_atomic_int_get(&cpu->cs->interrupt_request);
    if (req && !d->step && ops->exec_interrupt) {
        ops->exec_interrupt(cpu, req);
    }
    ops->get_tb_cpu_state(cpu->env, &pc, &flags);
    /* A step runs the instruction it starts on even with a breakpoint there. */
    for (int k = 0; k < TCG_BREAK_KINDS && !d->step; k++) {
        for (int i = 0; i < d->nb_bp[k]; i++) {
            if (d->bp[k][i] == pc) {
                return debug_stop(cpu, TCG_DEBUG_STOP_BREAK, k, i, pc);
            }
        }
    }
    tb = tb_lookup_or_gen(cpu, pc, flags | TB_FLAG_DEBUG);
    d->step_running = d->step;
    tcg_exec(tcg_state.gen, cpu->env, tb->code.code);
    d->step_running = false;
    if (!d->step) {
        return 0;
    }
    ops->get_tb_cpu_state(cpu->env, &pc, &flags);
    /* A kick at the block's entry check: nothing ran, the loop returns. */
    if (__atomic_load_n(&cpu->exit_flag, __ATOMIC_RELAXED) && pc == tb->pc) {
        return 0;
    }
    return debug_stop(cpu, TCG_DEBUG_STOP_STEP, TCG_BREAK_SW, -1, pc);
}
