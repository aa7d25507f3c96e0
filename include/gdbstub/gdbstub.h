/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdb remote-protocol server (-s, -gdb DEV, HMP `gdbserver`). One
 * server per process; gdb sees one thread per vCPU (thread id = vCPU index
 * + 1) and debugs the whole machine in all-stop mode. Everything here runs
 * in the main thread with the BQL held.
 */
#ifndef GDBSTUB_GDBSTUB_H
#define GDBSTUB_GDBSTUB_H

#include <glib.h>
#include <stdbool.h>

/* What -s means. */
#define GDBSTUB_DEFAULT_DEVICE "tcp::1234"

/*
 * Listen for gdb on device: "tcp:[HOST]:PORT", "unix:PATH" (both become
 * servers that do not wait for the client), "chardev:ID", any other
 * -serial style chardev spec, or "none" to stop the server. Replaces a
 * running server. Call after the machine and its vCPUs exist. Errors name
 * the device, e.g. "-gdb tcp::1234: ..." is up to the caller to prefix.
 */
bool gdbserver_start(const char *device, GError **errp);
/* Stop listening, drop the connection, remove every breakpoint. */
void gdbserver_stop(void);
/* Whether a server is listening, and whether a gdb is connected. */
bool gdbserver_running(void);
bool gdbserver_connected(void);
/* Add the HMP `gdbserver [DEVICE]` command. */
void gdbserver_register_hmp(void);

#endif
