/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The accelerator registry and the choice between candidates. QEMU's rules:
 * -accel options are tried in order, then -machine accel=a:b:c, then the
 * machine's default; an accelerator that cannot start on this host is
 * skipped while another candidate remains.
 */
#include "accel/accel.h"
#include "util/error.h"

static GPtrArray *accel_classes;
static const AccelClass *accel_chosen;

void accel_class_register(const AccelClass *ac)
{
    if (!accel_classes) {
        accel_classes = g_ptr_array_new();
    }
    g_assert(!accel_class_find(ac->name));
    g_ptr_array_add(accel_classes, (gpointer)ac);
}

const AccelClass *accel_class_find(const char *name)
{
    for (guint i = 0; accel_classes && i < accel_classes->len; i++) {
        const AccelClass *ac = g_ptr_array_index(accel_classes, i);
        if (g_str_equal(ac->name, name)) {
            return ac;
        }
    }
    return NULL;
}

const AccelClass *accel_current(void)
{
    return accel_chosen;
}

void accel_print_help(FILE *out, unsigned target_mask)
{
    fprintf(out, "Accelerators supported in Tern binary:\n");
    for (guint i = 0; accel_classes && i < accel_classes->len; i++) {
        const AccelClass *ac = g_ptr_array_index(accel_classes, i);
        if (ac->targets & target_mask) {
            fprintf(out, "%s\n", ac->name);
        }
    }
}

static bool accel_try(MachineState *ms, const AccelClass *ac, KeyvalList *props,
                      GError **errp)
{
    if (ac->available && !ac->available()) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "accelerator '%s' is not available on this host", ac->name);
        return false;
    }
    if (!ac->init(ms, props, errp)) {
        return false;
    }
    accel_chosen = ac;
    return true;
}

static const AccelClass *accel_lookup(const char *name, unsigned target, GError **errp)
{
    const AccelClass *ac = accel_class_find(name);

    if (!ac) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "-accel %s: no such accelerator (try -accel help)", name);
        return NULL;
    }
    if (!(ac->targets & target)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-accel %s: accelerator does not run this machine's CPUs", name);
        return NULL;
    }
    return ac;
}

bool accel_setup(MachineState *ms, GPtrArray *accels, const char *machine_accel,
                 const char *default_accel, unsigned target, GError **errp)
{
    g_autoptr(GError) last = NULL;

    if (accels && accels->len) {
        for (guint i = 0; i < accels->len; i++) {
            g_autoptr(KeyvalList) props = keyval_copy(g_ptr_array_index(accels, i));
            const char *name = keyval_get(props, "accel");
            const AccelClass *ac;

            if (!name) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "-accel: missing accelerator name");
                return false;
            }
            ac = accel_lookup(name, target, errp);
            if (!ac) {
                return false;
            }
            keyval_remove(props, "accel");
            g_clear_error(&last);
            if (accel_try(ms, ac, props, &last)) {
                return true;
            }
        }
        g_propagate_error(errp, g_steal_pointer(&last));
        return false;
    }

    const char *list = machine_accel ? machine_accel : default_accel;
    if (!list) {
        return true;    /* the machine runs no CPUs and needs none */
    }
    g_auto(GStrv) names = g_strsplit(list, ":", -1);
    for (guint i = 0; names[i]; i++) {
        const AccelClass *ac = accel_lookup(names[i], target, errp);
        g_autoptr(KeyvalList) props = keyval_new();

        if (!ac) {
            return false;
        }
        g_clear_error(&last);
        if (accel_try(ms, ac, props, &last)) {
            return true;
        }
    }
    g_propagate_error(errp, g_steal_pointer(&last));
    return false;
}
