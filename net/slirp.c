/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev user: libslirp's TCP/IP stack between the guest and host
 * sockets. libslirp owns its sockets but not the loop, so each instance
 * has a GSource on the main context that asks slirp_pollfds_fill() for the
 * fds and timeout before every poll and hands the results to
 * slirp_pollfds_poll() afterwards. Its time is the virtual clock, as in
 * QEMU, so TCP timers stand still while the VM is paused.
 */
#include "net/clients.h"
#include "net/slirp.h"
#include "system/main-loop.h"
#include "system/timer.h"
#include "util/cutils.h"
#include "util/error.h"
#include "util/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <slirp/libslirp.h>

typedef struct SlirpPoll {
    GPollFD pfd;            /* registered with the GSource by address */
    unsigned gen;           /* last fill that asked for this fd */
} SlirpPoll;

typedef struct SlirpState SlirpState;

typedef struct SlirpSource {
    GSource source;
    SlirpState *s;
} SlirpSource;

struct SlirpState {
    NetClientState nc;
    Slirp *slirp;
    GSource *source;
    GHashTable *polls;      /* fd -> SlirpPoll *, the fds GLib polls for us */
    GPtrArray *cur;         /* SlirpPoll * by the index given to slirp this round */
    unsigned gen;
    int64_t deadline_ms;    /* slirp clock time to call slirp_pollfds_poll, -1 none */
};

#define SLIRP_STATE(n) ((SlirpState *)((char *)(n) - offsetof(SlirpState, nc)))

typedef struct SlirpTimer {
    SlirpState *s;
    SlirpTimerId id;
    void *cb_opaque;
    Timer *timer;
} SlirpTimer;

static const ClockType slirp_clock = TERN_CLOCK_VIRTUAL;

/* ------------------------------------------------------------------ */
/* libslirp callbacks */

static ssize_t slirp_cb_send_packet(const void *buf, size_t len, void *opaque)
{
    SlirpState *s = opaque;

    /* Queued (bounded) when the NIC is full; TCP retransmits what is lost. */
    net_send_packet(&s->nc, buf, len);
    return len;
}

static void slirp_cb_guest_error(const char *msg, void *opaque)
{
    log_mask(LOG_GUEST_ERROR, "slirp: %s\n", msg);
}

static int64_t slirp_cb_clock_get_ns(void *opaque)
{
    return clock_get_ns(slirp_clock);
}

static void slirp_timer_fire(void *opaque)
{
    SlirpTimer *t = opaque;

    slirp_handle_timer(t->s->slirp, t->id, t->cb_opaque);
}

static void *slirp_cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    SlirpTimer *t = g_new0(SlirpTimer, 1);

    t->s = opaque;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->timer = timer_new_ns(slirp_clock, slirp_timer_fire, t);
    return t;
}

static void slirp_cb_timer_free(void *timer, void *opaque)
{
    SlirpTimer *t = timer;

    if (t) {
        timer_free(t->timer);
        g_free(t);
    }
}

static void slirp_cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    SlirpTimer *t = timer;

    timer_mod_ns(t->timer, expire_ms * NS_PER_MS);
}

/* The GSource learns the fds from slirp_pollfds_fill; nothing to do here. */
static void slirp_cb_register_poll_fd(int fd, void *opaque)
{
}

static void slirp_cb_unregister_poll_fd(int fd, void *opaque)
{
}

static void slirp_cb_notify(void *opaque)
{
    main_loop_notify();
}

static void slirp_cb_init_completed(Slirp *slirp, void *opaque)
{
    SlirpState *s = opaque;

    s->slirp = slirp;
}

static const SlirpCb slirp_callbacks = {
    .send_packet = slirp_cb_send_packet,
    .guest_error = slirp_cb_guest_error,
    .clock_get_ns = slirp_cb_clock_get_ns,
    .timer_free = slirp_cb_timer_free,
    .timer_mod = slirp_cb_timer_mod,
    .register_poll_fd = slirp_cb_register_poll_fd,
    .unregister_poll_fd = slirp_cb_unregister_poll_fd,
    .notify = slirp_cb_notify,
    .init_completed = slirp_cb_init_completed,
    .timer_new_opaque = slirp_cb_timer_new_opaque,
};

/* ------------------------------------------------------------------ */
/* the GSource */

static gushort slirp_to_gio(int events)
{
    gushort ev = G_IO_ERR | G_IO_HUP;

    if (events & SLIRP_POLL_IN) {
        ev |= G_IO_IN;
    }
    if (events & SLIRP_POLL_OUT) {
        ev |= G_IO_OUT;
    }
    if (events & SLIRP_POLL_PRI) {
        ev |= G_IO_PRI;
    }
    return ev;
}

static int slirp_add_poll(int fd, int events, void *opaque)
{
    SlirpState *s = opaque;
    SlirpPoll *p = g_hash_table_lookup(s->polls, GINT_TO_POINTER(fd));
    gushort ev = slirp_to_gio(events);

    if (!p) {
        p = g_new0(SlirpPoll, 1);
        p->pfd.fd = fd;
        p->pfd.events = ev;
        g_hash_table_insert(s->polls, GINT_TO_POINTER(fd), p);
        g_source_add_poll(s->source, &p->pfd);
    } else if (p->gen == s->gen) {
        p->pfd.events |= ev;
    } else {
        /*
         * GLib reads the events field at every query, so a change needs no
         * re-registration (which would wake the context and spin the loop).
         */
        p->pfd.events = ev;
    }
    p->gen = s->gen;
    p->pfd.revents = 0;
    g_ptr_array_add(s->cur, p);
    return s->cur->len - 1;
}

static int slirp_get_revents(int idx, void *opaque)
{
    SlirpState *s = opaque;
    SlirpPoll *p;
    int ev = 0;

    if (idx < 0 || idx >= (int)s->cur->len) {
        return 0;
    }
    p = s->cur->pdata[idx];
    if (p->pfd.revents & G_IO_IN) {
        ev |= SLIRP_POLL_IN;
    }
    if (p->pfd.revents & G_IO_OUT) {
        ev |= SLIRP_POLL_OUT;
    }
    if (p->pfd.revents & G_IO_PRI) {
        ev |= SLIRP_POLL_PRI;
    }
    if (p->pfd.revents & (G_IO_ERR | G_IO_NVAL)) {
        ev |= SLIRP_POLL_ERR;
    }
    if (p->pfd.revents & G_IO_HUP) {
        ev |= SLIRP_POLL_HUP;
    }
    return ev;
}

static gboolean slirp_source_prepare(GSource *source, gint *timeout)
{
    SlirpState *s = ((SlirpSource *)source)->s;
    uint32_t t = UINT32_MAX;
    GHashTableIter it;
    gpointer value;

    s->gen++;
    g_ptr_array_set_size(s->cur, 0);
    slirp_pollfds_fill(s->slirp, &t, slirp_add_poll, s);

    /* Sockets slirp no longer cares about (possibly closed) leave the poll set. */
    g_hash_table_iter_init(&it, s->polls);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        SlirpPoll *p = value;
        if (p->gen != s->gen) {
            g_source_remove_poll(source, &p->pfd);
            g_hash_table_iter_remove(&it);
        }
    }

    /* slirp's timeouts are in its own clock, which stands still while paused. */
    if (t == UINT32_MAX || (slirp_clock == TERN_CLOCK_VIRTUAL && !clock_virtual_running())) {
        s->deadline_ms = -1;
        *timeout = -1;
    } else {
        s->deadline_ms = clock_get_ms(slirp_clock) + t;
        *timeout = (gint)MIN(t, (uint32_t)G_MAXINT);
    }
    return t == 0;
}

static gboolean slirp_source_check(GSource *source)
{
    SlirpState *s = ((SlirpSource *)source)->s;

    for (guint i = 0; i < s->cur->len; i++) {
        SlirpPoll *p = s->cur->pdata[i];
        if (p->pfd.revents & (p->pfd.events | G_IO_NVAL)) {
            return TRUE;
        }
    }
    return s->deadline_ms >= 0 && clock_get_ms(slirp_clock) >= s->deadline_ms;
}

static gboolean slirp_source_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    SlirpState *s = ((SlirpSource *)source)->s;

    slirp_pollfds_poll(s->slirp, 0, slirp_get_revents, s);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs slirp_source_funcs = {
    .prepare = slirp_source_prepare,
    .check = slirp_source_check,
    .dispatch = slirp_source_dispatch,
};

/* ------------------------------------------------------------------ */
/* the net client */

static ssize_t slirp_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    SlirpState *s = SLIRP_STATE(nc);

    slirp_input(s->slirp, buf, (int)len);
    return len;
}

static void slirp_state_cleanup(NetClientState *nc)
{
    SlirpState *s = SLIRP_STATE(nc);

    if (s->slirp) {
        slirp_cleanup(s->slirp);
        s->slirp = NULL;
    }
    if (s->source) {
        g_source_destroy(s->source);
        g_source_unref(s->source);
        s->source = NULL;
    }
    /* After the source is gone, nobody points at the GPollFDs any more. */
    g_clear_pointer(&s->polls, g_hash_table_destroy);
    g_clear_pointer(&s->cur, g_ptr_array_unref);
}

static const NetClientInfo slirp_info = {
    .type = NET_CLIENT_DRIVER_USER,
    .size = sizeof(SlirpState),
    .receive = slirp_receive,
    .cleanup = slirp_state_cleanup,
};

/* ------------------------------------------------------------------ */
/* options */

static bool parse_ipv4(const char *str, struct in_addr *out)
{
    return inet_pton(AF_INET, str, out) == 1;
}

/* "ADDR[/LEN|/MASK]"; without a mask, the classful one as QEMU does. */
static bool parse_vnetwork(const char *str, struct in_addr *net, struct in_addr *mask,
                           const char *ctx, GError **errp)
{
    g_autofree char *addr = g_strdup(str);
    char *slash = strchr(addr, '/');
    uint32_t a;

    if (slash) {
        *slash++ = '\0';
    }
    if (!parse_ipv4(addr, net)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid network address '%s'", ctx, str);
        return false;
    }
    a = ntohl(net->s_addr);
    if (!slash) {
        if (!(a & 0x80000000)) {
            mask->s_addr = htonl(0xff000000);
        } else if ((a & 0xfff00000) == 0xac100000) {
            mask->s_addr = htonl(0xfff00000);
        } else if ((a & 0xffff0000) == 0xc0a80000) {
            mask->s_addr = htonl(0xffff0000);
        } else {
            mask->s_addr = htonl(0xffffff00);
        }
    } else if (strchr(slash, '.')) {
        uint32_t m;

        if (!parse_ipv4(slash, mask)) {
            goto bad_mask;
        }
        m = ntohl(mask->s_addr);
        /* Contiguous ones from the top. */
        if (m & (~m >> 1)) {
            goto bad_mask;
        }
    } else {
        uint64_t len;

        if (!parse_uint64(slash, &len, NULL) || len < 4 || len > 32) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "%s: invalid netmask in '%s' (prefix length must be 4-32)", ctx, str);
            return false;
        }
        mask->s_addr = htonl((uint32_t)(0xffffffffull << (32 - len)));
    }
    net->s_addr &= mask->s_addr;
    return true;

bad_mask:
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s: invalid netmask in '%s'", ctx, str);
    return false;
}

/* An address option that must be a host inside the guest network. */
static bool parse_in_net(const KeyvalList *kv, const char *key, struct in_addr net,
                         struct in_addr mask, struct in_addr *out, const char *ctx,
                         GError **errp)
{
    const char *v = keyval_get(kv, key);
    uint32_t host_bits;

    if (!v) {
        return true;
    }
    if (!parse_ipv4(v, out)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid %s address '%s'", ctx, key, v);
        return false;
    }
    host_bits = ntohl(out->s_addr & ~mask.s_addr);
    if ((out->s_addr & mask.s_addr) != net.s_addr) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: %s address '%s' is not in the guest network", ctx, key, v);
        return false;
    }
    if (host_bits == 0 || host_bits == ntohl(~mask.s_addr)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: %s address '%s' is the network or broadcast address", ctx, key, v);
        return false;
    }
    return true;
}

static bool parse_ipv6_prefix(const char *str, struct in6_addr *prefix, uint8_t *len,
                              const char *ctx, GError **errp)
{
    g_autofree char *addr = g_strdup(str);
    char *slash = strchr(addr, '/');
    uint64_t l = 64;

    if (slash) {
        *slash++ = '\0';
        if (!parse_uint64(slash, &l, NULL) || l > 126) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "%s: invalid IPv6 prefix length in '%s' (0-126)", ctx, str);
            return false;
        }
    }
    if (inet_pton(AF_INET6, addr, prefix) != 1) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid IPv6 prefix '%s'", ctx, str);
        return false;
    }
    *len = (uint8_t)l;
    return true;
}

/* The prefix with its last byte set, e.g. fec0::2. */
static struct in6_addr ipv6_in_prefix(struct in6_addr prefix, uint8_t last)
{
    prefix.s6_addr[15] = last;
    return prefix;
}

typedef struct HostFwd {
    bool is_udp;
    struct in_addr host_addr;
    int host_port;
    struct in_addr guest_addr;
    int guest_port;
} HostFwd;

static bool parse_port(const char *s, int min, int *out)
{
    uint64_t v;

    if (!parse_uint64(s, &v, NULL) || v < (uint64_t)min || v > 65535) {
        return false;
    }
    *out = (int)v;
    return true;
}

/*
 * "[tcp|udp]:[HOSTADDR]:HOSTPORT[-[GUESTADDR]:GUESTPORT]"; the guest part
 * is required unless remove is set. On failure *why says what is wrong.
 */
static bool parse_hostfwd(const char *rule, bool remove, HostFwd *fwd, const char **why)
{
    g_auto(GStrv) parts = NULL;
    g_autofree char *host = NULL;
    char *dash, *colon;

    memset(fwd, 0, sizeof(*fwd));
    colon = strchr(rule, ':');
    if (!colon) {
        *why = "missing protocol separator";
        return false;
    }
    if (colon == rule || !strncmp(rule, "tcp:", 4)) {
        fwd->is_udp = false;
    } else if (!strncmp(rule, "udp:", 4)) {
        fwd->is_udp = true;
    } else {
        *why = "bad protocol, expected tcp or udp";
        return false;
    }
    host = g_strdup(colon + 1);
    colon = strchr(host, ':');
    if (!colon) {
        *why = "missing host port";
        return false;
    }
    *colon = '\0';
    if (*host && !parse_ipv4(host, &fwd->host_addr)) {
        *why = "bad host address";
        return false;
    }
    dash = strchr(colon + 1, '-');
    if (remove) {
        if (dash || !parse_port(colon + 1, 0, &fwd->host_port)) {
            *why = "bad host port";
            return false;
        }
        return true;
    }
    if (!dash) {
        *why = "missing '-' before the guest address";
        return false;
    }
    *dash = '\0';
    if (!parse_port(colon + 1, 0, &fwd->host_port)) {
        *why = "bad host port";
        return false;
    }
    colon = strchr(dash + 1, ':');
    if (!colon) {
        *why = "missing guest address";
        return false;
    }
    *colon = '\0';
    if (dash[1] && !parse_ipv4(dash + 1, &fwd->guest_addr)) {
        *why = "bad guest address";
        return false;
    }
    if (!parse_port(colon + 1, 1, &fwd->guest_port)) {
        *why = "bad guest port";
        return false;
    }
    return true;
}

static bool slirp_hostfwd_apply(SlirpState *s, const char *rule, const char *ctx,
                                GError **errp)
{
    const char *why = NULL;
    HostFwd f;

    if (!parse_hostfwd(rule, false, &f, &why)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid host forwarding rule '%s' (%s)", ctx, rule, why);
        return false;
    }
    if (slirp_add_hostfwd(s->slirp, f.is_udp, f.host_addr, f.host_port,
                          f.guest_addr, f.guest_port) < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "%s: could not set up host forwarding rule '%s': %s",
                    ctx, rule, g_strerror(errno));
        return false;
    }
    return true;
}

/* Parsed -netdev user options; strings point into the KeyvalList. */
typedef struct SlirpOpts {
    SlirpConfig cfg;
    GPtrArray *dnssearch;       /* const char *, NULL-terminated for slirp */
    GPtrArray *hostfwd;         /* const char * */
} SlirpOpts;

static bool slirp_parse_opts(const KeyvalList *kv, const char *ctx, SlirpOpts *o,
                             GError **errp)
{
    SlirpConfig *c = &o->cfg;
    const char *v;
    bool ipv4, ipv6, restrict_on;
    struct in_addr net, mask;
    guint n;

    c->version = 4;
    if (!keyval_get_bool(kv, "ipv4", true, &ipv4, errp) ||
        !keyval_get_bool(kv, "ipv6", true, &ipv6, errp) ||
        !keyval_get_bool(kv, "restrict", false, &restrict_on, errp)) {
        g_prefix_error(errp, "%s: ", ctx);
        return false;
    }
    if (!ipv4 && !ipv6) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: IPv4 and IPv6 cannot both be off", ctx);
        return false;
    }
    c->in_enabled = ipv4;
    c->in6_enabled = ipv6;
    c->restricted = restrict_on;

    /* QEMU's defaults: 10.0.2.0/24, host .2, DNS .3, DHCP from .15. */
    v = keyval_get(kv, "net");
    if (v) {
        if (!parse_vnetwork(v, &net, &mask, ctx, errp)) {
            return false;
        }
    } else {
        net.s_addr = htonl(0x0a000200);
        mask.s_addr = htonl(0xffffff00);
    }
    c->vnetwork = net;
    c->vnetmask = mask;
    c->vhost.s_addr = net.s_addr | (htonl(0x0202) & ~mask.s_addr);
    c->vnameserver.s_addr = net.s_addr | (htonl(0x0203) & ~mask.s_addr);
    c->vdhcp_start.s_addr = net.s_addr | (htonl(0x020f) & ~mask.s_addr);
    if (!parse_in_net(kv, "host", net, mask, &c->vhost, ctx, errp) ||
        !parse_in_net(kv, "dns", net, mask, &c->vnameserver, ctx, errp) ||
        !parse_in_net(kv, "dhcpstart", net, mask, &c->vdhcp_start, ctx, errp)) {
        return false;
    }
    if (c->vhost.s_addr == c->vnameserver.s_addr) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: host and dns addresses must differ", ctx);
        return false;
    }
    if (c->vdhcp_start.s_addr == c->vhost.s_addr ||
        c->vdhcp_start.s_addr == c->vnameserver.s_addr) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: dhcpstart must differ from the host and dns addresses", ctx);
        return false;
    }

    /* IPv6: fec0::/64, host ::2, DNS ::3, as QEMU. */
    inet_pton(AF_INET6, "fec0::", &c->vprefix_addr6);
    c->vprefix_len = 64;
    if ((v = keyval_get(kv, "ipv6-net"))) {
        if (!parse_ipv6_prefix(v, &c->vprefix_addr6, &c->vprefix_len, ctx, errp)) {
            return false;
        }
    }
    if ((v = keyval_get(kv, "ipv6-prefix"))) {
        uint8_t len = c->vprefix_len;
        if (!parse_ipv6_prefix(v, &c->vprefix_addr6, &len, ctx, errp)) {
            return false;
        }
    }
    if ((v = keyval_get(kv, "ipv6-prefixlen"))) {
        uint64_t l;
        if (!parse_uint64(v, &l, NULL) || l > 126) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "%s: invalid ipv6-prefixlen '%s' (0-126)", ctx, v);
            return false;
        }
        c->vprefix_len = (uint8_t)l;
    }
    c->vhost6 = ipv6_in_prefix(c->vprefix_addr6, 2);
    c->vnameserver6 = ipv6_in_prefix(c->vprefix_addr6, 3);
    if ((v = keyval_get(kv, "ipv6-host")) && inet_pton(AF_INET6, v, &c->vhost6) != 1) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid ipv6-host address '%s'", ctx, v);
        return false;
    }
    if ((v = keyval_get(kv, "ipv6-dns")) && inet_pton(AF_INET6, v, &c->vnameserver6) != 1) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid ipv6-dns address '%s'", ctx, v);
        return false;
    }

    c->vhostname = keyval_get(kv, "hostname");
    c->tftp_path = keyval_get(kv, "tftp");
    c->bootfile = keyval_get(kv, "bootfile");
    c->tftp_server_name = keyval_get(kv, "tftp-server-name");
    c->vdomainname = keyval_get(kv, "domainname");
    if (c->vdomainname && !*c->vdomainname) {
        c->vdomainname = NULL;
    }
    if (c->vhostname && strlen(c->vhostname) > 32) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: hostname '%s' is longer than 32 characters", ctx, c->vhostname);
        return false;
    }

    if (keyval_has(kv, "guestfwd")) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "%s: guestfwd is not supported yet", ctx);
        return false;
    }
    if (keyval_has(kv, "smb")) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "%s: smb is not supported", ctx);
        return false;
    }

    /* Repeatable keys, in the order given. */
    n = keyval_count(kv);
    for (guint i = 0; i < n; i++) {
        const char *k = keyval_key_at(kv, i);
        if (!strcmp(k, "hostfwd")) {
            const char *rule = keyval_value_at(kv, i);
            const char *why;
            HostFwd f;

            /* Syntax now, so a bad rule fails before anything is created. */
            if (!parse_hostfwd(rule, false, &f, &why)) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "%s: invalid host forwarding rule '%s' (%s)", ctx, rule, why);
                return false;
            }
            g_ptr_array_add(o->hostfwd, (gpointer)rule);
        } else if (!strcmp(k, "dnssearch")) {
            g_ptr_array_add(o->dnssearch, (gpointer)keyval_value_at(kv, i));
        }
    }
    if (o->dnssearch->len) {
        g_ptr_array_add(o->dnssearch, NULL);
        c->vdnssearch = (const char **)o->dnssearch->pdata;
    }
    return true;
}

NetClientState *net_init_user(const KeyvalList *kv, const char *id, const char *ctx,
                              GError **errp)
{
    SlirpOpts o = { 0 };
    NetClientState *nc = NULL;
    SlirpState *s;
    char net_str[INET_ADDRSTRLEN];

    o.dnssearch = g_ptr_array_new();
    o.hostfwd = g_ptr_array_new();
    keyval_get(kv, "type");
    keyval_get(kv, "id");
    if (!slirp_parse_opts(kv, ctx, &o, errp) || !keyval_check_unused(kv, ctx, errp)) {
        goto out;
    }

    nc = net_client_new(&slirp_info, NULL, "user", id);
    s = SLIRP_STATE(nc);
    s->polls = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    s->cur = g_ptr_array_new();
    s->deadline_ms = -1;
    s->slirp = slirp_new(&o.cfg, &slirp_callbacks, s);
    if (!s->slirp) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "%s: could not start slirp", ctx);
        net_client_free(nc);
        nc = NULL;
        goto out;
    }
    s->source = g_source_new(&slirp_source_funcs, sizeof(SlirpSource));
    ((SlirpSource *)s->source)->s = s;
    g_source_set_name(s->source, "slirp");
    g_source_attach(s->source, main_loop_context());

    for (guint i = 0; i < o.hostfwd->len; i++) {
        if (!slirp_hostfwd_apply(s, o.hostfwd->pdata[i], ctx, errp)) {
            net_client_free(nc);
            nc = NULL;
            goto out;
        }
    }
    inet_ntop(AF_INET, &o.cfg.vnetwork, net_str, sizeof(net_str));
    net_client_set_info_str(nc, "net=%s,restrict=%s", net_str,
                            o.cfg.restricted ? "on" : "off");

out:
    g_ptr_array_unref(o.dnssearch);
    g_ptr_array_unref(o.hostfwd);
    return nc;
}

/* ------------------------------------------------------------------ */
/* monitor helpers */

typedef struct FindUser {
    const char *id;
    SlirpState *found;
} FindUser;

static void find_user_cb(NetClientState *nc, void *opaque)
{
    FindUser *f = opaque;

    if (f->found || nc->info != &slirp_info) {
        return;
    }
    if (!f->id || !strcmp(nc->name, f->id)) {
        f->found = SLIRP_STATE(nc);
    }
}

static SlirpState *find_user(const char *id, GError **errp)
{
    FindUser f = { .id = id };

    net_foreach(find_user_cb, &f);
    if (!f.found) {
        if (id) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "user netdev '%s' not found", id);
        } else {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "no user netdev");
        }
    }
    return f.found;
}

bool net_slirp_hostfwd_add(const char *id, const char *rule, GError **errp)
{
    SlirpState *s = find_user(id, errp);

    return s && slirp_hostfwd_apply(s, rule, "hostfwd_add", errp);
}

bool net_slirp_hostfwd_remove(const char *id, const char *rule, GError **errp)
{
    SlirpState *s = find_user(id, errp);
    const char *why = NULL;
    HostFwd f;

    if (!s) {
        return false;
    }
    if (!parse_hostfwd(rule, true, &f, &why)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "hostfwd_remove: invalid rule '%s' (%s)", rule, why);
        return false;
    }
    if (slirp_remove_hostfwd(s->slirp, f.is_udp, f.host_addr, f.host_port) < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "hostfwd_remove: host forwarding rule for '%s' not found", rule);
        return false;
    }
    return true;
}

static void usernet_cb(NetClientState *nc, void *opaque)
{
    GString *out = opaque;
    SlirpState *s;
    g_autofree char *info = NULL;

    if (nc->info != &slirp_info) {
        return;
    }
    s = SLIRP_STATE(nc);
    info = slirp_connection_info(s->slirp);
    g_string_append_printf(out, "Hub -1 (%s):\n%s", nc->name, info);
}

void net_slirp_print_usernet(GString *out)
{
    net_foreach(usernet_cb, out);
}
