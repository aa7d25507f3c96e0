/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stage-1 address translation of the AArch64 EL1&0 regime (Arm ARM D8,
 * "The AArch64 Virtual Memory System Architecture"): TTBR0/TTBR1 selection
 * by the top VA bits (with top-byte-ignore), 4K/16K/64K granules with any
 * T0SZ/T1SZ the granule allows, table and block/page descriptors, the
 * hierarchical APTable/XNTable controls, the access flag, AP/UXN/PXN/WXN
 * permissions and PAN. The softmmu TLB caches the result per MMU index and
 * holds no ASIDs: TTBR/TCR/SCTLR writes and every TLBI flush it whole (see
 * helper.c), so nothing here needs to know about ASIDs or nG. Hardware
 * access-flag and dirty-state management (FEAT_HAFDBS) is not advertised:
 * AF = 0 faults for the OS to handle.
 */
#include <inttypes.h>

#include "system/memory.h"
#include "target/arm/internals.h"
#include "util/log.h"

/* TCR_EL1 fields. */
#define TCR_EPD0 (1ull << 7)
#define TCR_EPD1 (1ull << 23)
#define TCR_TBI0 (1ull << 37)
#define TCR_TBI1 (1ull << 38)

/* Descriptor bits. */
#define DESC_AF      (1ull << 10)
#define DESC_AP1     (1ull << 6)    /* EL0 access */
#define DESC_AP2     (1ull << 7)    /* read-only */
#define DESC_PXN     (1ull << 53)
#define DESC_UXN     (1ull << 54)
#define TABLE_PXN    (1ull << 59)
#define TABLE_UXN    (1ull << 60)
#define TABLE_AP1    (1ull << 61)   /* no EL0 access below */
#define TABLE_AP2    (1ull << 62)   /* no write access below */
#define OA_MASK      0x0000fffffffff000ull   /* 48-bit output addresses */

/* A table descriptor or leaf from physical memory; false on a bus error. */
static bool read_desc(uint64_t pa, uint64_t *desc)
{
    uint64_t xlat, plen;
    MemoryRegion *mr = address_space_translate(address_space_memory(), pa, &xlat, &plen, false);

    if (mr && memory_region_is_ram(mr) && plen >= 8) {
        uint64_t *p = (uint64_t *)((uint8_t *)memory_region_get_ram_ptr(mr) + xlat);
        /* Another vCPU may be writing the table: one single-copy-atomic read. */
        *desc = __atomic_load_n(p, __ATOMIC_RELAXED);
        return true;
    }
    return address_space_rw(address_space_memory(), pa, desc, 8, false) == MEMTX_OK;
}

/* The granule's page-offset bits from TCR.TG0 or TCR.TG1 (reserved values: 4K). */
static unsigned granule_bits(uint64_t tcr, bool ttbr1)
{
    static const uint8_t tg0[4] = { 12, 16, 14, 12 };   /* 4K, 64K, 16K */
    static const uint8_t tg1[4] = { 12, 14, 12, 16 };   /* -, 16K, 4K, 64K */

    return ttbr1 ? tg1[(tcr >> 30) & 3] : tg0[(tcr >> 14) & 3];
}

static void fault(ARMTranslation *t, uint32_t fsc_base, int level)
{
    t->fsc = fsc_base + (uint32_t)(level < 0 ? 0 : level);
    t->level = level;
}

bool arm_mmu_translate(CPUARMState *env, uint64_t va, MMUAccessType access, int mmu_idx,
                       ARMTranslation *t)
{
    uint64_t tcr = env->sys.tcr_el1, sctlr = env->sys.sctlr_el1;
    bool user = mmu_idx == ARM_MMU_IDX_EL0;
    bool ttbr1, tbi;
    unsigned tsz, g, stride, inputsize;
    int level, start_level;
    uint64_t table, desc = 0, table_attrs = 0;

    t->fsc = 0;
    t->level = 0;
    if (!(sctlr & SCTLR_M)) {
        /* MMU off: flat within the implemented 48-bit physical space. */
        if (va >> 48) {
            fault(t, ARM_FSC_ADDR_SIZE_L0, 0);
            return false;
        }
        t->pa = va;
        t->page_bits = 12;
        t->prot = ARM_PROT_READ | ARM_PROT_WRITE | ARM_PROT_EXEC;
        return true;
    }

    ttbr1 = (va >> 55) & 1;
    tbi = (tcr & (ttbr1 ? TCR_TBI1 : TCR_TBI0)) != 0;
    tsz = ttbr1 ? (tcr >> 16) & 0x3f : tcr & 0x3f;
    /* T0SZ/T1SZ outside 16..39 behave as the nearest bound (no FEAT_TTST, FEAT_LVA). */
    tsz = tsz < 16 ? 16 : tsz > 39 ? 39 : tsz;
    inputsize = 64 - tsz;
    {
        /* VA bits above the input size must all equal bit 55 (top byte excepted with TBI). */
        unsigned top = tbi ? 56 : 64;
        uint64_t hi = (va & (top == 64 ? ~0ull : (1ull << top) - 1)) >> inputsize;
        uint64_t want = ttbr1 ? (1ull << (top - inputsize)) - 1 : 0;
        if (hi != want || (tcr & (ttbr1 ? TCR_EPD1 : TCR_EPD0))) {
            fault(t, ARM_FSC_TRANSLATION_L0, 0);
            return false;
        }
    }

    g = granule_bits(tcr, ttbr1);
    stride = g - 3;
    /* The first level resolves what the lower levels do not: 4 - ceil((in - g) / stride). */
    start_level = 4 - (int)((inputsize - g + stride - 1) / stride);
    {
        unsigned first_bits = inputsize - (g + (unsigned)(3 - start_level) * stride);
        uint64_t ttbr = ttbr1 ? env->sys.ttbr1_el1 : env->sys.ttbr0_el1;
        uint64_t align = MAX(8ull << first_bits, 64);

        /* BADDR is TTBR[47:1]; bits below the first table's size are RES0. */
        table = ttbr & 0x0000fffffffffffeull & ~(align - 1);
        for (level = start_level;; level++) {
            unsigned shift = g + (unsigned)(3 - level) * stride;
            unsigned bits = level == start_level ? first_bits : stride;
            uint64_t index = (va >> shift) & ((1ull << bits) - 1);
            uint64_t type;

            if (!read_desc(table + index * 8, &desc)) {
                fault(t, ARM_FSC_SYNC_EXTERNAL_WALK_L0, level);
                return false;
            }
            type = desc & 3;
            if (level < 3 && type == 3) {
                /* Table: hierarchical controls accumulate, next level below. */
                table_attrs |= desc & (TABLE_PXN | TABLE_UXN | TABLE_AP1 | TABLE_AP2);
                table = desc & OA_MASK & ~((1ull << g) - 1);
                continue;
            }
            if (level == 3 ? type != 3 : type != 1) {
                fault(t, ARM_FSC_TRANSLATION_L0, level);
                return false;
            }
            /* Blocks: level 1 only with 4K, level 2 with any granule; never level 0. */
            if (level < 3 && (level == 0 || (level == 1 && g != 12))) {
                fault(t, ARM_FSC_TRANSLATION_L0, level);
                return false;
            }
            t->pa = (desc & OA_MASK & ~((1ull << shift) - 1)) | (va & ((1ull << shift) - 1));
            t->level = level;
            t->page_bits = shift;
            break;
        }
    }

    if (!(desc & DESC_AF)) {
        fault(t, ARM_FSC_ACCESS_FLAG_L0, level);
        return false;
    }

    /* Permissions (D8.4): AP[2:1] with APTable, then execute-never. */
    {
        bool el0_ok = (desc & DESC_AP1) && !(table_attrs & TABLE_AP1);
        bool ro = (desc & DESC_AP2) || (table_attrs & TABLE_AP2);
        bool uxn = (desc & DESC_UXN) || (table_attrs & TABLE_UXN);
        bool pxn = (desc & DESC_PXN) || (table_attrs & TABLE_PXN);
        int prot = 0;

        if (user) {
            if (el0_ok) {
                prot = ARM_PROT_READ | (ro ? 0 : ARM_PROT_WRITE);
            }
            if (!uxn) {
                prot |= ARM_PROT_EXEC;
            }
        } else {
            prot = ARM_PROT_READ | (ro ? 0 : ARM_PROT_WRITE);
            if (mmu_idx == ARM_MMU_IDX_EL1_PAN && el0_ok && access != MMU_INST_FETCH) {
                prot &= ~(ARM_PROT_READ | ARM_PROT_WRITE);
            }
            /* Memory EL0 can write is never executable at EL1. */
            if (!pxn && !(el0_ok && !ro)) {
                prot |= ARM_PROT_EXEC;
            }
        }
        if ((sctlr & SCTLR_WXN) && (prot & ARM_PROT_WRITE)) {
            prot &= ~ARM_PROT_EXEC;
        }
        t->prot = prot;
    }
    {
        int need = access == MMU_DATA_STORE ? ARM_PROT_WRITE :
                   access == MMU_INST_FETCH ? ARM_PROT_EXEC : ARM_PROT_READ;
        if (!(t->prot & need)) {
            fault(t, ARM_FSC_PERMISSION_L0, level);
            return false;
        }
    }
    return true;
}

uint64_t arm_mmu_at(CPUARMState *env, uint64_t va, bool is_write, int mmu_idx)
{
    ARMTranslation t;

    if (arm_mmu_translate(env, va, is_write ? MMU_DATA_STORE : MMU_DATA_LOAD, mmu_idx, &t)) {
        /* PAR_EL1 success: PA, inner/outer write-back attributes, inner shareable. */
        return (t.pa & OA_MASK) | (0xffull << 56) | (3ull << 7);
    }
    /* F = 1, FST, S = 0 (stage 1). */
    return 1 | ((uint64_t)(t.fsc & 0x3f) << 1) | (1ull << 11);
}
