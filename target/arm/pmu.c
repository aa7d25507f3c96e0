/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PMUv3 (placeholder until the counters land): no registers, so every
 * PMU encoding stays UNDEFINED.
 */
#include "target/arm/pmu.h"

void arm_pmu_init(CPUARMState *env, IrqLine *irq)
{
    (void)env;
    (void)irq;
}

void arm_pmu_reset(CPUARMState *env)
{
    (void)env;
}

bool arm_pmu_sysreg_lookup(uint32_t key, ARMSysReg *out)
{
    (void)key;
    (void)out;
    return false;
}

uint64_t arm_pmu_read(CPUARMState *env, uint32_t key, uintptr_t ra)
{
    (void)env;
    (void)key;
    (void)ra;
    return 0;
}

void arm_pmu_write(CPUARMState *env, uint32_t key, uint64_t val, uintptr_t ra)
{
    (void)env;
    (void)key;
    (void)val;
    (void)ra;
}
