/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PMUv3 of the AArch64 CPU (pmu.c): its system registers, found by the
 * MRS/MSR translator through arm_pmu_sysreg_lookup and accessed at run time
 * through arm_pmu_read/arm_pmu_write, and its overflow interrupt (a PPI).
 */
#ifndef TARGET_ARM_PMU_H
#define TARGET_ARM_PMU_H

#include <stdbool.h>
#include <stdint.h>

#include "target/arm/internals.h"

typedef struct IrqLine IrqLine;

/* Allocate env->pmu; irq is the overflow PPI (NULL without a GIC). */
void arm_pmu_init(CPUARMState *env, IrqLine *irq);
/* Architectural reset values (from arm_cpu_reset). */
void arm_pmu_reset(CPUARMState *env);
/*
 * Optional: the CPU may have just changed exception level (exception
 * entry or ERET); old_el is where it was. Lets counters whose
 * PMEVTYPER/PMCCFILTR P and U bits differ charge the time so far to the
 * right EL; cheap when the EL is unchanged or no enabled counter filters
 * by EL. Without calls, the time between two PMU accesses is charged to
 * the EL current at the later one.
 */
void arm_pmu_el_change(CPUARMState *env, unsigned old_el);
/*
 * A PMU register for key (ARM_SYSREG encoding): fill *out (kind SR_HELPER,
 * access bits) and return true; false if key is not a PMU register.
 */
bool arm_pmu_sysreg_lookup(uint32_t key, ARMSysReg *out);
/* MRS/MSR of a PMU register; ra is the helper's GETPC() for traps. */
uint64_t arm_pmu_read(CPUARMState *env, uint32_t key, uintptr_t ra);
void arm_pmu_write(CPUARMState *env, uint32_t key, uint64_t val, uintptr_t ra);

#endif
