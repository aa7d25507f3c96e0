/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network client layer tests: a fake NIC and a fake backend exchange
 * frames directly, so queueing, flushing, callbacks, link state and the
 * -netdev/-nic front end are checked without any host traffic. The user
 * backends created by the option tests are never sent anything.
 */
#include "net/checksum.h"
#include "net/net.h"
#include "system/main-loop.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

typedef struct FakeClient {
    NetClientState nc;
    bool refuse_rx;         /* can_receive returns false */
    int refuse_count;       /* receive returns 0 this many times */
    int accept_budget;      /* frames taken before returning 0; -1 unlimited */
    bool echo;              /* send every received frame back */
    const char *reply_to;   /* on receiving this payload, send reply */
    const char *reply;
    GPtrArray *frames;      /* GBytes, in arrival order */
    int link_changes;
} FakeClient;

#define FAKE(n) ((FakeClient *)(n))

static ssize_t fake_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    FakeClient *f = FAKE(nc);

    if (f->refuse_count > 0) {
        f->refuse_count--;
        return 0;
    }
    if (f->accept_budget == 0) {
        return 0;
    }
    if (f->accept_budget > 0) {
        f->accept_budget--;
    }
    g_ptr_array_add(f->frames, g_bytes_new(buf, len));
    if (f->echo) {
        net_send_packet(nc, buf, len);
    }
    if (f->reply_to && len == strlen(f->reply_to) && !memcmp(buf, f->reply_to, len)) {
        net_send_packet(nc, (const uint8_t *)f->reply, strlen(f->reply));
    }
    return len;
}

static bool fake_can_receive(NetClientState *nc)
{
    return !FAKE(nc)->refuse_rx;
}

static void fake_cleanup(NetClientState *nc)
{
    g_ptr_array_unref(FAKE(nc)->frames);
}

static void fake_link_changed(NetClientState *nc)
{
    FAKE(nc)->link_changes++;
}

static const NetClientInfo fake_nic_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(FakeClient),
    .receive = fake_receive,
    .can_receive = fake_can_receive,
    .cleanup = fake_cleanup,
    .link_status_changed = fake_link_changed,
};

static const NetClientInfo fake_backend_info = {
    .type = NET_CLIENT_DRIVER_HUBPORT,
    .size = sizeof(FakeClient),
    .receive = fake_receive,
    .can_receive = fake_can_receive,
    .cleanup = fake_cleanup,
    .link_status_changed = fake_link_changed,
};

static FakeClient *fake_new(const NetClientInfo *info, FakeClient *peer, const char *name)
{
    NetClientState *nc = net_client_new(info, peer ? &peer->nc : NULL,
                                        info == &fake_nic_info ? "fake-nic" : "fake",
                                        name);
    FakeClient *f = FAKE(nc);

    f->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    f->accept_budget = -1;
    return f;
}

static void send_str(FakeClient *f, const char *s)
{
    g_assert_cmpint(net_send_packet(&f->nc, (const uint8_t *)s, strlen(s)), ==, strlen(s));
}

static void assert_frame(FakeClient *f, guint i, const char *s)
{
    gsize len;
    const char *data;

    g_assert_cmpuint(i, <, f->frames->len);
    data = g_bytes_get_data(f->frames->pdata[i], &len);
    g_assert_cmpmem(data, len, s, strlen(s));
}

/* ---- frames between peers ---- */

static void test_both_ways(void)
{
    FakeClient *be = fake_new(&fake_backend_info, NULL, "be");
    FakeClient *nic = fake_new(&fake_nic_info, be, NULL);

    g_assert_true(nic->nc.peer == &be->nc && be->nc.peer == &nic->nc);
    g_assert_cmpstr(nic->nc.name, ==, "fake-nic.0");
    send_str(nic, "to-backend");
    send_str(be, "to-nic");
    g_assert_cmpuint(be->frames->len, ==, 1);
    g_assert_cmpuint(nic->frames->len, ==, 1);
    assert_frame(be, 0, "to-backend");
    assert_frame(nic, 0, "to-nic");

    /* Scatter-gather frames arrive as one buffer. */
    {
        struct iovec iov[2] = { { (void *)"ab", 2 }, { (void *)"cde", 3 } };
        g_assert_cmpint(net_send_iov(&be->nc, iov, 2), ==, 5);
        assert_frame(nic, 1, "abcde");
    }
    /* An unpaired client drops silently. */
    {
        FakeClient *lone = fake_new(&fake_backend_info, NULL, "lone");
        send_str(lone, "nobody");
        net_client_free(&lone->nc);
    }
    net_cleanup();
}

static void test_queue_and_flush(void)
{
    FakeClient *be = fake_new(&fake_backend_info, NULL, "be");
    FakeClient *nic = fake_new(&fake_nic_info, be, "nic");

    nic->refuse_rx = true;
    g_assert_false(net_can_send(&be->nc));
    send_str(be, "1");
    send_str(be, "2");
    send_str(be, "3");
    g_assert_cmpuint(nic->frames->len, ==, 0);
    g_assert_cmpuint(net_queue_length(&nic->nc), ==, 3);

    /* Able again but not flushed yet: new frames queue behind the old ones. */
    nic->refuse_rx = false;
    send_str(be, "4");
    g_assert_cmpuint(nic->frames->len, ==, 0);
    g_assert_true(net_queue_flush(&nic->nc));
    g_assert_cmpuint(nic->frames->len, ==, 4);
    for (guint i = 0; i < 4; i++) {
        char s[2] = { (char)('1' + i), 0 };
        assert_frame(nic, i, s);
    }
    g_assert_true(net_can_send(&be->nc));

    /* receive() returning 0 keeps the frame and stops delivery until flushed. */
    nic->refuse_count = 1;
    send_str(be, "5");
    g_assert_true(nic->nc.receive_disabled);
    send_str(be, "6");
    g_assert_cmpuint(nic->frames->len, ==, 4);
    g_assert_cmpuint(net_queue_length(&nic->nc), ==, 2);
    g_assert_true(net_queue_flush(&nic->nc));
    assert_frame(nic, 4, "5");
    assert_frame(nic, 5, "6");

    /* Partial flush: the receiver stops in the middle, then resumes in order. */
    nic->refuse_rx = true;
    send_str(be, "7");
    send_str(be, "8");
    send_str(be, "9");
    nic->refuse_rx = false;
    nic->accept_budget = 1;
    g_assert_false(net_queue_flush(&nic->nc));
    g_assert_cmpuint(nic->frames->len, ==, 7);
    g_assert_cmpuint(net_queue_length(&nic->nc), ==, 2);
    nic->accept_budget = -1;
    g_assert_true(net_queue_flush(&nic->nc));
    assert_frame(nic, 6, "7");
    assert_frame(nic, 7, "8");
    assert_frame(nic, 8, "9");
    net_cleanup();
}

static int sent_calls;
static ssize_t sent_last;

static void on_sent(NetClientState *sender, ssize_t ret)
{
    sent_calls++;
    sent_last = ret;
}

static void test_async(void)
{
    FakeClient *be = fake_new(&fake_backend_info, NULL, "be");
    FakeClient *nic = fake_new(&fake_nic_info, be, "nic");

    sent_calls = 0;
    /* Delivered at once: no callback. */
    g_assert_cmpint(net_send_packet_async(&be->nc, (const uint8_t *)"now", 3, on_sent), ==, 3);
    g_assert_cmpint(sent_calls, ==, 0);

    nic->refuse_rx = true;
    g_assert_cmpint(net_send_packet_async(&be->nc, (const uint8_t *)"later", 5, on_sent),
                    ==, 0);
    g_assert_cmpint(net_send_packet_async(&be->nc, (const uint8_t *)"later2", 6, on_sent),
                    ==, 0);
    g_assert_cmpint(sent_calls, ==, 0);
    g_assert_false(net_queue_flush(&nic->nc));
    g_assert_cmpint(sent_calls, ==, 0);
    nic->refuse_rx = false;
    g_assert_true(net_queue_flush(&nic->nc));
    g_assert_cmpint(sent_calls, ==, 2);
    g_assert_cmpint(sent_last, ==, 6);
    assert_frame(nic, 1, "later");
    assert_frame(nic, 2, "later2");

    /* Purged frames report 0. */
    nic->refuse_rx = true;
    g_assert_cmpint(net_send_packet_async(&be->nc, (const uint8_t *)"gone", 4, on_sent), ==, 0);
    net_queue_purge(&nic->nc);
    g_assert_cmpint(sent_calls, ==, 3);
    g_assert_cmpint(sent_last, ==, 0);
    g_assert_cmpuint(net_queue_length(&nic->nc), ==, 0);

    /* A sender that goes away takes its queued frames along, without callbacks. */
    g_assert_cmpint(net_send_packet_async(&be->nc, (const uint8_t *)"x", 1, on_sent), ==, 0);
    net_client_free(&be->nc);
    g_assert_null(nic->nc.peer);
    g_assert_cmpuint(net_queue_length(&nic->nc), ==, 0);
    g_assert_cmpint(sent_calls, ==, 3);
    net_cleanup();
}

static void test_queue_bound(void)
{
    FakeClient *be = fake_new(&fake_backend_info, NULL, "be");
    FakeClient *nic = fake_new(&fake_nic_info, be, "nic");
    const uint8_t b = 0;

    nic->refuse_rx = true;
    for (int i = 0; i < 10005; i++) {
        g_assert_cmpint(net_send_packet(&be->nc, &b, 1), ==, 1);
    }
    g_assert_cmpuint(net_queue_length(&nic->nc), ==, 10000);
    /* Async senders are never dropped. */
    g_assert_cmpint(net_send_packet_async(&be->nc, &b, 1, on_sent), ==, 0);
    g_assert_cmpuint(net_queue_length(&nic->nc), ==, 10001);
    net_cleanup();
}

static void test_reentrant(void)
{
    FakeClient *be = fake_new(&fake_backend_info, NULL, "be");
    FakeClient *nic = fake_new(&fake_nic_info, be, "nic");

    /* backend echoes; NIC answers "ping" with "pong" from inside its receive */
    be->echo = true;
    nic->reply_to = "ping";
    nic->reply = "pong";
    send_str(nic, "ping");
    g_assert_cmpuint(be->frames->len, ==, 2);
    g_assert_cmpuint(nic->frames->len, ==, 2);
    assert_frame(be, 0, "ping");
    assert_frame(be, 1, "pong");
    assert_frame(nic, 0, "ping");
    assert_frame(nic, 1, "pong");
    net_cleanup();
}

static void test_link(void)
{
    FakeClient *be = fake_new(&fake_backend_info, NULL, "be");
    FakeClient *nic = fake_new(&fake_nic_info, be, "nic");
    g_autoptr(GError) err = NULL;

    /* Backend link down: the NIC follows, frames are dropped both ways. */
    net_client_set_link(&be->nc, false);
    g_assert_true(be->nc.link_down);
    g_assert_true(nic->nc.link_down);
    g_assert_cmpint(be->link_changes, ==, 1);
    g_assert_cmpint(nic->link_changes, ==, 1);
    send_str(be, "lost");
    send_str(nic, "lost");
    g_assert_cmpuint(be->frames->len + nic->frames->len, ==, 0);
    g_assert_true(net_can_send(&be->nc));

    g_assert_true(net_set_link("be", true, &err));
    g_assert_false(nic->nc.link_down);
    send_str(be, "ok");
    g_assert_cmpuint(nic->frames->len, ==, 1);

    /* NIC link down: the backend is told but keeps its own state. */
    net_client_set_link(&nic->nc, false);
    g_assert_true(nic->nc.link_down);
    g_assert_false(be->nc.link_down);
    g_assert_cmpint(be->link_changes, ==, 3);
    send_str(be, "dropped at the NIC");
    g_assert_cmpuint(nic->frames->len, ==, 1);
    net_client_set_link(&nic->nc, true);

    g_assert_false(net_set_link("nope", false, &err));
    g_assert_cmpstr(err->message, ==, "device 'nope' not found");
    net_cleanup();
}

/* ---- options ---- */

static bool netdev(const char *opts, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(opts, "type", errp);

    return kv && netdev_new_from_keyval(kv, errp);
}

static bool nic_opt(const char *opts, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(opts, "type", errp);

    return kv && net_nic_new_from_keyval(kv, errp);
}

static void expect_netdev_error(const char *opts, const char *msg_part)
{
    g_autoptr(GError) err = NULL;

    g_assert_false(netdev(opts, &err));
    g_assert_nonnull(err);
    g_test_message("%s", err->message);
    g_assert_nonnull(strstr(err->message, msg_part));
    g_assert_null(strchr(err->message, '\n'));
    g_assert_true(g_str_has_prefix(err->message, "-netdev"));
    g_assert_false(g_str_has_suffix(err->message, "."));
}

static void test_netdev_options(void)
{
    g_autoptr(GError) err = NULL;
    NetClientState *nc;

    g_assert_true(netdev("user,id=n0", &err));
    g_assert_no_error(err);
    nc = net_find_client("n0");
    g_assert_nonnull(nc);
    g_assert_true(nc->is_netdev);
    g_assert_cmpint(nc->info->type, ==, NET_CLIENT_DRIVER_USER);
    g_assert_cmpstr(nc->info_str, ==, "net=10.0.2.0,restrict=off");

    g_assert_true(netdev("user,id=n1,net=192.168.76.0/24,host=192.168.76.9,dns=192.168.76.8,"
                         "dhcpstart=192.168.76.100,restrict=on,hostname=guest,ipv6=off,"
                         "hostfwd=tcp:127.0.0.1:0-:22,hostfwd=udp:127.0.0.1:0-10.0.2.15:53,"
                         "dnssearch=example.com,dnssearch=example.org,domainname=lan",
                         &err));
    g_assert_no_error(err);
    g_assert_cmpstr(net_find_client("n1")->info_str, ==, "net=192.168.76.0,restrict=on");
    g_assert_true(netdev("user,id=n2,net=10.9.0.0/255.255.0.0,ipv6-net=fd00::/64", &err));
    g_assert_no_error(err);

    expect_netdev_error("bogus,id=x", "invalid network backend type 'bogus'");
    expect_netdev_error("user", "-netdev user: requires id=");
    expect_netdev_error("user,id=n0", "duplicate id 'n0'");
    expect_netdev_error("user,id=9bad", "invalid id '9bad'");
    expect_netdev_error("user,id=u1,hostfwd=tcp:127.0.0.1:22", "invalid host forwarding rule");
    expect_netdev_error("user,id=u1,hostfwd=sctp::22-:22", "bad protocol");
    expect_netdev_error("user,id=u1,hostfwd=tcp::70000-:22", "bad host port");
    expect_netdev_error("user,id=u1,hostfwd=tcp::22-:0", "bad guest port");
    expect_netdev_error("user,id=u1,hostfwd=tcp:1.2.3:22-:22", "bad host address");
    expect_netdev_error("user,id=u1,hostfwd=tcp::22-10.0.2:22", "bad guest address");
    expect_netdev_error("user,id=u1,net=10.0.2.0/40", "invalid netmask");
    expect_netdev_error("user,id=u1,net=10.0.2.0/255.0.255.0", "invalid netmask");
    expect_netdev_error("user,id=u1,net=banana", "invalid network address 'banana'");
    expect_netdev_error("user,id=u1,host=10.0.3.2", "not in the guest network");
    expect_netdev_error("user,id=u1,dns=10.0.2.255", "broadcast");
    expect_netdev_error("user,id=u1,dns=10.0.2.2", "must differ");
    expect_netdev_error("user,id=u1,ipv4=off,ipv6=off", "cannot both be off");
    expect_netdev_error("user,id=u1,restrict=maybe", "restrict");
    expect_netdev_error("user,id=u1,guestfwd=tcp:10.0.2.100:1234-cmd:cat", "not supported");
    expect_netdev_error("user,id=u1,frobnicate=1", "unknown parameter 'frobnicate'");
    expect_netdev_error("tap,id=t1,fd=99999", "invalid file descriptor 99999");
    expect_netdev_error("tap,id=t1,fd=abc", "invalid file descriptor 'abc'");
    expect_netdev_error("tap,id=t1,fd=0,ifname=x", "invalid with fd=");
    expect_netdev_error("tap,id=t1,ifname=waytoolonginterfacename", "too long");
    expect_netdev_error("tap,id=t1,vhost=on", "vhost=on is not supported");
    expect_netdev_error("tap,id=t1,queues=4", "multiqueue");
    /* Failures leave nothing behind. */
    g_assert_null(net_find_client("u1"));
    g_assert_null(net_find_client("t1"));
    net_cleanup();
}

static void test_find_netdev(void)
{
    g_autoptr(GError) err = NULL;
    FakeClient *nic;
    NetClientState *be;

    g_assert_true(netdev("user,id=net0", &err));
    be = net_find_netdev("net0", &err);
    g_assert_no_error(err);
    g_assert_nonnull(be);
    g_assert_true(net_netdev_prop_lookup("net0", NULL) == be);

    nic = fake_new(&fake_nic_info, FAKE(be), "nic0");
    g_assert_true(nic->nc.peer == be);
    g_assert_null(net_find_netdev("net0", &err));
    g_assert_cmpstr(err->message, ==, "netdev 'net0' is already in use");
    g_clear_error(&err);
    g_assert_null(net_find_netdev("nope", &err));
    g_assert_cmpstr(err->message, ==, "netdev 'nope' not found");
    g_clear_error(&err);
    /* A NIC's name is not a netdev. */
    g_assert_null(net_find_netdev("nic0", &err));
    g_clear_error(&err);

    /* net_client_set_peer refuses a taken backend. */
    {
        FakeClient *other = fake_new(&fake_nic_info, NULL, "nic1");
        g_assert_false(net_client_set_peer(&other->nc, be, &err));
        g_assert_cmpstr(err->message, ==, "netdev 'net0' is already in use");
        g_clear_error(&err);
    }
    net_cleanup();
}

static void test_nic_requests(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) reqs = NULL;
    NetNicRequest *r;

    g_assert_true(nic_opt("user,model=virtio-net-pci,mac=52:54:00:aa:bb:cc", &err));
    g_assert_no_error(err);
    g_assert_true(nic_opt("none", &err));
    g_assert_true(nic_opt("user,id=mine,hostfwd=tcp:127.0.0.1:0-:22", &err));
    g_assert_no_error(err);
    g_assert_true(net_default_nic_request("e1000", &err));
    g_assert_no_error(err);

    g_assert_false(nic_opt("user,mac=52:54:00:zz:00:00", &err));
    g_assert_cmpstr(err->message, ==,
                    "-nic user,mac=52:54:00:zz:00:00: invalid MAC address '52:54:00:zz:00:00'");
    g_clear_error(&err);
    g_assert_false(nic_opt("user,model=x,bogus=1", &err));
    g_assert_nonnull(strstr(err->message, "-nic user,model=x,bogus=1: unknown parameter 'bogus'"));
    g_clear_error(&err);
    g_assert_false(nic_opt("wat", &err));
    g_assert_nonnull(strstr(err->message, "invalid network backend type 'wat'"));
    g_clear_error(&err);

    reqs = net_take_nic_requests();
    g_assert_cmpuint(reqs->len, ==, 3);
    r = reqs->pdata[0];
    g_assert_cmpstr(r->model, ==, "virtio-net-pci");
    g_assert_true(r->has_mac);
    g_assert_cmpmem(r->mac, 6, ((uint8_t[]){ 0x52, 0x54, 0, 0xaa, 0xbb, 0xcc }), 6);
    g_assert_cmpstr(r->netdev_id, ==, "__org.qemu.nic0");
    g_assert_nonnull(net_find_netdev(r->netdev_id, NULL));
    g_assert_cmpint(net_find_client(r->netdev_id)->info->type, ==, NET_CLIENT_DRIVER_USER);
    r = reqs->pdata[1];
    g_assert_null(r->model);
    g_assert_false(r->has_mac);
    g_assert_cmpstr(r->netdev_id, ==, "mine");
    r = reqs->pdata[2];
    g_assert_cmpstr(r->model, ==, "e1000");
    g_assert_nonnull(net_find_netdev(r->netdev_id, NULL));

    /* Taken: the next call starts empty. */
    {
        g_autoptr(GPtrArray) again = net_take_nic_requests();
        g_assert_cmpuint(again->len, ==, 0);
    }
    net_cleanup();
}

static void test_info_and_help(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    FakeClient *nic;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    g_assert_true(netdev("user,id=net0", &err));
    g_assert_true(netdev("user,id=spare,net=10.1.0.0/16", &err));
    nic = fake_new(&fake_nic_info, FAKE(net_find_netdev("net0", NULL)), "virtio-net-pci.0");
    net_client_set_info_str(&nic->nc, "model=virtio-net-pci,macaddr=52:54:00:12:34:56");
    net_print_info(out);
    g_assert_cmpstr(out->str, ==,
                    "spare: index=0,type=user,net=10.1.0.0,restrict=off\n"
                    "virtio-net-pci.0: index=0,type=nic,model=virtio-net-pci,"
                    "macaddr=52:54:00:12:34:56\n"
                    " \\ net0: index=0,type=user,net=10.0.2.0,restrict=off\n");

    f = open_memstream(&buf, &len);
    net_print_help(f);
    fclose(f);
    g_assert_cmpstr(buf, ==, "Available netdev backend types:\nuser\ntap\n");
    free(buf);
    net_cleanup();
}

static void test_macaddr(void)
{
    g_autoptr(GError) err = NULL;
    uint8_t mac[6];
    char s[18];

    g_assert_true(net_parse_macaddr("52:54:00:AB:cd:0f", mac, &err));
    net_format_macaddr(mac, s);
    g_assert_cmpstr(s, ==, "52:54:00:ab:cd:0f");
    g_assert_true(net_parse_macaddr("02-00-00-00-00-01", mac, &err));
    g_assert_cmpuint(mac[5], ==, 1);
    for (const char *const *bad = (const char *const[]){
             "", "52:54:00:ab:cd", "52:54:00:ab:cd:0f:11", "5:54:00:ab:cd:0f",
             "52:54:00:ab:cd:0g", "52545400abcd", NULL };
         *bad; bad++) {
        g_assert_false(net_parse_macaddr(*bad, mac, &err));
        g_assert_nonnull(strstr(err->message, "invalid MAC address"));
        g_clear_error(&err);
    }
    net_cleanup();
    net_macaddr_default(mac);
    net_format_macaddr(mac, s);
    g_assert_cmpstr(s, ==, "52:54:00:12:34:56");
    net_macaddr_default(mac);
    g_assert_cmpuint(mac[5], ==, 0x57);
}

/* ---- checksums ---- */

static void test_checksum(void)
{
    /* RFC 1071 section 3 example: sum 0xddf2, checksum its complement. */
    static const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    /* A well-known IPv4 header whose checksum is 0xb861. */
    static const uint8_t iphdr[] = {
        0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
        0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
    };
    static const uint8_t addrs[8] = { 10, 0, 2, 15, 10, 0, 2, 2 };
    /* TCP SYN 40000 -> 22, seq 0x01020304, window 0xfaf0, payload "abc". */
    uint8_t tcp[23] = {
        0x9c, 0x40, 0x00, 0x16, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0,
        0x50, 0x02, 0xfa, 0xf0, 0, 0, 0, 0, 'a', 'b', 'c',
    };
    uint8_t udp[13] = { 0, 68, 0, 67, 0, 13, 0, 0, 'h', 'e', 'l', 'l', 'o' };
    uint8_t frame[ETH_HLEN + 20 + sizeof(tcp)];
    uint32_t s1, s2;

    g_assert_cmphex(net_checksum_finish(net_checksum_add(rfc, sizeof(rfc))), ==, 0x220d);
    g_assert_cmphex(net_checksum_ipv4_header(iphdr, sizeof(iphdr)), ==, 0xb861);

    /* Sums continue across pieces, including odd-length ones. */
    s1 = net_checksum_add(tcp, sizeof(tcp));
    s2 = net_checksum_add_cont(tcp, 7, 0);
    s2 += net_checksum_add_cont(tcp + 7, sizeof(tcp) - 7, 7);
    g_assert_cmphex(net_checksum_finish(s1), ==, net_checksum_finish(s2));

    /* Reference values computed independently. */
    g_assert_cmphex(net_checksum_tcpudp(addrs, IP_PROTO_TCP, tcp, sizeof(tcp)), ==, 0x381f);
    g_assert_cmphex(net_checksum_tcpudp(addrs, IP_PROTO_UDP, udp, sizeof(udp)), ==, 0xa36a);
    g_assert_cmphex(net_checksum_finish_nozero(0xffff), ==, 0xffff);
    g_assert_cmphex(net_checksum_finish(0xffff), ==, 0);

    /* A whole frame: IPv4 header and TCP checksum filled in place. */
    memset(frame, 0, sizeof(frame));
    frame[12] = 0x08;
    memcpy(frame + ETH_HLEN, (uint8_t[]){ 0x45, 0, 0, 20 + sizeof(tcp), 0x12, 0x34, 0x40, 0,
                                          64, IP_PROTO_TCP, 0xde, 0xad }, 12);
    memcpy(frame + ETH_HLEN + 12, addrs, 8);
    memcpy(frame + ETH_HLEN + 20, tcp, sizeof(tcp));
    frame[ETH_HLEN + 20 + 16] = 0x55;   /* garbage to be replaced */
    g_assert_true(net_checksum_calculate(frame, sizeof(frame), NET_CSUM_ALL));
    g_assert_cmphex(frame[ETH_HLEN + 10] << 8 | frame[ETH_HLEN + 11], ==, 0x1089);
    g_assert_cmphex(frame[ETH_HLEN + 36] << 8 | frame[ETH_HLEN + 37], ==, 0x381f);
    /* Only the IP header when asked for only that. */
    frame[ETH_HLEN + 36] = 0x77;
    g_assert_true(net_checksum_calculate(frame, sizeof(frame), NET_CSUM_IP));
    g_assert_cmphex(frame[ETH_HLEN + 36], ==, 0x77);
    /* Truncated and non-IP frames are left alone. */
    g_assert_false(net_checksum_calculate(frame, 10, NET_CSUM_ALL));
    frame[12] = 0x08;
    frame[13] = 0x06;
    g_assert_false(net_checksum_calculate(frame, sizeof(frame), NET_CSUM_ALL));

    /*
     * Partial checksum as a virtio guest leaves it: the pseudo-header sum
     * (uncomplemented) in the field, the rest to the device.
     */
    {
        uint8_t seg[sizeof(tcp)];
        uint32_t ph = net_checksum_add(addrs, 8) + IP_PROTO_TCP + sizeof(tcp);
        uint16_t folded;

        while (ph >> 16) {
            ph = (ph & 0xffff) + (ph >> 16);
        }
        folded = (uint16_t)ph;
        memcpy(seg, tcp, sizeof(tcp));
        seg[16] = folded >> 8;
        seg[17] = folded & 0xff;
        g_assert_true(net_checksum_complete_partial(seg, sizeof(seg), 0, 16));
        g_assert_cmphex(seg[16] << 8 | seg[17], ==, 0x381f);
        g_assert_false(net_checksum_complete_partial(seg, sizeof(seg), 0, 22));
        g_assert_false(net_checksum_complete_partial(seg, sizeof(seg), 30, 0));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    bql_lock();
    g_test_add_func("/net/both-ways", test_both_ways);
    g_test_add_func("/net/queue-and-flush", test_queue_and_flush);
    g_test_add_func("/net/async", test_async);
    g_test_add_func("/net/queue-bound", test_queue_bound);
    g_test_add_func("/net/reentrant", test_reentrant);
    g_test_add_func("/net/link", test_link);
    g_test_add_func("/net/netdev-options", test_netdev_options);
    g_test_add_func("/net/find-netdev", test_find_netdev);
    g_test_add_func("/net/nic-requests", test_nic_requests);
    g_test_add_func("/net/info-and-help", test_info_and_help);
    g_test_add_func("/net/macaddr", test_macaddr);
    g_test_add_func("/net/checksum", test_checksum);
    return g_test_run();
}
