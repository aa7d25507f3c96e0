/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User networking and tap backend tests. A fake NIC on a -netdev user
 * backend speaks hand-built Ethernet frames (ARP, DHCP, ICMP, UDP, TCP)
 * and the host side is loopback sockets only. Waits are bounded loops over
 * the main loop with a short real-time tick, never timed assertions. Tap
 * is exercised through a datagram socketpair (fd=), and through a real
 * tap device only when this process may create one.
 */
#include "net/checksum.h"
#include "net/net.h"
#include "net/slirp.h"
#include "system/main-loop.h"
#include "system/timer.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t gw_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (c) << 8 | (d))
#define GUEST_IP IP(10, 0, 2, 15)
#define HOST_IP IP(10, 0, 2, 2)
#define DNS_IP IP(10, 0, 2, 3)

/* ---- fake NIC ---- */

typedef struct FakeNic {
    NetClientState nc;
    GPtrArray *frames;      /* GBytes */
    bool full;              /* can_receive false */
} FakeNic;

static ssize_t nic_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    g_ptr_array_add(((FakeNic *)nc)->frames, g_bytes_new(buf, len));
    return len;
}

static bool nic_can_receive(NetClientState *nc)
{
    return !((FakeNic *)nc)->full;
}

static void nic_cleanup(NetClientState *nc)
{
    g_ptr_array_unref(((FakeNic *)nc)->frames);
}

static const NetClientInfo nic_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(FakeNic),
    .receive = nic_receive,
    .can_receive = nic_can_receive,
    .cleanup = nic_cleanup,
};

static FakeNic *nic_on(const char *netdev_opts)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(KeyvalList) kv = keyval_parse(netdev_opts, "type", &err);
    NetClientState *be;
    FakeNic *nic;

    g_assert_no_error(err);
    g_assert_true(netdev_new_from_keyval(kv, &err));
    g_assert_no_error(err);
    be = net_find_netdev(keyval_get(kv, "id"), &err);
    g_assert_no_error(err);
    nic = (FakeNic *)net_client_new(&nic_info, be, "fake-nic", NULL);
    nic->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    return nic;
}

/* ---- bounded waiting ---- */

static void tick_cb(void *opaque)
{
}

/*
 * Iterate the main loop until cond holds. Each iteration blocks at most
 * one short real-time tick, and the count is bounded, so a failure ends
 * the test instead of hanging it.
 */
static bool run_until(bool (*cond)(void *), void *opaque)
{
    Timer *tick = timer_new_ns(TERN_CLOCK_REALTIME, tick_cb, NULL);
    bool ok = false;

    for (int i = 0; i < 500 && !(ok = cond(opaque)); i++) {
        timer_mod_in_ns(tick, 10 * NS_PER_MS);
        main_loop_wait(false);
    }
    timer_free(tick);
    return ok;
}

/* ---- frame building and parsing ---- */

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v >> 16);
    wr16(p + 2, (uint16_t)v);
}

static size_t eth_hdr(uint8_t *f, const uint8_t *dst, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, guest_mac, 6);
    wr16(f + 12, type);
    return ETH_HLEN;
}

/* Ethernet + IPv4 around payload, checksums filled in. Returns the length. */
static size_t ipv4_frame(uint8_t *f, const uint8_t *dst_mac, uint32_t src, uint32_t dst,
                         uint8_t proto, const uint8_t *payload, size_t plen)
{
    uint8_t *ip = f + eth_hdr(f, dst_mac, ETH_P_IP);

    memset(ip, 0, 20);
    ip[0] = 0x45;
    wr16(ip + 2, (uint16_t)(20 + plen));
    wr16(ip + 4, 0x4242);
    ip[8] = 64;
    ip[9] = proto;
    wr32(ip + 12, src);
    wr32(ip + 16, dst);
    memcpy(ip + 20, payload, plen);
    net_checksum_calculate(f, ETH_HLEN + 20 + plen, NET_CSUM_ALL);
    return ETH_HLEN + 20 + plen;
}

static void send_frame(FakeNic *nic, const uint8_t *f, size_t len)
{
    g_assert_cmpint(net_send_packet(&nic->nc, f, len), ==, len);
}

static size_t udp_seg(uint8_t *u, uint16_t sport, uint16_t dport, const void *data,
                      size_t len)
{
    wr16(u, sport);
    wr16(u + 2, dport);
    wr16(u + 4, (uint16_t)(8 + len));
    wr16(u + 6, 0);
    memcpy(u + 8, data, len);
    return 8 + len;
}

enum { TH_FIN = 1, TH_SYN = 2, TH_RST = 4, TH_PSH = 8, TH_ACK = 16 };

static size_t tcp_seg(uint8_t *t, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                      uint8_t flags, const void *data, size_t len)
{
    memset(t, 0, 20);
    wr16(t, sport);
    wr16(t + 2, dport);
    wr32(t + 4, seq);
    wr32(t + 8, ack);
    t[12] = 5 << 4;
    t[13] = flags;
    wr16(t + 14, 65535);
    if (len) {
        memcpy(t + 20, data, len);
    }
    return 20 + len;
}

/* A received IPv4 frame, split into its parts. */
typedef struct Ip4 {
    const uint8_t *eth;
    uint32_t src, dst;
    uint8_t proto;
    const uint8_t *l4;
    size_t l4_len;
} Ip4;

static bool parse_ipv4(GBytes *b, Ip4 *out)
{
    gsize len;
    const uint8_t *f = g_bytes_get_data(b, &len);
    size_t hl, tot;

    if (len < ETH_HLEN + 20 || rd16(f + 12) != ETH_P_IP) {
        return false;
    }
    hl = (f[ETH_HLEN] & 0xf) * 4;
    tot = rd16(f + ETH_HLEN + 2);
    if (tot > len - ETH_HLEN || tot < hl) {
        return false;
    }
    /* What slirp sends must carry a valid header checksum. */
    g_assert_cmphex(net_checksum_finish(net_checksum_add(f + ETH_HLEN, hl)), ==, 0);
    out->eth = f;
    out->src = rd32(f + ETH_HLEN + 12);
    out->dst = rd32(f + ETH_HLEN + 16);
    out->proto = f[ETH_HLEN + 9];
    out->l4 = f + ETH_HLEN + hl;
    out->l4_len = tot - hl;
    return true;
}

typedef bool FrameMatch(const Ip4 *ip, void *opaque);

/* Index of the first IPv4 frame from start on that matches, or -1. */
static int find_ipv4(FakeNic *nic, guint start, FrameMatch *match, void *opaque, Ip4 *out)
{
    for (guint i = start; i < nic->frames->len; i++) {
        Ip4 ip;
        if (parse_ipv4(nic->frames->pdata[i], &ip) && match(&ip, opaque)) {
            if (out) {
                *out = ip;
            }
            return (int)i;
        }
    }
    return -1;
}

typedef struct WaitFrame {
    FakeNic *nic;
    guint start;
    FrameMatch *match;
    void *opaque;
} WaitFrame;

static bool wait_frame_cond(void *opaque)
{
    WaitFrame *w = opaque;

    return find_ipv4(w->nic, w->start, w->match, w->opaque, NULL) >= 0;
}

static bool wait_ipv4(FakeNic *nic, guint start, FrameMatch *match, void *opaque, Ip4 *out)
{
    WaitFrame w = { nic, start, match, opaque };

    if (!run_until(wait_frame_cond, &w)) {
        return false;
    }
    find_ipv4(nic, start, match, opaque, out);
    return true;
}

/* ---- ARP ---- */

static size_t arp_request(uint8_t *f, uint32_t sender_ip, uint32_t target_ip)
{
    uint8_t *a = f + eth_hdr(f, bcast_mac, ETH_P_ARP);

    wr16(a, 1);
    wr16(a + 2, ETH_P_IP);
    a[4] = 6;
    a[5] = 4;
    wr16(a + 6, 1);
    memcpy(a + 8, guest_mac, 6);
    wr32(a + 14, sender_ip);
    memset(a + 18, 0, 6);
    wr32(a + 24, target_ip);
    return ETH_HLEN + 28;
}

/* Tell slirp where the guest is, as a booted guest does with its first ARP. */
static void guest_arp(FakeNic *nic)
{
    uint8_t f[64];
    size_t len = arp_request(f, GUEST_IP, HOST_IP);

    memset(f + len, 0, sizeof(f) - len);
    send_frame(nic, f, 60);
}

static void test_arp(void)
{
    FakeNic *nic = nic_on("user,id=u0");
    uint8_t f[64] = { 0 };
    const uint8_t *r;
    gsize len;

    arp_request(f, GUEST_IP, HOST_IP);
    send_frame(nic, f, 60);
    /* slirp answers from inside slirp_input, no loop iteration needed. */
    g_assert_cmpuint(nic->frames->len, ==, 1);
    r = g_bytes_get_data(nic->frames->pdata[0], &len);
    g_assert_cmpuint(len, >=, ETH_HLEN + 28);
    g_assert_cmpmem(r, 6, guest_mac, 6);
    g_assert_cmpuint(rd16(r + 12), ==, ETH_P_ARP);
    g_assert_cmpuint(rd16(r + ETH_HLEN + 6), ==, 2);                /* reply */
    g_assert_cmpmem(r + ETH_HLEN + 8, 6, gw_mac, 6);
    g_assert_cmphex(rd32(r + ETH_HLEN + 14), ==, HOST_IP);
    g_assert_cmpmem(r + ETH_HLEN + 18, 6, guest_mac, 6);
    g_assert_cmphex(rd32(r + ETH_HLEN + 24), ==, GUEST_IP);

    /* The DNS address answers too; an address outside slirp's does not. */
    arp_request(f, GUEST_IP, DNS_IP);
    send_frame(nic, f, 60);
    g_assert_cmpuint(nic->frames->len, ==, 2);
    arp_request(f, GUEST_IP, IP(10, 0, 2, 77));
    send_frame(nic, f, 60);
    g_assert_cmpuint(nic->frames->len, ==, 2);
    net_cleanup();
}

/* ---- DHCP ---- */

enum { DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPACK = 5 };

static size_t dhcp_frame(uint8_t *f, uint8_t type, uint32_t xid, uint32_t req_ip)
{
    uint8_t bootp[300];
    uint8_t udp[8 + sizeof(bootp)];
    uint8_t *o;
    size_t ulen;

    memset(bootp, 0, sizeof(bootp));
    bootp[0] = 1;           /* BOOTREQUEST */
    bootp[1] = 1;           /* Ethernet */
    bootp[2] = 6;
    wr32(bootp + 4, xid);
    memcpy(bootp + 28, guest_mac, 6);
    wr32(bootp + 236, 0x63825363);
    o = bootp + 240;
    *o++ = 53;
    *o++ = 1;
    *o++ = type;
    if (req_ip) {
        *o++ = 50;
        *o++ = 4;
        wr32(o, req_ip);
        o += 4;
        *o++ = 54;
        *o++ = 4;
        wr32(o, HOST_IP);
        o += 4;
    }
    *o++ = 255;
    ulen = udp_seg(udp, 68, 67, bootp, sizeof(bootp));
    return ipv4_frame(f, bcast_mac, 0, 0xffffffff, IP_PROTO_UDP, udp, ulen);
}

typedef struct DhcpReply {
    uint32_t xid;
    uint8_t type;
    /* filled when found */
    uint32_t yiaddr, server, router, dns, mask;
} DhcpReply;

static bool dhcp_match(const Ip4 *ip, void *opaque)
{
    DhcpReply *d = opaque;
    const uint8_t *b = ip->l4 + 8;
    size_t blen;
    uint8_t type = 0;

    if (ip->proto != IP_PROTO_UDP || rd16(ip->l4) != 67 || rd16(ip->l4 + 2) != 68 ||
        ip->l4_len < 8 + 240) {
        return false;
    }
    blen = ip->l4_len - 8;
    if (b[0] != 2 || rd32(b + 4) != d->xid || rd32(b + 236) != 0x63825363) {
        return false;
    }
    d->yiaddr = rd32(b + 16);
    for (size_t i = 240; i + 1 < blen && b[i] != 255;) {
        uint8_t code = b[i], len;
        if (code == 0) {
            i++;
            continue;
        }
        len = b[i + 1];
        if (i + 2 + len > blen) {
            break;
        }
        switch (code) {
        case 53: type = b[i + 2]; break;
        case 54: d->server = rd32(b + i + 2); break;
        case 3: d->router = rd32(b + i + 2); break;
        case 6: d->dns = rd32(b + i + 2); break;
        case 1: d->mask = rd32(b + i + 2); break;
        }
        i += 2 + len;
    }
    return type == d->type;
}

static void test_dhcp(void)
{
    FakeNic *nic = nic_on("user,id=u0");
    uint8_t f[1024];
    DhcpReply offer = { .xid = 0x1badcafe, .type = DHCPOFFER };
    DhcpReply ack = { .xid = 0x1badcafe, .type = DHCPACK };
    Ip4 ip;

    send_frame(nic, f, dhcp_frame(f, DHCPDISCOVER, offer.xid, 0));
    g_assert_true(wait_ipv4(nic, 0, dhcp_match, &offer, &ip));
    g_assert_cmphex(offer.yiaddr, ==, GUEST_IP);
    g_assert_cmphex(offer.server, ==, HOST_IP);
    g_assert_cmphex(ip.src, ==, HOST_IP);
    g_assert_cmpmem(ip.eth + 6, 6, gw_mac, 6);

    send_frame(nic, f, dhcp_frame(f, DHCPREQUEST, ack.xid, offer.yiaddr));
    g_assert_true(wait_ipv4(nic, 1, dhcp_match, &ack, &ip));
    g_assert_cmphex(ack.yiaddr, ==, GUEST_IP);
    g_assert_cmphex(ack.router, ==, HOST_IP);
    g_assert_cmphex(ack.dns, ==, DNS_IP);
    g_assert_cmphex(ack.mask, ==, IP(255, 255, 255, 0));
    net_cleanup();
}

/* Non-default addressing reaches the DHCP answers. */
static void test_dhcp_custom_net(void)
{
    FakeNic *nic = nic_on("user,id=u0,net=192.168.50.0/24,dhcpstart=192.168.50.100,"
                          "dns=192.168.50.53");
    uint8_t f[1024];
    DhcpReply offer = { .xid = 7, .type = DHCPOFFER };

    send_frame(nic, f, dhcp_frame(f, DHCPDISCOVER, offer.xid, 0));
    g_assert_true(wait_ipv4(nic, 0, dhcp_match, &offer, NULL));
    g_assert_cmphex(offer.yiaddr, ==, IP(192, 168, 50, 100));
    g_assert_cmphex(offer.server, ==, IP(192, 168, 50, 2));
    net_cleanup();
}

/* ---- ICMP and UDP ---- */

static bool icmp_reply_match(const Ip4 *ip, void *opaque)
{
    return ip->proto == IP_PROTO_ICMP && ip->l4_len >= 8 && ip->l4[0] == 0 &&
           rd16(ip->l4 + 4) == 0x1234 && ip->dst == GUEST_IP;
}

static void test_ping_gateway(void)
{
    FakeNic *nic = nic_on("user,id=u0");
    uint8_t icmp[16] = { 8, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g' };
    uint8_t f[128];
    uint16_t c;

    guest_arp(nic);
    c = net_checksum_finish(net_checksum_add(icmp, sizeof(icmp)));
    wr16(icmp + 2, c);
    send_frame(nic, f, ipv4_frame(f, gw_mac, GUEST_IP, HOST_IP, IP_PROTO_ICMP, icmp,
                                  sizeof(icmp)));
    g_assert_true(wait_ipv4(nic, 1, icmp_reply_match, NULL, NULL));
    net_cleanup();
}

/* A loopback socket of type on a free port; returns the fd and the port. */
static int loopback_socket(int type, uint16_t *port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t sl = sizeof(sa);
    int fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;

    g_assert_cmpint(fd, >=, 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sa, &sl), ==, 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

typedef struct ReadWait {
    int fd;
    char buf[256];
    ssize_t n;
} ReadWait;

static bool read_cond(void *opaque)
{
    ReadWait *r = opaque;

    r->n = recv(r->fd, r->buf, sizeof(r->buf), 0);
    return r->n > 0;
}

static void test_udp_to_host(void)
{
    FakeNic *nic = nic_on("user,id=u0");
    uint16_t port;
    ReadWait r = { .fd = loopback_socket(SOCK_DGRAM, &port) };
    uint8_t udp[64], f[128];
    size_t ulen;

    guest_arp(nic);
    ulen = udp_seg(udp, 5555, port, "datagram", 8);
    send_frame(nic, f, ipv4_frame(f, gw_mac, GUEST_IP, HOST_IP, IP_PROTO_UDP, udp, ulen));
    g_assert_true(run_until(read_cond, &r));
    g_assert_cmpmem(r.buf, r.n, "datagram", 8);
    close(r.fd);
    net_cleanup();
}

/* ---- TCP ---- */

typedef struct TcpMatch {
    uint16_t sport, dport;
    uint8_t flags;          /* all of these set */
    size_t min_payload;
} TcpMatch;

static bool tcp_match(const Ip4 *ip, void *opaque)
{
    TcpMatch *m = opaque;
    const uint8_t *t = ip->l4;

    if (ip->proto != IP_PROTO_TCP || ip->l4_len < 20 || ip->dst != GUEST_IP) {
        return false;
    }
    if ((m->sport && rd16(t) != m->sport) || rd16(t + 2) != m->dport) {
        return false;
    }
    return (t[13] & m->flags) == m->flags &&
           ip->l4_len - (t[12] >> 4) * 4 >= m->min_payload;
}

/* The host connects to a forwarded port: slirp opens the guest side with a SYN. */
static void test_hostfwd_syn(void)
{
    uint16_t port;
    int probe = loopback_socket(SOCK_STREAM, &port);
    g_autofree char *opts = NULL;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    TcpMatch syn = { .dport = 22, .flags = TH_SYN };
    FakeNic *nic;
    Ip4 ip;
    int c;

    /* slirp cannot report the port it bound for :0, so pick a free one first. */
    close(probe);
    opts = g_strdup_printf("user,id=u0,hostfwd=tcp:127.0.0.1:%u-:22", port);
    nic = nic_on(opts);
    guest_arp(nic);

    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    g_assert_true(connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
                  errno == EINPROGRESS);
    g_assert_true(wait_ipv4(nic, 1, tcp_match, &syn, &ip));
    g_assert_cmphex(ip.src, ==, HOST_IP);
    g_assert_cmphex(ip.l4[13] & TH_ACK, ==, 0);

    /* A second rule on the same port is refused; removing the rule works once. */
    {
        g_autoptr(GError) err = NULL;
        g_autofree char *rule = g_strdup_printf("tcp:127.0.0.1:%u-:23", port);
        g_autofree char *rm = g_strdup_printf("tcp:127.0.0.1:%u", port);

        g_assert_false(net_slirp_hostfwd_add("u0", rule, &err));
        g_test_message("%s", err->message);
        g_assert_nonnull(strstr(err->message, "could not set up host forwarding rule"));
        g_clear_error(&err);
        g_assert_true(net_slirp_hostfwd_remove(NULL, rm, &err));
        g_assert_no_error(err);
        g_assert_false(net_slirp_hostfwd_remove("u0", rm, &err));
        g_clear_error(&err);
        g_assert_false(net_slirp_hostfwd_remove("nope", rm, &err));
        g_assert_cmpstr(err->message, ==, "user netdev 'nope' not found");
    }
    close(c);
    net_cleanup();
}

typedef struct AcceptWait {
    int lfd;
    int cfd;
} AcceptWait;

static bool accept_cond(void *opaque)
{
    AcceptWait *a = opaque;

    a->cfd = accept4(a->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    return a->cfd >= 0;
}

/* The guest connects to 10.0.2.2:PORT and reaches a host socket on 127.0.0.1:PORT. */
static void test_guest_to_host_tcp(void)
{
    FakeNic *nic = nic_on("user,id=u0");
    uint16_t port;
    AcceptWait a = { .lfd = loopback_socket(SOCK_STREAM, &port), .cfd = -1 };
    TcpMatch synack = { .sport = port, .dport = 40000, .flags = TH_SYN | TH_ACK };
    TcpMatch data = { .sport = port, .dport = 40000, .flags = TH_ACK, .min_payload = 5 };
    uint8_t seg[128], f[256];
    ReadWait r;
    uint32_t gseq = 1000, hseq;
    size_t n;
    Ip4 ip;
    int at;

    g_assert_cmpint(listen(a.lfd, 4), ==, 0);
    guest_arp(nic);

    n = tcp_seg(seg, 40000, port, gseq, 0, TH_SYN, NULL, 0);
    send_frame(nic, f, ipv4_frame(f, gw_mac, GUEST_IP, HOST_IP, IP_PROTO_TCP, seg, n));
    g_assert_true(wait_ipv4(nic, 1, tcp_match, &synack, &ip));
    g_assert_cmpuint(rd32(ip.l4 + 8), ==, gseq + 1);
    hseq = rd32(ip.l4 + 4) + 1;
    g_assert_true(run_until(accept_cond, &a));

    /* Complete the handshake and send data to the host. */
    gseq++;
    n = tcp_seg(seg, 40000, port, gseq, hseq, TH_ACK, NULL, 0);
    send_frame(nic, f, ipv4_frame(f, gw_mac, GUEST_IP, HOST_IP, IP_PROTO_TCP, seg, n));
    n = tcp_seg(seg, 40000, port, gseq, hseq, TH_ACK | TH_PSH, "hello", 5);
    send_frame(nic, f, ipv4_frame(f, gw_mac, GUEST_IP, HOST_IP, IP_PROTO_TCP, seg, n));
    gseq += 5;
    r.fd = a.cfd;
    g_assert_true(run_until(read_cond, &r));
    g_assert_cmpmem(r.buf, r.n, "hello", 5);

    /* And back: the host writes, the guest gets a data segment. */
    at = nic->frames->len;
    g_assert_cmpint(write(a.cfd, "world", 5), ==, 5);
    g_assert_true(wait_ipv4(nic, at, tcp_match, &data, &ip));
    g_assert_cmpmem(ip.l4 + (ip.l4[12] >> 4) * 4, 5, "world", 5);
    g_assert_cmpuint(rd32(ip.l4 + 4), ==, hseq);

    /* "info usernet" lists the connection. */
    {
        g_autoptr(GString) out = g_string_new(NULL);
        net_slirp_print_usernet(out);
        g_assert_true(g_str_has_prefix(out->str, "Hub -1 (u0):\n"));
        g_assert_nonnull(strstr(out->str, "ESTABLISHED"));
    }
    close(a.cfd);
    close(a.lfd);
    net_cleanup();
}

/* Frames slirp produces while the NIC is full wait in order for the flush. */
static void test_nic_full(void)
{
    FakeNic *nic = nic_on("user,id=u0");
    uint8_t f[64] = { 0 };

    nic->full = true;
    arp_request(f, GUEST_IP, HOST_IP);
    send_frame(nic, f, 60);
    arp_request(f, GUEST_IP, DNS_IP);
    send_frame(nic, f, 60);
    g_assert_cmpuint(nic->frames->len, ==, 0);
    g_assert_cmpuint(net_queue_length(&nic->nc), ==, 2);
    nic->full = false;
    g_assert_true(net_queue_flush(&nic->nc));
    g_assert_cmpuint(nic->frames->len, ==, 2);
    g_assert_cmphex(rd32((const uint8_t *)g_bytes_get_data(nic->frames->pdata[1], NULL) +
                         ETH_HLEN + 14), ==, DNS_IP);
    net_cleanup();
}

/*
 * An idle user backend must let the loop sleep: its GSource may not
 * re-register fds (which wakes the context) on every iteration.
 */
static int idle_iterations;
static bool idle_done;

static void idle_end_cb(void *opaque)
{
    idle_done = true;
}

static gboolean idle_count_prepare(GSource *s, gint *timeout)
{
    idle_iterations++;
    *timeout = -1;
    return FALSE;
}

static GSourceFuncs idle_count_funcs = { .prepare = idle_count_prepare };

static void test_idle_no_spin(void)
{
    g_autofree char *opts = NULL;
    uint16_t port;
    int probe = loopback_socket(SOCK_STREAM, &port);
    Timer *end = timer_new_ns(TERN_CLOCK_REALTIME, idle_end_cb, NULL);
    GSource *counter = g_source_new(&idle_count_funcs, sizeof(GSource));

    close(probe);
    opts = g_strdup_printf("user,id=u0,hostfwd=tcp:127.0.0.1:%u-:22", port);
    nic_on(opts);
    g_source_attach(counter, main_loop_context());
    idle_done = false;
    idle_iterations = 0;
    timer_mod_in_ns(end, 300 * NS_PER_MS);
    for (int i = 0; i < 1000 && !idle_done; i++) {
        main_loop_wait(false);
    }
    g_assert_true(idle_done);
    /* A spinning loop would count thousands; slirp wakes about once a second. */
    g_test_message("%d iterations in 300 ms", idle_iterations);
    g_assert_cmpint(idle_iterations, <, 50);
    g_source_destroy(counter);
    g_source_unref(counter);
    timer_free(end);
    net_cleanup();
}

/* ---- tap ---- */

typedef struct TapPair {
    FakeNic *nic;
    int peer;       /* the "host side" of the socketpair */
} TapPair;

static TapPair tap_on_socketpair(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(KeyvalList) kv = NULL;
    g_autofree char *opts = NULL;
    TapPair p;
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    opts = g_strdup_printf("tap,id=t0,fd=%d", sv[0]);
    kv = keyval_parse(opts, "type", &err);
    g_assert_true(netdev_new_from_keyval(kv, &err));
    g_assert_no_error(err);
    p.nic = (FakeNic *)net_client_new(&nic_info, net_find_netdev("t0", NULL), "fake-nic",
                                      NULL);
    p.nic->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    p.peer = sv[1];
    return p;
}

typedef struct CountWait {
    FakeNic *nic;
    guint n;
} CountWait;

static bool count_cond(void *opaque)
{
    CountWait *c = opaque;

    return c->nic->frames->len >= c->n;
}

static void test_tap_fd_both_ways(void)
{
    TapPair p = tap_on_socketpair();
    CountWait cw = { p.nic, 2 };
    NetClientState *tap = p.nic->nc.peer;
    char buf[64];

    g_assert_true(g_str_has_prefix(tap->info_str, "fd="));
    g_assert_false(net_peer_has_vnet_hdr(&p.nic->nc));

    /* host -> NIC */
    g_assert_cmpint(send(p.peer, "frame-one", 9, 0), ==, 9);
    g_assert_cmpint(send(p.peer, "frame-two", 9, 0), ==, 9);
    g_assert_true(run_until(count_cond, &cw));
    g_assert_cmpmem(g_bytes_get_data(p.nic->frames->pdata[0], NULL), 9, "frame-one", 9);
    g_assert_cmpmem(g_bytes_get_data(p.nic->frames->pdata[1], NULL), 9, "frame-two", 9);

    /* NIC -> host */
    g_assert_cmpint(net_send_packet(&p.nic->nc, (const uint8_t *)"out", 3), ==, 3);
    g_assert_cmpint(recv(p.peer, buf, sizeof(buf), 0), ==, 3);
    g_assert_cmpmem(buf, 3, "out", 3);

    /* A full NIC stops the reads; the flush resumes them in order. */
    p.nic->full = true;
    g_assert_cmpint(send(p.peer, "f3", 2, 0), ==, 2);
    g_assert_cmpint(send(p.peer, "f4", 2, 0), ==, 2);
    for (int i = 0; i < 5; i++) {
        main_loop_wait(true);
    }
    g_assert_cmpuint(p.nic->frames->len, ==, 2);
    /* One frame was read and waits in the queue; the other is still in the socket. */
    g_assert_cmpuint(net_queue_length(&p.nic->nc), ==, 1);
    p.nic->full = false;
    net_queue_flush(&p.nic->nc);
    cw.n = 4;
    g_assert_true(run_until(count_cond, &cw));
    g_assert_cmpmem(g_bytes_get_data(p.nic->frames->pdata[2], NULL), 2, "f3", 2);
    g_assert_cmpmem(g_bytes_get_data(p.nic->frames->pdata[3], NULL), 2, "f4", 2);
    close(p.peer);
    net_cleanup();
}

static int tap_sent_cb_calls;

static void tap_sent_cb(NetClientState *nc, ssize_t ret)
{
    tap_sent_cb_calls++;
}

typedef struct DrainWait {
    int fd;
    int got;
    int want;
    bool in_order;
} DrainWait;

static bool drain_cond(void *opaque)
{
    DrainWait *d = opaque;
    uint32_t v;

    while (recv(d->fd, &v, sizeof(v), 0) == sizeof(v)) {
        if (v != (uint32_t)d->got) {
            d->in_order = false;
        }
        d->got++;
    }
    return d->got >= d->want;
}

/* Writes that hit EAGAIN queue in the backend and go out in order once writable. */
static void test_tap_write_backpressure(void)
{
    TapPair p = tap_on_socketpair();
    DrainWait d = { .fd = p.peer, .in_order = true };
    uint32_t i;
    int queued_at = -1;

    tap_sent_cb_calls = 0;
    for (i = 0; i < 100000 && queued_at < 0; i++) {
        if (net_send_packet_async(&p.nic->nc, (const uint8_t *)&i, sizeof(i),
                                  tap_sent_cb) == 0) {
            queued_at = (int)i;
        }
    }
    g_assert_cmpint(queued_at, >, 0);
    /* Everything after the refused one queues behind it. */
    for (int k = 0; k < 10; k++, i++) {
        g_assert_cmpint(net_send_packet_async(&p.nic->nc, (const uint8_t *)&i, sizeof(i),
                                              tap_sent_cb), ==, 0);
    }
    g_assert_false(net_can_send(&p.nic->nc));
    d.want = (int)i;
    g_assert_true(run_until(drain_cond, &d));
    g_assert_true(d.in_order);
    g_assert_cmpint(tap_sent_cb_calls, ==, 11);
    g_assert_cmpuint(net_queue_length(p.nic->nc.peer), ==, 0);
    close(p.peer);
    net_cleanup();
}

/* A real tap device, when this process may create one (root, /dev/net/tun). */
static bool tap_possible(const char **why)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        *why = "/dev/net/tun cannot be opened";
        return false;
    }
    close(fd);
    if (geteuid() != 0) {
        *why = "creating a tap device needs root";
        return false;
    }
    return true;
}

static void test_tap_ifname(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *name = g_strdup_printf("terntap%u", (unsigned)getpid() % 100000);
    g_autofree char *opts = NULL;
    const char *why = NULL;
    NetClientState *tap;
    bool ok;

    if (!tap_possible(&why)) {
        g_test_skip(why);
        return;
    }
    opts = g_strdup_printf("tap,id=t0,ifname=%s,script=no,downscript=no,vnet_hdr=on", name);
    {
        g_autoptr(KeyvalList) kv = keyval_parse(opts, "type", &err);
        ok = netdev_new_from_keyval(kv, &err);
    }
    if (!ok) {
        /* Containers may refuse TUNSETIFF even to root. */
        g_test_message("%s", err->message);
        g_assert_nonnull(strstr(err->message, "could not configure /dev/net/tun"));
        g_test_skip("tap device creation refused here");
        return;
    }
    tap = net_find_client("t0");
    g_assert_nonnull(tap);
    g_assert_cmpuint(if_nametoindex(name), !=, 0);
    g_assert_true(tap->info->has_vnet_hdr(tap));
    {
        g_autofree char *expect = g_strdup_printf("ifname=%s,script=no,downscript=no", name);
        g_assert_cmpstr(tap->info_str, ==, expect);
    }
    /* The device goes away with its (non-persistent) fd. */
    net_client_free(tap);
    g_assert_cmpuint(if_nametoindex(name), ==, 0);

    /* A failing up-script fails the netdev and releases the device. */
    g_free(opts);
    opts = g_strdup_printf("tap,id=t1,ifname=%s,script=/bin/false,downscript=no", name);
    {
        g_autoptr(KeyvalList) kv = keyval_parse(opts, "type", NULL);
        g_assert_false(netdev_new_from_keyval(kv, &err));
    }
    g_assert_nonnull(strstr(err->message, "network script /bin/false failed"));
    g_assert_cmpuint(if_nametoindex(name), ==, 0);
    g_assert_null(net_find_client("t1"));
    net_cleanup();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    bql_lock();
    /* slirp's clock is the virtual one; a running VM has it going. */
    clock_virtual_start();
    g_test_add_func("/slirp/arp", test_arp);
    g_test_add_func("/slirp/dhcp", test_dhcp);
    g_test_add_func("/slirp/dhcp-custom-net", test_dhcp_custom_net);
    g_test_add_func("/slirp/ping-gateway", test_ping_gateway);
    g_test_add_func("/slirp/udp-to-host", test_udp_to_host);
    g_test_add_func("/slirp/hostfwd-syn", test_hostfwd_syn);
    g_test_add_func("/slirp/guest-to-host-tcp", test_guest_to_host_tcp);
    g_test_add_func("/slirp/nic-full", test_nic_full);
    g_test_add_func("/slirp/idle-no-spin", test_idle_no_spin);
    g_test_add_func("/tap/fd-both-ways", test_tap_fd_both_ways);
    g_test_add_func("/tap/write-backpressure", test_tap_write_backpressure);
    g_test_add_func("/tap/ifname", test_tap_ifname);
    return g_test_run();
}
