/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86 guest page-table walk for debuggers and monitors: linear address to
 * physical address under the paging mode that CR0, CR4 and EFER select
 * (none, 32-bit with PSE, PAE, 4-level and 5-level long mode). Accessed and
 * dirty bits are left alone and permissions are not checked: a debugger
 * may look at supervisor and read-only pages.
 */
#ifndef TARGET_I386_PAGEWALK_H
#define TARGET_I386_PAGEWALK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct X86PagingState {
    uint64_t cr0, cr3, cr4, efer;
} X86PagingState;

/* Reads a page-table entry of size 4 or 8 at paddr; false if unreadable. */
typedef bool (*X86PhysReadFunc)(void *opaque, uint64_t paddr, uint64_t *val,
                                unsigned size);

/*
 * Translate vaddr. *paddr gets the physical address and *page_size the
 * size of the page or large page that maps it (4 KiB without paging).
 * False when vaddr is not mapped, not canonical, or a table is unreadable.
 */
bool x86_paging_translate(const X86PagingState *st, uint64_t vaddr,
                          X86PhysReadFunc read, void *opaque,
                          uint64_t *paddr, uint64_t *page_size);

#endif
