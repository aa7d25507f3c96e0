/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the gdb stub needs from a guest architecture and its accelerator:
 * the target description and register file, guest virtual-to-physical
 * translation, the breakpoint instruction, and control of single-stepping
 * and hardware breakpoints. The stub owns the breakpoint lists; the arch
 * only programs what it is handed before each resume and explains each
 * debug stop. All hooks run in the main thread with the BQL held while the
 * vCPUs are stopped (they may release the BQL through run_on_cpu).
 */
#ifndef GDBSTUB_ARCH_H
#define GDBSTUB_ARCH_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct CPUState CPUState;

/* Z/z packet types. */
typedef enum GdbBreakType {
    GDB_BP_SW = 0,          /* Z0: breakpoint instruction in guest memory */
    GDB_BP_HW = 1,          /* Z1: hardware instruction breakpoint */
    GDB_WP_WRITE = 2,       /* Z2 */
    GDB_WP_READ = 3,        /* Z3 */
    GDB_WP_ACCESS = 4,      /* Z4 */
} GdbBreakType;

/* A hardware breakpoint or watchpoint as handed to update_debug. */
typedef struct GdbHwBreak {
    GdbBreakType type;      /* GDB_BP_HW or a watchpoint type */
    uint64_t addr;
    uint64_t len;           /* watched bytes (1 for breakpoints) */
} GdbHwBreak;

typedef enum GdbStopKind {
    GDB_STOP_OTHER,         /* plain SIGTRAP (step done, unknown cause) */
    GDB_STOP_SWBREAK,       /* breakpoint instruction; pc points at it */
    GDB_STOP_HW,            /* hardware slot `slot` fired (break or watch) */
} GdbStopKind;

typedef struct GdbStopReason {
    GdbStopKind kind;
    int slot;               /* GDB_STOP_HW: index into the update_debug array */
    uint64_t pc;
} GdbStopReason;

typedef struct GdbArch {
    const char *name;               /* for messages: "x86-64" */
    /* qXfer:features:read:target.xml; describes exactly the g/G layout. */
    const char *target_xml;
    int num_regs;
    int pc_regnum;
    /* Breakpoint instruction written for Z0 (bytes, in memory order). */
    const uint8_t *bp_insn;
    size_t bp_insn_len;
    /* Debug-register slots shared by Z1..Z4 (0: none). */
    int max_hw_breaks;

    /* Every register in g-packet order, appended to out; false on failure. */
    bool (*read_registers)(CPUState *cpu, GByteArray *out);
    /* The G packet's bytes; false on a wrong length or a failed write. */
    bool (*write_registers)(CPUState *cpu, const uint8_t *buf, size_t len);
    /* Register n (target byte order) appended to out; false for unknown n. */
    bool (*read_register)(CPUState *cpu, int n, GByteArray *out);
    bool (*write_register)(CPUState *cpu, int n, const uint8_t *buf, size_t len);
    /*
     * Guest virtual address as the CPU sees it now -> physical address;
     * *contiguous receives the bytes left in that page (at least 1).
     * False when vaddr is not mapped.
     */
    bool (*virt_to_phys)(CPUState *cpu, uint64_t vaddr, uint64_t *paddr,
                         uint64_t *contiguous);
    /* Whether a hardware slot can hold this (length, alignment). */
    bool (*hw_break_valid)(const GdbHwBreak *bp);
    /*
     * Program cpu before it resumes: single-step or not, whether guest
     * memory holds breakpoint instructions, and the hardware slots (n <=
     * max_hw_breaks). Returns 0 or -errno.
     */
    int (*update_debug)(CPUState *cpu, bool step, bool sw_breaks,
                        const GdbHwBreak *hw, int n);
    /* Why cpu stopped with CPU_EXIT_DEBUG (hw: same array as last update). */
    void (*stop_reason)(CPUState *cpu, const GdbHwBreak *hw, int n,
                        GdbStopReason *out);
    /*
     * Optional: the accelerator keeps software breakpoints itself, so guest
     * memory is never patched (bp_insn is unused). Handed every Z0 address
     * before each update_debug. Returns 0 or -errno.
     */
    int (*update_sw_breaks)(CPUState *cpu, const uint64_t *addrs, int n);
    /*
     * Optional: guest virtual memory access done by the accelerator (which
     * keeps its translated code coherent with writes), instead of
     * virt_to_phys plus a physical access. Returns the bytes done.
     */
    uint64_t (*rw_virt)(CPUState *cpu, uint64_t vaddr, uint8_t *buf, uint64_t len,
                        bool write);
    /* Z2..Z4 unsupported: gdb then falls back to software watchpoints. */
    bool no_watchpoints;
} GdbArch;

/* x86-64 under KVM (target/i386/gdbstub.c). */
const GdbArch *gdb_arch_x86_64_kvm(void);
/* AArch64 under the translator (target/arm/gdbstub.c). */
const GdbArch *gdb_arch_aarch64_tcg(void);

#endif
