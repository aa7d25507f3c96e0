/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machine classes and instances: the registry, help listings in QEMU's
 * format, -machine options through the shared property machinery, and the
 * checks (CPU count and type) done before a board's init runs.
 */
#include <string.h>

#include "hw/core/machine.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/keyval.h"

static GHashTable *machine_classes;     /* name -> MachineClass */
static GHashTable *machine_aliases;     /* alias -> MachineClass */

/* Options every machine accepts, after the class's own. */
static const Property machine_common_props[] = {
    PROP_STRING("append", MachineState, kernel_cmdline, NULL,
                "Linux kernel command line"),
    PROP_STRING("dtb", MachineState, dtb, NULL,
                "Linux kernel device tree file"),
    PROP_BOOL("dump-guest-core", MachineState, dump_guest_core, true,
              "Include guest memory in a core dump"),
    PROP_STRING("firmware", MachineState, firmware, NULL, "Firmware image"),
    PROP_BOOL("graphics", MachineState, graphics, true,
              "Set on/off to enable/disable graphics emulation"),
    PROP_STRING("initrd", MachineState, initrd_filename, NULL,
                "Linux initial ramdisk file"),
    PROP_STRING("kernel", MachineState, kernel_filename, NULL,
                "Linux kernel image file"),
    PROP_BOOL("mem-merge", MachineState, mem_merge, true,
              "Enable/disable memory merge support"),
    PROP_BOOL("usb", MachineState, usb, false,
              "Set on/off to enable/disable usb"),
    PROP_END
};

void machine_class_register(const MachineClass *mc)
{
    g_assert(mc && mc->name);
    g_assert(mc->instance_size >= sizeof(MachineState));
    if (!machine_classes) {
        machine_classes = g_hash_table_new(g_str_hash, g_str_equal);
        machine_aliases = g_hash_table_new(g_str_hash, g_str_equal);
    }
    g_assert(!machine_class_find(mc->name));
    g_hash_table_insert(machine_classes, (gpointer)mc->name, (gpointer)mc);
    if (mc->alias) {
        g_assert(!machine_class_find(mc->alias));
        g_hash_table_insert(machine_aliases, (gpointer)mc->alias,
                            (gpointer)mc);
    }
}

const MachineClass *machine_class_find(const char *name)
{
    const MachineClass *mc;

    if (!machine_classes || !name) {
        return NULL;
    }
    mc = g_hash_table_lookup(machine_classes, name);
    return mc ? mc : g_hash_table_lookup(machine_aliases, name);
}

static gint machine_class_cmp(gconstpointer a, gconstpointer b)
{
    const MachineClass *ma = *(const MachineClass *const *)a;
    const MachineClass *mb = *(const MachineClass *const *)b;

    return strcmp(ma->name, mb->name);
}

static GPtrArray *machine_class_sorted(void)
{
    GPtrArray *list = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;

    if (machine_classes) {
        g_hash_table_iter_init(&it, machine_classes);
        while (g_hash_table_iter_next(&it, NULL, &value)) {
            g_ptr_array_add(list, value);
        }
    }
    g_ptr_array_sort(list, machine_class_cmp);
    return list;
}

void machine_class_foreach(void (*fn)(const MachineClass *mc, void *opaque),
                           void *opaque)
{
    g_autoptr(GPtrArray) list = machine_class_sorted();

    for (guint i = 0; i < list->len; i++) {
        fn(list->pdata[i], opaque);
    }
}

const MachineClass *machine_class_default(TernTarget t)
{
    g_autoptr(GPtrArray) list = machine_class_sorted();

    for (guint i = 0; i < list->len; i++) {
        const MachineClass *mc = list->pdata[i];
        if (mc->is_default && (mc->targets & t)) {
            return mc;
        }
    }
    return NULL;
}

void machine_class_registry_clear(void)
{
    g_clear_pointer(&machine_classes, g_hash_table_destroy);
    g_clear_pointer(&machine_aliases, g_hash_table_destroy);
}

void machine_print_help_list(FILE *out, unsigned target_mask, unsigned default_mask)
{
    g_autoptr(GPtrArray) list = machine_class_sorted();

    fprintf(out, "Supported machines are:\n");
    for (guint i = 0; i < list->len; i++) {
        const MachineClass *mc = list->pdata[i];
        const char *desc = mc->desc ? mc->desc : "";

        if (target_mask && !(mc->targets & target_mask)) {
            continue;
        }
        if (mc->alias) {
            fprintf(out, "%-20s %s (alias of %s)\n", mc->alias, desc,
                    mc->name);
        }
        fprintf(out, "%-20s %s%s\n", mc->name, desc,
                mc->is_default && (mc->targets & default_mask) ? " (default)" : "");
    }
}

static const Property *machine_find_prop(const MachineClass *mc,
                                         const char *name)
{
    const Property *tables[] = { mc->props, machine_common_props };

    for (unsigned t = 0; t < G_N_ELEMENTS(tables); t++) {
        for (const Property *p = tables[t]; p && p->name; p++) {
            if (!strcmp(p->name, name)) {
                return p;
            }
        }
    }
    return NULL;
}

void machine_print_props(FILE *out, const MachineClass *mc)
{
    const Property *tables[] = { mc->props, machine_common_props };

    fprintf(out, "%s-machine options:\n", mc->name);
    for (unsigned t = 0; t < G_N_ELEMENTS(tables); t++) {
        for (const Property *p = tables[t]; p && p->name; p++) {
            if (machine_find_prop(mc, p->name) == p) {
                prop_print_help(out, p);
            }
        }
    }
}

static void machine_props_foreach(MachineState *ms,
                                  void (*fn)(void *obj, const Property *p))
{
    const Property *tables[] = { machine_common_props, ms->klass->props };

    for (unsigned t = 0; t < G_N_ELEMENTS(tables); t++) {
        for (const Property *p = tables[t]; p && p->name; p++) {
            fn(ms, p);
        }
    }
}

MachineState *machine_new(const MachineClass *mc, GError **errp)
{
    MachineState *ms = g_malloc0(mc->instance_size);
    unsigned cpus = MAX(mc->min_cpus, 1);

    ms->klass = mc;
    ms->prop_ids = prop_ids_new();
    ms->ram_size = mc->default_ram_size;
    ms->smp = (SmpConfig){ .cpus = cpus, .sockets = cpus, .cores = 1,
                           .threads = 1, .maxcpus = cpus };
    ms->cpu_type = g_strdup(mc->default_cpu_type);
    /* Common first so that a class may override a common default. */
    machine_props_foreach(ms, prop_set_default);
    if (mc->instance_init) {
        mc->instance_init(ms);
    }
    return ms;
}

bool machine_set_prop(MachineState *ms, const char *name, const char *value,
                      GError **errp)
{
    const Property *p = machine_find_prop(ms->klass, name);

    if (!p) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "-machine %s: property '%s' not found", ms->klass->name,
                    name);
        return false;
    }
    if (!prop_parse(ms, p, value, ms->prop_ids, errp)) {
        g_prefix_error(errp, "-machine %s: ", ms->klass->name);
        return false;
    }
    return true;
}

char *machine_get_prop(MachineState *ms, const char *name)
{
    const Property *p = machine_find_prop(ms->klass, name);

    return p ? prop_format(ms, p, ms->prop_ids) : NULL;
}

bool machine_set_props_from_keyval(MachineState *ms, const KeyvalList *kv,
                                   GError **errp)
{
    for (guint i = 0; i < keyval_count(kv); i++) {
        const char *key = keyval_key_at(kv, i);

        if (!strcmp(key, "type") || !strcmp(key, "accel")) {
            continue;
        }
        if (!machine_set_prop(ms, key, keyval_value_at(kv, i), errp)) {
            return false;
        }
    }
    return true;
}

static bool machine_check_cpus(MachineState *ms, GError **errp)
{
    const MachineClass *mc = ms->klass;
    unsigned min = MAX(mc->min_cpus, 1), max = MAX(mc->max_cpus, 1);

    if (ms->smp.cpus < min) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "Invalid SMP CPUs %u. The min CPUs supported by machine "
                    "'%s' is %u", ms->smp.cpus, mc->name, min);
        return false;
    }
    if (ms->smp.cpus > max || ms->smp.maxcpus > max) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "Invalid SMP CPUs %u. The max CPUs supported by machine "
                    "'%s' is %u", MAX(ms->smp.cpus, ms->smp.maxcpus),
                    mc->name, max);
        return false;
    }
    if (ms->cpu_type && mc->valid_cpu_types) {
        for (const char *const *t = mc->valid_cpu_types; *t; t++) {
            if (!strcmp(*t, ms->cpu_type)) {
                return true;
            }
        }
        {
            g_autofree char *valid =
                g_strjoinv(", ", (char **)mc->valid_cpu_types);
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "Invalid CPU model: %s (machine '%s' supports: %s)",
                        ms->cpu_type, mc->name, valid);
        }
        return false;
    }
    return true;
}

bool machine_run_init(MachineState *ms, GError **errp)
{
    if (!machine_check_cpus(ms, errp)) {
        return false;
    }
    return !ms->klass->init || ms->klass->init(ms, errp);
}

void machine_reset(MachineState *ms)
{
    if (ms->klass->reset) {
        ms->klass->reset(ms);
    } else {
        bus_reset(sysbus_get());
    }
}

bool machine_alloc_ram(MachineState *ms, GError **errp)
{
    MemoryRegion *mr;

    if (ms->ram) {
        return true;
    }
    mr = g_new0(MemoryRegion, 1);
    if (!memory_region_init_ram(mr, "ram", ms->ram_size, errp)) {
        g_free(mr);
        return false;
    }
    ms->ram = mr;
    return true;
}

bool machine_map_ram(MachineState *ms, MemoryRegion *container, uint64_t addr,
                     GError **errp)
{
    if (!machine_alloc_ram(ms, errp)) {
        return false;
    }
    g_assert(!ms->ram_container);
    memory_region_add_subregion(container, addr, ms->ram);
    ms->ram_container = container;
    return true;
}

void machine_free(MachineState *ms)
{
    if (!ms) {
        return;
    }
    if (ms->klass->instance_finalize) {
        ms->klass->instance_finalize(ms);
    }
    if (ms->ram) {
        if (ms->ram_container) {
            memory_region_del_subregion(ms->ram_container, ms->ram);
        }
        memory_region_destroy(ms->ram);
        g_free(ms->ram);
    }
    machine_props_foreach(ms, prop_release);
    g_hash_table_destroy(ms->prop_ids);
    g_free(ms->cpu_type);
    g_free(ms->accel);
    g_free(ms);
}
