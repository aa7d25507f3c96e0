/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `tcg` accelerator class: Tern's own translator. The engine lives in
 * this folder; until a guest front end (target/arm) drives it, choosing tcg
 * fails with a clear "not supported yet" rather than pretending to run.
 */
#include "accel/accel.h"
#include "hw/core/machine.h"
#include "util/error.h"

static bool tcg_accel_init(MachineState *ms, KeyvalList *props, GError **errp)
{
    g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                "-accel tcg: the translator cannot run guest CPUs yet (not supported yet)");
    return false;
}

const AccelClass tcg_accel_class = {
    .name = "tcg",
    .desc = "Tern's dynamic binary translator",
    .targets = TARGET_AARCH64,
    .init = tcg_accel_init,
};
