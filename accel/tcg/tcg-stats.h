/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-only views of the translator for the monitor: block and code buffer
 * counters (`info jit`), the softmmu TLB contents (`info tlb`) and a
 * debugger's virtual-to-physical lookup that never raises a guest fault
 * (`x`). Kept apart from the execution layer so that nothing on its hot
 * paths changes for them.
 */
#ifndef ACCEL_TCG_TCG_STATS_H
#define ACCEL_TCG_TCG_STATS_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct CPUState CPUState;

typedef struct TCGJitStats {
    uint64_t translated;        /* blocks translated since start */
    uint64_t invalidated;       /* blocks dropped by code writes */
    uint64_t chained;           /* direct jumps patched */
    uint64_t flushes;           /* whole-cache flushes */
    size_t live_tbs;            /* blocks usable now */
    size_t code_size;           /* code buffer bytes */
    size_t code_used;           /* bytes holding code (prologue included) */
    size_t vcpus;               /* vCPUs registered with the translator */
} TCGJitStats;

/* False (and *st zeroed) when the translator was never started. */
bool tcg_jit_stats_get(TCGJitStats *st);

/*
 * Append the valid TLB entries of cs, one per line: MMU index, virtual
 * page, physical page, r/w/x. False when cs is not a translator vCPU.
 * Call in cs's thread (run_on_cpu) or while the VM is stopped.
 */
bool tcg_tlb_dump(CPUState *cs, GString *out);

/*
 * The physical address of vaddr for cs's current data MMU index, through
 * the target's page walk with faults reported as false. Same thread rule.
 */
bool tcg_debug_translate(CPUState *cs, uint64_t vaddr, uint64_t *paddr);

#endif
