/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdb remote-protocol server: a frontend on a chardev that turns
 * packets into register, memory, breakpoint and run-control operations on
 * the machine, in all-stop mode. The architecture (gdbstub/arch.h)
 * supplies register layout, address translation and debug-register
 * programming; this file keeps the breakpoint lists, the thread model
 * (one gdb thread per vCPU) and the conversation. Software breakpoints are
 * either instructions written into guest memory (KVM) or addresses the
 * accelerator compares the PC with (the translator: update_sw_breaks).
 *
 * Run control: a resume programs every vCPU (single-step, breakpoints) and
 * starts the VM; a vCPU that hits a debug event returns CPU_EXIT_DEBUG,
 * which stops the VM in RUN_STATE_DEBUG. The stop reply is sent from an
 * idle callback rather than from the run-state notifier, because building
 * it calls into the vCPU threads (run_on_cpu) and the notifier runs in the
 * middle of vm_stop().
 */
#include <errno.h>
#include <string.h>

#include "accel/kvm/kvm.h"
#include "accel/tcg/cpu-exec.h"
#include "chardev/char.h"
#include "gdbstub/arch.h"
#include "gdbstub/gdbstub.h"
#include "gdbstub/proto.h"
#include "monitor/monitor.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

#define GDB_SIGNAL_INT   2
#define GDB_SIGNAL_TRAP  5
#define GDB_MAX_INSN     16
#define GDB_MAX_VCONT    64

/* errno values in E replies, as gdbserver uses them. */
#define GDB_EFAULT 14
#define GDB_EINVAL 22
#define GDB_ENOSPC 28

typedef struct GdbSwBreak {
    uint64_t addr;          /* guest virtual, as gdb gave it */
    uint64_t paddr;         /* where the instruction was written */
    uint8_t saved[GDB_MAX_INSN];
} GdbSwBreak;

typedef struct GdbServer {
    CharFrontend fe;
    Chardev *chr;
    bool own_chr;           /* created by us, deleted with the server */
    char *device;
    const GdbArch *arch;
    GdbParser parser;
    GString *last;          /* last framed reply, resent on '-' */
    bool connected;
    bool no_ack;
    bool peer_swbreak, peer_hwbreak;
    bool waiting_stop;      /* gdb expects a stop reply */
    bool interrupted;       /* the pending stop is our own Ctrl-C */
    bool debug_armed;       /* some vCPU has guest debugging on */
    bool shutting_down;
    bool in_rcmd;           /* running a monitor command for gdb */
    guint stop_idle;
    int g_cpu, c_cpu;       /* vCPU indices selected by Hg / Hc */
    GArray *sw;             /* GdbSwBreak */
    GArray *hw;             /* GdbHwBreak, in slot order */
    GArray *stepping;       /* gboolean per vCPU index of the last resume */
    GString *stop_reply;    /* answer to '?' */
    Monitor *mon;           /* qRcmd */
    GString *mon_out;
} GdbServer;

/* The server HMP and the notifiers reach; NULL when none is listening. */
static GdbServer *gdb_server;
static bool gdb_notifiers_added;

/* ---- sending ---- */

static void gdb_send_raw(GdbServer *s, const void *buf, size_t len)
{
    char_fe_write(&s->fe, buf, (int)len);
}

static void gdb_reply(GdbServer *s, const void *payload, size_t len)
{
    g_string_truncate(s->last, 0);
    gdb_packet_frame(s->last, payload, len);
    gdb_send_raw(s, s->last->str, s->last->len);
}

static void gdb_reply_str(GdbServer *s, const char *str)
{
    gdb_reply(s, str, strlen(str));
}

static void G_GNUC_PRINTF(2, 3) gdb_reply_fmt(GdbServer *s, const char *fmt, ...)
{
    g_autofree char *str = NULL;
    va_list ap;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    gdb_reply_str(s, str);
}

static void gdb_reply_error(GdbServer *s, int err)
{
    gdb_reply_fmt(s, "E%02x", err & 0xff);
}

/* ---- vCPUs and threads ---- */

static CPUState *gdb_cpu(int index)
{
    CPUState *cpu = cpu_by_index(index);

    return cpu ? cpu : cpu_by_index(0);
}

static int gdb_tid(CPUState *cpu)
{
    return cpu ? cpu->index + 1 : 1;
}

/* Thread id from a packet -> vCPU, or NULL for an unknown id. */
static CPUState *gdb_cpu_from_tid(GdbServer *s, int64_t tid, int current)
{
    if (tid == GDB_THREAD_ALL || tid == GDB_THREAD_ANY) {
        return gdb_cpu(current);
    }
    return tid > G_MAXINT ? NULL : cpu_by_index((int)tid - 1);
}

/* ---- guest memory ---- */

static bool gdb_phys_rw(uint64_t pa, uint8_t *buf, uint64_t len, bool write)
{
    AddressSpace *as = address_space_memory();

    /* ROM too: breakpoints in firmware must land. */
    return (write ? address_space_write_rom(as, pa, buf, len)
                  : address_space_read(as, pa, buf, len)) == MEMTX_OK;
}

/* Virtual access through cpu's page tables; returns the bytes done. */
static uint64_t gdb_virt_rw(GdbServer *s, CPUState *cpu, uint64_t addr, uint8_t *buf,
                            uint64_t len, bool write)
{
    uint64_t done = 0;

    if (s->arch->rw_virt) {
        return s->arch->rw_virt(cpu, addr, buf, len, write);
    }
    while (done < len) {
        uint64_t pa, contiguous, chunk;

        if (!s->arch->virt_to_phys(cpu, addr + done, &pa, &contiguous)) {
            break;
        }
        chunk = MIN(contiguous, len - done);
        if (!gdb_phys_rw(pa, buf + done, chunk, write)) {
            break;
        }
        done += chunk;
    }
    return done;
}

/* Overlap of [a, a + alen) and [b, b + blen) as offsets into each. */
static bool gdb_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen,
                        uint64_t *start, uint64_t *end)
{
    *start = MAX(a, b);
    *end = MIN(a + alen, b + blen);
    return *start < *end;
}

/* gdb reads the original instructions, not our breakpoints. */
static void gdb_hide_breakpoints(GdbServer *s, uint64_t addr, uint8_t *buf, uint64_t len)
{
    for (guint i = 0; !s->arch->update_sw_breaks && i < s->sw->len; i++) {
        GdbSwBreak *bp = &g_array_index(s->sw, GdbSwBreak, i);
        uint64_t lo, hi;

        if (gdb_overlap(addr, len, bp->addr, s->arch->bp_insn_len, &lo, &hi)) {
            memcpy(buf + (lo - addr), bp->saved + (lo - bp->addr), hi - lo);
        }
    }
}

/* A write over a breakpoint changes what it will restore, and keeps it. */
static void gdb_keep_breakpoints(GdbServer *s, CPUState *cpu, uint64_t addr,
                                 const uint8_t *buf, uint64_t len)
{
    for (guint i = 0; !s->arch->update_sw_breaks && i < s->sw->len; i++) {
        GdbSwBreak *bp = &g_array_index(s->sw, GdbSwBreak, i);
        uint64_t lo, hi;

        if (gdb_overlap(addr, len, bp->addr, s->arch->bp_insn_len, &lo, &hi)) {
            memcpy(bp->saved + (lo - bp->addr), buf + (lo - addr), hi - lo);
            gdb_phys_rw(bp->paddr, (uint8_t *)s->arch->bp_insn, s->arch->bp_insn_len, true);
        }
    }
}

/* ---- breakpoints ---- */

static int gdb_find_sw(GdbServer *s, uint64_t addr)
{
    for (guint i = 0; i < s->sw->len; i++) {
        if (g_array_index(s->sw, GdbSwBreak, i).addr == addr) {
            return (int)i;
        }
    }
    return -1;
}

static int gdb_find_hw(GdbServer *s, GdbBreakType type, uint64_t addr, uint64_t len)
{
    for (guint i = 0; i < s->hw->len; i++) {
        GdbHwBreak *bp = &g_array_index(s->hw, GdbHwBreak, i);

        if (bp->type == type && bp->addr == addr && bp->len == len) {
            return (int)i;
        }
    }
    return -1;
}

static int gdb_insert_sw(GdbServer *s, uint64_t addr)
{
    const GdbArch *a = s->arch;
    GdbSwBreak bp = { .addr = addr };
    uint64_t contiguous;

    if (gdb_find_sw(s, addr) >= 0) {
        return 0;
    }
    if (a->update_sw_breaks) {
        /* kept by the accelerator: nothing to write */
        g_array_append_val(s->sw, bp);
        return 0;
    }
    if (!a->bp_insn_len || a->bp_insn_len > GDB_MAX_INSN) {
        return -ENOSYS;
    }
    if (!a->virt_to_phys(gdb_cpu(s->g_cpu), addr, &bp.paddr, &contiguous) ||
        contiguous < a->bp_insn_len ||
        !gdb_phys_rw(bp.paddr, bp.saved, a->bp_insn_len, false) ||
        !gdb_phys_rw(bp.paddr, (uint8_t *)a->bp_insn, a->bp_insn_len, true)) {
        return -EFAULT;
    }
    g_array_append_val(s->sw, bp);
    return 0;
}

static void gdb_remove_sw_at(GdbServer *s, guint i)
{
    GdbSwBreak *bp = &g_array_index(s->sw, GdbSwBreak, i);

    if (!s->arch->update_sw_breaks) {
        gdb_phys_rw(bp->paddr, bp->saved, s->arch->bp_insn_len, true);
    }
    g_array_remove_index(s->sw, i);
}

static int gdb_breakpoint(GdbServer *s, bool insert, int type, uint64_t addr, uint64_t len)
{
    GdbHwBreak hw = { .type = type, .addr = addr, .len = type == GDB_BP_HW ? 1 : len };
    int i;

    if (type == GDB_BP_SW) {
        if (insert) {
            return gdb_insert_sw(s, addr);
        }
        i = gdb_find_sw(s, addr);
        if (i >= 0) {
            gdb_remove_sw_at(s, i);
        }
        return 0;
    }
    if (!s->arch->max_hw_breaks || !s->arch->update_debug ||
        (type != GDB_BP_HW && s->arch->no_watchpoints)) {
        return -ENOSYS;
    }
    i = gdb_find_hw(s, hw.type, hw.addr, hw.len);
    if (!insert) {
        if (i >= 0) {
            g_array_remove_index(s->hw, i);
        }
        return 0;
    }
    if (i >= 0) {
        return 0;
    }
    if (s->arch->hw_break_valid && !s->arch->hw_break_valid(&hw)) {
        return -EINVAL;
    }
    if ((int)s->hw->len >= s->arch->max_hw_breaks) {
        return -ENOSPC;
    }
    g_array_append_val(s->hw, hw);
    return 0;
}

static void gdb_disarm_cpu(CPUState *cpu, void *opaque)
{
    GdbServer *s = opaque;

    if (s->arch->update_sw_breaks) {
        s->arch->update_sw_breaks(cpu, NULL, 0);
    }
    s->arch->update_debug(cpu, false, false, NULL, 0);
}

/* Back to an undebugged machine: memory restored, debug registers off. */
static void gdb_remove_all(GdbServer *s)
{
    while (s->sw->len) {
        gdb_remove_sw_at(s, s->sw->len - 1);
    }
    g_array_set_size(s->hw, 0);
    g_array_set_size(s->stepping, 0);
    if (s->debug_armed && s->arch->update_debug) {
        cpu_foreach(gdb_disarm_cpu, s);
    }
    s->debug_armed = false;
}

/* ---- run control ---- */

static bool gdb_cpu_steps(GdbServer *s, CPUState *cpu)
{
    return cpu->index < (int)s->stepping->len &&
           g_array_index(s->stepping, gboolean, cpu->index);
}

typedef struct ArmCtx {
    GdbServer *s;
    int err;
} ArmCtx;

static void gdb_arm_cpu(CPUState *cpu, void *opaque)
{
    ArmCtx *c = opaque;
    GdbServer *s = c->s;
    int r = 0;

    if (s->arch->update_sw_breaks) {
        g_autofree uint64_t *addrs = g_new(uint64_t, s->sw->len + 1);

        for (guint i = 0; i < s->sw->len; i++) {
            addrs[i] = g_array_index(s->sw, GdbSwBreak, i).addr;
        }
        r = s->arch->update_sw_breaks(cpu, addrs, s->sw->len);
    }
    if (r >= 0) {
        r = s->arch->update_debug(cpu, gdb_cpu_steps(s, cpu), s->sw->len > 0,
                                  (const GdbHwBreak *)s->hw->data, s->hw->len);
    }
    if (r < 0 && !c->err) {
        c->err = r;
    }
}

/*
 * Start the VM with the vCPUs flagged in s->stepping single-stepping.
 * Every vCPU runs: all-stop gdb expects the others to be resumed too.
 */
static void gdb_resume(GdbServer *s)
{
    ArmCtx c = { .s = s };
    RunState st = runstate_get();

    if (s->arch->update_debug) {
        cpu_foreach(gdb_arm_cpu, &c);
        s->debug_armed = true;
    }
    if (c.err) {
        log_mask(LOG_KVM, "gdbstub: cannot program guest debugging: %s\n", g_strerror(-c.err));
        g_array_set_size(s->stepping, 0);
        gdb_reply_error(s, -c.err);
        return;
    }
    s->waiting_stop = true;
    s->interrupted = false;
    if (runstate_is_running()) {
        return;
    }
    if (!runstate_can_transition(st, RUN_STATE_RUNNING)) {
        /* shutdown or internal error: nothing can run, say so at once */
        s->waiting_stop = false;
        gdb_reply_fmt(s, "T%02xthread:%02x;", GDB_SIGNAL_INT, gdb_tid(gdb_cpu(s->c_cpu)));
        return;
    }
    vm_start();
}

static void gdb_set_stepping(GdbServer *s, CPUState *cpu, bool on)
{
    gboolean v = on;

    if (cpu->index >= (int)s->stepping->len) {
        g_array_set_size(s->stepping, cpu->index + 1);
    }
    g_array_index(s->stepping, gboolean, cpu->index) = v;
}

static void gdb_clear_step_cpu(CPUState *cpu, void *opaque)
{
    GdbServer *s = opaque;

    if (gdb_cpu_steps(s, cpu)) {
        s->arch->update_debug(cpu, false, s->sw->len > 0,
                              (const GdbHwBreak *)s->hw->data, s->hw->len);
    }
}

static void gdb_stop_reply_build(GdbServer *s, GString *r)
{
    CPUState *cpu = cpu_debug_stop_cpu();
    GdbStopReason why = { .kind = GDB_STOP_OTHER };

    if (runstate_get() != RUN_STATE_DEBUG || s->interrupted || !cpu) {
        cpu = gdb_cpu(s->c_cpu);
        g_string_printf(r, "T%02xthread:%02x;", GDB_SIGNAL_INT, gdb_tid(cpu));
        return;
    }
    if (s->arch->stop_reason) {
        s->arch->stop_reason(cpu, (const GdbHwBreak *)s->hw->data, s->hw->len, &why);
    }
    g_string_printf(r, "T%02x", GDB_SIGNAL_TRAP);
    if (why.kind == GDB_STOP_SWBREAK && gdb_find_sw(s, why.pc) >= 0 && s->peer_swbreak) {
        g_string_append(r, "swbreak:;");
    } else if (why.kind == GDB_STOP_HW && why.slot < (int)s->hw->len) {
        const GdbHwBreak *bp = &g_array_index(s->hw, GdbHwBreak, why.slot);
        static const char *const watch[] = {
            [GDB_WP_WRITE] = "watch", [GDB_WP_READ] = "rwatch", [GDB_WP_ACCESS] = "awatch",
        };

        if (bp->type == GDB_BP_HW) {
            if (s->peer_hwbreak) {
                g_string_append(r, "hwbreak:;");
            }
        } else {
            g_string_append_printf(r, "%s:%" G_GINT64_MODIFIER "x;", watch[bp->type], bp->addr);
        }
    }
    g_string_append_printf(r, "thread:%02x;", gdb_tid(cpu));
    s->g_cpu = s->c_cpu = cpu->index;
}

static gboolean gdb_report_stop(gpointer opaque)
{
    GdbServer *s = opaque;

    s->stop_idle = 0;
    if (!s->connected || !s->waiting_stop || runstate_is_running()) {
        return G_SOURCE_REMOVE;
    }
    s->waiting_stop = false;
    gdb_stop_reply_build(s, s->stop_reply);
    s->interrupted = false;
    /* A step is over; do not trap again if someone else resumes. */
    if (s->stepping->len && s->arch->update_debug) {
        cpu_foreach(gdb_clear_step_cpu, s);
    }
    g_array_set_size(s->stepping, 0);
    gdb_reply(s, s->stop_reply->str, s->stop_reply->len);
    return G_SOURCE_REMOVE;
}

static void gdb_vm_state_change(void *opaque, bool running, RunState st)
{
    GdbServer *s = gdb_server;

    if (running || !s || !s->connected || !s->waiting_stop || s->shutting_down ||
        st == RUN_STATE_SHUTDOWN || s->stop_idle) {
        return;
    }
    s->stop_idle = g_idle_add(gdb_report_stop, s);
}

static void gdb_shutdown(void *opaque, ShutdownCause cause)
{
    GdbServer *s = gdb_server;

    if (!s || s->shutting_down) {
        return;
    }
    s->shutting_down = true;
    if (s->connected) {
        /* gdb reports "exited with code N" for the machine's exit status. */
        gdb_reply_fmt(s, "W%02x", get_exit_status() & 0xff);
    }
}

/* Ctrl-C from gdb: stop everything and report SIGINT. */
static void gdb_interrupt(GdbServer *s)
{
    if (runstate_is_running()) {
        s->interrupted = true;
        vm_stop(RUN_STATE_DEBUG);
    } else if (s->waiting_stop && !s->stop_idle) {
        s->interrupted = true;
        s->stop_idle = g_idle_add(gdb_report_stop, s);
    }
}

/* ---- packet handlers ---- */

static void gdb_handle_qsupported(GdbServer *s, const char *features)
{
    g_auto(GStrv) f = g_strsplit(features, ";", -1);

    for (int i = 0; f[i]; i++) {
        if (!strcmp(f[i], "swbreak+")) {
            s->peer_swbreak = true;
        } else if (!strcmp(f[i], "hwbreak+")) {
            s->peer_hwbreak = true;
        }
    }
    gdb_reply_str(s, "PacketSize=" GDB_MAX_PACKET_STR ";qXfer:features:read+;"
                     "QStartNoAckMode+;vContSupported+;swbreak+;hwbreak+;multiprocess-");
}

static void gdb_handle_xfer_features(GdbServer *s, const char *args)
{
    const char *xml = s->arch->target_xml;
    const char *colon = strchr(args, ':');
    uint64_t off, len;
    size_t total;
    g_autoptr(GString) r = NULL;

    if (!colon || strncmp(args, "target.xml", colon - args) || colon - args != 10) {
        gdb_reply_str(s, "E00");
        return;
    }
    if (!gdb_parse_addr_len(colon + 1, &off, &len, NULL)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    total = strlen(xml);
    if (off > total) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    len = MIN(len, (uint64_t)GDB_MAX_PACKET / 2);
    len = MIN(len, total - off);
    r = g_string_new(off + len < total ? "m" : "l");
    g_string_append_len(r, xml + off, len);
    gdb_reply(s, r->str, r->len);
}

static void gdb_monitor_write(void *opaque, const char *buf, size_t len)
{
    GdbServer *s = opaque;

    g_string_append_len(s->mon_out, buf, len);
}

static void gdb_handle_rcmd(GdbServer *s, const char *hex)
{
    size_t n = strlen(hex);
    g_autofree char *cmd = NULL;

    if (n % 2) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    cmd = g_malloc0(n / 2 + 1);
    if (!gdb_hex_decode(hex, (uint8_t *)cmd, n / 2)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    if (!s->mon) {
        s->mon = monitor_new_callback(gdb_monitor_write, s);
    }
    g_string_truncate(s->mon_out, 0);
    s->in_rcmd = true;
    monitor_run_command(s->mon, cmd);
    s->in_rcmd = false;
    /* Console output travels as O packets before the final OK. */
    for (size_t off = 0; off < s->mon_out->len;) {
        size_t chunk = MIN(s->mon_out->len - off, (size_t)GDB_MAX_PACKET / 2 - 8);
        g_autoptr(GString) o = g_string_new("O");

        gdb_hex_append(o, s->mon_out->str + off, chunk);
        gdb_reply(s, o->str, o->len);
        off += chunk;
    }
    gdb_reply_str(s, "OK");
}

static void gdb_handle_query(GdbServer *s, const char *p)
{
    if (g_str_has_prefix(p, "qSupported")) {
        gdb_handle_qsupported(s, p[10] == ':' ? p + 11 : "");
    } else if (!strcmp(p, "qC")) {
        gdb_reply_fmt(s, "QC%02x", gdb_tid(gdb_cpu(s->g_cpu)));
    } else if (!strcmp(p, "qAttached") || g_str_has_prefix(p, "qAttached:")) {
        gdb_reply_str(s, "1");
    } else if (!strcmp(p, "qfThreadInfo")) {
        g_autoptr(GString) r = g_string_new("m");

        for (int i = 0; i < cpu_count(); i++) {
            CPUState *cpu = cpu_by_index(i);

            if (cpu) {
                g_string_append_printf(r, "%s%02x", r->len > 1 ? "," : "", gdb_tid(cpu));
            }
        }
        gdb_reply(s, r->str, r->len);
    } else if (!strcmp(p, "qsThreadInfo")) {
        gdb_reply_str(s, "l");
    } else if (g_str_has_prefix(p, "qThreadExtraInfo,")) {
        const char *t = p + 17;
        int64_t tid;
        CPUState *cpu;
        g_autofree char *info = NULL;
        g_autoptr(GString) r = g_string_new(NULL);

        if (!gdb_parse_thread_id(&t, &tid) || *t ||
            !(cpu = gdb_cpu_from_tid(s, tid, s->g_cpu))) {
            gdb_reply_error(s, GDB_EINVAL);
            return;
        }
        info = g_strdup_printf("CPU#%d [%s]", cpu->index, cpu->halted ? "halted" : "running");
        gdb_hex_append(r, info, strlen(info));
        gdb_reply(s, r->str, r->len);
    } else if (g_str_has_prefix(p, "qXfer:features:read:")) {
        gdb_handle_xfer_features(s, p + 20);
    } else if (g_str_has_prefix(p, "qRcmd,")) {
        gdb_handle_rcmd(s, p + 6);
    } else if (!strcmp(p, "qSymbol::")) {
        gdb_reply_str(s, "OK");
    } else {
        gdb_reply_str(s, "");
    }
}

static void gdb_handle_vcont(GdbServer *s, const char *args)
{
    GdbVContAction act[GDB_MAX_VCONT];
    int n;
    bool any_step = false;

    if (!gdb_parse_vcont(args, act, GDB_MAX_VCONT, &n)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    g_array_set_size(s->stepping, 0);
    /* The first action that names a thread wins for it; the default covers the rest. */
    for (int i = 0; i < cpu_count(); i++) {
        CPUState *cpu = cpu_by_index(i);
        char kind = 0;

        if (!cpu) {
            continue;
        }
        for (int k = 0; k < n && !kind; k++) {
            if (act[k].tid == GDB_THREAD_ALL || act[k].tid == gdb_tid(cpu)) {
                kind = act[k].kind;
            }
        }
        if (kind == 's') {
            gdb_set_stepping(s, cpu, true);
            if (!any_step) {
                s->c_cpu = cpu->index;
            }
            any_step = true;
        }
    }
    gdb_resume(s);
}

static void gdb_handle_continue(GdbServer *s, const char *args, bool step)
{
    uint64_t addr;
    CPUState *cpu = gdb_cpu(s->c_cpu);
    const char *p = args;

    /* "C sig[;addr]" / "S sig[;addr]": the signal means nothing to a machine. */
    if (*p == ';') {
        p++;
    }
    if (*p && gdb_parse_hex(&p, &addr)) {
        GByteArray *pc = g_byte_array_new();
        uint8_t le[8];

        if (s->arch->read_register(cpu, s->arch->pc_regnum, pc) && pc->len <= 8) {
            for (guint i = 0; i < pc->len; i++) {
                le[i] = addr >> (8 * i);
            }
            s->arch->write_register(cpu, s->arch->pc_regnum, le, pc->len);
        }
        g_byte_array_free(pc, TRUE);
    }
    g_array_set_size(s->stepping, 0);
    if (step) {
        gdb_set_stepping(s, cpu, true);
    }
    gdb_resume(s);
}

static void gdb_handle_mem_read(GdbServer *s, const char *args)
{
    uint64_t addr, len, done;
    g_autofree uint8_t *buf = NULL;
    g_autoptr(GString) r = NULL;

    if (!gdb_parse_addr_len(args, &addr, &len, NULL)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    len = MIN(len, (uint64_t)GDB_MAX_PACKET / 2);
    buf = g_malloc(len ? len : 1);
    done = gdb_virt_rw(s, gdb_cpu(s->g_cpu), addr, buf, len, false);
    if (!done && len) {
        gdb_reply_error(s, GDB_EFAULT);
        return;
    }
    gdb_hide_breakpoints(s, addr, buf, done);
    r = g_string_sized_new(done * 2);
    gdb_hex_append(r, buf, done);
    gdb_reply(s, r->str, r->len);
}

/* M (hex data) and X (binary data, already unescaped by the parser). */
static void gdb_handle_mem_write(GdbServer *s, const char *args, size_t args_len, bool binary)
{
    uint64_t addr, len;
    const char *data;
    g_autofree uint8_t *buf = NULL;
    CPUState *cpu = gdb_cpu(s->g_cpu);
    const char *colon = memchr(args, ':', args_len);
    g_autofree char *head = NULL;

    if (!colon) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    head = g_strndup(args, colon - args + 1);
    if (!gdb_parse_addr_len(head, &addr, &len, NULL) || len > GDB_MAX_PACKET) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    data = colon + 1;
    buf = g_malloc(len ? len : 1);
    if (binary) {
        if ((size_t)(args + args_len - data) != len) {
            gdb_reply_error(s, GDB_EINVAL);
            return;
        }
        memcpy(buf, data, len);
    } else if (strlen(data) != 2 * len || !gdb_hex_decode(data, buf, len)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    if (gdb_virt_rw(s, cpu, addr, buf, len, true) != len) {
        gdb_reply_error(s, GDB_EFAULT);
        return;
    }
    gdb_keep_breakpoints(s, cpu, addr, buf, len);
    gdb_reply_str(s, "OK");
}

static void gdb_handle_regs_read(GdbServer *s)
{
    g_autoptr(GByteArray) regs = g_byte_array_new();
    g_autoptr(GString) r = NULL;

    if (!s->arch->read_registers(gdb_cpu(s->g_cpu), regs)) {
        gdb_reply_error(s, GDB_EFAULT);
        return;
    }
    r = g_string_sized_new(regs->len * 2);
    gdb_hex_append(r, regs->data, regs->len);
    gdb_reply(s, r->str, r->len);
}

static void gdb_handle_regs_write(GdbServer *s, const char *hex)
{
    size_t n = strlen(hex);
    g_autofree uint8_t *buf = NULL;

    if (n % 2) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    buf = g_malloc(n / 2 + 1);
    if (!gdb_hex_decode(hex, buf, n / 2) ||
        !s->arch->write_registers(gdb_cpu(s->g_cpu), buf, n / 2)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    gdb_reply_str(s, "OK");
}

static void gdb_handle_reg_read(GdbServer *s, const char *args)
{
    const char *p = args;
    uint64_t n;
    g_autoptr(GByteArray) reg = g_byte_array_new();
    g_autoptr(GString) r = g_string_new(NULL);

    if (!gdb_parse_hex(&p, &n) || *p || n >= (uint64_t)s->arch->num_regs ||
        !s->arch->read_register(gdb_cpu(s->g_cpu), (int)n, reg)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    gdb_hex_append(r, reg->data, reg->len);
    gdb_reply(s, r->str, r->len);
}

static void gdb_handle_reg_write(GdbServer *s, const char *args)
{
    const char *p = args;
    uint64_t n;
    size_t hexlen;
    g_autofree uint8_t *buf = NULL;

    if (!gdb_parse_hex(&p, &n) || *p++ != '=' || n >= (uint64_t)s->arch->num_regs) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    hexlen = strlen(p);
    buf = g_malloc(hexlen / 2 + 1);
    if (hexlen % 2 || !gdb_hex_decode(p, buf, hexlen / 2) ||
        !s->arch->write_register(gdb_cpu(s->g_cpu), (int)n, buf, hexlen / 2)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    gdb_reply_str(s, "OK");
}

static void gdb_handle_set_thread(GdbServer *s, const char *args)
{
    const char *p = args + 1;
    int64_t tid;
    CPUState *cpu;

    if ((args[0] != 'g' && args[0] != 'c') || !gdb_parse_thread_id(&p, &tid) || *p) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    cpu = gdb_cpu_from_tid(s, tid, args[0] == 'g' ? s->g_cpu : s->c_cpu);
    if (!cpu) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    if (args[0] == 'g') {
        s->g_cpu = cpu->index;
    } else {
        s->c_cpu = cpu->index;
    }
    gdb_reply_str(s, "OK");
}

static void gdb_handle_z(GdbServer *s, const char *args, bool insert)
{
    int type, r;
    uint64_t addr, kind;

    if (!gdb_parse_breakpoint(args, &type, &addr, &kind)) {
        gdb_reply_error(s, GDB_EINVAL);
        return;
    }
    r = gdb_breakpoint(s, insert, type, addr, kind);
    if (r == -ENOSYS) {
        gdb_reply_str(s, "");           /* unsupported type: gdb falls back */
    } else if (r < 0) {
        gdb_reply_error(s, -r);
    } else {
        gdb_reply_str(s, "OK");
    }
}

static void gdb_detach(GdbServer *s)
{
    RunState st = runstate_get();

    gdb_remove_all(s);
    s->waiting_stop = false;
    if (!s->shutting_down && (st == RUN_STATE_DEBUG || st == RUN_STATE_PRELAUNCH)) {
        vm_start();
    }
}

/* gdb has no more use for the machine; nothing may resume it meanwhile. */
static void gdb_kill(GdbServer *s)
{
    gdb_remove_all(s);
    s->waiting_stop = false;
    s->shutting_down = true;
    request_shutdown(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void gdb_handle_packet(GdbServer *s, const char *p, size_t len)
{
    const char *args = p + 1;

    log_mask(LOG_TRACE, "gdbstub: <- %.*s\n", (int)MIN(len, (size_t)200), p);
    switch (p[0]) {
    case '?':
        gdb_reply(s, s->stop_reply->str, s->stop_reply->len);
        break;
    case 'g':
        gdb_handle_regs_read(s);
        break;
    case 'G':
        gdb_handle_regs_write(s, args);
        break;
    case 'p':
        gdb_handle_reg_read(s, args);
        break;
    case 'P':
        gdb_handle_reg_write(s, args);
        break;
    case 'm':
        gdb_handle_mem_read(s, args);
        break;
    case 'M':
        gdb_handle_mem_write(s, args, len - 1, false);
        break;
    case 'X':
        gdb_handle_mem_write(s, args, len - 1, true);
        break;
    case 'c':
        gdb_handle_continue(s, args, false);
        break;
    case 's':
        gdb_handle_continue(s, args, true);
        break;
    case 'C':
    case 'S': {
        const char *q = args;
        uint64_t sig;

        if (!gdb_parse_hex(&q, &sig)) {
            gdb_reply_error(s, GDB_EINVAL);
            break;
        }
        gdb_handle_continue(s, q, p[0] == 'S');
        break;
    }
    case 'H':
        gdb_handle_set_thread(s, args);
        break;
    case 'T': {
        const char *q = args;
        int64_t tid;

        if (gdb_parse_thread_id(&q, &tid) && !*q && gdb_cpu_from_tid(s, tid, s->g_cpu)) {
            gdb_reply_str(s, "OK");
        } else {
            gdb_reply_error(s, GDB_EINVAL);
        }
        break;
    }
    case 'Z':
    case 'z':
        gdb_handle_z(s, args, p[0] == 'Z');
        break;
    case 'D':
        gdb_reply_str(s, "OK");
        gdb_detach(s);
        break;
    case 'k':
        /* No reply: gdb closes the connection; the machine goes away. */
        gdb_kill(s);
        break;
    case 'q':
        gdb_handle_query(s, p);
        break;
    case 'Q':
        if (!strcmp(p, "QStartNoAckMode")) {
            gdb_reply_str(s, "OK");
            s->no_ack = true;
        } else {
            gdb_reply_str(s, "");
        }
        break;
    case 'v':
        if (!strcmp(p, "vCont?")) {
            gdb_reply_str(s, "vCont;c;C;s;S");
        } else if (g_str_has_prefix(p, "vCont;")) {
            gdb_handle_vcont(s, p + 5);
        } else if (g_str_has_prefix(p, "vKill")) {
            gdb_reply_str(s, "OK");
            gdb_kill(s);
        } else {
            gdb_reply_str(s, "");       /* vMustReplyEmpty and friends */
        }
        break;
    default:
        gdb_reply_str(s, "");
        break;
    }
}

/* ---- chardev frontend ---- */

static int gdb_can_read(void *opaque)
{
    return 4096;
}

static void gdb_read(void *opaque, const uint8_t *buf, int len)
{
    GdbServer *s = opaque;

    for (int i = 0; i < len && gdb_server == s; i++) {
        size_t plen;

        switch (gdb_parser_feed(&s->parser, buf[i])) {
        case GDB_RX_NONE:
        case GDB_RX_ACK:
            break;
        case GDB_RX_NACK:
            if (!s->no_ack && s->last->len) {
                gdb_send_raw(s, s->last->str, s->last->len);
            }
            break;
        case GDB_RX_INTERRUPT:
            gdb_interrupt(s);
            break;
        case GDB_RX_PACKET: {
            const char *payload = gdb_parser_payload(&s->parser, &plen);
            g_autofree char *copy = g_memdup2(payload, plen + 1);

            if (!s->no_ack) {
                gdb_send_raw(s, "+", 1);
            }
            if (plen) {
                gdb_handle_packet(s, copy, plen);
            } else {
                gdb_reply_str(s, "");
            }
            break;
        }
        default:
            log_mask(LOG_TRACE, "gdbstub: dropped a corrupt packet\n");
            if (!s->no_ack) {
                gdb_send_raw(s, "-", 1);
            }
            break;
        }
    }
}

static void gdb_event(void *opaque, CharEvent ev)
{
    GdbServer *s = opaque;

    switch (ev) {
    case CHR_EVENT_OPENED:
        s->connected = true;
        s->no_ack = false;
        s->peer_swbreak = s->peer_hwbreak = false;
        s->waiting_stop = s->interrupted = false;
        gdb_parser_reset(&s->parser);
        g_string_truncate(s->last, 0);
        s->g_cpu = s->c_cpu = 0;
        g_string_printf(s->stop_reply, "T%02xthread:%02x;", GDB_SIGNAL_TRAP,
                        gdb_tid(gdb_cpu(0)));
        /* gdb attaches to a stopped machine. */
        if (runstate_is_running()) {
            vm_stop(RUN_STATE_DEBUG);
        }
        break;
    case CHR_EVENT_CLOSED:
        if (s->connected) {
            s->connected = false;
            if (!s->shutting_down) {
                gdb_detach(s);
            }
        }
        break;
    default:
        break;
    }
}

/* ---- life cycle ---- */

static const GdbArch *gdb_pick_arch(GError **errp)
{
    if (kvm_enabled()) {
        return gdb_arch_x86_64_kvm();
    }
    if (tcg_enabled()) {
        return gdb_arch_aarch64_tcg();
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                "the gdb stub supports x86-64 guests under KVM and AArch64 guests "
                "under tcg only");
    return NULL;
}

static bool gdb_has_option(const char *spec, const char *key)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);
    size_t n = strlen(key);

    for (int i = 1; parts[i]; i++) {
        if (!strncmp(parts[i], key, n) && (parts[i][n] == '\0' || parts[i][n] == '=')) {
            return true;
        }
    }
    return false;
}

/* tcp: and unix: devices listen and never block start-up on the client. */
static char *gdb_chardev_spec(const char *device)
{
    GString *spec = g_string_new(device);

    if (g_str_has_prefix(device, "tcp:") || g_str_has_prefix(device, "unix:")) {
        if (!gdb_has_option(device, "server")) {
            g_string_append(spec, ",server=on");
        }
        if (!gdb_has_option(device, "wait") && !gdb_has_option(device, "nowait")) {
            g_string_append(spec, ",wait=off");
        }
        if (g_str_has_prefix(device, "tcp:") && !gdb_has_option(device, "nodelay")) {
            g_string_append(spec, ",nodelay=on");
        }
    }
    return g_string_free(spec, FALSE);
}

void gdbserver_stop(void)
{
    GdbServer *s = gdb_server;

    if (!s) {
        return;
    }
    if (s->connected) {
        gdb_detach(s);
    } else {
        gdb_remove_all(s);
    }
    gdb_server = NULL;
    if (s->stop_idle) {
        g_source_remove(s->stop_idle);
    }
    char_fe_deinit(&s->fe);
    if (s->own_chr) {
        chardev_delete(s->chr);
    }
    if (s->mon) {
        monitor_destroy(s->mon);
    }
    gdb_parser_destroy(&s->parser);
    g_string_free(s->last, TRUE);
    g_string_free(s->stop_reply, TRUE);
    g_string_free(s->mon_out, TRUE);
    g_array_free(s->sw, TRUE);
    g_array_free(s->hw, TRUE);
    g_array_free(s->stepping, TRUE);
    g_free(s->device);
    g_free(s);
}

bool gdbserver_start(const char *device, GError **errp)
{
    const GdbArch *arch;
    g_autofree char *spec = NULL;
    GdbServer *s;
    Chardev *chr;

    if (!device || !*device) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "gdb stub: empty device name");
        return false;
    }
    if (!strcmp(device, "none")) {
        gdbserver_stop();
        return true;
    }
    arch = gdb_pick_arch(errp);
    if (!arch) {
        return false;
    }
    gdbserver_stop();
    spec = gdb_chardev_spec(device);
    chr = chardev_new_legacy(spec, "gdb", errp);
    if (!chr) {
        return false;
    }
    s = g_new0(GdbServer, 1);
    s->chr = chr;
    s->own_chr = !g_str_has_prefix(device, "chardev:");
    if (!char_fe_init(&s->fe, chr, errp)) {
        if (s->own_chr) {
            chardev_delete(chr);
        }
        g_free(s);
        return false;
    }
    s->device = g_strdup(device);
    s->arch = arch;
    gdb_parser_init(&s->parser, GDB_MAX_PACKET);
    s->last = g_string_new(NULL);
    s->stop_reply = g_string_new(NULL);
    s->mon_out = g_string_new(NULL);
    s->sw = g_array_new(FALSE, TRUE, sizeof(GdbSwBreak));
    s->hw = g_array_new(FALSE, TRUE, sizeof(GdbHwBreak));
    s->stepping = g_array_new(FALSE, TRUE, sizeof(gboolean));
    g_string_printf(s->stop_reply, "T%02xthread:%02x;", GDB_SIGNAL_TRAP, gdb_tid(gdb_cpu(0)));
    gdb_server = s;
    if (!gdb_notifiers_added) {
        /* Registered once: the shutdown list has no removal. */
        runstate_add_notifier(gdb_vm_state_change, NULL);
        runstate_add_shutdown_notifier(gdb_shutdown, NULL);
        gdb_notifiers_added = true;
    }
    char_fe_set_handlers(&s->fe, gdb_can_read, gdb_read, gdb_event, s);
    return true;
}

bool gdbserver_running(void)
{
    return gdb_server != NULL;
}

bool gdbserver_connected(void)
{
    return gdb_server && gdb_server->connected;
}

static void hmp_gdbserver(Monitor *mon, const char *args)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dev = g_strstrip(g_strdup(*args ? args : GDBSTUB_DEFAULT_DEVICE));

    if (gdb_server && gdb_server->in_rcmd) {
        /* Replacing the server would free the connection this runs on. */
        monitor_printf(mon, "gdbserver: cannot be changed from the gdb session itself\n");
        return;
    }
    if (!strcmp(dev, "none")) {
        gdbserver_stop();
        monitor_printf(mon, "Disabled gdbserver\n");
        return;
    }
    if (!gdbserver_start(dev, &err)) {
        monitor_printf(mon, "Could not open gdbserver on device '%s': %s\n", dev,
                       err->message);
        return;
    }
    monitor_printf(mon, "Waiting for gdb connection on device '%s'\n", dev);
}

void gdbserver_register_hmp(void)
{
    hmp_register_command("gdbserver", "[device]",
                         "start gdbserver on the given device (default 'tcp::1234'), "
                         "stop with 'none'", hmp_gdbserver);
}
