/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The x86 side of KVM: the in-kernel PIC/IOAPIC and PIT, the private pages
 * KVM needs below 4 GiB, per-vCPU CPUID with a consistent APIC topology,
 * register set-up for the entry modes a board may ask for, and reset.
 *
 * Reset of kernel-held device state works by snapshot: right after
 * creation the PIC, IOAPIC, PIT and each local APIC are in their power-on
 * state, so we read them once and write them back at every system reset.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm/kvm-eventfd.h"
#include "accel/kvm/kvm-int.h"
#include "hw/core/machine.h"
#include "target/i386/cpu.h"
#include "util/error.h"
#include "util/log.h"

/* Three private pages for the real-mode TSS and one for the EPT identity
 * map, just below the BIOS, in the hole where no RAM is mapped. */
#define X86_KVM_IDENTITY_MAP_ADDR 0xfeffc000ull
#define X86_KVM_TSS_ADDR          0xfeffd000ul

#define X86_APIC_BASE_DEFAULT     0xfee00000ull
#define X86_APIC_BASE_BSP         (1ull << 8)
#define X86_APIC_BASE_ENABLE      (1ull << 11)

#define X86_CR0_PE                (1u << 0)
#define X86_CR0_ET                (1u << 4)
#define X86_CR0_PG                (1u << 31)
#define X86_CR4_PAE               (1u << 5)
#define X86_EFER_LME              (1u << 8)
#define X86_EFER_LMA              (1u << 10)
#define X86_CR0_NW                (1u << 29)
#define X86_CR0_CD                (1u << 30)

#define X86_CPUID_HTT             (1u << 28)
#define X86_AMD_VENDOR_EBX        0x68747541u   /* "Auth" */

#define X86_NR_IRQCHIPS           3             /* PIC master, PIC slave, IOAPIC */

const KvmCap kvm_arch_required_caps[] = {
    KVM_CAP_ENTRY(IRQCHIP),
    KVM_CAP_ENTRY(PIT2),
    KVM_CAP_ENTRY(PIT_STATE2),
    KVM_CAP_ENTRY(SET_TSS_ADDR),
    KVM_CAP_ENTRY(SET_IDENTITY_MAP_ADDR),
    KVM_CAP_ENTRY(EXT_CPUID),
    KVM_CAP_ENTRY(MP_STATE),
    KVM_CAP_ENTRY(IRQ_ROUTING),
    { 0, NULL }
};

typedef struct X86KvmVm {
    struct kvm_cpuid2 *cpuid;          /* KVM_GET_SUPPORTED_CPUID */
    struct kvm_irqchip chips[X86_NR_IRQCHIPS];
    struct kvm_pit_state2 pit;
} X86KvmVm;

typedef struct X86KvmVcpu {
    struct kvm_lapic_state lapic;      /* power-on local APIC */
} X86KvmVcpu;

static bool x86_kvm_ioctl(int fd, unsigned long req, void *arg, const char *name,
                          GError **errp)
{
    if (ioctl(fd, req, arg) < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: %s: %s", name,
                    g_strerror(errno));
        return false;
    }
    return true;
}

static struct kvm_cpuid2 *x86_kvm_get_supported_cpuid(int fd, GError **errp)
{
    for (unsigned n = 64; n <= 4096; n *= 2) {
        struct kvm_cpuid2 *c = g_malloc0(sizeof(*c) + n * sizeof(c->entries[0]));

        c->nent = n;
        if (ioctl(fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
            return c;
        }
        g_free(c);
        if (errno != E2BIG) {
            break;
        }
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: KVM_GET_SUPPORTED_CPUID: %s",
                g_strerror(errno));
    return NULL;
}

/*
 * The PC's wiring rather than KVM's default identity routing: GSI n drives
 * PIC pin n (except 2, the cascade) and IOAPIC pin n, but GSI 0 (the PIT)
 * goes to IOAPIC pin 2, as the MADT's interrupt source override says.
 */
static bool x86_kvm_set_gsi_routing(KvmState *s, GError **errp)
{
    const unsigned max = 16 + 24;
    g_autofree struct kvm_irq_routing *r =
        g_malloc0(sizeof(*r) + max * sizeof(r->entries[0]));

    for (unsigned gsi = 0; gsi < 24; gsi++) {
        if (gsi < 16 && gsi != 2) {
            r->entries[r->nr++] = (struct kvm_irq_routing_entry) {
                .gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
                .u.irqchip = { .irqchip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER
                                                  : KVM_IRQCHIP_PIC_SLAVE,
                               .pin = gsi % 8 },
            };
        }
        if (gsi != 2) {
            r->entries[r->nr++] = (struct kvm_irq_routing_entry) {
                .gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
                .u.irqchip = { .irqchip = KVM_IRQCHIP_IOAPIC, .pin = gsi ? gsi : 2 },
            };
        }
    }
    /* irqfd routes (kvm-irqfd.c) are appended to these fixed ones. */
    kvm_irq_routing_set_base(s, r->entries, r->nr);
    return x86_kvm_ioctl(s->vm_fd, KVM_SET_GSI_ROUTING, r, "KVM_SET_GSI_ROUTING", errp);
}

bool kvm_arch_init_vm(KvmState *s, MachineState *ms, GError **errp)
{
    X86KvmVm *a = g_new0(X86KvmVm, 1);
    uint64_t idmap = X86_KVM_IDENTITY_MAP_ADDR;
    struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

    s->arch = a;
    /* Both must precede the first vCPU. */
    if (!x86_kvm_ioctl(s->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap,
                       "KVM_SET_IDENTITY_MAP_ADDR", errp) ||
        !x86_kvm_ioctl(s->vm_fd, KVM_SET_TSS_ADDR, (void *)X86_KVM_TSS_ADDR,
                       "KVM_SET_TSS_ADDR", errp) ||
        !x86_kvm_ioctl(s->vm_fd, KVM_CREATE_IRQCHIP, NULL, "KVM_CREATE_IRQCHIP", errp) ||
        !x86_kvm_set_gsi_routing(s, errp) ||
        !x86_kvm_ioctl(s->vm_fd, KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2", errp)) {
        return false;
    }
    for (int i = 0; i < X86_NR_IRQCHIPS; i++) {
        a->chips[i].chip_id = i;
        if (!x86_kvm_ioctl(s->vm_fd, KVM_GET_IRQCHIP, &a->chips[i], "KVM_GET_IRQCHIP", errp)) {
            return false;
        }
    }
    if (!x86_kvm_ioctl(s->vm_fd, KVM_GET_PIT2, &a->pit, "KVM_GET_PIT2", errp)) {
        return false;
    }
    a->cpuid = x86_kvm_get_supported_cpuid(s->fd, errp);
    return a->cpuid != NULL;
}

void kvm_arch_destroy_vm(KvmState *s)
{
    X86KvmVm *a = s->arch;

    g_free(a->cpuid);
    g_free(a);
    s->arch = NULL;
}

void kvm_arch_reset_vm(KvmState *s)
{
    X86KvmVm *a = s->arch;

    for (int i = 0; i < X86_NR_IRQCHIPS; i++) {
        if (ioctl(s->vm_fd, KVM_SET_IRQCHIP, &a->chips[i]) < 0) {
            fprintf(stderr, "tern: kvm: reset of irqchip %d failed: %s\n", i,
                    g_strerror(errno));
        }
    }
    if (ioctl(s->vm_fd, KVM_SET_PIT2, &a->pit) < 0) {
        fprintf(stderr, "tern: kvm: reset of the PIT failed: %s\n", g_strerror(errno));
    }
}

unsigned long kvm_arch_vcpu_id(CPUState *cpu)
{
    const X86CPU *x = cpu->arch_state;

    /* KVM takes the vCPU id as the initial APIC id. */
    return x ? x->apic_id : (unsigned long)cpu->index;
}

/* Make CPUID describe x's place in the topology (leaves 1, 4, 0xB, 0x1F). */
static void x86_cpuid_set_topology(struct kvm_cpuid2 *c, const X86CPU *x)
{
    unsigned threads = x->topo.threads ? x->topo.threads : 1;
    unsigned cores = x->topo.cores ? x->topo.cores : 1;
    unsigned smt_bits = x86_topo_bits(threads);
    unsigned core_bits = x86_topo_bits(cores);
    unsigned pkg_ids = 1u << (smt_bits + core_bits);
    bool amd = false;

    for (uint32_t i = 0; i < c->nent; i++) {
        if (c->entries[i].function == 0) {
            amd = c->entries[i].ebx == X86_AMD_VENDOR_EBX;
        }
    }
    for (uint32_t i = 0; i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];

        switch (e->function) {
        case 1:
            e->ebx = (e->ebx & 0xffff) | (x->apic_id << 24) | (MIN(pkg_ids, 255u) << 16);
            if (threads * cores > 1) {
                e->edx |= X86_CPUID_HTT;
            } else {
                e->edx &= ~X86_CPUID_HTT;
            }
            break;
        case 4:
            if (e->eax & 0x1f) {
                unsigned level = (e->eax >> 5) & 7;
                unsigned sharing = level >= 3 ? pkg_ids : 1u << smt_bits;

                e->eax = (e->eax & 0x3fff) | ((sharing - 1) << 14) |
                         (((1u << core_bits) - 1) << 26);
            }
            break;
        case 0xb:
        case 0x1f:
            e->edx = x->apic_id;
            if (e->index == 0) {
                e->eax = smt_bits;
                e->ebx = threads;
                e->ecx = (1u << 8) | 0;         /* SMT level */
            } else if (e->index == 1) {
                e->eax = smt_bits + core_bits;
                e->ebx = threads * cores;
                e->ecx = (2u << 8) | 1;         /* core level */
            } else {
                e->eax = e->ebx = 0;
                e->ecx = e->index;              /* invalid level: end of list */
            }
            break;
        case 0x80000008:
            if (amd) {
                e->ecx = (e->ecx & ~0xf0ffu) | ((smt_bits + core_bits) << 12) |
                         (threads * cores - 1);
            }
            break;
        default:
            break;
        }
    }
}

static uint32_t x86_cpuid_signature(const KvmState *s)
{
    const X86KvmVm *a = s->arch;

    for (uint32_t i = 0; i < a->cpuid->nent; i++) {
        if (a->cpuid->entries[i].function == 1) {
            return a->cpuid->entries[i].eax;
        }
    }
    return 0x600;   /* family 6 */
}

bool kvm_arch_vcpu_init(KvmVcpu *v, GError **errp)
{
    X86KvmVm *a = v->s->arch;
    const X86CPU *x = v->cpu->arch_state;
    X86KvmVcpu *xv;
    g_autofree struct kvm_cpuid2 *c = NULL;
    size_t csize;

    if (!x) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "kvm: vCPU %d has no x86 CPU state",
                    v->cpu->index);
        return false;
    }
    csize = sizeof(*c) + a->cpuid->nent * sizeof(c->entries[0]);
    c = g_memdup2(a->cpuid, csize);
    x86_cpuid_set_topology(c, x);
    if (!x86_kvm_ioctl(v->fd, KVM_SET_CPUID2, c, "KVM_SET_CPUID2", errp)) {
        return false;
    }
    xv = g_new0(X86KvmVcpu, 1);
    v->arch = xv;
    if (!x86_kvm_ioctl(v->fd, KVM_GET_LAPIC, &xv->lapic, "KVM_GET_LAPIC", errp)) {
        return false;
    }
    kvm_arch_vcpu_reset(v);
    return true;
}

void kvm_arch_vcpu_destroy(KvmVcpu *v)
{
    g_free(v->arch);
    v->arch = NULL;
}

static void x86_seg(struct kvm_segment *s, uint16_t sel, uint64_t base, uint32_t limit,
                    uint8_t type, bool code_or_data, bool big)
{
    *s = (struct kvm_segment) {
        .base = base,
        .limit = limit,
        .selector = sel,
        .type = type,
        .present = 1,
        .s = code_or_data,
        .db = big,
        .g = limit > 0xfffff,
    };
}

/* Power-on state, or one of the protected/long mode entries of a loader. */
static void x86_entry_sregs(struct kvm_sregs *sr, const X86CPU *x)
{
    struct kvm_segment data;

    memset(sr, 0, sizeof(*sr));
    switch (x->entry) {
    case X86_ENTRY_FLAT32:
        x86_seg(&sr->cs, 0x08, 0, 0xffffffff, 0xb, true, true);   /* code, exec/read */
        x86_seg(&data, 0x10, 0, 0xffffffff, 0x3, true, true);     /* data, read/write */
        sr->cr0 = X86_CR0_PE | X86_CR0_ET;
        break;
    case X86_ENTRY_PROT32:
    case X86_ENTRY_LONG64: {
        bool lm = x->entry == X86_ENTRY_LONG64;

        /* The selectors index the GDT the loader wrote at gdt_base. */
        x86_seg(&sr->cs, 0x10, 0, 0xffffffff, 0xb, true, !lm);
        sr->cs.l = lm;
        x86_seg(&data, 0x18, 0, 0xffffffff, 0x3, true, true);
        sr->cr0 = X86_CR0_PE | X86_CR0_ET;
        sr->gdt.base = x->gdt_base;
        sr->gdt.limit = x->gdt_limit;
        if (lm) {
            sr->cr0 |= X86_CR0_PG;
            sr->cr3 = x->cr3;
            sr->cr4 = X86_CR4_PAE;
            sr->efer = X86_EFER_LME | X86_EFER_LMA;
        }
        break;
    }
    default:
        x86_seg(&sr->cs, 0xf000, 0xffff0000, 0xffff, 0xb, true, false);
        x86_seg(&data, 0, 0, 0xffff, 0x3, true, false);
        sr->cr0 = X86_CR0_CD | X86_CR0_NW | X86_CR0_ET;
        sr->gdt.limit = 0xffff;
        sr->idt.limit = 0xffff;
        break;
    }
    sr->ds = sr->es = sr->fs = sr->gs = sr->ss = data;
    x86_seg(&sr->tr, 0, 0, 0xffff, 0xb, false, false);            /* busy 32/64-bit TSS */
    x86_seg(&sr->ldt, 0, 0, 0xffff, 0x2, false, false);
    sr->apic_base = X86_APIC_BASE_DEFAULT | X86_APIC_BASE_ENABLE |
                    (x->bsp ? X86_APIC_BASE_BSP : 0);
}

void kvm_arch_vcpu_reset(KvmVcpu *v)
{
    X86KvmVcpu *xv = v->arch;
    const X86CPU *x = v->cpu->arch_state;
    struct kvm_sregs sr;
    struct kvm_regs regs = { .rflags = 0x2 };
    struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };
    struct kvm_mp_state mp = {
        .mp_state = x->bsp ? KVM_MP_STATE_RUNNABLE : KVM_MP_STATE_UNINITIALIZED,
    };

    x86_entry_sregs(&sr, x);
    if (x->entry != X86_ENTRY_RESET) {
        regs.rip = x->eip;
        regs.rax = x->eax;
        regs.rbx = x->ebx;
        regs.rsi = x->esi;
        regs.rsp = x->esp;
    } else {
        regs.rip = 0xfff0;
        regs.rdx = x86_cpuid_signature(v->s);
    }
    /* Failures here leave a vCPU KVM will refuse to enter; KVM_RUN reports it. */
    if (ioctl(v->fd, KVM_SET_LAPIC, &xv->lapic) < 0 ||
        ioctl(v->fd, KVM_SET_SREGS, &sr) < 0 ||
        ioctl(v->fd, KVM_SET_REGS, &regs) < 0 ||
        ioctl(v->fd, KVM_SET_FPU, &fpu) < 0 ||
        ioctl(v->fd, KVM_SET_MP_STATE, &mp) < 0) {
        fprintf(stderr, "tern: kvm: vCPU %d: register reset failed: %s\n", v->cpu->index,
                g_strerror(errno));
    }
    log_mask(LOG_RESET, "kvm: vCPU %d reset (%s, rip 0x%llx)\n", v->cpu->index,
             x->entry == X86_ENTRY_RESET ? "power-on" :
             x->entry == X86_ENTRY_FLAT32 ? "flat32" :
             x->entry == X86_ENTRY_PROT32 ? "prot32" : "long64",
             (unsigned long long)regs.rip);
}

static void x86_format_seg(GString *out, const char *name, const struct kvm_segment *s)
{
    g_string_append_printf(out, "%-3s =%04x %016llx %08x %04x\n", name, s->selector,
                           (unsigned long long)s->base, s->limit,
                           (s->type) | (s->s << 4) | (s->dpl << 5) | (s->present << 7) |
                           (s->avl << 12) | (s->l << 13) | (s->db << 14) | (s->g << 15));
}

void x86_format_regs(GString *out, const struct kvm_regs *r, const struct kvm_sregs *sr)
{
    g_string_append_printf(out, "RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n",
                           r->rax, r->rbx, r->rcx, r->rdx);
    g_string_append_printf(out, "RSI=%016llx RDI=%016llx RBP=%016llx RSP=%016llx\n",
                           r->rsi, r->rdi, r->rbp, r->rsp);
    g_string_append_printf(out, "R8 =%016llx R9 =%016llx R10=%016llx R11=%016llx\n",
                           r->r8, r->r9, r->r10, r->r11);
    g_string_append_printf(out, "R12=%016llx R13=%016llx R14=%016llx R15=%016llx\n",
                           r->r12, r->r13, r->r14, r->r15);
    g_string_append_printf(out, "RIP=%016llx RFL=%08llx\n", r->rip, r->rflags);
    x86_format_seg(out, "ES", &sr->es);
    x86_format_seg(out, "CS", &sr->cs);
    x86_format_seg(out, "SS", &sr->ss);
    x86_format_seg(out, "DS", &sr->ds);
    x86_format_seg(out, "FS", &sr->fs);
    x86_format_seg(out, "GS", &sr->gs);
    x86_format_seg(out, "LDT", &sr->ldt);
    x86_format_seg(out, "TR", &sr->tr);
    g_string_append_printf(out, "GDT=     %016llx %08x\nIDT=     %016llx %08x\n",
                           (unsigned long long)sr->gdt.base, sr->gdt.limit,
                           (unsigned long long)sr->idt.base, sr->idt.limit);
    g_string_append_printf(out, "CR0=%08llx CR2=%016llx CR3=%016llx CR4=%08llx\n",
                           sr->cr0, sr->cr2, sr->cr3, sr->cr4);
    g_string_append_printf(out, "EFER=%016llx APIC_BASE=%016llx\n", sr->efer, sr->apic_base);
}

void kvm_arch_dump_state(KvmVcpu *v, FILE *out)
{
    struct kvm_regs r;
    struct kvm_sregs sr;
    g_autoptr(GString) s = g_string_new(NULL);

    if (ioctl(v->fd, KVM_GET_REGS, &r) < 0 || ioctl(v->fd, KVM_GET_SREGS, &sr) < 0) {
        fprintf(out, "(registers unavailable: %s)\n", g_strerror(errno));
        return;
    }
    x86_format_regs(s, &r, &sr);
    fputs(s->str, out);
}
