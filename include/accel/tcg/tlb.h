/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The softmmu TLB as seen by translated code: a direct-mapped table of
 * power-of-two entries per MMU index, reachable at a fixed offset from env.
 * A CPU state struct embeds CPUTLB and tells the code generator its offset
 * (TCGConfig.tlb_offset). An entry stores page tags per access kind and
 * addend = host_ptr - guest_page, so a hit is one compare and one add.
 * Any low bit set in a tag (e.g. TLB_INVALID_ADDR, or flags a target adds
 * for MMIO/watchpoints) makes the compare fail and sends the access to the
 * target's slow path.
 *
 * The inline functions here are the C reference of the generated fast path;
 * the IR interpreter uses them, so both agree on what is a hit.
 */
#ifndef ACCEL_TCG_TLB_H
#define ACCEL_TCG_TLB_H

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "accel/tcg/ir.h"

#define TLB_ENTRY_BITS 5
#define TLB_MAX_MMU_MODES (1u << IR_MMU_IDX_BITS)
#define TLB_INVALID_ADDR UINT64_MAX

typedef struct TLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} TLBEntry;

G_STATIC_ASSERT(sizeof(TLBEntry) == 1u << TLB_ENTRY_BITS);

typedef struct TLBFast {
    uintptr_t mask;     /* (nb_entries - 1) << TLB_ENTRY_BITS */
    TLBEntry *table;
} TLBFast;

typedef struct CPUTLB {
    TLBFast f[TLB_MAX_MMU_MODES];
} CPUTLB;

/*
 * Slow paths supplied by the target. load_slow returns the value as the
 * guest access produces it: byte order applied, sign- or zero-extended to
 * 64 bits per memop. store_slow takes the value in its low bytes. Either
 * may raise a guest exception by unwinding out of tcg_exec; retaddr is the
 * host address in the block right after the access (0 from the interpreter).
 */
typedef struct TCGTlbHooks {
    uint64_t (*load_slow)(void *env, uint64_t addr, MemOp memop,
                          unsigned mmu_idx, uintptr_t retaddr);
    void (*store_slow)(void *env, uint64_t addr, uint64_t val, MemOp memop,
                       unsigned mmu_idx, uintptr_t retaddr);
} TCGTlbHooks;

static inline TLBEntry *tlb_entry(CPUTLB *tlb, unsigned mmu_idx,
                                  uint64_t addr, unsigned page_bits)
{
    TLBFast *f = &tlb->f[mmu_idx];
    uintptr_t ofs = (addr >> (page_bits - TLB_ENTRY_BITS)) & f->mask;
    return (TLBEntry *)((uintptr_t)f->table + ofs);
}

/*
 * The value compared with an entry's tag: the page of the access with the
 * alignment bits kept, so a misaligned address never matches, and an
 * unaligned access that may cross a page moved to its last byte's page.
 */
static inline uint64_t tlb_compare_value(uint64_t addr, MemOp mop,
                                         unsigned page_bits)
{
    unsigned a_bits = memop_alignment_bits(mop);
    unsigned s_bits = mop & MO_SIZE;
    uint64_t a_mask = (1ull << a_bits) - 1;
    uint64_t s_mask = (1ull << s_bits) - 1;
    uint64_t page_mask = ~((1ull << page_bits) - 1);

    if (a_bits < s_bits) {
        addr += s_mask - a_mask;
    }
    return addr & (page_mask | a_mask);
}

/* Host pointer for a hit, NULL for a miss. */
static inline void *tlb_lookup(CPUTLB *tlb, uint64_t addr, MemOp mop,
                               unsigned mmu_idx, bool is_store,
                               unsigned page_bits)
{
    TLBEntry *e = tlb_entry(tlb, mmu_idx, addr, page_bits);
    uint64_t tag = is_store ? e->addr_write : e->addr_read;

    if (tag != tlb_compare_value(addr, mop, page_bits)) {
        return NULL;
    }
    return (void *)(uintptr_t)(addr + e->addend);
}

/* Invalidate every entry of one MMU index. */
static inline void tlb_flush_mmu(CPUTLB *tlb, unsigned mmu_idx)
{
    TLBFast *f = &tlb->f[mmu_idx];
    if (f->table) {
        memset(f->table, 0xff, f->mask + (1u << TLB_ENTRY_BITS));
    }
}

/* Map one guest page (read/write as allowed) to host memory. */
static inline void tlb_set_page(CPUTLB *tlb, unsigned mmu_idx, uint64_t vaddr,
                                void *host, bool readable, bool writable,
                                unsigned page_bits)
{
    uint64_t page = vaddr & ~((1ull << page_bits) - 1);
    TLBEntry *e = tlb_entry(tlb, mmu_idx, page, page_bits);

    e->addr_read = readable ? page : TLB_INVALID_ADDR;
    e->addr_write = writable ? page : TLB_INVALID_ADDR;
    e->addr_code = readable ? page : TLB_INVALID_ADDR;
    e->addend = (uintptr_t)host - (uintptr_t)page;
}

#endif
