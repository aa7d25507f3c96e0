/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accelerators: what runs guest code. `-accel NAME` and `-machine accel=A:B`
 * pick one; the registry lists them for `-accel help` and tries a list of
 * candidates in order, as QEMU does, keeping the first that initializes.
 */
#ifndef ACCEL_ACCEL_H
#define ACCEL_ACCEL_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/keyval.h"

typedef struct MachineState MachineState;
typedef struct AccelOps AccelOps;

typedef struct AccelClass {
    const char *name;
    const char *desc;
    unsigned targets;   /* TernTarget bits this accelerator runs */
    /* Quick host check (e.g. /dev/kvm present); NULL means always. */
    bool (*available)(void);
    /*
     * Set the accelerator up for the machine before the board is built;
     * props holds the -accel options other than the name. Unknown options
     * must be rejected (keyval_check_unused).
     */
    bool (*init)(MachineState *ms, KeyvalList *props, GError **errp);
    /* The vCPU operations; NULL while the accelerator cannot run CPUs. */
    const AccelOps *(*ops)(void);
} AccelClass;

void accel_class_register(const AccelClass *ac);
const AccelClass *accel_class_find(const char *name);
void accel_print_help(FILE *out, unsigned target_mask);

/* The accelerator chosen by accel_setup, NULL before. */
const AccelClass *accel_current(void);

/*
 * Choose and initialize the accelerator. `accels` are the -accel options in
 * order (KeyvalList with key "accel"); `machine_accel` is -machine accel=
 * ("kvm:tcg" lists are tried in order); when both are absent,
 * `default_accel` is used. The first candidate whose init succeeds wins; if
 * none does, the last error is returned.
 */
bool accel_setup(MachineState *ms, GPtrArray *accels, const char *machine_accel,
                 const char *default_accel, unsigned target, GError **errp);


#endif
