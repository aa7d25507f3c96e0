/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory helpers that must be atomic with respect to other vCPU threads:
 * the store-exclusive (compare-and-swap against the value the
 * load-exclusive saw, so an intervening write by another CPU makes it
 * fail), the LSE atomics, CAS/CASP and DC ZVA. They work on the host page
 * through tcg_cpu_probe_host (which also invalidates translated code on the
 * page); MMIO falls back to separate load and store.
 */
#include <string.h>

#include "target/arm/helper.h"
#include "target/arm/internals.h"

static bool cmpxchg16(void *p, uint64_t *lo, uint64_t *hi, uint64_t new_lo, uint64_t new_hi)
{
    bool ok;

    __asm__ volatile("lock cmpxchg16b %1"
                     : "=@ccz"(ok), "+m"(*(volatile __int128 *)p), "+a"(*lo), "+d"(*hi)
                     : "b"(new_lo), "c"(new_hi)
                     : "memory");
    return ok;
}

/* Compare-and-swap of size bytes at host; returns the old value. */
static uint64_t host_cmpxchg(void *host, unsigned size, uint64_t expected, uint64_t val)
{
    switch (size) {
    case 1: {
        uint8_t e = (uint8_t)expected;
        __atomic_compare_exchange_n((uint8_t *)host, &e, (uint8_t)val, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return e;
    }
    case 2: {
        uint16_t e = (uint16_t)expected;
        __atomic_compare_exchange_n((uint16_t *)host, &e, (uint16_t)val, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return e;
    }
    case 4: {
        uint32_t e = (uint32_t)expected;
        __atomic_compare_exchange_n((uint32_t *)host, &e, (uint32_t)val, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return e;
    }
    default: {
        uint64_t e = expected;
        __atomic_compare_exchange_n((uint64_t *)host, &e, val, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return e;
    }
    }
}

static uint64_t size_mask(unsigned size)
{
    return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static void check_aligned(CPUARMState *env, uint64_t addr, unsigned size, bool is_write,
                          uintptr_t ra)
{
    if (addr & (size - 1)) {
        arm_raise_data_abort(env, addr, is_write, ARM_FSC_ALIGN, ra);
    }
}

uint64_t helper_stxr(void *opaque, uint64_t addr, uint64_t lo, uint64_t hi, uint64_t desc)
{
    CPUARMState *env = opaque;
    uintptr_t ra = GETPC();
    bool pair = desc & 8;
    unsigned size = pair ? 16 : 1u << (desc & 7);
    int mmu_idx = (desc >> 8) & 15;
    uint64_t monitor = env->exclusive_addr;
    void *host;

    check_aligned(env, addr, size, true, ra);
    env->exclusive_addr = ~0ull;
    if (monitor != addr) {
        return 1;
    }
    host = tcg_cpu_probe_host(&env->tcg, addr, size, MMU_DATA_STORE, mmu_idx, ra);
    if (pair) {
        uint64_t olo = env->exclusive_val, ohi = env->exclusive_high;
        if (host) {
            return cmpxchg16(host, &olo, &ohi, lo, hi) ? 0 : 1;
        }
        if (tcg_cpu_load(&env->tcg, addr, MO_UQ, mmu_idx, ra) != olo ||
            tcg_cpu_load(&env->tcg, addr + 8, MO_UQ, mmu_idx, ra) != ohi) {
            return 1;
        }
        tcg_cpu_store(&env->tcg, addr, lo, MO_UQ, mmu_idx, ra);
        tcg_cpu_store(&env->tcg, addr + 8, hi, MO_UQ, mmu_idx, ra);
        return 0;
    }
    uint64_t expected = env->exclusive_val & size_mask(size);
    if (host) {
        return host_cmpxchg(host, size, expected, lo) == expected ? 0 : 1;
    }
    MemOp mop = (MemOp)(desc & 7);
    if (tcg_cpu_load(&env->tcg, addr, mop, mmu_idx, ra) != expected) {
        return 1;
    }
    tcg_cpu_store(&env->tcg, addr, lo, mop, mmu_idx, ra);
    return 0;
}

static uint64_t sext(uint64_t v, unsigned size)
{
    unsigned shift = 64 - 8 * size;
    return (uint64_t)((int64_t)(v << shift) >> shift);
}

static uint64_t atomic_apply(int op, uint64_t old, uint64_t v, unsigned size)
{
    uint64_t m = size_mask(size);

    old &= m;
    v &= m;
    switch (op) {
    case ARM_ATOMIC_ADD:
        return (old + v) & m;
    case ARM_ATOMIC_CLR:
        return old & ~v;
    case ARM_ATOMIC_EOR:
        return old ^ v;
    case ARM_ATOMIC_SET:
        return old | v;
    case ARM_ATOMIC_SMAX:
        return (int64_t)sext(old, size) > (int64_t)sext(v, size) ? old : v;
    case ARM_ATOMIC_SMIN:
        return (int64_t)sext(old, size) < (int64_t)sext(v, size) ? old : v;
    case ARM_ATOMIC_UMAX:
        return old > v ? old : v;
    case ARM_ATOMIC_UMIN:
        return old < v ? old : v;
    default:
        return v;   /* SWP */
    }
}

static uint64_t host_load(void *host, unsigned size)
{
    switch (size) {
    case 1:
        return __atomic_load_n((uint8_t *)host, __ATOMIC_RELAXED);
    case 2:
        return __atomic_load_n((uint16_t *)host, __ATOMIC_RELAXED);
    case 4:
        return __atomic_load_n((uint32_t *)host, __ATOMIC_RELAXED);
    default:
        return __atomic_load_n((uint64_t *)host, __ATOMIC_RELAXED);
    }
}

uint64_t helper_atomic(void *opaque, uint64_t addr, uint64_t val, uint64_t desc)
{
    CPUARMState *env = opaque;
    uintptr_t ra = GETPC();
    unsigned size = 1u << (desc & 7);
    int op = (desc >> 4) & 15;
    int mmu_idx = (desc >> 8) & 15;
    void *host;
    uint64_t old;

    check_aligned(env, addr, size, true, ra);
    host = tcg_cpu_probe_host(&env->tcg, addr, size, MMU_DATA_STORE, mmu_idx, ra);
    if (!host) {
        old = tcg_cpu_load(&env->tcg, addr, (MemOp)(desc & 7), mmu_idx, ra);
        tcg_cpu_store(&env->tcg, addr, atomic_apply(op, old, val, size), (MemOp)(desc & 7),
                      mmu_idx, ra);
        return old;
    }
    old = host_load(host, size);
    for (;;) {
        uint64_t seen = host_cmpxchg(host, size, old, atomic_apply(op, old, val, size));
        if (seen == old) {
            return old;
        }
        old = seen;
    }
}

uint64_t helper_cas(void *opaque, uint64_t addr, uint64_t expected, uint64_t val,
                    uint64_t desc)
{
    CPUARMState *env = opaque;
    uintptr_t ra = GETPC();
    unsigned size = 1u << (desc & 7);
    int mmu_idx = (desc >> 8) & 15;
    uint64_t m = size_mask(size);
    void *host;
    uint64_t old;

    check_aligned(env, addr, size, true, ra);
    host = tcg_cpu_probe_host(&env->tcg, addr, size, MMU_DATA_STORE, mmu_idx, ra);
    if (host) {
        return host_cmpxchg(host, size, expected & m, val & m);
    }
    old = tcg_cpu_load(&env->tcg, addr, (MemOp)(desc & 7), mmu_idx, ra);
    if (old == (expected & m)) {
        tcg_cpu_store(&env->tcg, addr, val, (MemOp)(desc & 7), mmu_idx, ra);
    }
    return old;
}

void helper_casp(void *opaque, uint64_t addr, uint64_t cmp_lo, uint64_t cmp_hi,
                 uint64_t new_lo, uint64_t new_hi)
{
    CPUARMState *env = opaque;
    uintptr_t ra = GETPC();
    int mmu_idx = arm_current_el(env);
    void *host;

    check_aligned(env, addr, 16, true, ra);
    host = tcg_cpu_probe_host(&env->tcg, addr, 16, MMU_DATA_STORE, mmu_idx, ra);
    if (host) {
        cmpxchg16(host, &cmp_lo, &cmp_hi, new_lo, new_hi);
        env->scratch[0] = cmp_lo;
        env->scratch[1] = cmp_hi;
        return;
    }
    uint64_t lo = tcg_cpu_load(&env->tcg, addr, MO_UQ, mmu_idx, ra);
    uint64_t hi = tcg_cpu_load(&env->tcg, addr + 8, MO_UQ, mmu_idx, ra);
    if (lo == cmp_lo && hi == cmp_hi) {
        tcg_cpu_store(&env->tcg, addr, new_lo, MO_UQ, mmu_idx, ra);
        tcg_cpu_store(&env->tcg, addr + 8, new_hi, MO_UQ, mmu_idx, ra);
    }
    env->scratch[0] = lo;
    env->scratch[1] = hi;
}

void helper_dc_zva(void *opaque, uint64_t addr, uint64_t mmu_idx)
{
    CPUARMState *env = opaque;
    uintptr_t ra = GETPC();
    unsigned block = 4u << env->id.dczid;     /* DCZID.BS is log2 of words */
    uint64_t base = addr & ~(uint64_t)(block - 1);
    void *host = tcg_cpu_probe_host(&env->tcg, base, block, MMU_DATA_STORE, (int)mmu_idx, ra);

    if (host) {
        memset(host, 0, block);
        return;
    }
    for (unsigned i = 0; i < block; i += 8) {
        tcg_cpu_store(&env->tcg, base + i, 0, MO_UQ, (int)mmu_idx, ra);
    }
}
