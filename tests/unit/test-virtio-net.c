/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net tests over a modern virtio-mmio transport with a fake network
 * backend (a NetClientState that records what it receives and can refuse
 * frames or claim virtio-net header support). Covers the config space (MAC,
 * link status), transmit (header stripped or passed on, a backend that
 * holds frames), receive into mergeable and single buffers, frames queued
 * while the guest has no buffers and flushed by its kick, oversized frames,
 * link down/up config interrupts, and reset with a held frame.
 */
#include <string.h>
#include <unistd.h>

#include "hw/core/device.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-net.h"
#include "hw/virtio/virtio.h"
#include "net/net.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"
#include "virtio-test-driver.h"

#define BASE     0x0a000000ull
#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1u << 20)
#define RX_RING  (RAM_BASE + 0x4000)
#define TX_RING  (RAM_BASE + 0x8000)
#define RX_BUF   (RAM_BASE + 0x20000)
#define TX_BUF   (RAM_BASE + 0x40000)
#define QSIZE    16

typedef struct FakeBackend {
    NetClientState nc;
    GPtrArray *frames;          /* GByteArray * */
    bool refuse;
    bool vnet;
    int vnet_len;
    bool using_vnet;
    NetOffloads offloads;
} FakeBackend;

typedef struct Fixture {
    MemoryRegion ram;
    FakeBackend *be;
    DeviceState *proxy, *dev;
    VirtIONet *net;
    IrqLine *irq;
    int level;
    TestVring rx, tx;
} Fixture;

typedef struct Opts {
    bool vnet;
    bool no_mergeable;
    const char *mac;
} Opts;

/* ---- the fake backend ---- */

static ssize_t fake_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    FakeBackend *be = (FakeBackend *)nc;
    GByteArray *f;

    if (be->refuse) {
        return 0;
    }
    f = g_byte_array_new();
    g_byte_array_append(f, buf, len);
    g_ptr_array_add(be->frames, f);
    return len;
}

static bool fake_can_receive(NetClientState *nc)
{
    return !((FakeBackend *)nc)->refuse;
}

static bool fake_has_vnet_hdr(NetClientState *nc)
{
    return ((FakeBackend *)nc)->vnet;
}

static void fake_using_vnet_hdr(NetClientState *nc, bool enable)
{
    ((FakeBackend *)nc)->using_vnet = enable;
}

static bool fake_set_vnet_hdr_len(NetClientState *nc, int len)
{
    ((FakeBackend *)nc)->vnet_len = len;
    return true;
}

static void fake_set_offload(NetClientState *nc, const NetOffloads *o)
{
    ((FakeBackend *)nc)->offloads = *o;
}

static void fake_cleanup(NetClientState *nc)
{
    g_ptr_array_free(((FakeBackend *)nc)->frames, TRUE);
}

static const NetClientInfo fake_info = {
    .type = NET_CLIENT_DRIVER_TAP,
    .size = sizeof(FakeBackend),
    .receive = fake_receive,
    .can_receive = fake_can_receive,
    .cleanup = fake_cleanup,
    .has_vnet_hdr = fake_has_vnet_hdr,
    .using_vnet_hdr = fake_using_vnet_hdr,
    .set_vnet_hdr_len = fake_set_vnet_hdr_len,
    .set_offload = fake_set_offload,
};

/* ---- guest side ---- */

static AddressSpace *as(void)
{
    return address_space_memory();
}

static uint32_t rd(uint64_t off)
{
    return tv_mmio_rd(BASE, off);
}

static void wr(uint64_t off, uint32_t v)
{
    tv_mmio_wr(BASE, off, v);
}

static void driver_init(Fixture *f, bool mergeable)
{
    tv_mmio_negotiate(BASE, mergeable ? 0 : VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF));
    tv_mmio_setup_queue(BASE, VIRTIO_NET_RX_QUEUE, &f->rx, RX_RING, QSIZE);
    tv_mmio_setup_queue(BASE, VIRTIO_NET_TX_QUEUE, &f->tx, TX_RING, QSIZE);
    tv_mmio_driver_ok(BASE);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    const Opts *o = data;
    GError *err = NULL;

    memset(f, 0, sizeof(*f));
    log_set_mask(0);
    tv_ram_add(&f->ram, RAM_BASE, RAM_SIZE);

    f->be = (FakeBackend *)net_client_new(&fake_info, NULL, "fake", "n0");
    f->be->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    f->be->vnet = o && o->vnet;

    f->irq = irq_new(tv_level_handler, &f->level, 0);
    f->proxy = tv_mmio_create(BASE, f->irq);

    f->dev = device_new(TYPE_VIRTIO_NET_DEVICE, &err);
    g_assert_no_error(err);
    g_assert_true(device_set_prop_backend(f->dev, "netdev", &f->be->nc, "n0", &err));
    g_assert_true(device_set_prop_uint(f->dev, "queue-size", QSIZE, &err));
    if (o && o->mac) {
        g_assert_true(device_set_prop(f->dev, "mac", o->mac, &err));
    }
    g_assert_true(device_realize(f->dev, virtio_mmio_get_bus(f->proxy), &err));
    g_assert_no_error(err);
    f->net = (VirtIONet *)f->dev;
    device_reset(f->proxy);
    g_assert_cmpuint(rd(VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_NET);
    driver_init(f, !(o && o->no_mergeable));
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    net_client_free(&f->be->nc);
    irq_free(f->irq);
    tv_ram_del(&f->ram);
}

static void ack_irq(void)
{
    wr(VIRTIO_MMIO_INTERRUPT_ACK, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
}

/* Post n receive buffers of len bytes each, at RX_BUF + i * 0x800. */
static void post_rx(Fixture *f, unsigned n, uint32_t len)
{
    for (unsigned i = 0; i < n; i++) {
        TestBuf b = { RX_BUF + i * 0x800, len, true };

        tvring_publish(&f->rx, tvring_add_chain(&f->rx, &b, 1));
    }
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_RX_QUEUE);
}

static void make_frame(uint8_t *buf, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = seed + i * 13;
    }
}

/* Guest transmits a frame: header (hdr_len bytes, first byte flags) + data. */
static void guest_tx(Fixture *f, const uint8_t *frame, size_t len, unsigned hdr_len,
                     uint8_t flags)
{
    TestBuf bufs[2] = { { TX_BUF, hdr_len, false }, { TX_BUF + 0x100, len, false } };

    tv_fill(as(), TX_BUF, 0, hdr_len);
    tv_w16(as(), TX_BUF, flags);
    address_space_write(as(), TX_BUF + 0x100, frame, len);
    tvring_publish(&f->tx, tvring_add_chain(&f->tx, bufs, 2));
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_TX_QUEUE);
}

/* ---- tests ---- */

static void test_config(Fixture *f, gconstpointer data)
{
    uint8_t mac[6];
    VirtIODevice *vdev = &f->net->parent;

    for (int i = 0; i < 6; i++) {
        mac[i] = tv_r(as(), BASE + VIRTIO_MMIO_CONFIG + i, 1);
    }
    g_assert_cmpmem(mac, 6, "\x52\x54\x00\x12\x34\x99", 6);
    g_assert_cmpuint(tv_r(as(), BASE + VIRTIO_MMIO_CONFIG + VIRTIO_NET_CFG_STATUS, 2), ==,
                     VIRTIO_NET_S_LINK_UP);
    g_assert_true(virtio_has_feature(vdev, VIRTIO_NET_F_MAC));
    g_assert_true(virtio_has_feature(vdev, VIRTIO_NET_F_STATUS));
    g_assert_true(virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF));
    /* The backend has no virtio-net headers: no offloads. */
    g_assert_false(virtio_host_has_feature(vdev, VIRTIO_NET_F_CSUM));
    g_assert_false(virtio_host_has_feature(vdev, VIRTIO_NET_F_GUEST_CSUM));
    g_assert_false(virtio_host_has_feature(vdev, VIRTIO_NET_F_HOST_TSO4));
    /* A modern driver cannot change the MAC through config space. */
    tv_w32(as(), BASE + VIRTIO_MMIO_CONFIG, 0xffffffff);
    g_assert_cmphex(tv_r(as(), BASE + VIRTIO_MMIO_CONFIG, 1), ==, 0x52);
}

static void test_default_mac(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(tv_r(as(), BASE + VIRTIO_MMIO_CONFIG, 4), ==, 0x12005452);
    g_assert_cmphex(tv_r(as(), BASE + VIRTIO_MMIO_CONFIG + 4, 1), ==, 0x34);
}

static void test_tx(Fixture *f, gconstpointer data)
{
    uint8_t frame[100];
    uint32_t id, len;
    GByteArray *got;

    make_frame(frame, sizeof(frame), 1);
    guest_tx(f, frame, sizeof(frame), VIRTIO_NET_HDR_MRG_LEN, 0);
    g_assert_cmpuint(f->be->frames->len, ==, 1);
    got = f->be->frames->pdata[0];
    /* The header stays behind: the backend sees the bare frame. */
    g_assert_cmpmem(got->data, got->len, frame, sizeof(frame));
    g_assert_true(tvring_get_used(&f->tx, &id, &len));
    g_assert_cmpuint(len, ==, 0);
    g_assert_cmpint(f->level, ==, 1);
    ack_irq();

    /* A chain shorter than the header breaks the device. */
    {
        TestBuf b = { TX_BUF, 4, false };

        tvring_publish(&f->tx, tvring_add_chain(&f->tx, &b, 1));
        wr(VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_TX_QUEUE);
        g_assert_true(f->net->parent.broken);
    }
}

/* The backend holds a frame: tx pauses until it takes it. */
static void test_tx_held(Fixture *f, gconstpointer data)
{
    uint8_t frame[60];
    uint32_t id, len;

    make_frame(frame, sizeof(frame), 7);
    f->be->refuse = true;
    guest_tx(f, frame, sizeof(frame), VIRTIO_NET_HDR_MRG_LEN, 0);
    guest_tx(f, frame, 30, VIRTIO_NET_HDR_MRG_LEN, 0);
    g_assert_true(f->net->tx_waiting);
    g_assert_false(tvring_get_used(&f->tx, &id, &len));
    g_assert_cmpuint(net_queue_length(&f->be->nc), ==, 1);

    f->be->refuse = false;
    net_queue_flush(&f->be->nc);
    g_assert_false(f->net->tx_waiting);
    g_assert_cmpuint(f->be->frames->len, ==, 2);
    g_assert_cmpuint(((GByteArray *)f->be->frames->pdata[1])->len, ==, 30);
    g_assert_true(tvring_get_used(&f->tx, &id, &len));
    g_assert_true(tvring_get_used(&f->tx, &id, &len));

    /* Reset while a frame is held drops it without touching the rings. */
    f->be->refuse = true;
    guest_tx(f, frame, sizeof(frame), VIRTIO_NET_HDR_MRG_LEN, 0);
    g_assert_true(f->net->tx_waiting);
    wr(VIRTIO_MMIO_STATUS, 0);
    g_assert_false(f->net->tx_waiting);
    g_assert_cmpuint(net_queue_length(&f->be->nc), ==, 0);
    f->be->refuse = false;
    driver_init(f, true);
    guest_tx(f, frame, 20, VIRTIO_NET_HDR_MRG_LEN, 0);
    g_assert_cmpuint(f->be->frames->len, ==, 3);
}

static void test_rx_mergeable(Fixture *f, gconstpointer data)
{
    uint8_t frame[150], got[150];
    uint32_t id, len[3];

    post_rx(f, 3, 64);
    make_frame(frame, sizeof(frame), 3);
    g_assert_cmpint(net_send_packet(&f->be->nc, frame, sizeof(frame)), ==, sizeof(frame));
    g_assert_cmpuint(net_queue_length(f->net->nic), ==, 0);
    /* 12-byte header + 150 bytes over 64 + 64 + 34. */
    for (int i = 0; i < 3; i++) {
        g_assert_true(tvring_get_used(&f->rx, &id, &len[i]));
        g_assert_cmpuint(id, ==, i);
    }
    g_assert_cmpuint(len[0], ==, 64);
    g_assert_cmpuint(len[1], ==, 64);
    g_assert_cmpuint(len[2], ==, 34);
    g_assert_cmpuint(tv_r(as(), RX_BUF + VIRTIO_NET_HDR_NUM_BUFFERS, 2), ==, 3);
    g_assert_cmpuint(tv_r(as(), RX_BUF, 1), ==, 0);       /* flags */
    address_space_read(as(), RX_BUF + 12, got, 52);
    address_space_read(as(), RX_BUF + 0x800, got + 52, 64);
    address_space_read(as(), RX_BUF + 0x1000, got + 116, 34);
    g_assert_cmpmem(got, sizeof(got), frame, sizeof(frame));
    g_assert_cmpint(f->level, ==, 1);
}

/* No buffers: the frame waits in the NIC's queue until the guest posts some. */
static void test_rx_no_buffers(Fixture *f, gconstpointer data)
{
    uint8_t frame[80];
    uint32_t id, len;

    make_frame(frame, sizeof(frame), 9);
    net_send_packet(&f->be->nc, frame, sizeof(frame));
    net_send_packet(&f->be->nc, frame, 40);
    g_assert_cmpuint(net_queue_length(f->net->nic), ==, 2);
    g_assert_true(f->net->nic->receive_disabled);
    g_assert_false(tvring_get_used(&f->rx, &id, &len));

    /* One buffer that is too small for the first frame with its header. */
    post_rx(f, 1, 64);
    g_assert_cmpuint(net_queue_length(f->net->nic), ==, 2);
    post_rx(f, 1, 64);
    g_assert_cmpuint(net_queue_length(f->net->nic), ==, 1);
    g_assert_true(tvring_get_used(&f->rx, &id, &len));
    g_assert_cmpuint(len, ==, 64);
    g_assert_true(tvring_get_used(&f->rx, &id, &len));
    g_assert_cmpuint(len, ==, 28);
    post_rx(f, 1, 64);
    g_assert_cmpuint(net_queue_length(f->net->nic), ==, 0);
    g_assert_true(tvring_get_used(&f->rx, &id, &len));
    g_assert_cmpuint(len, ==, 52);
}

/* Without MRG_RXBUF each frame needs one buffer; too big ones are dropped. */
static void test_rx_single(Fixture *f, gconstpointer data)
{
    uint8_t frame[200];
    uint32_t id, len;

    g_assert_false(f->net->mergeable);
    g_assert_cmpuint(f->net->guest_hdr_len, ==, VIRTIO_NET_HDR_MRG_LEN);  /* VERSION_1 */
    post_rx(f, 2, 128);
    make_frame(frame, sizeof(frame), 5);
    net_send_packet(&f->be->nc, frame, 100);
    g_assert_true(tvring_get_used(&f->rx, &id, &len));
    g_assert_cmpuint(len, ==, 112);
    net_send_packet(&f->be->nc, frame, 200);
    g_assert_true(tvring_get_used(&f->rx, &id, &len));
    g_assert_cmpuint(len, ==, 0);
    g_assert_false(f->net->parent.broken);
}

static void test_link(Fixture *f, gconstpointer data)
{
    uint32_t gen = rd(VIRTIO_MMIO_CONFIG_GENERATION);
    uint8_t frame[60] = { 0 };

    ack_irq();
    net_client_set_link(&f->be->nc, false);
    g_assert_cmpuint(tv_r(as(), BASE + VIRTIO_MMIO_CONFIG + VIRTIO_NET_CFG_STATUS, 2), ==, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS), ==, VIRTIO_ISR_CONFIG);
    g_assert_cmpint(f->level, ==, 1);
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG_GENERATION), !=, gen);
    ack_irq();
    /* Frames sent while the link is down vanish. */
    guest_tx(f, frame, sizeof(frame), VIRTIO_NET_HDR_MRG_LEN, 0);
    g_assert_cmpuint(f->be->frames->len, ==, 0);
    ack_irq();
    net_client_set_link(&f->be->nc, true);
    g_assert_cmpuint(tv_r(as(), BASE + VIRTIO_MMIO_CONFIG + VIRTIO_NET_CFG_STATUS, 2), ==,
                     VIRTIO_NET_S_LINK_UP);
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS), ==, VIRTIO_ISR_CONFIG);
}

/* A backend with virtio-net headers: offloads offered, header passed on. */
static void test_vnet_hdr(Fixture *f, gconstpointer data)
{
    VirtIODevice *vdev = &f->net->parent;
    uint8_t frame[64], in[12 + 64];
    GByteArray *got;
    uint32_t id, len;

    g_assert_true(virtio_has_feature(vdev, VIRTIO_NET_F_CSUM));
    g_assert_true(virtio_has_feature(vdev, VIRTIO_NET_F_GUEST_TSO4));
    g_assert_true(f->be->using_vnet);
    g_assert_cmpint(f->be->vnet_len, ==, VIRTIO_NET_HDR_MRG_LEN);
    g_assert_true(f->be->offloads.csum);
    g_assert_true(f->be->offloads.tso4);

    make_frame(frame, sizeof(frame), 2);
    guest_tx(f, frame, sizeof(frame), VIRTIO_NET_HDR_MRG_LEN, 1 /* NEEDS_CSUM */);
    got = f->be->frames->pdata[0];
    g_assert_cmpuint(got->len, ==, 12 + sizeof(frame));
    g_assert_cmpuint(got->data[0], ==, 1);
    g_assert_cmpmem(got->data + 12, sizeof(frame), frame, sizeof(frame));

    /* Received headers reach the guest, num_buffers filled in. */
    memset(in, 0, 12);
    in[0] = 2;      /* DATA_VALID */
    memcpy(in + 12, frame, sizeof(frame));
    post_rx(f, 1, 256);
    net_send_packet(&f->be->nc, in, sizeof(in));
    g_assert_true(tvring_get_used(&f->rx, &id, &len));
    g_assert_cmpuint(len, ==, sizeof(in));
    g_assert_cmpuint(tv_r(as(), RX_BUF, 1), ==, 2);
    g_assert_cmpuint(tv_r(as(), RX_BUF + VIRTIO_NET_HDR_NUM_BUFFERS, 2), ==, 1);
}

static void test_netdev_in_use(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    DeviceState *dev = device_new(TYPE_VIRTIO_NET_DEVICE, &err);
    IrqLine *irq = irq_new(tv_level_handler, &f->level, 1);
    DeviceState *proxy = virtio_mmio_create(BASE + 0x200, irq, &err);

    g_assert_true(device_set_prop_backend(dev, "netdev", &f->be->nc, "n0", &err));
    g_assert_false(device_realize(dev, virtio_mmio_get_bus(proxy), &err));
    g_assert_nonnull(strstr(err->message, "already in use"));
    g_clear_error(&err);
    device_free(dev);
    device_unrealize(proxy);
    device_free(proxy);
    irq_free(irq);
}

static const Opts opts_mac = { .mac = "52:54:00:12:34:99" };
static const Opts opts_single = { .no_mergeable = true };
static const Opts opts_vnet = { .vnet = true };

#define ADD(name, opts, fn) \
    g_test_add(name, Fixture, opts, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    hw_virtio_register_devices();
    ADD("/virtio-net/config", &opts_mac, test_config);
    ADD("/virtio-net/default-mac", NULL, test_default_mac);
    ADD("/virtio-net/tx", NULL, test_tx);
    ADD("/virtio-net/tx-held", NULL, test_tx_held);
    ADD("/virtio-net/rx-mergeable", NULL, test_rx_mergeable);
    ADD("/virtio-net/rx-no-buffers", NULL, test_rx_no_buffers);
    ADD("/virtio-net/rx-single", &opts_single, test_rx_single);
    ADD("/virtio-net/link", NULL, test_link);
    ADD("/virtio-net/vnet-hdr", &opts_vnet, test_vnet_hdr);
    ADD("/virtio-net/netdev-in-use", NULL, test_netdev_in_use);
    return g_test_run();
}
