/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Backend constructors called by net.c for -netdev/-nic. Each one reads
 * its options from kv (which marks them used), checks for leftovers with
 * keyval_check_unused(kv, ctx, ...) before touching the host, and creates
 * an unpaired client named id. ctx ("-netdev user,id=n0,...") prefixes
 * every error message.
 */
#ifndef NET_CLIENTS_H
#define NET_CLIENTS_H

#include "net/net.h"

typedef NetClientState *NetdevInitFunc(const KeyvalList *kv, const char *id,
                                       const char *ctx, GError **errp);

NetClientState *net_init_user(const KeyvalList *kv, const char *id, const char *ctx,
                              GError **errp);
NetClientState *net_init_tap(const KeyvalList *kv, const char *id, const char *ctx,
                             GError **errp);

#endif
