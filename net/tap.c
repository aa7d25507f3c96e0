/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev tap: frames go through a Linux tap device (/dev/net/tun with
 * IFF_TAP | IFF_NO_PI), read and written non-blocking from the main loop.
 * Flow control both ways: a frame the NIC cannot take stops reading until
 * the NIC flushes it, and a write that hits EAGAIN queues the frame and
 * waits for the fd to become writable. With vnet_hdr=on each frame carries
 * a virtio-net header; it is passed through when the NIC says it uses one,
 * otherwise stripped on read and zero-filled on write.
 */
#include "net/clients.h"
#include "util/cutils.h"
#include "system/main-loop.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#define TAP_BUFSIZE (65536 + 64)        /* largest frame plus a vnet header */
#define TAP_READ_BURST 64               /* frames per dispatch, for fairness */
#define TAP_DEFAULT_SCRIPT "/etc/qemu-ifup"
#define TAP_DEFAULT_DOWNSCRIPT "/etc/qemu-ifdown"
#define TAP_VNET_HDR_LEN 10             /* struct virtio_net_hdr */

typedef struct TapState {
    NetClientState nc;
    int fd;
    char ifname[IFNAMSIZ];
    char *downscript;           /* run with ifname at cleanup; NULL: none */
    GSource *source;
    gpointer tag;               /* fd tag in source */
    GIOCondition events;        /* what the source polls for now */
    bool read_enabled;          /* false while a frame waits for the NIC */
    bool write_blocked;         /* a write hit EAGAIN */
    bool has_vnet_hdr;
    bool using_vnet_hdr;
    int vnet_hdr_len;
    uint8_t buf[TAP_BUFSIZE];
} TapState;

#define TAP_STATE(n) ((TapState *)((char *)(n) - offsetof(TapState, nc)))

typedef struct TapSource {
    GSource source;
    TapState *s;
} TapSource;

static void tap_update_events(TapState *s)
{
    GIOCondition ev = (s->read_enabled ? G_IO_IN : 0) | (s->write_blocked ? G_IO_OUT : 0);

    /* Only on change: modifying the poll set wakes the context. */
    if (ev != s->events) {
        s->events = ev;
        g_source_modify_unix_fd(s->source, s->tag, ev);
    }
}

static void tap_send_completed(NetClientState *nc, ssize_t ret)
{
    TapState *s = TAP_STATE(nc);

    s->read_enabled = true;
    tap_update_events(s);
}

static void tap_read_frames(TapState *s)
{
    for (int i = 0; i < TAP_READ_BURST && s->read_enabled; i++) {
        ssize_t n = read(s->fd, s->buf, sizeof(s->buf));
        const uint8_t *frame = s->buf;
        size_t len;

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        len = n;
        if (s->has_vnet_hdr && !s->using_vnet_hdr) {
            if (len < (size_t)s->vnet_hdr_len) {
                continue;
            }
            frame += s->vnet_hdr_len;
            len -= s->vnet_hdr_len;
        }
        if (net_send_packet_async(&s->nc, frame, len, tap_send_completed) == 0) {
            s->read_enabled = false;
        }
    }
    tap_update_events(s);
}

static gboolean tap_source_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    TapState *s = ((TapSource *)source)->s;
    GIOCondition rev = g_source_query_unix_fd(source, s->tag);

    if ((rev & (G_IO_OUT | G_IO_ERR | G_IO_HUP)) && s->write_blocked) {
        s->write_blocked = false;
        tap_update_events(s);
        net_queue_flush(&s->nc);
    }
    if (rev & (G_IO_IN | G_IO_ERR | G_IO_HUP)) {
        tap_read_frames(s);
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs tap_source_funcs = {
    .dispatch = tap_source_dispatch,
};

static ssize_t tap_receive_iov(NetClientState *nc, const struct iovec *iov, int iovcnt)
{
    TapState *s = TAP_STATE(nc);
    static const uint8_t zero_hdr[64];
    g_autofree struct iovec *v = g_new(struct iovec, iovcnt + 1);
    size_t size = 0;
    int n = 0;
    ssize_t ret;

    if (s->has_vnet_hdr && !s->using_vnet_hdr) {
        v[n].iov_base = (void *)zero_hdr;
        v[n++].iov_len = s->vnet_hdr_len;
    }
    for (int i = 0; i < iovcnt; i++) {
        v[n++] = iov[i];
        size += iov[i].iov_len;
    }
    do {
        ret = writev(s->fd, v, n);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            s->write_blocked = true;
            tap_update_events(s);
            return 0;
        }
        return -errno;
    }
    return size;
}

static bool tap_has_vnet_hdr(NetClientState *nc)
{
    return TAP_STATE(nc)->has_vnet_hdr;
}

static void tap_using_vnet_hdr(NetClientState *nc, bool enable)
{
    TapState *s = TAP_STATE(nc);

    s->using_vnet_hdr = enable && s->has_vnet_hdr;
}

static bool tap_set_vnet_hdr_len(NetClientState *nc, int len)
{
    TapState *s = TAP_STATE(nc);

    if (!s->has_vnet_hdr || len < TAP_VNET_HDR_LEN || len > 64 ||
        ioctl(s->fd, TUNSETVNETHDRSZ, &len) < 0) {
        return false;
    }
    s->vnet_hdr_len = len;
    return true;
}

static void tap_set_offload(NetClientState *nc, const NetOffloads *o)
{
    TapState *s = TAP_STATE(nc);
    unsigned int flags = 0;

    if (!s->has_vnet_hdr) {
        return;
    }
    if (o->csum) {
        flags |= TUN_F_CSUM;
        if (o->tso4) {
            flags |= TUN_F_TSO4;
        }
        if (o->tso6) {
            flags |= TUN_F_TSO6;
        }
        if (o->ecn) {
            flags |= TUN_F_TSO_ECN;
        }
        if (o->ufo) {
            flags |= TUN_F_UFO;
        }
    }
    if (ioctl(s->fd, TUNSETOFFLOAD, flags) < 0 && (flags & TUN_F_UFO)) {
        /* Kernels since 4.14 refuse UFO; keep the rest. */
        ioctl(s->fd, TUNSETOFFLOAD, flags & ~TUN_F_UFO);
    }
}

/* Run "script ifname" and wait; false with a message if it fails. */
static bool tap_run_script(const char *script, const char *ifname, const char *ctx,
                           GError **errp)
{
    const char *argv[] = { script, ifname, NULL };
    g_autoptr(GError) err = NULL;
    int status;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
                      NULL, NULL, NULL, NULL, &status, &err)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "%s: could not launch network script %s: %s", ctx, script, err->message);
        return false;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "%s: network script %s failed with status %d", ctx, script, status);
        return false;
    }
    return true;
}

static void tap_cleanup(NetClientState *nc)
{
    TapState *s = TAP_STATE(nc);

    if (s->source) {
        g_source_destroy(s->source);
        g_source_unref(s->source);
        s->source = NULL;
    }
    if (s->downscript) {
        g_autoptr(GError) err = NULL;

        if (!tap_run_script(s->downscript, s->ifname, "-netdev tap", &err)) {
            g_printerr("tern: %s\n", err->message);
        }
        g_free(s->downscript);
        s->downscript = NULL;
    }
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

static const NetClientInfo tap_info = {
    .type = NET_CLIENT_DRIVER_TAP,
    .size = sizeof(TapState),
    .receive_iov = tap_receive_iov,
    .cleanup = tap_cleanup,
    .has_vnet_hdr = tap_has_vnet_hdr,
    .using_vnet_hdr = tap_using_vnet_hdr,
    .set_vnet_hdr_len = tap_set_vnet_hdr_len,
    .set_offload = tap_set_offload,
};

/* Open and configure a new tap; returns the fd or -1. */
static int tap_open(const char *ifname, bool vnet_hdr, char *ifname_out, const char *ctx,
                    GError **errp)
{
    struct ifreq ifr;
    unsigned int features = 0;
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "%s: could not open /dev/net/tun: %s", ctx, g_strerror(errno));
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (vnet_hdr) {
        if (ioctl(fd, TUNGETFEATURES, &features) < 0 || !(features & IFF_VNET_HDR)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                        "%s: vnet_hdr=on is not supported by the host kernel", ctx);
            close(fd);
            return -1;
        }
        ifr.ifr_flags |= IFF_VNET_HDR;
    }
    g_strlcpy(ifr.ifr_name, ifname ? ifname : "tap%d", IFNAMSIZ);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = errno;
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "%s: could not configure /dev/net/tun (%s): %s", ctx,
                    ifname ? ifname : "tap%d", g_strerror(e));
        close(fd);
        return -1;
    }
    g_strlcpy(ifname_out, ifr.ifr_name, IFNAMSIZ);
    return fd;
}

/* "no" or "" means none; absent means QEMU's default. */
static char *tap_script_opt(const KeyvalList *kv, const char *key, const char *def)
{
    const char *v = keyval_get(kv, key);

    if (!v) {
        v = def;
    }
    return (!*v || !strcmp(v, "no")) ? NULL : g_strdup(v);
}

NetClientState *net_init_tap(const KeyvalList *kv, const char *id, const char *ctx,
                             GError **errp)
{
    const char *ifname = keyval_get(kv, "ifname");
    const char *fd_str = keyval_get(kv, "fd");
    g_autofree char *script = NULL;
    g_autofree char *downscript = NULL;
    char ifname_buf[IFNAMSIZ] = "";
    bool vnet_hdr = false, vnet_hdr_given, vhost = false;
    uint64_t sndbuf = 0, queues = 1;
    NetClientState *nc;
    TapState *s;
    TapSource *src;
    int fd = -1;

    keyval_get(kv, "type");
    keyval_get(kv, "id");
    vnet_hdr_given = keyval_has(kv, "vnet_hdr");
    if (!keyval_get_bool(kv, "vnet_hdr", false, &vnet_hdr, errp) ||
        !keyval_get_bool(kv, "vhost", false, &vhost, errp) ||
        !keyval_get_size(kv, "sndbuf", 0, &sndbuf, errp) ||
        !keyval_get_uint(kv, "queues", 1, &queues, errp)) {
        g_prefix_error(errp, "%s: ", ctx);
        return NULL;
    }
    script = tap_script_opt(kv, "script", fd_str ? "no" : TAP_DEFAULT_SCRIPT);
    downscript = tap_script_opt(kv, "downscript", fd_str ? "no" : TAP_DEFAULT_DOWNSCRIPT);
    if (vhost) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "%s: vhost=on is not supported", ctx);
        return NULL;
    }
    if (queues != 1) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "%s: multiqueue (queues=%" G_GUINT64_FORMAT ") is not supported", ctx,
                    queues);
        return NULL;
    }
    if (ifname && strlen(ifname) >= IFNAMSIZ) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: interface name '%s' is too long (at most %d characters)",
                    ctx, ifname, IFNAMSIZ - 1);
        return NULL;
    }
    if (fd_str && (ifname || keyval_has(kv, "script") || keyval_has(kv, "downscript") ||
                   vnet_hdr_given)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: ifname=, script=, downscript= and vnet_hdr= are invalid with fd=",
                    ctx);
        return NULL;
    }
    if (!keyval_check_unused(kv, ctx, errp)) {
        return NULL;
    }

    if (fd_str) {
        uint64_t v;
        struct ifreq ifr;

        if (!parse_uint64(fd_str, &v, NULL) || v > INT32_MAX) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "%s: invalid file descriptor '%s'", ctx, fd_str);
            return NULL;
        }
        fd = (int)v;
        if (fcntl(fd, F_GETFD) < 0) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "%s: invalid file descriptor %d: %s", ctx, fd, g_strerror(errno));
            return NULL;
        }
        /*
         * A tap fd reports its name and header mode; any other packet fd
         * (a datagram socket, say) is used as is, without a vnet header.
         */
        memset(&ifr, 0, sizeof(ifr));
        if (ioctl(fd, TUNGETIFF, &ifr) == 0) {
            g_strlcpy(ifname_buf, ifr.ifr_name, IFNAMSIZ);
            vnet_hdr = (ifr.ifr_flags & IFF_VNET_HDR) != 0;
        }
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    } else {
        fd = tap_open(ifname, vnet_hdr, ifname_buf, ctx, errp);
        if (fd < 0) {
            return NULL;
        }
        if (script && !tap_run_script(script, ifname_buf, ctx, errp)) {
            close(fd);
            return NULL;
        }
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (sndbuf) {
        int sb = (int)MIN(sndbuf, (uint64_t)INT32_MAX);
        ioctl(fd, TUNSETSNDBUF, &sb);
    }

    nc = net_client_new(&tap_info, NULL, "tap", id);
    s = TAP_STATE(nc);
    s->fd = fd;
    g_strlcpy(s->ifname, ifname_buf, IFNAMSIZ);
    s->has_vnet_hdr = vnet_hdr;
    s->vnet_hdr_len = TAP_VNET_HDR_LEN;
    s->downscript = g_steal_pointer(&downscript);
    s->read_enabled = true;
    s->events = G_IO_IN;
    s->source = g_source_new(&tap_source_funcs, sizeof(TapSource));
    src = (TapSource *)s->source;
    src->s = s;
    s->tag = g_source_add_unix_fd(s->source, fd, G_IO_IN);
    g_source_set_name(s->source, "tap");
    g_source_attach(s->source, main_loop_context());

    if (fd_str) {
        net_client_set_info_str(nc, "fd=%d", fd);
    } else {
        net_client_set_info_str(nc, "ifname=%s,script=%s,downscript=%s", s->ifname,
                                script ? script : "no",
                                s->downscript ? s->downscript : "no");
    }
    return nc;
}
