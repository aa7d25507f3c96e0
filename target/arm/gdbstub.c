/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AArch64 under the translator for the gdb stub. The register file is
 * gdb's aarch64 layout: the core feature (x0-x30, sp, pc, cpsr) then the
 * FP/SIMD feature (v0-v31 as 128-bit vectors, fpsr, fpcr); the XML below
 * and the register numbers must agree, since that order is the g packet's.
 * Breakpoints, hardware breakpoints and single-step live in the engine
 * (accel/tcg/cpu-exec.c), so guest memory is never patched; memory goes
 * through the vCPU's current translation with tcg_cpu_rw_virt, which also
 * drops translated code that a write changes. The stub calls in here only
 * while the VM is stopped, so the vCPU state is read and written directly.
 */
#include <errno.h>
#include <string.h>

#include "gdbstub/arch.h"
#include "system/cpus.h"
#include "target/arm/cpu.h"

/* Register numbers in g-packet order. */
enum {
    A64_X0,
    A64_X30 = A64_X0 + 30,
    A64_SP,
    A64_PC,
    A64_CPSR,
    A64_V0,
    A64_V31 = A64_V0 + 31,
    A64_FPSR,
    A64_FPCR,
    A64_NUM_REGS,
};

#define A64_G_SIZE (33 * 8 + 4 + 32 * 16 + 4 + 4)

/* M(0) .. M(30): the x registers, and all but the last v register. */
#define A64_EACH_0_30(M) \
    M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15) \
    M(16) M(17) M(18) M(19) M(20) M(21) M(22) M(23) M(24) M(25) M(26) M(27) M(28) M(29) M(30)
#define A64_XREG(n) "<reg name=\"x" #n "\" bitsize=\"64\" type=\"int\"/>\n"
#define A64_VREG(n) "<reg name=\"v" #n "\" bitsize=\"128\" type=\"tern_vreg\"/>\n"

static const char a64_target_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    "<target version=\"1.0\">\n"
    "<architecture>aarch64</architecture>\n"
    "<feature name=\"org.gnu.gdb.aarch64.core\">\n"
    "<flags id=\"tern_cpsr\" size=\"4\">\n"
    "<field name=\"SP\" start=\"0\" end=\"0\"/>\n"
    "<field name=\"EL\" start=\"2\" end=\"3\" type=\"uint32\"/>\n"
    "<field name=\"F\" start=\"6\" end=\"6\"/><field name=\"I\" start=\"7\" end=\"7\"/>\n"
    "<field name=\"A\" start=\"8\" end=\"8\"/><field name=\"D\" start=\"9\" end=\"9\"/>\n"
    "<field name=\"IL\" start=\"20\" end=\"20\"/><field name=\"SS\" start=\"21\" end=\"21\"/>\n"
    "<field name=\"PAN\" start=\"22\" end=\"22\"/><field name=\"UAO\" start=\"23\" end=\"23\"/>\n"
    "<field name=\"V\" start=\"28\" end=\"28\"/><field name=\"C\" start=\"29\" end=\"29\"/>\n"
    "<field name=\"Z\" start=\"30\" end=\"30\"/><field name=\"N\" start=\"31\" end=\"31\"/>\n"
    "</flags>\n"
    A64_EACH_0_30(A64_XREG)
    "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
    "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n"
    "<reg name=\"cpsr\" bitsize=\"32\" type=\"tern_cpsr\"/>\n"
    "</feature>\n"
    "<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
    "<vector id=\"tern_v2d\" type=\"ieee_double\" count=\"2\"/>\n"
    "<vector id=\"tern_v2u\" type=\"uint64\" count=\"2\"/>\n"
    "<vector id=\"tern_v4f\" type=\"ieee_single\" count=\"4\"/>\n"
    "<vector id=\"tern_v4u\" type=\"uint32\" count=\"4\"/>\n"
    "<vector id=\"tern_v8u\" type=\"uint16\" count=\"8\"/>\n"
    "<vector id=\"tern_v16u\" type=\"uint8\" count=\"16\"/>\n"
    "<vector id=\"tern_v1u\" type=\"uint128\" count=\"1\"/>\n"
    "<union id=\"tern_vreg\">\n"
    "<field name=\"d\" type=\"tern_v2d\"/><field name=\"s\" type=\"tern_v4f\"/>\n"
    "<field name=\"ud\" type=\"tern_v2u\"/><field name=\"us\" type=\"tern_v4u\"/>\n"
    "<field name=\"uh\" type=\"tern_v8u\"/><field name=\"ub\" type=\"tern_v16u\"/>\n"
    "<field name=\"q\" type=\"tern_v1u\"/>\n"
    "</union>\n"
    A64_EACH_0_30(A64_VREG) A64_VREG(31)
    "<reg name=\"fpsr\" bitsize=\"32\" type=\"int\"/>\n"
    "<reg name=\"fpcr\" bitsize=\"32\" type=\"int\"/>\n"
    "</feature>\n"
    "</target>\n";

static CPUARMState *a64_env(CPUState *cpu)
{
    return cpu->arch_state;
}

static TCGCPU *a64_tcg(CPUState *cpu)
{
    return &a64_env(cpu)->tcg;
}

static unsigned a64_reg_size(int n)
{
    if (n <= A64_PC) {
        return 8;
    }
    if (n >= A64_V0 && n <= A64_V31) {
        return 16;
    }
    return 4;
}

static void a64_put(GByteArray *out, uint64_t v, unsigned size)
{
    uint8_t le[8];

    for (unsigned i = 0; i < size; i++) {
        le[i] = v >> (8 * i);
    }
    g_byte_array_append(out, le, size);
}

static uint64_t a64_get(const uint8_t *buf, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)buf[i] << (8 * i);
    }
    return v;
}

static bool a64_read_register(CPUState *cpu, int n, GByteArray *out)
{
    CPUARMState *env = a64_env(cpu);

    if (n < 0 || n >= A64_NUM_REGS) {
        return false;
    }
    if (n <= A64_SP) {
        /* xregs[31] is the SP of the current EL/SPSel */
        a64_put(out, env->xregs[n], 8);
    } else if (n == A64_PC) {
        a64_put(out, env->pc, 8);
    } else if (n == A64_CPSR) {
        a64_put(out, arm_pstate_read(env), 4);
    } else if (n <= A64_V31) {
        a64_put(out, env->vregs[n - A64_V0][0], 8);
        a64_put(out, env->vregs[n - A64_V0][1], 8);
    } else if (n == A64_FPSR) {
        a64_put(out, env->fpsr, 4);
    } else {
        a64_put(out, env->fpcr, 4);
    }
    return true;
}

static bool a64_write_register(CPUState *cpu, int n, const uint8_t *buf, size_t len)
{
    CPUARMState *env = a64_env(cpu);

    if (n < 0 || n >= A64_NUM_REGS || len != a64_reg_size(n)) {
        return false;
    }
    if (n <= A64_SP) {
        env->xregs[n] = a64_get(buf, 8);
    } else if (n == A64_PC) {
        env->pc = a64_get(buf, 8);
    } else if (n == A64_CPSR) {
        /*
         * The exception level and stack selection stay: gdb rewrites cpsr
         * with the rest of the g packet, and only NZCV and the masks are
         * meant to change.
         */
        uint32_t v = (uint32_t)a64_get(buf, 4);

        arm_pstate_write(env, (v & ~PSTATE_M_MASK) | (env->pstate & PSTATE_M_MASK));
    } else if (n <= A64_V31) {
        env->vregs[n - A64_V0][0] = a64_get(buf, 8);
        env->vregs[n - A64_V0][1] = a64_get(buf + 8, 8);
    } else if (n == A64_FPSR) {
        env->fpsr = (uint32_t)a64_get(buf, 4);
    } else {
        env->fpcr = (uint32_t)a64_get(buf, 4);
    }
    return true;
}

static bool a64_read_registers(CPUState *cpu, GByteArray *out)
{
    for (int n = 0; n < A64_NUM_REGS; n++) {
        a64_read_register(cpu, n, out);
    }
    return true;
}

static bool a64_write_registers(CPUState *cpu, const uint8_t *buf, size_t len)
{
    if (len != A64_G_SIZE) {
        return false;
    }
    for (int n = 0; n < A64_NUM_REGS; n++) {
        unsigned size = a64_reg_size(n);

        a64_write_register(cpu, n, buf, size);
        buf += size;
    }
    return true;
}

/* The debugger sees what the kernel sees: EL1 accesses ignore PAN. */
static int a64_debug_mmu_idx(CPUARMState *env)
{
    return arm_current_el(env) ? ARM_MMU_IDX_EL1 : ARM_MMU_IDX_EL0;
}

static bool a64_virt_to_phys(CPUState *cpu, uint64_t vaddr, uint64_t *paddr,
                             uint64_t *contiguous)
{
    TCGCPU *tcg = a64_tcg(cpu);
    int prot;

    if (!tcg->ops->tlb_fill(tcg, vaddr, MMU_DATA_LOAD, a64_debug_mmu_idx(a64_env(cpu)), paddr,
                            &prot, 0)) {
        return false;
    }
    *contiguous = TCG_PAGE_SIZE - (vaddr & ~TCG_PAGE_MASK);
    return true;
}

static uint64_t a64_rw_virt(CPUState *cpu, uint64_t vaddr, uint8_t *buf, uint64_t len,
                            bool write)
{
    CPUARMState *env = a64_env(cpu);
    uint64_t done = 0;

    /* Page by page, so that gdb gets the bytes before an unmapped page. */
    while (done < len) {
        uint64_t a = vaddr + done;
        uint64_t chunk = MIN(len - done, TCG_PAGE_SIZE - (a & ~TCG_PAGE_MASK));

        if (!tcg_cpu_rw_virt(&env->tcg, a, buf + done, chunk, write,
                             a64_debug_mmu_idx(env))) {
            break;
        }
        done += chunk;
    }
    return done;
}

static bool a64_hw_break_valid(const GdbHwBreak *bp)
{
    return bp->type == GDB_BP_HW && !(bp->addr & 3);
}

static int a64_update_sw_breaks(CPUState *cpu, const uint64_t *addrs, int n)
{
    tcg_cpu_debug_set_breaks(a64_tcg(cpu), TCG_BREAK_SW, addrs, n);
    return 0;
}

static int a64_update_debug(CPUState *cpu, bool step, bool sw_breaks, const GdbHwBreak *hw,
                            int n)
{
    uint64_t pcs[16];
    int k = 0;

    for (int i = 0; i < n && k < (int)G_N_ELEMENTS(pcs); i++) {
        pcs[k++] = hw[i].addr;
    }
    tcg_cpu_debug_set_breaks(a64_tcg(cpu), TCG_BREAK_HW, pcs, k);
    tcg_cpu_debug_set_step(a64_tcg(cpu), step);
    return 0;
}

static void a64_stop_reason(CPUState *cpu, const GdbHwBreak *hw, int n, GdbStopReason *out)
{
    TCGDebugBreak kind;
    int index;
    uint64_t pc;
    TCGDebugStop why = tcg_cpu_debug_stop(a64_tcg(cpu), &kind, &index, &pc);

    out->kind = GDB_STOP_OTHER;
    out->pc = pc;
    if (why != TCG_DEBUG_STOP_BREAK) {
        return;
    }
    if (kind == TCG_BREAK_SW) {
        out->kind = GDB_STOP_SWBREAK;
    } else if (index < n) {
        out->kind = GDB_STOP_HW;
        out->slot = index;
    }
}

static const GdbArch a64_tcg_arch = {
    .name = "aarch64",
    .target_xml = a64_target_xml,
    .num_regs = A64_NUM_REGS,
    .pc_regnum = A64_PC,
    .max_hw_breaks = 16,
    .read_registers = a64_read_registers,
    .write_registers = a64_write_registers,
    .read_register = a64_read_register,
    .write_register = a64_write_register,
    .virt_to_phys = a64_virt_to_phys,
    .hw_break_valid = a64_hw_break_valid,
    .update_debug = a64_update_debug,
    .stop_reason = a64_stop_reason,
    .update_sw_breaks = a64_update_sw_breaks,
    .rw_virt = a64_rw_virt,
    .no_watchpoints = true,
};

const GdbArch *gdb_arch_aarch64_tcg(void)
{
    return &a64_tcg_arch;
}
