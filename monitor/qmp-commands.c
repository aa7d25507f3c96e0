/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in QMP commands: version and status queries, machine, CPU and
 * chardev listings, run control (stop, cont, reset, powerdown, quit) and
 * human-monitor-command. Reply shapes follow QEMU's schema because
 * management tools read them field by field. State owned by other parts
 * (VM name, machine, KVM) reaches us through the qmp_set_*() hooks.
 */
#include "monitor/qmp.h"

#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config-host.h"
#include "monitor/monitor.h"
#include "system/cpus.h"
#include "system/runstate.h"

static struct {
    TernTarget target;
    bool have_smp;
    SmpConfig smp;
    bool kvm_enabled, kvm_present;
    /* vCPU thread -> host thread id, so query-cpus-fast does not kick vCPUs */
    GHashTable *tids;
} qc;

/* ---- hooks ---- */

void qmp_set_vm_name(const char *name)
{
    hmp_set_vm_name(name);
}

/* What `p $<Tab>` offers; the CPU code behind the lookup hook knows more. */
static const char *const aarch64_reg_names[] = {
    "pc", "sp", "lr", "fp", "pstate",
    "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
    "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", NULL
};
static const char *const x86_64_reg_names[] = {
    "rip", "rsp", "rbp", "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rflags",
    "eax", "ebx", "ecx", "edx", "esi", "edi", "esp", "ebp",
    "cr0", "cr2", "cr3", "cr4", "efer", "cs", "ds", "ss", NULL
};

void qmp_set_machine(const MachineState *ms, TernTarget target)
{
    qc.target = target;
    /* A machine of one target fixes what HMP disassembles and completes. */
    if (target == TARGET_AARCH64) {
        hmp_set_disas_arch(DISAS_AARCH64);
        hmp_set_register_names(aarch64_reg_names);
    } else if (target == TARGET_X86_64) {
        hmp_set_disas_arch(DISAS_X86_64);
        hmp_set_register_names(x86_64_reg_names);
    }
    qc.have_smp = ms != NULL;
    if (ms) {
        qc.smp = ms->smp;
    }
}

void qmp_set_kvm_info(bool enabled, bool present)
{
    qc.kvm_enabled = enabled;
    qc.kvm_present = present;
}

/* ---- small builders (taking over the caller's reference) ---- */

static JsonNode *node_object(JsonObject *o)
{
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_node_take_object(n, o);
    return n;
}

static JsonNode *node_array(JsonArray *a)
{
    JsonNode *n = json_node_new(JSON_NODE_ARRAY);

    json_node_take_array(n, a);
    return n;
}

static const char *target_name(TernTarget t)
{
    switch (t) {
    case TARGET_X86_64:
        return "x86_64";
    case TARGET_AARCH64:
    default:
        return "aarch64";
    }
}

JsonNode *qmp_version_info(void)
{
    JsonObject *ver = json_object_new();
    JsonObject *qemu = json_object_new();
    int major = 0, minor = 0, micro = 0;

    sscanf(TERN_VERSION, "%d.%d.%d", &major, &minor, &micro);
    json_object_set_int_member(qemu, "micro", micro);
    json_object_set_int_member(qemu, "minor", minor);
    json_object_set_int_member(qemu, "major", major);
    /* Clients look for "qemu"; "package" says who we really are. */
    json_object_set_object_member(ver, "qemu", qemu);
    json_object_set_string_member(ver, "package", "Tern");
    return node_object(ver);
}

/* ---- commands ---- */

/* Only reached after negotiation; qmp.c handles the first call itself. */
static bool cmd_qmp_capabilities(JsonObject *args, JsonNode **ret, GError **errp)
{
    g_set_error(errp, QMP_ERROR, QMP_ERROR_COMMAND_NOT_FOUND,
                "Capabilities negotiation is already complete, command ignored");
    return false;
}

static bool cmd_query_version(JsonObject *args, JsonNode **ret, GError **errp)
{
    *ret = qmp_version_info();
    return true;
}

static bool cmd_query_status(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "status", runstate_name(runstate_get()));
    json_object_set_boolean_member(o, "singlestep", false);
    json_object_set_boolean_member(o, "running", runstate_is_running());
    *ret = node_object(o);
    return true;
}

static bool cmd_query_commands(JsonObject *args, JsonNode **ret, GError **errp)
{
    *ret = qmp_command_list();
    return true;
}

static bool cmd_query_name(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonObject *o = json_object_new();
    const char *name = hmp_get_vm_name();

    if (name) {
        json_object_set_string_member(o, "name", name);
    }
    *ret = node_object(o);
    return true;
}

static bool cmd_query_target(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "arch", target_name(qc.target));
    *ret = node_object(o);
    return true;
}

static bool cmd_query_current_machine(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "wakeup-suspend-support", false);
    *ret = node_object(o);
    return true;
}

static void cpu_tid_fn(CPUState *cpu, void *data)
{
    *(gint64 *)data = (gint64)syscall(SYS_gettid);
}

static gint64 cpu_thread_id(CPUState *cpu)
{
    gint64 tid = 0;
    gpointer cached;

    if (!cpu->thread || !cpu->created) {
        return (gint64)getpid();
    }
    if (!qc.tids) {
        qc.tids = g_hash_table_new(g_direct_hash, g_direct_equal);
    }
    if (g_hash_table_lookup_extended(qc.tids, cpu->thread, NULL, &cached)) {
        return GPOINTER_TO_SIZE(cached);
    }
    run_on_cpu(cpu, cpu_tid_fn, &tid);
    g_hash_table_insert(qc.tids, cpu->thread, GSIZE_TO_POINTER((gsize)tid));
    return tid;
}

static void collect_cpu(CPUState *cpu, void *opaque)
{
    g_ptr_array_add(opaque, cpu);
}

static bool cmd_query_cpus_fast(JsonObject *args, JsonNode **ret, GError **errp)
{
    g_autoptr(GPtrArray) cpus = g_ptr_array_new();
    JsonArray *arr = json_array_new();
    GHashTable *live = g_hash_table_new(g_direct_hash, g_direct_equal);
    unsigned threads = qc.have_smp && qc.smp.threads ? qc.smp.threads : 1;
    unsigned cores = qc.have_smp && qc.smp.cores ? qc.smp.cores : 1;

    /* Collected first: run_on_cpu drops the BQL while it waits. */
    cpu_foreach(collect_cpu, cpus);
    for (guint i = 0; i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);
        JsonObject *o = json_object_new();
        JsonObject *props = json_object_new();
        unsigned idx = (unsigned)cpu->index;
        g_autofree char *path =
            g_strdup_printf("/machine/unattached/device[%d]", cpu->index);

        json_object_set_int_member(o, "thread-id", cpu_thread_id(cpu));
        if (cpu->thread) {
            g_hash_table_add(live, cpu->thread);
        }
        json_object_set_int_member(props, "core-id", (idx / threads) % cores);
        json_object_set_int_member(props, "thread-id", idx % threads);
        json_object_set_int_member(props, "socket-id", idx / (threads * cores));
        json_object_set_object_member(o, "props", props);
        json_object_set_string_member(o, "qom-path", path);
        json_object_set_int_member(o, "cpu-index", cpu->index);
        json_object_set_string_member(o, "target", target_name(qc.target));
        json_array_add_object_element(arr, o);
    }
    /* Forget threads that went away so a reused GThread pointer misses. */
    if (qc.tids) {
        GHashTableIter it;
        gpointer key;

        g_hash_table_iter_init(&it, qc.tids);
        while (g_hash_table_iter_next(&it, &key, NULL)) {
            if (!g_hash_table_contains(live, key)) {
                g_hash_table_iter_remove(&it);
            }
        }
    }
    g_hash_table_destroy(live);
    *ret = node_array(arr);
    return true;
}

static void add_machine(const MachineClass *mc, void *opaque)
{
    JsonArray *arr = opaque;
    JsonObject *o;

    if (qc.target && !(mc->targets & qc.target)) {
        return;
    }
    o = json_object_new();
    json_object_set_string_member(o, "name", mc->name);
    if (mc->alias) {
        json_object_set_string_member(o, "alias", mc->alias);
    }
    json_object_set_boolean_member(o, "is-default", mc->is_default);
    json_object_set_int_member(o, "cpu-max", mc->max_cpus ? mc->max_cpus : 1);
    json_object_set_boolean_member(o, "hotpluggable-cpus", false);
    json_object_set_boolean_member(o, "numa-mem-supported", false);
    json_object_set_boolean_member(o, "deprecated", false);
    if (mc->default_cpu_type) {
        json_object_set_string_member(o, "default-cpu-type", mc->default_cpu_type);
    }
    if (mc->default_ram_size) {
        /* machine_alloc_ram() names the main RAM region "ram". */
        json_object_set_string_member(o, "default-ram-id", "ram");
    }
    json_object_set_boolean_member(o, "acpi", false);
    json_array_add_object_element(arr, o);
}

static bool cmd_query_machines(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonArray *arr = json_array_new();

    machine_class_foreach(add_machine, arr);
    *ret = node_array(arr);
    return true;
}

static bool cmd_query_kvm(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "enabled", qc.kvm_enabled);
    json_object_set_boolean_member(o, "present", qc.kvm_present);
    *ret = node_object(o);
    return true;
}

static void add_chardev(Chardev *chr, const char *label, const char *filename,
                        void *opaque)
{
    JsonObject *o = json_object_new();
    bool fe_open = chardev_is_mux(chr) ||
                   (chr->fe && (chr->fe->read || chr->fe->event || chr->fe->can_read));

    json_object_set_string_member(o, "label", label);
    json_object_set_string_member(o, "filename", filename ? filename : "");
    json_object_set_boolean_member(o, "frontend-open", fe_open);
    json_array_add_object_element(opaque, o);
}

static bool cmd_query_chardev(JsonObject *args, JsonNode **ret, GError **errp)
{
    JsonArray *arr = json_array_new();

    chardev_foreach(add_chardev, arr);
    *ret = node_array(arr);
    return true;
}

/* Placeholder until the block and PCI layers register their own. */
static bool cmd_empty_list(JsonObject *args, JsonNode **ret, GError **errp)
{
    *ret = node_array(json_array_new());
    return true;
}

static bool cmd_stop(JsonObject *args, JsonNode **ret, GError **errp)
{
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
    return true;
}

static bool cmd_cont(JsonObject *args, JsonNode **ret, GError **errp)
{
    RunState st = runstate_get();

    if (runstate_is_running()) {
        return true;
    }
    if (!runstate_can_transition(st, RUN_STATE_RUNNING)) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                    "Resetting the Virtual Machine is required");
        return false;
    }
    vm_start();
    return true;
}

static bool cmd_system_reset(JsonObject *args, JsonNode **ret, GError **errp)
{
    request_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    return true;
}

static bool cmd_system_powerdown(JsonObject *args, JsonNode **ret, GError **errp)
{
    request_powerdown();
    return true;
}

static bool cmd_quit(JsonObject *args, JsonNode **ret, GError **errp)
{
    request_shutdown(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    return true;
}

static void hmp_capture(void *opaque, const char *buf, size_t len)
{
    g_string_append_len(opaque, buf, (gssize)len);
}

static bool cmd_human_monitor_command(JsonObject *args, JsonNode **ret, GError **errp)
{
    GString *out = g_string_new(NULL);
    Monitor *mon = monitor_new_callback(hmp_capture, out);

    monitor_run_command(mon, json_object_get_string_member(args, "command-line"));
    monitor_destroy(mon);
    *ret = json_node_init_string(json_node_alloc(), out->str);
    g_string_free(out, TRUE);
    return true;
}

static const QmpArgSpec args_capabilities[] = {
    { "enable", QMP_ARG_ARRAY, true },
    { NULL },
};

static const QmpArgSpec args_hmc[] = {
    { "command-line", QMP_ARG_STR, false },
    { "cpu-index", QMP_ARG_INT, true },
    { NULL },
};


void qmp_register_builtin_commands(void)
{
    qmp_register_command("qmp_capabilities", cmd_qmp_capabilities, args_capabilities);
    qmp_register_command("query-version", cmd_query_version, NULL);
    qmp_register_command("query-status", cmd_query_status, NULL);
    qmp_register_command("query-commands", cmd_query_commands, NULL);
    qmp_register_command("query-name", cmd_query_name, NULL);
    qmp_register_command("query-target", cmd_query_target, NULL);
    qmp_register_command("query-current-machine", cmd_query_current_machine, NULL);
    qmp_register_command("query-cpus-fast", cmd_query_cpus_fast, NULL);
    qmp_register_command("query-machines", cmd_query_machines, NULL);
    qmp_register_command("query-kvm", cmd_query_kvm, NULL);
    qmp_register_command("query-chardev", cmd_query_chardev, NULL);
    qmp_register_command("query-block", cmd_empty_list, NULL);
    qmp_register_command("query-pci", cmd_empty_list, NULL);
    qmp_register_command("stop", cmd_stop, NULL);
    qmp_register_command("cont", cmd_cont, NULL);
    qmp_register_command("system_reset", cmd_system_reset, NULL);
    qmp_register_command("system_powerdown", cmd_system_powerdown, NULL);
    qmp_register_command("quit", cmd_quit, NULL);
    qmp_register_command("human-monitor-command", cmd_human_monitor_command, args_hmc);
}
