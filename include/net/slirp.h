/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User-mode networking (-netdev user) extras for the monitor: the
 * connection table and host forwarding rules added or removed at run time.
 */
#ifndef NET_SLIRP_H
#define NET_SLIRP_H

#include "net/net.h"

/* "info usernet": every user backend's sockets, QEMU's layout. */
void net_slirp_print_usernet(GString *out);
/*
 * "hostfwd_add [ID] [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT";
 * id NULL picks the first user backend.
 */
bool net_slirp_hostfwd_add(const char *id, const char *rule, GError **errp);
/* "hostfwd_remove [ID] [tcp|udp]:[HOSTADDR]:HOSTPORT" */
bool net_slirp_hostfwd_remove(const char *id, const char *rule, GError **errp);

#endif
