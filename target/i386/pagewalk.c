/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86 linear-to-physical translation by walking the guest's page tables in
 * guest memory, as the gdb stub and the monitor need it. All four paging
 * modes share one loop over levels: each level consumes 9 (or 10 for
 * 32-bit tables) bits of the address and may end the walk with a large
 * page when its PS bit is set.
 */
#include "target/i386/pagewalk.h"

#define CR0_PG      (1ull << 31)
#define CR4_PSE     (1ull << 4)
#define CR4_PAE     (1ull << 5)
#define CR4_LA57    (1ull << 12)
#define EFER_LMA    (1ull << 10)

#define PTE_P       (1ull << 0)
#define PTE_PS      (1ull << 7)
#define ADDR_MASK   0x000ffffffffff000ull   /* bits 51:12 */

static bool pse36_large_page(uint64_t pde, uint64_t vaddr, uint64_t *paddr)
{
    /* 4 MiB page: bits 31:22 of the base, 39:32 from PDE bits 20:13. */
    uint64_t base = (pde & 0xffc00000ull) | (((pde >> 13) & 0xffull) << 32);

    *paddr = base | (vaddr & 0x3fffffull);
    return true;
}

bool x86_paging_translate(const X86PagingState *st, uint64_t vaddr,
                          X86PhysReadFunc read, void *opaque,
                          uint64_t *paddr, uint64_t *page_size)
{
    uint64_t table, entry;
    int levels, shift;

    if (!(st->cr0 & CR0_PG)) {
        *paddr = vaddr & 0xffffffffull;
        *page_size = 4096;
        return true;
    }

    if (!(st->cr4 & CR4_PAE)) {
        /* 32-bit paging: 1024-entry directory and tables of 4-byte entries. */
        uint32_t va = (uint32_t)vaddr;
        uint64_t pde, pte;

        if (!read(opaque, (st->cr3 & 0xfffff000ull) + ((va >> 22) << 2), &pde, 4) ||
            !(pde & PTE_P)) {
            return false;
        }
        pde &= 0xffffffffull;
        if ((pde & PTE_PS) && (st->cr4 & CR4_PSE)) {
            *page_size = 4u << 20;
            return pse36_large_page(pde, va, paddr);
        }
        if (!read(opaque, (pde & 0xfffff000ull) + (((va >> 12) & 0x3ff) << 2), &pte, 4) ||
            !(pte & PTE_P)) {
            return false;
        }
        *paddr = (pte & 0xfffff000ull) | (va & 0xfff);
        *page_size = 4096;
        return true;
    }

    if (st->efer & EFER_LMA) {
        int bits = (st->cr4 & CR4_LA57) ? 57 : 48;
        int64_t sext = (int64_t)(vaddr << (64 - bits)) >> (64 - bits);

        if ((uint64_t)sext != vaddr) {
            return false;       /* not canonical */
        }
        levels = (st->cr4 & CR4_LA57) ? 5 : 4;
        table = st->cr3 & ADDR_MASK;
    } else {
        /* PAE: a 4-entry PDPT selected by bits 31:30, then two levels. */
        uint64_t pdpte;

        vaddr &= 0xffffffffull;
        if (!read(opaque, (st->cr3 & 0xffffffe0ull) + ((vaddr >> 30) << 3), &pdpte, 8) ||
            !(pdpte & PTE_P)) {
            return false;
        }
        levels = 2;
        table = pdpte & ADDR_MASK;
    }

    shift = 12 + 9 * (levels - 1);
    for (int level = levels; level >= 1; level--, shift -= 9) {
        uint64_t index = (vaddr >> shift) & 0x1ff;

        if (!read(opaque, table + index * 8, &entry, 8) || !(entry & PTE_P)) {
            return false;
        }
        /* PS is meaningful in PDEs (2 MiB) and PDPTEs (1 GiB) only. */
        if (level == 1 || ((level == 2 || level == 3) && (entry & PTE_PS))) {
            uint64_t size = 1ull << shift;
            uint64_t base = entry & ADDR_MASK & ~(size - 1);

            *paddr = base | (vaddr & (size - 1));
            *page_size = size;
            return true;
        }
        table = entry & ADDR_MASK;
    }
    return false;
}
