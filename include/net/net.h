/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network clients: every NIC and every backend (user networking, tap) is a
 * NetClientState, and a NIC is paired with exactly one backend, its peer.
 * Frames go from a client to its peer; when the peer cannot take a frame
 * it waits in the peer's incoming queue until the peer calls
 * net_queue_flush() (a NIC does so when the guest posts receive buffers).
 * Everything here runs in the main loop thread with the BQL held.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "util/keyval.h"

#define NET_MAC_LEN 6

typedef struct NetClientState NetClientState;
typedef struct NetQueue NetQueue;

typedef enum {
    NET_CLIENT_DRIVER_NIC,
    NET_CLIENT_DRIVER_USER,
    NET_CLIENT_DRIVER_TAP,
    NET_CLIENT_DRIVER_HUBPORT,
    NET_CLIENT_DRIVER__MAX,
} NetClientDriver;

/* Name used by "info network" ("nic", "user", "tap", "hubport"). */
const char *net_client_driver_name(NetClientDriver type);

/* Offloads a NIC asks a vnet-header capable backend to accept. */
typedef struct NetOffloads {
    bool csum;
    bool tso4;
    bool tso6;
    bool ecn;
    bool ufo;
} NetOffloads;

/*
 * Called when a frame queued by net_send_*_async() has been delivered (ret
 * is what the receiver returned) or purged (ret is 0).
 */
typedef void NetPacketSent(NetClientState *sender, ssize_t ret);

typedef struct NetClientInfo {
    NetClientDriver type;
    /* Bytes to allocate, >= sizeof(NetClientState) for embedding; 0 = plain */
    size_t size;
    /*
     * Take one frame. Return its length when consumed (or dropped), 0 when
     * it cannot be taken now (it is queued and the client stops receiving
     * until it calls net_queue_flush()), or -errno on failure (dropped).
     * At least one of receive and receive_iov must be set.
     */
    ssize_t (*receive)(NetClientState *nc, const uint8_t *buf, size_t len);
    ssize_t (*receive_iov)(NetClientState *nc, const struct iovec *iov, int iovcnt);
    /* Optional: false makes senders queue frames for this client. */
    bool (*can_receive)(NetClientState *nc);
    /* Optional: release what the containing struct owns (not nc itself). */
    void (*cleanup)(NetClientState *nc);
    /* Optional: nc->link_down changed. */
    void (*link_status_changed)(NetClientState *nc);
    /* Optional, backends with virtio-net headers (tap with vnet_hdr=on). */
    bool (*has_vnet_hdr)(NetClientState *nc);
    void (*using_vnet_hdr)(NetClientState *nc, bool enable);
    bool (*set_vnet_hdr_len)(NetClientState *nc, int len);
    void (*set_offload)(NetClientState *nc, const NetOffloads *offloads);
} NetClientInfo;

struct NetClientState {
    const NetClientInfo *info;
    NetClientState *peer;
    NetQueue *incoming_queue;   /* frames waiting to be received by this client */
    char *model;                /* "user", "tap", or the NIC model */
    char *name;                 /* netdev id or NIC name; unique */
    char *info_str;             /* "info network" details after "type=..," */
    bool link_down;
    bool receive_disabled;      /* receive returned 0; cleared by net_queue_flush */
    bool is_netdev;             /* created by -netdev / -nic */
    void *opaque;               /* free for the owner (NICs that do not embed) */
};

/*
 * Create a client and link it with peer (NULL: unpaired; peer must not
 * already have one). name NULL picks "model.N". Returns info->size bytes
 * (at least a NetClientState), zeroed apart from the fields above.
 */
NetClientState *net_client_new(const NetClientInfo *info, NetClientState *peer,
                               const char *model, const char *name);
/* Unlink from the peer, purge queues, call cleanup and free. NULL is ignored. */
void net_client_free(NetClientState *nc);
/* Replace info_str ("info network" details). */
void net_client_set_info_str(NetClientState *nc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Link a NIC with an unpaired backend later (e.g. a NIC created without netdev). */
bool net_client_set_peer(NetClientState *nc, NetClientState *peer, GError **errp);

/*
 * Send one frame to nc->peer. Dropped (returns len) if either link is down
 * or there is no peer. If the peer cannot take it now it is copied into the
 * peer's queue (bounded; excess is dropped) and len is returned. A negative
 * value is the receiver's error.
 */
ssize_t net_send_packet(NetClientState *nc, const uint8_t *buf, size_t len);
ssize_t net_send_iov(NetClientState *nc, const struct iovec *iov, int iovcnt);
/*
 * Same, but when the peer cannot take the frame it is queued without limit
 * and 0 is returned: the sender should stop sending until sent_cb runs.
 */
ssize_t net_send_packet_async(NetClientState *nc, const uint8_t *buf, size_t len,
                              NetPacketSent *sent_cb);
ssize_t net_send_iov_async(NetClientState *nc, const struct iovec *iov, int iovcnt,
                           NetPacketSent *sent_cb);
/* True if nc->peer would take a frame now (link up, queue empty, can_receive). */
bool net_can_send(NetClientState *nc);

/*
 * nc can receive again: deliver the frames queued for it, oldest first,
 * until it refuses one. Returns true if its queue is now empty.
 */
bool net_queue_flush(NetClientState *nc);
/* Drop the frames queued for nc (their senders' callbacks get 0). */
void net_queue_purge(NetClientState *nc);
/* Frames waiting in nc's incoming queue. */
guint net_queue_length(NetClientState *nc);

/* Set nc's link and its peer's, calling their link_status_changed hooks. */
void net_client_set_link(NetClientState *nc, bool up);
/* Monitor "set_link NAME on|off": every client with that name. */
bool net_set_link(const char *name, bool up, GError **errp);

/* vnet header plumbing toward nc->peer; false/no-op when unsupported. */
bool net_peer_has_vnet_hdr(NetClientState *nc);
void net_peer_using_vnet_hdr(NetClientState *nc, bool enable);
bool net_peer_set_vnet_hdr_len(NetClientState *nc, int len);
void net_peer_set_offload(NetClientState *nc, const NetOffloads *offloads);

/* Clients in creation order; fn may free the client it is given. */
void net_foreach(void (*fn)(NetClientState *nc, void *opaque), void *opaque);
/* First client with this name (a NIC may share its name with a netdev). */
NetClientState *net_find_client(const char *name);
/*
 * Backend created by -netdev/-nic with this id, free to pair with a NIC;
 * errors: "netdev 'ID' not found", "netdev 'ID' is already in use".
 */
NetClientState *net_find_netdev(const char *id, GError **errp);
/* Same with the DevicePropLookup signature for PROP_TYPE_NETDEV. */
void *net_netdev_prop_lookup(const char *id, GError **errp);

/*
 * "info network" text, QEMU's layout: each NIC, then " \ " and its
 * backend; unpaired clients on their own line.
 */
void net_print_info(GString *out);

/* "-netdev help" listing. */
void net_print_help(FILE *out);

/*
 * -netdev TYPE,id=ID,... (key "type" holds TYPE). Creates the backend
 * unpaired; a NIC picks it up through net_find_netdev().
 */
bool netdev_new_from_keyval(const KeyvalList *kv, GError **errp);

/* A NIC the machine should create for -nic or the default network. */
typedef struct NetNicRequest {
    char *model;            /* NULL: the machine's default NIC model */
    char *netdev_id;        /* backend to pair with */
    bool has_mac;
    uint8_t mac[NET_MAC_LEN];
} NetNicRequest;

/*
 * -nic TYPE[,model=NAME][,mac=MAC][,id=ID],backend options. "-nic none"
 * records nothing. Creates the backend now and records a request.
 */
bool net_nic_new_from_keyval(const KeyvalList *kv, GError **errp);
/*
 * QEMU's default network when no -nic/-netdev/-net is given: a user
 * backend plus a request for a NIC of model (NULL: machine default).
 */
bool net_default_nic_request(const char *model, GError **errp);
/* Hand the pending NIC requests (NetNicRequest *, in order) to the caller. */
GPtrArray *net_take_nic_requests(void);
void net_nic_request_free(NetNicRequest *req);

/* "52:54:00:12:34:56" (also '-' separated). */
bool net_parse_macaddr(const char *str, uint8_t mac[NET_MAC_LEN], GError **errp);
/* QEMU's defaults: 52:54:00:12:34:56, then ...:57 and so on per call. */
void net_macaddr_default(uint8_t mac[NET_MAC_LEN]);
/* "52:54:00:12:34:56" into a buffer of at least 18 bytes. */
void net_format_macaddr(const uint8_t mac[NET_MAC_LEN], char *buf);

/* Free every client and pending request (exit, tests). */
void net_cleanup(void);

#endif
