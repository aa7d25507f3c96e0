/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network clients and their pairing, frame delivery between peers, the
 * -netdev/-nic option front end and "info network". The client list is
 * process-wide because device properties resolve netdev ids through a
 * lookup function without context, as chardevs and drives do.
 */
#include "net/net.h"
#include "net/clients.h"
#include "net/queue.h"
#include "util/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

typedef struct NetState {
    GPtrArray *clients;         /* NetClientState *, creation order */
    GPtrArray *nic_requests;    /* NetNicRequest *, -nic order */
    unsigned mac_index;         /* next default MAC's last byte, from 0x56 */
    unsigned nic_auto_id;       /* QEMU's "__org.qemu.nicN" ids for -nic without id= */
} NetState;

static NetState net_state;

/* Reserved: users cannot pick it since ids must start with a letter. */
#define NIC_AUTO_ID_PREFIX "__org.qemu.nic"

typedef struct NetdevBackend {
    const char *type;
    NetdevInitFunc *init;
} NetdevBackend;

static const NetdevBackend netdev_backends[] = {
    { "user", net_init_user },
    { "tap", net_init_tap },
};

static GPtrArray *net_clients(void)
{
    if (!net_state.clients) {
        net_state.clients = g_ptr_array_new();
    }
    return net_state.clients;
}

const char *net_client_driver_name(NetClientDriver type)
{
    static const char *const names[NET_CLIENT_DRIVER__MAX] = {
        [NET_CLIENT_DRIVER_NIC] = "nic",
        [NET_CLIENT_DRIVER_USER] = "user",
        [NET_CLIENT_DRIVER_TAP] = "tap",
        [NET_CLIENT_DRIVER_HUBPORT] = "hubport",
    };

    return type < NET_CLIENT_DRIVER__MAX ? names[type] : "unknown";
}

/* ------------------------------------------------------------------ */
/* delivery */

static size_t iov_size(const struct iovec *iov, int iovcnt)
{
    size_t n = 0;

    for (int i = 0; i < iovcnt; i++) {
        n += iov[i].iov_len;
    }
    return n;
}

static bool net_client_can_receive(void *opaque)
{
    NetClientState *nc = opaque;

    if (nc->receive_disabled) {
        return false;
    }
    return !nc->info->can_receive || nc->info->can_receive(nc);
}

static ssize_t net_deliver(NetClientState *sender, const struct iovec *iov, int iovcnt,
                           void *opaque)
{
    NetClientState *nc = opaque;
    size_t size = iov_size(iov, iovcnt);
    ssize_t ret;

    if (nc->link_down) {
        return size;
    }
    if (nc->info->receive_iov) {
        ret = nc->info->receive_iov(nc, iov, iovcnt);
    } else if (iovcnt == 1) {
        ret = nc->info->receive(nc, iov[0].iov_base, iov[0].iov_len);
    } else {
        g_autofree uint8_t *flat = g_malloc(size);
        size_t off = 0;

        for (int i = 0; i < iovcnt; i++) {
            memcpy(flat + off, iov[i].iov_base, iov[i].iov_len);
            off += iov[i].iov_len;
        }
        ret = nc->info->receive(nc, flat, size);
    }
    if (ret == 0) {
        nc->receive_disabled = true;
    }
    return ret;
}

ssize_t net_send_iov_async(NetClientState *nc, const struct iovec *iov, int iovcnt,
                           NetPacketSent *sent_cb)
{
    if (nc->link_down || !nc->peer) {
        return iov_size(iov, iovcnt);
    }
    return netq_send_iov(nc->peer->incoming_queue, nc, iov, iovcnt, sent_cb);
}

ssize_t net_send_packet_async(NetClientState *nc, const uint8_t *buf, size_t len,
                              NetPacketSent *sent_cb)
{
    struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

    return net_send_iov_async(nc, &iov, 1, sent_cb);
}

ssize_t net_send_iov(NetClientState *nc, const struct iovec *iov, int iovcnt)
{
    ssize_t ret = net_send_iov_async(nc, iov, iovcnt, NULL);

    /* Queued or dropped: either way the sender is done with it. */
    return ret == 0 ? (ssize_t)iov_size(iov, iovcnt) : ret;
}

ssize_t net_send_packet(NetClientState *nc, const uint8_t *buf, size_t len)
{
    struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

    return net_send_iov(nc, &iov, 1);
}

bool net_can_send(NetClientState *nc)
{
    NetClientState *peer = nc->peer;

    if (!peer || nc->link_down || peer->link_down) {
        /* Frames are dropped, which never blocks the sender. */
        return true;
    }
    return netq_length(peer->incoming_queue) == 0 && net_client_can_receive(peer);
}

bool net_queue_flush(NetClientState *nc)
{
    nc->receive_disabled = false;
    return netq_flush(nc->incoming_queue);
}

void net_queue_purge(NetClientState *nc)
{
    netq_purge(nc->incoming_queue);
}

guint net_queue_length(NetClientState *nc)
{
    return netq_length(nc->incoming_queue);
}

/* ------------------------------------------------------------------ */
/* clients */

NetClientState *net_find_client(const char *name)
{
    GPtrArray *all = net_clients();

    for (guint i = 0; i < all->len; i++) {
        NetClientState *nc = all->pdata[i];
        if (!strcmp(nc->name, name)) {
            return nc;
        }
    }
    return NULL;
}

static char *net_client_auto_name(const char *model)
{
    for (unsigned i = 0;; i++) {
        char *name = g_strdup_printf("%s.%u", model, i);
        if (!net_find_client(name)) {
            return name;
        }
        g_free(name);
    }
}

NetClientState *net_client_new(const NetClientInfo *info, NetClientState *peer,
                               const char *model, const char *name)
{
    NetClientState *nc;

    g_assert(info->receive || info->receive_iov);
    g_assert(info->size == 0 || info->size >= sizeof(NetClientState));
    g_assert(!peer || !peer->peer);
    g_assert(model);

    nc = g_malloc0(info->size ? info->size : sizeof(NetClientState));
    nc->info = info;
    nc->model = g_strdup(model);
    nc->name = name ? g_strdup(name) : net_client_auto_name(model);
    nc->info_str = g_strdup("");
    nc->incoming_queue = netq_new(net_deliver, net_client_can_receive, nc);
    if (peer) {
        nc->peer = peer;
        peer->peer = nc;
    }
    g_ptr_array_add(net_clients(), nc);
    return nc;
}

bool net_client_set_peer(NetClientState *nc, NetClientState *peer, GError **errp)
{
    if (nc->peer) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "net client '%s' already has a peer", nc->name);
        return false;
    }
    if (peer->peer) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "netdev '%s' is already in use", peer->name);
        return false;
    }
    nc->peer = peer;
    peer->peer = nc;
    return true;
}

void net_client_free(NetClientState *nc)
{
    if (!nc) {
        return;
    }
    /* Senders still alive hear that their frames are gone. */
    netq_purge(nc->incoming_queue);
    if (nc->peer) {
        netq_purge_sender(nc->peer->incoming_queue, nc);
        nc->peer->peer = NULL;
        nc->peer = NULL;
    }
    if (nc->info->cleanup) {
        nc->info->cleanup(nc);
    }
    g_ptr_array_remove(net_clients(), nc);
    netq_free(nc->incoming_queue);
    g_free(nc->model);
    g_free(nc->name);
    g_free(nc->info_str);
    g_free(nc);
}

void net_client_set_info_str(NetClientState *nc, const char *fmt, ...)
{
    va_list ap;

    g_free(nc->info_str);
    va_start(ap, fmt);
    nc->info_str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

void net_client_set_link(NetClientState *nc, bool up)
{
    nc->link_down = !up;
    if (nc->info->link_status_changed) {
        nc->info->link_status_changed(nc);
    }
    if (nc->peer) {
        /* A backend's link state is its own; a NIC follows its backend. */
        if (nc->peer->info->type == NET_CLIENT_DRIVER_NIC) {
            nc->peer->link_down = !up;
        }
        if (nc->peer->info->link_status_changed) {
            nc->peer->info->link_status_changed(nc->peer);
        }
    }
}

bool net_set_link(const char *name, bool up, GError **errp)
{
    GPtrArray *all = net_clients();
    g_autoptr(GPtrArray) hits = g_ptr_array_new();

    /* A NIC and a netdev may share a name; like QEMU, set both. */
    for (guint i = 0; i < all->len; i++) {
        NetClientState *nc = all->pdata[i];
        if (!strcmp(nc->name, name)) {
            g_ptr_array_add(hits, nc);
        }
    }
    if (!hits->len) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "device '%s' not found", name);
        return false;
    }
    for (guint i = 0; i < hits->len; i++) {
        net_client_set_link(hits->pdata[i], up);
    }
    return true;
}

bool net_peer_has_vnet_hdr(NetClientState *nc)
{
    NetClientState *p = nc->peer;

    return p && p->info->has_vnet_hdr && p->info->has_vnet_hdr(p);
}

void net_peer_using_vnet_hdr(NetClientState *nc, bool enable)
{
    NetClientState *p = nc->peer;

    if (p && p->info->using_vnet_hdr) {
        p->info->using_vnet_hdr(p, enable);
    }
}

bool net_peer_set_vnet_hdr_len(NetClientState *nc, int len)
{
    NetClientState *p = nc->peer;

    return p && p->info->set_vnet_hdr_len && p->info->set_vnet_hdr_len(p, len);
}

void net_peer_set_offload(NetClientState *nc, const NetOffloads *offloads)
{
    NetClientState *p = nc->peer;

    if (p && p->info->set_offload) {
        p->info->set_offload(p, offloads);
    }
}

void net_foreach(void (*fn)(NetClientState *nc, void *opaque), void *opaque)
{
    /* Copy, so that fn may free the client it is given. */
    g_autoptr(GPtrArray) snap = g_ptr_array_copy(net_clients(), NULL, NULL);

    for (guint i = 0; i < snap->len; i++) {
        fn(snap->pdata[i], opaque);
    }
}

static NetClientState *netdev_lookup(const char *id)
{
    GPtrArray *all = net_clients();

    for (guint i = 0; i < all->len; i++) {
        NetClientState *nc = all->pdata[i];
        if (nc->is_netdev && !strcmp(nc->name, id)) {
            return nc;
        }
    }
    return NULL;
}

NetClientState *net_find_netdev(const char *id, GError **errp)
{
    NetClientState *nc = netdev_lookup(id);

    if (!nc) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "netdev '%s' not found", id);
        return NULL;
    }
    if (nc->peer) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "netdev '%s' is already in use", id);
        return NULL;
    }
    return nc;
}

void *net_netdev_prop_lookup(const char *id, GError **errp)
{
    return net_find_netdev(id, errp);
}

static void print_client(GString *out, NetClientState *nc)
{
    g_string_append_printf(out, "%s: index=0,type=%s,%s\n", nc->name,
                           net_client_driver_name(nc->info->type), nc->info_str);
}

void net_print_info(GString *out)
{
    GPtrArray *all = net_clients();

    for (guint i = 0; i < all->len; i++) {
        NetClientState *nc = all->pdata[i];
        bool nic = nc->info->type == NET_CLIENT_DRIVER_NIC;

        /* A backend with a NIC peer is printed under that NIC. */
        if (!nc->peer || nic) {
            print_client(out, nc);
        }
        if (nc->peer && nic) {
            g_string_append(out, " \\ ");
            print_client(out, nc->peer);
        }
    }
}

void net_print_help(FILE *out)
{
    fprintf(out, "Available netdev backend types:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(netdev_backends); i++) {
        fprintf(out, "%s\n", netdev_backends[i].type);
    }
}

/* ------------------------------------------------------------------ */
/* MAC addresses */

bool net_parse_macaddr(const char *str, uint8_t mac[NET_MAC_LEN], GError **errp)
{
    const char *p = str;

    for (int i = 0; i < NET_MAC_LEN; i++) {
        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1])) {
            goto bad;
        }
        mac[i] = g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]);
        p += 2;
        if (i < NET_MAC_LEN - 1) {
            if (*p != ':' && *p != '-') {
                goto bad;
            }
            p++;
        }
    }
    if (*p) {
        goto bad;
    }
    return true;

bad:
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "invalid MAC address '%s'", str);
    return false;
}

void net_macaddr_default(uint8_t mac[NET_MAC_LEN])
{
    static const uint8_t base[NET_MAC_LEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

    memcpy(mac, base, NET_MAC_LEN);
    mac[5] = (uint8_t)(0x56 + net_state.mac_index++);
}

void net_format_macaddr(const uint8_t mac[NET_MAC_LEN], char *buf)
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* ------------------------------------------------------------------ */
/* -netdev and -nic */

static bool id_well_formed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

/*
 * A fresh list with nothing marked used, and the option text as the user
 * wrote it ("-netdev user,id=n0,...") for error messages.
 */
static KeyvalList *netdev_kv_prepare(const KeyvalList *kv, const char *opt, char **ctx)
{
    KeyvalList *fresh = keyval_new();
    GString *s = g_string_new(opt);
    guint n = keyval_count(kv);
    bool first = true;

    for (guint i = 0; i < n; i++) {
        const char *k = keyval_key_at(kv, i);
        const char *v = keyval_value_at(kv, i);
        if (!strcmp(k, "type")) {
            g_string_append_printf(s, " %s", v);
            first = false;
        }
        keyval_append(fresh, k, v);
    }
    for (guint i = 0; i < n; i++) {
        const char *k = keyval_key_at(kv, i);
        g_auto(GStrv) parts = NULL;
        g_autofree char *v = NULL;

        if (!strcmp(k, "type")) {
            continue;
        }
        /* Commas in values are doubled, as the user had to type them. */
        parts = g_strsplit(keyval_value_at(kv, i), ",", -1);
        v = g_strjoinv(",,", parts);
        g_string_append_printf(s, "%c%s=%s", first ? ' ' : ',', k, v);
        first = false;
    }
    *ctx = g_string_free(s, FALSE);
    return fresh;
}

static const NetdevBackend *netdev_backend_find(const char *type)
{
    for (size_t i = 0; i < G_N_ELEMENTS(netdev_backends); i++) {
        if (!strcmp(netdev_backends[i].type, type)) {
            return &netdev_backends[i];
        }
    }
    return NULL;
}

static NetClientState *netdev_create(KeyvalList *kv, const char *ctx, GError **errp)
{
    const char *type = keyval_get(kv, "type");
    const char *id = keyval_get(kv, "id");
    const NetdevBackend *be;
    NetClientState *nc;

    if (!type || !*type) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: missing network backend type", ctx);
        return NULL;
    }
    be = netdev_backend_find(type);
    if (!be) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid network backend type '%s' (try -netdev help)", ctx, type);
        return NULL;
    }
    if (!id) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s: requires id=", ctx);
        return NULL;
    }
    if (!id_well_formed(id) && !g_str_has_prefix(id, NIC_AUTO_ID_PREFIX)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid id '%s' (letters, digits, '-', '.', '_', "
                    "starting with a letter)", ctx, id);
        return NULL;
    }
    if (netdev_lookup(id)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s: duplicate id '%s'", ctx, id);
        return NULL;
    }
    nc = be->init(kv, id, ctx, errp);
    if (nc) {
        nc->is_netdev = true;
    }
    return nc;
}

bool netdev_new_from_keyval(const KeyvalList *kv, GError **errp)
{
    g_autofree char *ctx = NULL;
    g_autoptr(KeyvalList) fresh = netdev_kv_prepare(kv, "-netdev", &ctx);

    return netdev_create(fresh, ctx, errp) != NULL;
}

void net_nic_request_free(NetNicRequest *req)
{
    if (req) {
        g_free(req->model);
        g_free(req->netdev_id);
        g_free(req);
    }
}

static GPtrArray *nic_requests(void)
{
    if (!net_state.nic_requests) {
        net_state.nic_requests = g_ptr_array_new_with_free_func(
            (GDestroyNotify)net_nic_request_free);
    }
    return net_state.nic_requests;
}

static char *nic_auto_id(void)
{
    for (;;) {
        char *id = g_strdup_printf(NIC_AUTO_ID_PREFIX "%u", net_state.nic_auto_id++);
        if (!net_find_client(id)) {
            return id;
        }
        g_free(id);
    }
}

bool net_nic_new_from_keyval(const KeyvalList *kv, GError **errp)
{
    g_autofree char *ctx = NULL;
    g_autoptr(KeyvalList) fresh = netdev_kv_prepare(kv, "-nic", &ctx);
    const char *type = keyval_get(fresh, "type");
    g_autofree char *model = NULL;
    g_autofree char *id = NULL;
    const char *mac;
    NetNicRequest *req;
    NetClientState *nc;
    uint8_t macbuf[NET_MAC_LEN];

    if (type && !strcmp(type, "none")) {
        return keyval_check_unused(fresh, ctx, errp);
    }
    model = g_strdup(keyval_get(fresh, "model"));
    mac = keyval_get(fresh, "mac");
    if (mac) {
        g_autoptr(GError) err = NULL;

        if (!net_parse_macaddr(mac, macbuf, &err)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s: %s", ctx, err->message);
            return false;
        }
    }
    keyval_remove(fresh, "model");
    keyval_remove(fresh, "mac");
    id = g_strdup(keyval_get(fresh, "id"));
    if (!id) {
        id = nic_auto_id();
        keyval_set(fresh, "id", id);
    }
    nc = netdev_create(fresh, ctx, errp);
    if (!nc) {
        return false;
    }
    req = g_new0(NetNicRequest, 1);
    req->model = g_steal_pointer(&model);
    req->netdev_id = g_strdup(nc->name);
    req->has_mac = mac != NULL;
    if (mac) {
        memcpy(req->mac, macbuf, NET_MAC_LEN);
    }
    g_ptr_array_add(nic_requests(), req);
    return true;
}

bool net_default_nic_request(const char *model, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_new();
    g_autofree char *id = nic_auto_id();
    NetNicRequest *req;
    NetClientState *nc;

    keyval_append(kv, "type", "user");
    keyval_append(kv, "id", id);
    nc = netdev_create(kv, "default network", errp);
    if (!nc) {
        return false;
    }
    req = g_new0(NetNicRequest, 1);
    req->model = g_strdup(model);
    req->netdev_id = g_strdup(nc->name);
    g_ptr_array_add(nic_requests(), req);
    return true;
}

GPtrArray *net_take_nic_requests(void)
{
    GPtrArray *reqs = nic_requests();

    net_state.nic_requests = NULL;
    return reqs;
}

void net_cleanup(void)
{
    GPtrArray *all = net_clients();

    /* NICs first, so backends see their peers leave in an orderly way. */
    for (guint i = all->len; i-- > 0;) {
        NetClientState *nc = all->pdata[i];
        if (nc->info->type == NET_CLIENT_DRIVER_NIC) {
            net_client_free(nc);
        }
    }
    while (all->len) {
        net_client_free(all->pdata[all->len - 1]);
    }
    if (net_state.nic_requests) {
        g_ptr_array_free(net_state.nic_requests, TRUE);
        net_state.nic_requests = NULL;
    }
    net_state.mac_index = 0;
    net_state.nic_auto_id = 0;
}
