/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What GICv2 and GICv3 share: the numbering of their input lines (SPIs
 * first, then 32 private lines per CPU) and the per-CPU IRQ/FIQ outputs,
 * so that boards and the CPU side wire either version the same way.
 */
#include "hw/intc/arm_gic.h"

static ArmGicCommon *gic_common(DeviceState *gic)
{
    g_assert(device_is_a(gic, TYPE_ARM_GICV3) || device_is_a(gic, TYPE_ARM_GICV2));
    return (ArmGicCommon *)gic;
}

IrqLine *arm_gic_spi(DeviceState *gic, int n)
{
    ArmGicCommon *c = gic_common(gic);

    g_assert(n >= 0 && n < (int)c->num_irq - GIC_INTERNAL);
    return device_gpio_in(gic, n);
}

IrqLine *arm_gic_ppi(DeviceState *gic, int cpu, int intid)
{
    ArmGicCommon *c = gic_common(gic);

    g_assert(cpu >= 0 && cpu < (int)c->num_cpu);
    g_assert(intid >= GIC_NR_SGIS && intid < GIC_INTERNAL);
    return device_gpio_in(gic, c->num_irq - GIC_INTERNAL + cpu * GIC_INTERNAL + intid);
}

void arm_gic_connect_cpu(DeviceState *gic, int cpu, IrqLine *irq, IrqLine *fiq)
{
    ArmGicCommon *c = gic_common(gic);

    g_assert(cpu >= 0 && cpu < (int)c->num_cpu);
    device_connect_gpio_out_named(gic, "irq", cpu, irq);
    device_connect_gpio_out_named(gic, "fiq", cpu, fiq);
}

extern const DeviceClass arm_gicv3_class;
extern const DeviceClass arm_gicv2_class;

void arm_gic_register_devices(void)
{
    if (!device_class_find(arm_gicv3_class.name)) {
        device_class_register(&arm_gicv3_class);
    }
    if (!device_class_find(arm_gicv2_class.name)) {
        device_class_register(&arm_gicv2_class);
    }
}
