/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The generic timer: the system counter (CNTPCT/CNTVCT, 62.5 MHz, counting
 * guest time, so it stands still while the VM is paused) and, per CPU, the
 * EL1 physical and virtual timers (CNTP_*, CNTV_*; CNTVOFF is 0). A timer's
 * output, ENABLE && ISTATUS && !IMASK, is a level on the GIC's PPI of that
 * CPU (virt: 30 for CNTP, 27 for CNTV); a host timer on CLOCK_VIRTUAL fires
 * when the counter reaches the compare value. Everything here runs with the
 * BQL held, as the timer and GIC APIs require.
 */
#include "hw/core/irq.h"
#include "system/main-loop.h"
#include "system/timer.h"
#include "target/arm/internals.h"

#define CNT_NS_PER_TICK 16          /* 62.5 MHz */
#define CTL_ENABLE 1u
#define CTL_IMASK  2u
#define CTL_ISTATUS 4u

uint64_t arm_counter_now(void)
{
    return (uint64_t)clock_get_ns(TERN_CLOCK_VIRTUAL) / CNT_NS_PER_TICK;
}

static void gt_update(ARMGenericTimer *gt)
{
    uint64_t now = arm_counter_now();
    bool istatus = gt->cval <= now;
    bool level = (gt->ctl & CTL_ENABLE) && istatus && !(gt->ctl & CTL_IMASK);

    if (level != gt->level) {
        gt->level = level;
        irq_set(gt->irq, level);
    }
    if ((gt->ctl & CTL_ENABLE) && !istatus && gt->cval < (uint64_t)INT64_MAX / CNT_NS_PER_TICK) {
        timer_mod_ns(gt->timer, (int64_t)(gt->cval * CNT_NS_PER_TICK));
    } else {
        timer_del(gt->timer);
    }
}

static void gt_expired(void *opaque)
{
    gt_update(opaque);
}

void arm_gt_init(CPUARMState *env, IrqLine *phys_irq, IrqLine *virt_irq)
{
    for (int i = 0; i < ARM_GT_COUNT; i++) {
        ARMGenericTimer *gt = &env->gt[i];
        gt->irq = i == ARM_GT_PHYS ? phys_irq : virt_irq;
        gt->timer = timer_new_ns(TERN_CLOCK_VIRTUAL, gt_expired, gt);
    }
}

void arm_gt_reset(CPUARMState *env)
{
    bool had_bql = bql_locked();

    if (!had_bql) {
        bql_lock();
    }
    for (int i = 0; i < ARM_GT_COUNT; i++) {
        ARMGenericTimer *gt = &env->gt[i];
        gt->ctl = 0;
        gt->cval = 0;
        if (gt->timer) {
            gt_update(gt);
        }
    }
    if (!had_bql) {
        bql_unlock();
    }
}

uint64_t arm_gt_read(CPUARMState *env, int which, ARMGtReg reg)
{
    ARMGenericTimer *gt = &env->gt[which];
    uint64_t now = arm_counter_now();

    switch (reg) {
    case ARM_GT_CTL:
        return (gt->ctl & (CTL_ENABLE | CTL_IMASK)) | (gt->cval <= now ? CTL_ISTATUS : 0);
    case ARM_GT_CVAL:
        return gt->cval;
    default:    /* TVAL: the signed 32-bit distance to the compare value */
        return (uint32_t)(gt->cval - now);
    }
}

void arm_gt_write(CPUARMState *env, int which, ARMGtReg reg, uint64_t val)
{
    ARMGenericTimer *gt = &env->gt[which];
    bool had_bql = bql_locked();

    if (!had_bql) {
        bql_lock();
    }
    switch (reg) {
    case ARM_GT_CTL:
        gt->ctl = (uint32_t)val & (CTL_ENABLE | CTL_IMASK);
        break;
    case ARM_GT_CVAL:
        gt->cval = val;
        break;
    default:
        gt->cval = arm_counter_now() + (uint64_t)(int64_t)(int32_t)val;
        break;
    }
    if (gt->timer) {
        gt_update(gt);
    }
    if (!had_bql) {
        bql_unlock();
    }
}
