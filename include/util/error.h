/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tern's GError domain. Set-up paths return bool and fill a GError **; the
 * message is one line naming the option, file or device at fault, and main()
 * prints it as "tern: <message>" and exits 1.
 */
#ifndef UTIL_ERROR_H
#define UTIL_ERROR_H

#include <glib.h>
#include <stdbool.h>

#define TERN_ERROR (tern_error_quark())

typedef enum {
    TERN_ERROR_FAILED,        /* generic */
    TERN_ERROR_INVALID,       /* bad value for an option or property */
    TERN_ERROR_NOT_FOUND,     /* no such device, machine, chardev, file... */
    TERN_ERROR_UNSUPPORTED,   /* parsed but not supported yet */
    TERN_ERROR_IO,            /* host I/O failed */
} TernErrorCode;

GQuark tern_error_quark(void);

/* g_set_error with TERN_ERROR_FAILED; errp may be NULL. */
#define tern_error_set(errp, ...) \
    g_set_error((errp), TERN_ERROR, TERN_ERROR_FAILED, __VA_ARGS__)

#endif
