/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86-64 for the gdb stub, with the vCPU state held by KVM. The register
 * file follows gdb's amd64 target description (core, x87, SSE, segment
 * bases) plus the system registers a kernel debugger wants; the XML below
 * and x86_regs[] must list the same registers in the same order, since
 * that order is the g packet's layout.
 *
 * Registers are read by snapshotting KVM's regs, sregs, FPU and the
 * KERNEL_GS_BASE MSR in the vCPU thread, and written back group by group.
 * Segment registers are exposed as their selectors; writing one changes
 * only the selector, not the hidden descriptor state.
 */
#include <errno.h>
#include <string.h>
#include <linux/kvm.h>

#include "accel/kvm/kvm-debug.h"
#include "gdbstub/arch.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "target/i386/pagewalk.h"

#define MSR_KERNEL_GS_BASE 0xc0000102u

/* Register numbers in g-packet order. */
enum {
    X86_RAX, X86_RBX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_RBP, X86_RSP,
    X86_R8, X86_R15 = X86_R8 + 7,
    X86_RIP, X86_EFLAGS,
    X86_CS, X86_SS, X86_DS, X86_ES, X86_FS, X86_GS,
    X86_ST0, X86_ST7 = X86_ST0 + 7,
    X86_FCTRL, X86_FSTAT, X86_FTAG, X86_FISEG, X86_FIOFF, X86_FOSEG, X86_FOOFF, X86_FOP,
    X86_XMM0, X86_XMM15 = X86_XMM0 + 15,
    X86_MXCSR,
    X86_FS_BASE, X86_GS_BASE, X86_K_GS_BASE,
    X86_CR0, X86_CR2, X86_CR3, X86_CR4, X86_CR8, X86_EFER,
    X86_NUM_REGS,
};

static const char x86_target_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    "<target version=\"1.0\">\n"
    "<architecture>i386:x86-64</architecture>\n"
    "<feature name=\"org.gnu.gdb.i386.core\">\n"
    "<flags id=\"tern_eflags\" size=\"4\">\n"
    "<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>\n"
    "<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>\n"
    "<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>\n"
    "<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>\n"
    "<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>\n"
    "<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>\n"
    "<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>\n"
    "<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>\n"
    "<field name=\"ID\" start=\"21\" end=\"21\"/>\n"
    "</flags>\n"
    "<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
    "<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
    "<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>\n"
    "<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>\n"
    "<reg name=\"eflags\" bitsize=\"32\" type=\"tern_eflags\"/>\n"
    "<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "</feature>\n"
    "<feature name=\"org.gnu.gdb.i386.sse\">\n"
    "<vector id=\"tern_v4f\" type=\"ieee_single\" count=\"4\"/>\n"
    "<vector id=\"tern_v2d\" type=\"ieee_double\" count=\"2\"/>\n"
    "<vector id=\"tern_v16i8\" type=\"int8\" count=\"16\"/>\n"
    "<vector id=\"tern_v8i16\" type=\"int16\" count=\"8\"/>\n"
    "<vector id=\"tern_v4i32\" type=\"int32\" count=\"4\"/>\n"
    "<vector id=\"tern_v2i64\" type=\"int64\" count=\"2\"/>\n"
    "<union id=\"tern_vec128\">\n"
    "<field name=\"v4_float\" type=\"tern_v4f\"/>\n"
    "<field name=\"v2_double\" type=\"tern_v2d\"/>\n"
    "<field name=\"v16_int8\" type=\"tern_v16i8\"/>\n"
    "<field name=\"v8_int16\" type=\"tern_v8i16\"/>\n"
    "<field name=\"v4_int32\" type=\"tern_v4i32\"/>\n"
    "<field name=\"v2_int64\" type=\"tern_v2i64\"/>\n"
    "<field name=\"uint128\" type=\"uint128\"/>\n"
    "</union>\n"
    "<flags id=\"tern_mxcsr\" size=\"4\">\n"
    "<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>\n"
    "<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>\n"
    "<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>\n"
    "<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>\n"
    "<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>\n"
    "<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>\n"
    "<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/>\n"
    "</flags>\n"
    "<reg name=\"xmm0\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm1\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm2\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm3\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm4\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm5\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm6\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm7\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm8\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm9\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm10\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm11\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm12\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm13\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm14\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"xmm15\" bitsize=\"128\" type=\"tern_vec128\"/>\n"
    "<reg name=\"mxcsr\" bitsize=\"32\" type=\"tern_mxcsr\" group=\"vector\"/>\n"
    "</feature>\n"
    "<feature name=\"org.gnu.gdb.i386.segments\">\n"
    "<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>\n"
    "<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>\n"
    "</feature>\n"
    "<feature name=\"org.tern.x86.system\">\n"
    "<reg name=\"k_gs_base\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
    "<reg name=\"cr0\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
    "<reg name=\"cr2\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
    "<reg name=\"cr3\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
    "<reg name=\"cr4\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
    "<reg name=\"cr8\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
    "<reg name=\"efer\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
    "</feature>\n"
    "</target>\n";

/* Which KVM state a register lives in, so a write touches only that. */
enum {
    GRP_REGS = 1u << 0,
    GRP_SREGS = 1u << 1,
    GRP_FPU = 1u << 2,
    GRP_MSR = 1u << 3,
};

typedef struct X86Snapshot {
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_fpu fpu;
    __u64 kernel_gs_base;
} X86Snapshot;

static int x86_reg_size(int n)
{
    if (n < X86_EFLAGS) {
        return 8;
    }
    if (n < X86_ST0) {
        return 4;
    }
    if (n <= X86_ST7) {
        return 10;
    }
    if (n < X86_XMM0) {
        return 4;
    }
    if (n <= X86_XMM15) {
        return 16;
    }
    if (n == X86_MXCSR) {
        return 4;
    }
    return n < X86_NUM_REGS ? 8 : 0;
}

static unsigned x86_reg_group(int n)
{
    if (n <= X86_EFLAGS) {
        return GRP_REGS;
    }
    if (n < X86_ST0 || (n >= X86_FS_BASE && n != X86_K_GS_BASE)) {
        return GRP_SREGS;
    }
    if (n == X86_K_GS_BASE) {
        return GRP_MSR;
    }
    return GRP_FPU;
}

static struct kvm_msrs *x86_msr_buf(uint64_t value)
{
    struct kvm_msrs *m = g_malloc0(sizeof(*m) + sizeof(struct kvm_msr_entry));

    m->nmsrs = 1;
    m->entries[0].index = MSR_KERNEL_GS_BASE;
    m->entries[0].data = value;
    return m;
}

static bool x86_snapshot(CPUState *cpu, X86Snapshot *s, unsigned groups)
{
    memset(s, 0, sizeof(*s));
    if ((groups & GRP_REGS) && kvm_vcpu_ioctl_sync(cpu, KVM_GET_REGS, &s->regs) < 0) {
        return false;
    }
    if ((groups & GRP_SREGS) && kvm_vcpu_ioctl_sync(cpu, KVM_GET_SREGS, &s->sregs) < 0) {
        return false;
    }
    if ((groups & GRP_FPU) && kvm_vcpu_ioctl_sync(cpu, KVM_GET_FPU, &s->fpu) < 0) {
        return false;
    }
    if (groups & GRP_MSR) {
        g_autofree struct kvm_msrs *m = x86_msr_buf(0);

        /* KVM_GET_MSRS returns the number read; a missing MSR reads as 0. */
        if (kvm_vcpu_ioctl_sync(cpu, KVM_GET_MSRS, m) == 0) {
            s->kernel_gs_base = m->entries[0].data;
        }
    }
    return true;
}

static bool x86_write_back(CPUState *cpu, X86Snapshot *s, unsigned groups)
{
    if ((groups & GRP_REGS) && kvm_vcpu_ioctl_sync(cpu, KVM_SET_REGS, &s->regs) < 0) {
        return false;
    }
    if ((groups & GRP_SREGS) && kvm_vcpu_ioctl_sync(cpu, KVM_SET_SREGS, &s->sregs) < 0) {
        return false;
    }
    if ((groups & GRP_FPU) && kvm_vcpu_ioctl_sync(cpu, KVM_SET_FPU, &s->fpu) < 0) {
        return false;
    }
    if (groups & GRP_MSR) {
        g_autofree struct kvm_msrs *m = x86_msr_buf(s->kernel_gs_base);

        if (kvm_vcpu_ioctl_sync(cpu, KVM_SET_MSRS, m) < 0) {
            return false;
        }
    }
    return true;
}

static __u64 *x86_gpr(struct kvm_regs *r, int n)
{
    __u64 *const map[] = {
        &r->rax, &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi, &r->rbp, &r->rsp,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
        &r->rip,
    };

    return map[n];
}

static struct kvm_segment *x86_seg(struct kvm_sregs *sr, int n)
{
    struct kvm_segment *const map[] = { &sr->cs, &sr->ss, &sr->ds, &sr->es, &sr->fs, &sr->gs };

    return map[n - X86_CS];
}

static __u64 *x86_sysreg(X86Snapshot *s, int n)
{
    switch (n) {
    case X86_FS_BASE:
        return &s->sregs.fs.base;
    case X86_GS_BASE:
        return &s->sregs.gs.base;
    case X86_K_GS_BASE:
        return &s->kernel_gs_base;
    case X86_CR0:
        return &s->sregs.cr0;
    case X86_CR2:
        return &s->sregs.cr2;
    case X86_CR3:
        return &s->sregs.cr3;
    case X86_CR4:
        return &s->sregs.cr4;
    case X86_CR8:
        return &s->sregs.cr8;
    default:
        return &s->sregs.efer;
    }
}

/* FXSAVE keeps one "valid" bit per register; gdb wants the full FSAVE tag word. */
static uint16_t x86_full_ftag(const struct kvm_fpu *f)
{
    unsigned top = (f->fsw >> 11) & 7;
    uint16_t tag = 0;

    for (unsigned phys = 0; phys < 8; phys++) {
        const uint8_t *st = f->fpr[(phys - top) & 7];
        uint64_t mant;
        unsigned exp, t;

        memcpy(&mant, st, 8);
        exp = (st[8] | (st[9] << 8)) & 0x7fff;
        if (!(f->ftwx & (1u << phys))) {
            t = 3;                                  /* empty */
        } else if (exp == 0x7fff || (exp && !(mant >> 63)) || (!exp && mant)) {
            t = 2;                                  /* special */
        } else if (!exp && !mant) {
            t = 1;                                  /* zero */
        } else {
            t = 0;                                  /* valid */
        }
        tag |= t << (2 * phys);
    }
    return tag;
}

static uint8_t x86_abridged_ftag(uint16_t full)
{
    uint8_t t = 0;

    for (unsigned i = 0; i < 8; i++) {
        if (((full >> (2 * i)) & 3) != 3) {
            t |= 1u << i;
        }
    }
    return t;
}

static void put32(uint8_t *buf, uint32_t v)
{
    memcpy(buf, &v, 4);
}

static uint32_t get32(const uint8_t *buf)
{
    uint32_t v;

    memcpy(&v, buf, 4);
    return v;
}

/* Register n into buf (little endian); returns its size. */
static int x86_encode(X86Snapshot *s, int n, uint8_t *buf)
{
    struct kvm_fpu *f = &s->fpu;
    int size = x86_reg_size(n);

    if (n <= X86_RIP) {
        memcpy(buf, x86_gpr(&s->regs, n), 8);
    } else if (n == X86_EFLAGS) {
        put32(buf, (uint32_t)s->regs.rflags);
    } else if (n <= X86_GS) {
        put32(buf, x86_seg(&s->sregs, n)->selector);
    } else if (n <= X86_ST7) {
        memcpy(buf, f->fpr[n - X86_ST0], 10);
    } else if (n < X86_XMM0) {
        uint32_t v;

        switch (n) {
        case X86_FCTRL:
            v = f->fcw;
            break;
        case X86_FSTAT:
            v = f->fsw;
            break;
        case X86_FTAG:
            v = x86_full_ftag(f);
            break;
        case X86_FISEG:
            v = (uint32_t)(f->last_ip >> 32) & 0xffff;
            break;
        case X86_FIOFF:
            v = (uint32_t)f->last_ip;
            break;
        case X86_FOSEG:
            v = (uint32_t)(f->last_dp >> 32) & 0xffff;
            break;
        case X86_FOOFF:
            v = (uint32_t)f->last_dp;
            break;
        default:
            v = f->last_opcode & 0x7ff;
            break;
        }
        put32(buf, v);
    } else if (n <= X86_XMM15) {
        memcpy(buf, f->xmm[n - X86_XMM0], 16);
    } else if (n == X86_MXCSR) {
        put32(buf, f->mxcsr);
    } else {
        memcpy(buf, x86_sysreg(s, n), 8);
    }
    return size;
}

static void x86_decode(X86Snapshot *s, int n, const uint8_t *buf)
{
    struct kvm_fpu *f = &s->fpu;

    if (n <= X86_RIP) {
        memcpy(x86_gpr(&s->regs, n), buf, 8);
    } else if (n == X86_EFLAGS) {
        /* Bits 63:32 are reserved; bit 1 always reads as one. */
        s->regs.rflags = get32(buf) | 2;
    } else if (n <= X86_GS) {
        x86_seg(&s->sregs, n)->selector = (uint16_t)get32(buf);
    } else if (n <= X86_ST7) {
        memcpy(f->fpr[n - X86_ST0], buf, 10);
    } else if (n < X86_XMM0) {
        uint32_t v = get32(buf);

        switch (n) {
        case X86_FCTRL:
            f->fcw = v;
            break;
        case X86_FSTAT:
            f->fsw = v;
            break;
        case X86_FTAG:
            f->ftwx = x86_abridged_ftag(v);
            break;
        case X86_FISEG:
            f->last_ip = (f->last_ip & 0xffffffffull) | ((uint64_t)(v & 0xffff) << 32);
            break;
        case X86_FIOFF:
            f->last_ip = (f->last_ip & ~0xffffffffull) | v;
            break;
        case X86_FOSEG:
            f->last_dp = (f->last_dp & 0xffffffffull) | ((uint64_t)(v & 0xffff) << 32);
            break;
        case X86_FOOFF:
            f->last_dp = (f->last_dp & ~0xffffffffull) | v;
            break;
        default:
            f->last_opcode = v & 0x7ff;
            break;
        }
    } else if (n <= X86_XMM15) {
        memcpy(f->xmm[n - X86_XMM0], buf, 16);
    } else if (n == X86_MXCSR) {
        f->mxcsr = get32(buf);
    } else {
        memcpy(x86_sysreg(s, n), buf, 8);
    }
}

#define ALL_GROUPS (GRP_REGS | GRP_SREGS | GRP_FPU | GRP_MSR)

static bool x86_read_registers(CPUState *cpu, GByteArray *out)
{
    X86Snapshot s;
    uint8_t buf[16];

    if (!x86_snapshot(cpu, &s, ALL_GROUPS)) {
        return false;
    }
    for (int n = 0; n < X86_NUM_REGS; n++) {
        g_byte_array_append(out, buf, x86_encode(&s, n, buf));
    }
    return true;
}

static bool x86_write_registers(CPUState *cpu, const uint8_t *buf, size_t len)
{
    X86Snapshot s;
    unsigned dirty = 0;
    size_t off = 0;

    for (int n = 0; n < X86_NUM_REGS; n++) {
        off += x86_reg_size(n);
    }
    if (len != off || !x86_snapshot(cpu, &s, ALL_GROUPS)) {
        return false;
    }
    off = 0;
    for (int n = 0; n < X86_NUM_REGS; n++) {
        uint8_t cur[16];
        int size = x86_encode(&s, n, cur);

        /* Only what changed is written, so a G of unchanged values is free. */
        if (memcmp(cur, buf + off, size)) {
            x86_decode(&s, n, buf + off);
            dirty |= x86_reg_group(n);
        }
        off += size;
    }
    return x86_write_back(cpu, &s, dirty);
}

static bool x86_read_register(CPUState *cpu, int n, GByteArray *out)
{
    X86Snapshot s;
    uint8_t buf[16];

    if (n < 0 || n >= X86_NUM_REGS || !x86_snapshot(cpu, &s, x86_reg_group(n))) {
        return false;
    }
    g_byte_array_append(out, buf, x86_encode(&s, n, buf));
    return true;
}

static bool x86_write_register(CPUState *cpu, int n, const uint8_t *buf, size_t len)
{
    X86Snapshot s;

    if (n < 0 || n >= X86_NUM_REGS || len != (size_t)x86_reg_size(n) ||
        !x86_snapshot(cpu, &s, x86_reg_group(n))) {
        return false;
    }
    x86_decode(&s, n, buf);
    return x86_write_back(cpu, &s, x86_reg_group(n));
}

static bool x86_phys_read(void *opaque, uint64_t paddr, uint64_t *val, unsigned size)
{
    *val = 0;
    return address_space_read(address_space_memory(), paddr, val, size) == MEMTX_OK;
}

static bool x86_virt_to_phys(CPUState *cpu, uint64_t vaddr, uint64_t *paddr,
                             uint64_t *contiguous)
{
    struct kvm_sregs sr;
    X86PagingState st;
    uint64_t page;

    if (kvm_vcpu_ioctl_sync(cpu, KVM_GET_SREGS, &sr) < 0) {
        return false;
    }
    st = (X86PagingState) { .cr0 = sr.cr0, .cr3 = sr.cr3, .cr4 = sr.cr4, .efer = sr.efer };
    if (!x86_paging_translate(&st, vaddr, x86_phys_read, NULL, paddr, &page)) {
        return false;
    }
    *contiguous = page - (vaddr & (page - 1));
    return true;
}

static bool x86_hw_break_valid(const GdbHwBreak *bp)
{
    if (bp->type == GDB_BP_HW) {
        return true;
    }
    return (bp->len == 1 || bp->len == 2 || bp->len == 4 || bp->len == 8) &&
           !(bp->addr & (bp->len - 1));
}

/* DR7 R/W and LEN fields of one slot (Intel SDM vol. 3, 18.2.4). */
static uint64_t x86_dr7_slot(const GdbHwBreak *bp, int i)
{
    uint64_t rw, len;

    switch (bp->type) {
    case GDB_WP_WRITE:
        rw = 1;
        break;
    case GDB_WP_READ:       /* x86 has no read-only watch: reads or writes */
    case GDB_WP_ACCESS:
        rw = 3;
        break;
    default:
        rw = 0;
        break;
    }
    switch (rw ? bp->len : 1) {
    case 2:
        len = 1;
        break;
    case 4:
        len = 3;
        break;
    case 8:
        len = 2;
        break;
    default:
        len = 0;
        break;
    }
    return (2ull << (2 * i)) | (rw << (16 + 4 * i)) | (len << (18 + 4 * i));
}

static int x86_update_debug(CPUState *cpu, bool step, bool sw_breaks,
                            const GdbHwBreak *hw, int n)
{
    uint64_t dr[8] = { 0 };
    uint32_t caps = kvm_guest_debug_caps();
    uint32_t flags = 0;

    if (step) {
        flags |= KVM_GUESTDBG_SINGLESTEP;
        /* Step the instruction, not the interrupt handler that may be pending. */
#ifdef KVM_GUESTDBG_BLOCKIRQ
        flags |= caps & KVM_GUESTDBG_BLOCKIRQ;
#endif
    }
    if (sw_breaks) {
        flags |= KVM_GUESTDBG_USE_SW_BP;
    }
    if (n > 0) {
        flags |= KVM_GUESTDBG_USE_HW_BP;
        dr[7] = 0x400;      /* reserved bit 10 reads as one */
        for (int i = 0; i < n && i < 4; i++) {
            dr[i] = hw[i].addr;
            dr[7] |= x86_dr7_slot(&hw[i], i);
        }
    }
    if (flags) {
        flags |= KVM_GUESTDBG_ENABLE;
        if ((flags & ~caps) & ~(uint32_t)KVM_GUESTDBG_ENABLE) {
            return -ENOTSUP;
        }
    }
    return kvm_update_guest_debug(cpu, flags, dr);
}

static void x86_stop_reason(CPUState *cpu, const GdbHwBreak *hw, int n, GdbStopReason *out)
{
    KvmDebugExit e;

    memset(out, 0, sizeof(*out));
    out->kind = GDB_STOP_OTHER;
    if (!kvm_debug_last_exit(cpu, &e)) {
        return;
    }
    out->pc = e.pc;
    if (e.exception == 3) {
        out->kind = GDB_STOP_SWBREAK;
        return;
    }
    for (int i = 0; i < n && i < 4; i++) {
        if (e.dr6 & (1ull << i)) {
            out->kind = GDB_STOP_HW;
            out->slot = i;
            return;
        }
    }
}

static const uint8_t x86_int3[] = { 0xcc };

static const GdbArch x86_64_kvm_arch = {
    .name = "x86-64",
    .target_xml = x86_target_xml,
    .num_regs = X86_NUM_REGS,
    .pc_regnum = X86_RIP,
    .bp_insn = x86_int3,
    .bp_insn_len = sizeof(x86_int3),
    .max_hw_breaks = 4,
    .read_registers = x86_read_registers,
    .write_registers = x86_write_registers,
    .read_register = x86_read_register,
    .write_register = x86_write_register,
    .virt_to_phys = x86_virt_to_phys,
    .hw_break_valid = x86_hw_break_valid,
    .update_debug = x86_update_debug,
    .stop_reason = x86_stop_reason,
};

const GdbArch *gdb_arch_x86_64_kvm(void)
{
    return &x86_64_kvm_arch;
}
