/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The GError domain shared by every Tern subsystem. */
#include "util/error.h"

G_DEFINE_QUARK(tern-error-quark, tern_error)
