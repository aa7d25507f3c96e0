/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP commands over the block, network and PCI layers and the
 * accelerators: `info block`, `info blockstats`, `info network`,
 * `info usernet`, `info pci`, `set_link`, `info kvm`, `info jit`,
 * `info tlb`, `info irq`; and the KVM x86 vCPU's registers, $reg lookup
 * and page walk for `x` (a machine's own CPU code may replace them, as the
 * AArch64 CPU does). They live here because the monitor library must not
 * depend on every backend.
 */
#include "system/hmp-cmds.h"

#include <inttypes.h>
#include <linux/kvm.h>
#include <string.h>

#include "accel/kvm/kvm-debug.h"
#include "accel/kvm/kvm.h"
#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/tcg-stats.h"
#include "block/drive.h"
#include "hw/pci/pci.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "net/net.h"
#include "net/slirp.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "target/i386/cpu.h"
#include "target/i386/pagewalk.h"

static void print_drive(const DriveInfo *d, void *opaque)
{
    g_autofree char *text = drive_describe(d);

    monitor_printf(opaque, "%s\n", text);
}

static void hmp_info_block(Monitor *mon, const char *args)
{
    drive_foreach(print_drive, mon);
}

static void hmp_info_network(Monitor *mon, const char *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    net_print_info(out);
    monitor_puts(mon, out->str);
}

static void hmp_info_usernet(Monitor *mon, const char *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    net_slirp_print_usernet(out);
    monitor_puts(mon, out->str);
}

static void hmp_info_pci(Monitor *mon, const char *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    pci_print_info(out);
    monitor_puts(mon, out->str);
}

static void hmp_set_link(Monitor *mon, const char *args)
{
    g_auto(GStrv) words = g_strsplit_set(args ? args : "", " \t", -1);
    g_autoptr(GError) err = NULL;
    const char *name = NULL, *state = NULL;
    bool up;

    for (char **w = words; *w; w++) {
        if (!**w) {
            continue;
        }
        if (!name) {
            name = *w;
        } else if (!state) {
            state = *w;
        }
    }
    if (!name || !state || (!g_str_equal(state, "on") && !g_str_equal(state, "off"))) {
        monitor_printf(mon, "usage: set_link NAME on|off\n");
        return;
    }
    up = g_str_equal(state, "on");
    if (!net_set_link(name, up, &err)) {
        monitor_printf(mon, "%s\n", err->message);
    }
}

static void print_drive_stats(const DriveInfo *d, void *opaque)
{
    monitor_printf(opaque, "%s: in_flight=%u\n", d->id,
                   d->blk ? blk_in_flight(d->blk) : 0);
}

/*
 * The block layer keeps no per-device byte or operation counters yet, so
 * only what it does know is shown, and the output says so.
 */
static void hmp_info_blockstats(Monitor *mon, const char *args)
{
    drive_foreach(print_drive_stats, mon);
    monitor_printf(mon, "(no per-device I/O counters are kept)\n");
}

/* ---- accelerators ---- */

/* The vCPU `cpu N` selected, or the first one; NULL on a CPU-less machine. */
static CPUState *hmp_cpu(void)
{
    CPUState *cpu = cpu_by_index(hmp_current_cpu_index());

    return cpu ? cpu : cpu_by_index(0);
}

static void hmp_info_kvm(Monitor *mon, const char *args)
{
    monitor_printf(mon, "kvm support: %s\n", kvm_enabled() ? "enabled" : "disabled");
}

static void hmp_info_jit(Monitor *mon, const char *args)
{
    TCGJitStats st;

    if (!tcg_jit_stats_get(&st)) {
        monitor_printf(mon, "JIT not in use (accelerator: %s)\n",
                       kvm_enabled() ? "kvm" : "none");
        return;
    }
    monitor_printf(mon, "Translation buffer state:\n");
    monitor_printf(mon, "gen code size       %zu/%zu (%zu%%)\n", st.code_used, st.code_size,
                   st.code_size ? st.code_used * 100 / st.code_size : 0);
    monitor_printf(mon, "TB count            %zu\n", st.live_tbs);
    monitor_printf(mon, "TBs translated      %" PRIu64 "\n", st.translated);
    monitor_printf(mon, "TBs invalidated     %" PRIu64 "\n", st.invalidated);
    monitor_printf(mon, "direct jumps        %" PRIu64 " chained\n", st.chained);
    monitor_printf(mon, "TB flush count      %" PRIu64 "\n", st.flushes);
    monitor_printf(mon, "vCPUs               %zu\n", st.vcpus);
}

typedef struct TlbDump {
    GString *out;
    bool ok;
} TlbDump;

static void tlb_dump_on_cpu(CPUState *cpu, void *data)
{
    TlbDump *d = data;

    d->ok = tcg_tlb_dump(cpu, d->out);
}

static bool x86_phys_read(void *opaque, uint64_t paddr, uint64_t *val, unsigned size)
{
    *val = 0;
    return address_space_read(address_space_memory(), paddr, val, size) == MEMTX_OK;
}

static bool x86_get_sregs(CPUState *cpu, struct kvm_sregs *sr)
{
    return cpu && kvm_enabled() && kvm_vcpu_ioctl_sync(cpu, KVM_GET_SREGS, sr) == 0;
}

/* Lines of `info tlb` on x86 at most, so a huge identity map cannot stall. */
#define X86_TLB_MAX_LINES 4096

typedef struct X86TlbWalk {
    GString *out;
    unsigned lines;
    bool pae;           /* 8-byte entries */
} X86TlbWalk;

/*
 * One page-table level: bits is the address bits this level decodes,
 * shift the lowest of them. Entries with PS (bit 7) below the top level
 * are large pages; the last level maps pages.
 */
static void x86_tlb_walk(X86TlbWalk *w, uint64_t table, int level, const unsigned *shifts,
                         unsigned nlevels, unsigned entries, uint64_t va_base)
{
    unsigned esize = w->pae ? 8 : 4;
    uint64_t addr_mask = w->pae ? 0x000ffffffffff000ull : 0xfffff000ull;

    for (unsigned i = 0; i < entries && w->lines < X86_TLB_MAX_LINES; i++) {
        uint64_t e = 0, va = va_base | ((uint64_t)i << shifts[level]);
        bool leaf = (unsigned)level == nlevels - 1;

        if (!x86_phys_read(NULL, table + i * esize, &e, esize) || !(e & 1)) {
            continue;
        }
        /* PDPTEs of 32-bit PAE have no PS bit; long-mode PDPT and PD do. */
        if (!leaf && level > 0 && (e & 0x80)) {
            leaf = true;
        } else if (!leaf && level == 0 && nlevels == 4 && (e & 0x80)) {
            continue;
        }
        if (nlevels == 4 && level == 0 && (va & (1ull << 47))) {
            va |= 0xffff000000000000ull;
        }
        if (leaf) {
            uint64_t pa = e & addr_mask & ~((1ull << shifts[level]) - 1);

            g_string_append_printf(w->out, "%016" PRIx64 ": %016" PRIx64 " %s%s%s%s\n",
                                   va, pa, e & 2 ? "W" : "-", e & 4 ? "U" : "-",
                                   w->pae && (e >> 63) ? "-" : "X",
                                   shifts[level] > 12 ? " (large)" : "");
            w->lines++;
            continue;
        }
        x86_tlb_walk(w, e & addr_mask, level + 1, shifts, nlevels,
                     w->pae ? 512 : 1024, va);
    }
}

/* QEMU-like `info tlb` for x86: every present mapping of the page tables. */
static void x86_info_tlb(Monitor *mon, CPUState *cpu)
{
    static const unsigned long_shifts[] = { 39, 30, 21, 12 };
    static const unsigned pae_shifts[] = { 30, 21, 12 };
    static const unsigned legacy_shifts[] = { 22, 12 };
    g_autoptr(GString) out = g_string_new(NULL);
    struct kvm_sregs sr;
    X86TlbWalk w = { .out = out };

    if (!x86_get_sregs(cpu, &sr)) {
        monitor_printf(mon, "info tlb: cannot read the CPU's control registers\n");
        return;
    }
    if (!(sr.cr0 & (1ull << 31))) {
        monitor_printf(mon, "PG disabled\n");
        return;
    }
    if (sr.efer & (1ull << 10)) {
        if (sr.cr4 & (1ull << 12)) {
            monitor_printf(mon, "info tlb: 5-level paging is not supported\n");
            return;
        }
        w.pae = true;
        x86_tlb_walk(&w, sr.cr3 & 0x000ffffffffff000ull, 0, long_shifts, 4, 512, 0);
    } else if (sr.cr4 & (1ull << 5)) {
        w.pae = true;
        x86_tlb_walk(&w, sr.cr3 & 0xffffffe0ull, 0, pae_shifts, 3, 4, 0);
    } else {
        x86_tlb_walk(&w, sr.cr3 & 0xfffff000ull, 0, legacy_shifts, 2, 1024, 0);
    }
    if (w.lines >= X86_TLB_MAX_LINES) {
        g_string_append_printf(out, "(stopped after %u mappings)\n", X86_TLB_MAX_LINES);
    } else if (!w.lines) {
        g_string_append(out, "no present mappings\n");
    }
    monitor_puts(mon, out->str);
}

static void hmp_info_tlb(Monitor *mon, const char *args)
{
    CPUState *cpu = hmp_cpu();

    if (!cpu) {
        monitor_printf(mon, "info tlb: the machine has no CPU\n");
        return;
    }
    if (tcg_enabled()) {
        TlbDump d = { g_string_new(NULL), false };

        run_on_cpu(cpu, tlb_dump_on_cpu, &d);
        if (d.ok) {
            monitor_puts(mon, d.out->str);
        } else {
            monitor_printf(mon, "info tlb: CPU %d has no JIT TLB\n", cpu->index);
        }
        g_string_free(d.out, TRUE);
        return;
    }
    if (kvm_enabled()) {
        x86_info_tlb(mon, cpu);
        return;
    }
    monitor_printf(mon, "info tlb: not available with this accelerator\n");
}

static void collect_cpu(CPUState *cpu, void *opaque)
{
    g_ptr_array_add(opaque, cpu);
}

/*
 * Interrupt lines pending at each vCPU (what the interrupt controllers
 * raised and the CPU has not yet taken). Under KVM the controllers live in
 * the kernel, which keeps no counts we can read.
 */
static void hmp_info_irq(Monitor *mon, const char *args)
{
    static const char *const names[] = { "HARD", "FIQ", "NMI", "INIT", "SIPI", "RESET",
                                         "EXITTB" };
    g_autoptr(GPtrArray) cpus = g_ptr_array_new();

    cpu_foreach(collect_cpu, cpus);
    if (kvm_enabled()) {
        monitor_printf(mon, "interrupt controllers are in the KVM kernel module\n");
    }
    for (guint i = 0; i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);
        uint32_t req = __atomic_load_n(&cpu->interrupt_request, __ATOMIC_RELAXED);
        g_autoptr(GString) line = g_string_new(NULL);

        for (unsigned b = 0; b < 32; b++) {
            if (!(req & (1u << b))) {
                continue;
            }
            if (b < G_N_ELEMENTS(names)) {
                g_string_append_printf(line, " %s", names[b]);
            } else {
                g_string_append_printf(line, " bit%u", b);
            }
        }
        monitor_printf(mon, "CPU #%d: pending%s%s\n", cpu->index,
                       line->len ? "" : " none", line->str);
    }
    if (!cpus->len) {
        monitor_printf(mon, "no CPUs\n");
    }
}

/* ---- the KVM x86 vCPU ---- */

static void x86_info_registers(Monitor *mon, const char *args)
{
    CPUState *cpu = hmp_cpu();
    struct kvm_regs r;
    struct kvm_sregs sr;

    if (!cpu || !kvm_enabled()) {
        monitor_printf(mon, "info registers: no CPU registers on this machine\n");
        return;
    }
    if (kvm_vcpu_ioctl_sync(cpu, KVM_GET_REGS, &r) < 0 ||
        kvm_vcpu_ioctl_sync(cpu, KVM_GET_SREGS, &sr) < 0) {
        monitor_printf(mon, "info registers: cannot read the registers of CPU %d\n",
                       cpu->index);
        return;
    }
    g_autoptr(GString) out = g_string_new(NULL);
    g_string_append_printf(out, "CPU#%d\n", cpu->index);
    x86_format_regs(out, &r, &sr);
    monitor_puts(mon, out->str);
}

static bool x86_register_lookup(void *opaque, const char *name, uint64_t *value)
{
    static const struct {
        const char *name;
        size_t off;
    } gprs[] = {
        { "rax", offsetof(struct kvm_regs, rax) }, { "rbx", offsetof(struct kvm_regs, rbx) },
        { "rcx", offsetof(struct kvm_regs, rcx) }, { "rdx", offsetof(struct kvm_regs, rdx) },
        { "rsi", offsetof(struct kvm_regs, rsi) }, { "rdi", offsetof(struct kvm_regs, rdi) },
        { "rbp", offsetof(struct kvm_regs, rbp) }, { "rsp", offsetof(struct kvm_regs, rsp) },
        { "r8", offsetof(struct kvm_regs, r8) }, { "r9", offsetof(struct kvm_regs, r9) },
        { "r10", offsetof(struct kvm_regs, r10) }, { "r11", offsetof(struct kvm_regs, r11) },
        { "r12", offsetof(struct kvm_regs, r12) }, { "r13", offsetof(struct kvm_regs, r13) },
        { "r14", offsetof(struct kvm_regs, r14) }, { "r15", offsetof(struct kvm_regs, r15) },
        { "rip", offsetof(struct kvm_regs, rip) }, { "pc", offsetof(struct kvm_regs, rip) },
        { "rflags", offsetof(struct kvm_regs, rflags) },
        { "eflags", offsetof(struct kvm_regs, rflags) },
    };
    CPUState *cpu = hmp_cpu();
    struct kvm_regs r;
    struct kvm_sregs sr;
    bool want32 = false;
    char full[8];

    if (!cpu || !kvm_enabled()) {
        return false;
    }
    /* $eax and friends are the low halves of the 64-bit registers. */
    if (name[0] == 'e' && strlen(name) == 3 && strcmp(name, "efl") != 0) {
        g_snprintf(full, sizeof(full), "r%s", name + 1);
        name = full;
        want32 = true;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(gprs); i++) {
        if (g_ascii_strcasecmp(name, gprs[i].name) == 0) {
            if (kvm_vcpu_ioctl_sync(cpu, KVM_GET_REGS, &r) < 0) {
                return false;
            }
            memcpy(value, (const char *)&r + gprs[i].off, sizeof(*value));
            if (want32) {
                *value &= 0xffffffffu;
            }
            return true;
        }
    }
    if (kvm_vcpu_ioctl_sync(cpu, KVM_GET_SREGS, &sr) < 0) {
        return false;
    }
    if (!g_ascii_strcasecmp(name, "cr0")) {
        *value = sr.cr0;
    } else if (!g_ascii_strcasecmp(name, "cr2")) {
        *value = sr.cr2;
    } else if (!g_ascii_strcasecmp(name, "cr3")) {
        *value = sr.cr3;
    } else if (!g_ascii_strcasecmp(name, "cr4")) {
        *value = sr.cr4;
    } else if (!g_ascii_strcasecmp(name, "efer")) {
        *value = sr.efer;
    } else if (!g_ascii_strcasecmp(name, "cs")) {
        *value = sr.cs.selector;
    } else if (!g_ascii_strcasecmp(name, "ds")) {
        *value = sr.ds.selector;
    } else if (!g_ascii_strcasecmp(name, "ss")) {
        *value = sr.ss.selector;
    } else {
        return false;
    }
    return true;
}

typedef struct TranslateReq {
    uint64_t vaddr, paddr;
    bool ok;
} TranslateReq;

static void translate_on_cpu(CPUState *cpu, void *data)
{
    TranslateReq *t = data;

    t->ok = tcg_debug_translate(cpu, t->vaddr, &t->paddr);
}

/*
 * `x` for every machine: the JIT's own page walk, the x86 page tables of
 * a KVM vCPU, or physical addresses when there is no CPU to ask.
 */
static bool hmp_virt_to_phys(void *opaque, uint64_t vaddr, uint64_t *paddr)
{
    CPUState *cpu = hmp_cpu();
    struct kvm_sregs sr;

    if (!cpu) {
        *paddr = vaddr;
        return true;
    }
    if (tcg_enabled()) {
        TranslateReq t = { .vaddr = vaddr };

        run_on_cpu(cpu, translate_on_cpu, &t);
        *paddr = t.paddr;
        return t.ok;
    }
    if (kvm_enabled() && x86_get_sregs(cpu, &sr)) {
        X86PagingState st = { .cr0 = sr.cr0, .cr3 = sr.cr3, .cr4 = sr.cr4, .efer = sr.efer };
        uint64_t page;

        return x86_paging_translate(&st, vaddr, x86_phys_read, NULL, paddr, &page);
    }
    *paddr = vaddr;
    return true;
}

/* query-kvm asks the accelerator itself, so no start-up hook can be missed. */
static bool qmp_query_kvm_live(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "enabled", kvm_enabled());
    json_object_set_boolean_member(o, "present", kvm_enabled() || kvm_available());
    *ret = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(*ret, o);
    return true;
}

void hmp_cmds_register(void)
{
    hmp_register_info("blockstats", "", "show block device statistics",
                      hmp_info_blockstats);
    hmp_register_info("kvm", "", "show KVM information", hmp_info_kvm);
    hmp_register_info("jit", "", "show dynamic compiler info", hmp_info_jit);
    hmp_register_info("tlb", "", "show virtual to physical memory mappings", hmp_info_tlb);
    hmp_register_info("irq", "", "show the interrupts pending at each CPU", hmp_info_irq);
    /* The AArch64 CPU registers its own when the virt board creates it. */
    hmp_register_info("registers", "", "show the cpu registers", x86_info_registers);
    hmp_set_register_lookup(x86_register_lookup, NULL);
    hmp_set_virt_translate(hmp_virt_to_phys, NULL);
    qmp_register_command("query-kvm", qmp_query_kvm_live, NULL);
    hmp_register_info("block", "", "show the block devices", hmp_info_block);
    hmp_register_info("network", "", "show the network state", hmp_info_network);
    hmp_register_info("pci", "", "show PCI info", hmp_info_pci);
    hmp_register_info("usernet", "", "show user network stack connection states",
                      hmp_info_usernet);
    hmp_register_command("set_link", "name on|off", "change the link status of a network adapter",
                         hmp_set_link);
}
