/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm Generic Interrupt Controllers for the virt board: GICv3 (distributor,
 * one redistributor per CPU, the CPU interface reached through system
 * registers) and GICv2 (distributor and a memory-mapped CPU interface, plus
 * the GICv2m MSI frame). Both present one security state (GICD_CTLR.DS = 1,
 * as QEMU's virt without secure=on): Group 0 interrupts signal FIQ, Group 1
 * interrupts signal IRQ. Priorities have 5 bits (32 levels), like GIC-500
 * and GIC-400.
 *
 * Lines, the same for both versions:
 *  - inputs: SPI n (INTID 32 + n) is arm_gic_spi(gic, n); the per-CPU
 *    private lines (PPIs, INTID 16..31: the generic timer's outputs) are
 *    arm_gic_ppi(gic, cpu, intid). Inputs are level lines: an
 *    edge-triggered interrupt (GICD_ICFGR) latches pending on a rising edge.
 *  - outputs: per CPU an IRQ and an FIQ line, high while the CPU interface
 *    has an interrupt the CPU should take (arm_gic_connect_cpu).
 *
 * What the CPU side (target/arm) must do, see also docs/arm.md:
 *  1. connect each CPU's IRQ/FIQ outputs to cpu_interrupt /
 *     cpu_reset_interrupt (CPU_INTERRUPT_HARD / CPU_INTERRUPT_FIQ);
 *  2. drive arm_gic_ppi(gic, cpu, ARM_GIC_PPI_*TIMER) from the generic
 *     timer's ISTATUS && ENABLE && !IMASK;
 *  3. GICv3 only: route MRS/MSR of the ICC_* registers (op0 3, op1 0, CRn 4
 *     or 12) to gicv3_cpuif_read/write, using gicv3_cpuif_reg_decode to
 *     recognise them (an unknown encoding stays UNDEFINED).
 * State is protected by the BQL: every call here, MMIO included, must be
 * made with it held (vCPU threads take it around system-register accesses
 * to the GIC as they do around MMIO).
 */
#ifndef HW_INTC_ARM_GIC_H
#define HW_INTC_ARM_GIC_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/core/device.h"

#define TYPE_ARM_GICV3          "arm-gicv3"
#define TYPE_ARM_GICV2          "arm-gic"

#define GIC_NR_SGIS             16
#define GIC_INTERNAL            32      /* SGIs + PPIs, banked per CPU */
#define GIC_MAX_IRQ             1020    /* INTIDs 1020..1023 are special */
#define GIC_SPURIOUS            1023
#define GIC_PRIO_MASK           0xf8    /* 5 implemented priority bits */

#define GICV3_DIST_SIZE         0x10000
#define GICV3_REDIST_SIZE       0x20000 /* per CPU: RD_base + SGI_base frames */
#define GICV2_DIST_SIZE         0x1000
#define GICV2_CPU_SIZE          0x2000  /* GICC_DIR is at 0x1000 */
#define GICV2M_SIZE             0x1000
#define GICV2_MAX_CPUS          8

/* PPIs (INTIDs) of the generic timer on the virt board, as QEMU wires them. */
enum {
    ARM_GIC_PPI_HYPTIMER = 26,
    ARM_GIC_PPI_VIRTTIMER = 27,
    ARM_GIC_PPI_SECTIMER = 29,
    ARM_GIC_PPI_PHYSTIMER = 30,
    ARM_GIC_PPI_MAINT = 25,
    ARM_GIC_PPI_PMU = 23,
};

/* What both versions start with; fields are read-only outside hw/intc. */
typedef struct ArmGicCommon {
    DeviceState parent;
    int revision;               /* 2 or 3 */
    uint32_t num_cpu;           /* property "num-cpu" */
    uint32_t num_irq;           /* property "num-irq": SPIs + 32, multiple of 32 */
    IrqLine **irq_out;          /* [num_cpu], gpio outputs "irq" */
    IrqLine **fiq_out;          /* [num_cpu], gpio outputs "fiq" */
} ArmGicCommon;

/* Input line of SPI n (INTID 32 + n). */
IrqLine *arm_gic_spi(DeviceState *gic, int n);
/* Input line of private interrupt intid (16..31) of cpu. */
IrqLine *arm_gic_ppi(DeviceState *gic, int cpu, int intid);
/* Wire cpu's IRQ and FIQ outputs (either may be NULL). */
void arm_gic_connect_cpu(DeviceState *gic, int cpu, IrqLine *irq, IrqLine *fiq);

/* ---- GICv3 ---------------------------------------------------------- */

typedef struct GICv3State GICv3State;

/* Up to this many redistributor regions (virt: low region, then high). */
#define GICV3_MAX_REDIST_REGIONS 2

typedef struct GICv3Config {
    uint32_t num_cpu;                   /* 1..512 */
    uint32_t num_irq;                   /* 64..1020 rounded to 32; 0: 288 */
    /* MPIDR affinity of each CPU: Aff3 << 32 | Aff2 << 16 | Aff1 << 8 | Aff0. */
    const uint64_t *cpu_affinity;       /* NULL: Aff0 = cpu % 16, Aff1 = cpu / 16 */
    uint64_t dist_base;
    /* Redistributor frames for CPUs in order, region by region. */
    uint64_t redist_base[GICV3_MAX_REDIST_REGIONS];
    uint32_t redist_count[GICV3_MAX_REDIST_REGIONS];   /* CPUs per region */
} GICv3Config;

/*
 * Create, realize and map a GICv3 on the system bus. The redistributor
 * counts must add up to num_cpu. Errors name the bad value.
 */
GICv3State *gicv3_create(const GICv3Config *cfg, GError **errp);
DeviceState *gicv3_device(GICv3State *s);
/* The GICv3 behind a device of TYPE_ARM_GICV3. */
GICv3State *gicv3_from_device(DeviceState *dev);

/* The CPU interface registers, as the CPU's MRS/MSR reach them. */
typedef enum GICv3CpuReg {
    ICC_PMR_EL1,
    ICC_IAR0_EL1, ICC_EOIR0_EL1, ICC_HPPIR0_EL1, ICC_BPR0_EL1, ICC_AP0R0_EL1,
    ICC_AP0R1_EL1, ICC_AP0R2_EL1, ICC_AP0R3_EL1,
    ICC_AP1R0_EL1, ICC_AP1R1_EL1, ICC_AP1R2_EL1, ICC_AP1R3_EL1,
    ICC_DIR_EL1, ICC_RPR_EL1, ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1,
    ICC_IAR1_EL1, ICC_EOIR1_EL1, ICC_HPPIR1_EL1, ICC_BPR1_EL1,
    ICC_CTLR_EL1, ICC_SRE_EL1, ICC_IGRPEN0_EL1, ICC_IGRPEN1_EL1,
    ICC__COUNT
} GICv3CpuReg;

/* MRS/MSR encoding -> register; false for anything that is not an ICC_*_EL1. */
bool gicv3_cpuif_reg_decode(int op0, int op1, int crn, int crm, int op2, GICv3CpuReg *reg);
/* Register name, "ICC_PMR_EL1" etc. */
const char *gicv3_cpuif_reg_name(GICv3CpuReg reg);
/* Whether the register may be read / written (IAR read-only, EOIR write-only...). */
bool gicv3_cpuif_reg_readable(GICv3CpuReg reg);
bool gicv3_cpuif_reg_writable(GICv3CpuReg reg);

/*
 * Access cpu's interface (BQL held). Reading a write-only register gives 0
 * and writing a read-only one is ignored (both logged as guest errors); the
 * CPU should have made them UNDEFINED through the two checks above.
 */
uint64_t gicv3_cpuif_read(GICv3State *s, int cpu, GICv3CpuReg reg);
void gicv3_cpuif_write(GICv3State *s, int cpu, GICv3CpuReg reg, uint64_t value);

/* ---- GICv2 ---------------------------------------------------------- */

typedef struct GICv2State GICv2State;

typedef struct GICv2Config {
    uint32_t num_cpu;                   /* 1..8 */
    uint32_t num_irq;                   /* 0: 288 */
    uint64_t dist_base, cpu_base;
    /* GICv2m MSI frame; v2m_spi_count 0: none. */
    uint64_t v2m_base;
    uint32_t v2m_spi_base;              /* first INTID, e.g. 80 */
    uint32_t v2m_spi_count;             /* e.g. 64 */
} GICv2Config;

GICv2State *gicv2_create(const GICv2Config *cfg, GError **errp);
DeviceState *gicv2_device(GICv2State *s);

/*
 * The banked registers (GICC_*, the first words of the GICD arrays) are the
 * calling vCPU's (cpu_current()); accesses from other threads (tests, the
 * monitor) see CPU 0. Tests pick the CPU with this hook; NULL restores the
 * default.
 */
void gicv2_set_cpu_resolver(GICv2State *s, int (*fn)(void *opaque), void *opaque);

/* GICv2m frame register offsets. */
enum {
    GICV2M_MSI_TYPER = 0x008,
    GICV2M_MSI_SETSPI_NS = 0x040,
    GICV2M_MSI_IIDR = 0xfcc,
};

/* Register the classes (idempotent). */
void arm_gic_register_devices(void);

#endif
