/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-pci irqfd fast path. With a fake accelerator (ops that keep a
 * route table and the bound irqfds): nothing before DRIVER_OK, then one
 * route and irqfd per unmasked queue vector, carrying the MSI-X table's
 * message; completions write the eventfd instead of sending an MSI; table
 * writes update the route; vector mask, function mask, MSI-X disable and
 * bus-master off unbind it (the PBA path takes over) and undoing them binds
 * it again; reset and unplug release everything; BAR moves change nothing;
 * refused routes and ops without irqfd fall back to MSI. With /dev/kvm: the
 * real ioctls accept the routes and irqfds virtio-pci asks for.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "accel/kvm/kvm-eventfd.h"
#include "accel/kvm/kvm.h"
#include "hw/pci/msix.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"
#include "hw/virtio/virtio-eventfd.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-rng.h"
#include "hw/virtio/virtio.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"
#include "virtio-test-driver.h"

#define RAM_BASE   0x100000ull
#define RAM_SIZE   (1u << 20)
#define RING       (RAM_BASE + 0x4000)
#define DATA       (RAM_BASE + 0x10000)
#define BAR1_ADDR  0xd0000000ull
#define BAR1_MOVED 0xd0100000ull
#define BAR4_ADDR  0xe0000000ull
#define MSI_ADDR   0xfee00000ull
#define BAR_REG(n) (PCI_BASE_ADDRESS_0 + 4 * (n))
#define FIRST_GSI  24

typedef struct FakeRoute {
    uint64_t addr;
    uint32_t data;
} FakeRoute;

typedef struct FakeAccel {
    GHashTable *routes;         /* gsi -> FakeRoute * */
    GHashTable *irqfds;         /* fd -> gsi + 1 */
    int next_gsi;
    unsigned adds, updates, releases, binds, unbinds;
    int fail_route;             /* -errno for msi_route_add */
} FakeAccel;

typedef struct Fixture {
    MemoryRegion ram;
    PCIBus *bus;
    PCIDevice *dev;
    uint64_t bar1;
    TestVring r;
    FakeAccel fake;
    VirtioEventfdOps ops;
    unsigned msis;
    uint32_t msi_data;
} Fixture;

/* ---- the fake accelerator ---- */

static int fake_ioeventfd(void *opaque, uint64_t addr, int fd, bool assign)
{
    return 0;
}

static int fake_route_add(void *opaque, uint64_t addr, uint32_t data)
{
    FakeAccel *a = opaque;
    FakeRoute *r;

    if (a->fail_route) {
        return a->fail_route;
    }
    r = g_new(FakeRoute, 1);
    *r = (FakeRoute){ addr, data };
    g_hash_table_insert(a->routes, GINT_TO_POINTER(a->next_gsi), r);
    a->adds++;
    return a->next_gsi++;
}

static int fake_route_update(void *opaque, int gsi, uint64_t addr, uint32_t data)
{
    FakeAccel *a = opaque;
    FakeRoute *r = g_hash_table_lookup(a->routes, GINT_TO_POINTER(gsi));

    g_assert_nonnull(r);
    *r = (FakeRoute){ addr, data };
    a->updates++;
    return 0;
}

static void fake_route_release(void *opaque, int gsi)
{
    FakeAccel *a = opaque;
    GHashTableIter it;
    gpointer fd, g;

    /* KVM would keep signalling a GSI with an irqfd still bound. */
    g_hash_table_iter_init(&it, a->irqfds);
    while (g_hash_table_iter_next(&it, &fd, &g)) {
        g_assert_cmpint(GPOINTER_TO_INT(g) - 1, !=, gsi);
    }
    g_assert_true(g_hash_table_remove(a->routes, GINT_TO_POINTER(gsi)));
    a->releases++;
}

static int fake_irqfd(void *opaque, int fd, int gsi, bool assign)
{
    FakeAccel *a = opaque;
    gpointer key = GINT_TO_POINTER(fd);

    if (assign) {
        g_assert_true(g_hash_table_contains(a->routes, GINT_TO_POINTER(gsi)));
        g_assert_false(g_hash_table_contains(a->irqfds, key));
        g_hash_table_insert(a->irqfds, key, GINT_TO_POINTER(gsi + 1));
        a->binds++;
    } else {
        g_assert_cmpint(GPOINTER_TO_INT(g_hash_table_lookup(a->irqfds, key)), ==, gsi + 1);
        g_hash_table_remove(a->irqfds, key);
        a->unbinds++;
    }
    return 0;
}

/* The single bound irqfd and its route (asserts there is exactly one). */
static int bound_fd(Fixture *f, FakeRoute **route)
{
    GHashTableIter it;
    gpointer fd, g;

    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 1);
    g_hash_table_iter_init(&it, f->fake.irqfds);
    g_assert_true(g_hash_table_iter_next(&it, &fd, &g));
    if (route) {
        *route = g_hash_table_lookup(f->fake.routes, GINT_TO_POINTER(GPOINTER_TO_INT(g) - 1));
        g_assert_nonnull(*route);
    }
    return GPOINTER_TO_INT(fd);
}

/* Signals counted on fd since the last call (the eventfd is non-blocking). */
static uint64_t fd_count(int fd)
{
    uint64_t n;

    return read(fd, &n, sizeof(n)) == sizeof(n) ? n : 0;
}

/* ---- the guest driver ---- */

static void msi_catcher(void *opaque, uint64_t addr, uint32_t data, uint16_t rid)
{
    Fixture *f = opaque;

    f->msis++;
    f->msi_data = data;
}

static void bar_wr(uint64_t off, uint64_t val, unsigned size)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), BAR4_ADDR + off, val, size),
                     ==, MEMTX_OK);
}

static void entry_wr(Fixture *f, unsigned v, unsigned field, uint32_t val)
{
    tv_w32(address_space_memory(), f->bar1 + v * PCI_MSIX_ENTRY_SIZE + field, val);
}

static void msix_ctl(Fixture *f, uint16_t flags)
{
    pci_config_write(f->dev, f->dev->msix_cap + PCI_MSIX_FLAGS, flags, 2);
}

static void place_bar1(Fixture *f, uint64_t addr)
{
    pci_config_write(f->dev, BAR_REG(1), (uint32_t)addr, 4);
    f->bar1 = addr;
}

static void program_bars(Fixture *f)
{
    place_bar1(f, BAR1_ADDR);
    pci_config_write(f->dev, BAR_REG(4), (uint32_t)BAR4_ADDR, 4);
    pci_config_write(f->dev, BAR_REG(5), 0, 4);
    pci_config_write(f->dev, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    PCIHostCF8Config cfg = { 0 };
    GError *err = NULL;
    DeviceState *d;

    memset(f, 0, sizeof(*f));
    log_set_mask(0);
    hw_pci_register_devices();
    hw_virtio_register_devices();
    g_assert_true(memory_region_init_ram(&f->ram, "test-ram", RAM_SIZE, &err));
    memory_region_add_subregion(get_system_memory(), RAM_BASE, &f->ram);
    f->bus = pci_host_cf8_create(&cfg, &err);
    g_assert_no_error(err);
    pci_set_msi_delivery(f->bus, msi_catcher, f);
    d = device_new(TYPE_VIRTIO_RNG_PCI, &err);
    g_assert_no_error(err);
    g_assert_true(device_realize(d, f->bus->qbus, &err));
    g_assert_no_error(err);
    f->dev = PCI_DEVICE(d);
    device_reset(d);
    /* Two vectors: 0 for the queue, 1 for configuration changes. */
    g_assert_cmpuint(msix_nr_vectors(f->dev), ==, 2);
    program_bars(f);

    f->fake.routes = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    f->fake.irqfds = g_hash_table_new(NULL, NULL);
    f->fake.next_gsi = FIRST_GSI;
    f->ops = (VirtioEventfdOps){
        .ioeventfd = fake_ioeventfd,
        .msi_route_add = fake_route_add,
        .msi_route_update = fake_route_update,
        .msi_route_release = fake_route_release,
        .irqfd = fake_irqfd,
        .opaque = &f->fake,
    };
    if (!data) {
        virtio_eventfd_set_ops(&f->ops);
    }
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    if (!data) {
        /* Unplugging the function released every route and irqfd. */
        g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
        g_assert_cmpuint(g_hash_table_size(f->fake.routes), ==, 0);
        virtio_eventfd_set_ops(NULL);
    }
    g_hash_table_unref(f->fake.routes);
    g_hash_table_unref(f->fake.irqfds);
    memory_region_del_subregion(get_system_memory(), &f->ram);
    memory_region_destroy(&f->ram);
}

/* MSI-X on, both entries programmed and unmasked, queue 0 on vector 0. */
static void driver_setup(Fixture *f)
{
    const uint8_t drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

    for (unsigned v = 0; v < 2; v++) {
        entry_wr(f, v, PCI_MSIX_ENTRY_LOWER_ADDR, (uint32_t)MSI_ADDR);
        entry_wr(f, v, PCI_MSIX_ENTRY_UPPER_ADDR, 0);
        entry_wr(f, v, PCI_MSIX_ENTRY_DATA, 0x40 + v);
        entry_wr(f, v, PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
    }
    msix_ctl(f, PCI_MSIX_FLAGS_ENABLE);
    bar_wr(VIRTIO_PCI_COMMON_STATUS, 0, 1);
    bar_wr(VIRTIO_PCI_COMMON_STATUS, drv, 1);
    bar_wr(VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
    bar_wr(VIRTIO_PCI_COMMON_GF, 1, 4);     /* VERSION_1 */
    bar_wr(VIRTIO_PCI_COMMON_STATUS, drv | VIRTIO_CONFIG_S_FEATURES_OK, 1);
    bar_wr(VIRTIO_PCI_COMMON_MSIX, 1, 2);
    bar_wr(VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
    bar_wr(VIRTIO_PCI_COMMON_Q_MSIX, 0, 2);
    tvring_init(&f->r, address_space_memory(), RING, RING + 0x1000, RING + 0x2000,
                VIRTIO_RNG_QUEUE_SIZE);
    bar_wr(VIRTIO_PCI_COMMON_Q_DESCLO, f->r.desc, 8);
    bar_wr(VIRTIO_PCI_COMMON_Q_AVAILLO, f->r.avail, 8);
    bar_wr(VIRTIO_PCI_COMMON_Q_USEDLO, f->r.used, 8);
    bar_wr(VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
}

static void driver_ok(Fixture *f)
{
    bar_wr(VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
           VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK, 1);
}

/* One request, completed synchronously by the notify write: one queue interrupt. */
static void rng_round(Fixture *f)
{
    TestBuf b = { DATA, 16, true };
    uint16_t used = tvring_used_idx(&f->r);

    tvring_publish(&f->r, tvring_add_chain(&f->r, &b, 1));
    bar_wr(VIRTIO_PCI_NOTIFY_OFFSET, 0, 2);
    g_assert_cmpuint(tvring_used_idx(&f->r), ==, (uint16_t)(used + 1));
}

/* ---- tests ---- */

static void test_bind(Fixture *f, gconstpointer data)
{
    FakeRoute *route;
    int fd;

    driver_setup(f);
    g_assert_cmpuint(f->fake.adds, ==, 0);
    driver_ok(f);
    /* The queue's vector only: configuration interrupts stay on the MSI path. */
    g_assert_cmpuint(g_hash_table_size(f->fake.routes), ==, 1);
    fd = bound_fd(f, &route);
    g_assert_cmphex(route->addr, ==, MSI_ADDR);
    g_assert_cmphex(route->data, ==, 0x40);

    rng_round(f);
    g_assert_cmpuint(fd_count(fd), ==, 1);
    g_assert_cmpuint(f->msis, ==, 0);
    rng_round(f);
    rng_round(f);
    g_assert_cmpuint(fd_count(fd), ==, 2);
    g_assert_cmpuint(f->msis, ==, 0);
}

static void test_table_write(Fixture *f, gconstpointer data)
{
    FakeRoute *route;
    int fd;

    driver_setup(f);
    driver_ok(f);
    fd = bound_fd(f, &route);
    /* The guest retargets the vector (irq affinity): same GSI, new message, still bound. */
    entry_wr(f, 0, PCI_MSIX_ENTRY_DATA, 0x51);
    entry_wr(f, 0, PCI_MSIX_ENTRY_LOWER_ADDR, (uint32_t)MSI_ADDR | 0x1000);
    g_assert_cmpuint(f->fake.updates, ==, 2);
    g_assert_cmpint(bound_fd(f, &route), ==, fd);
    g_assert_cmphex(route->addr, ==, MSI_ADDR | 0x1000);
    g_assert_cmphex(route->data, ==, 0x51);
    g_assert_cmpuint(f->fake.binds, ==, 1);
    /* Rewriting the same value changes nothing. */
    entry_wr(f, 0, PCI_MSIX_ENTRY_DATA, 0x51);
    g_assert_cmpuint(f->fake.updates, ==, 2);
    rng_round(f);
    g_assert_cmpuint(fd_count(fd), ==, 1);
    /* Writes to the configuration vector's entry do not touch the route. */
    entry_wr(f, 1, PCI_MSIX_ENTRY_DATA, 0x77);
    g_assert_cmpuint(f->fake.updates, ==, 2);
    g_assert_cmpuint(g_hash_table_size(f->fake.routes), ==, 1);
}

static void test_vector_mask(Fixture *f, gconstpointer data)
{
    int fd;

    driver_setup(f);
    driver_ok(f);
    fd = bound_fd(f, NULL);
    entry_wr(f, 0, PCI_MSIX_ENTRY_VECTOR_CTRL, PCI_MSIX_ENTRY_CTRL_MASKBIT);
    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
    /* Masked: the interrupt latches in the PBA, nothing is sent. */
    rng_round(f);
    g_assert_true(msix_is_pending(f->dev, 0));
    g_assert_cmpuint(fd_count(fd), ==, 0);
    g_assert_cmpuint(f->msis, ==, 0);
    /* Unmasked: the pending message goes out once, then the irqfd is back. */
    entry_wr(f, 0, PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
    g_assert_cmpuint(f->msis, ==, 1);
    g_assert_cmphex(f->msi_data, ==, 0x40);
    g_assert_false(msix_is_pending(f->dev, 0));
    g_assert_cmpint(bound_fd(f, NULL), ==, fd);
    g_assert_cmpuint(f->fake.adds, ==, 1);
    rng_round(f);
    g_assert_cmpuint(fd_count(fd), ==, 1);
    g_assert_cmpuint(f->msis, ==, 1);
    /* The message changed while masked: the route follows before rebinding. */
    entry_wr(f, 0, PCI_MSIX_ENTRY_VECTOR_CTRL, PCI_MSIX_ENTRY_CTRL_MASKBIT);
    entry_wr(f, 0, PCI_MSIX_ENTRY_DATA, 0x62);
    g_assert_cmpuint(f->fake.updates, ==, 0);
    entry_wr(f, 0, PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
    g_assert_cmpuint(f->fake.updates, ==, 1);
    g_assert_cmpint(bound_fd(f, NULL), ==, fd);
}

static void test_function_mask(Fixture *f, gconstpointer data)
{
    int fd;

    driver_setup(f);
    driver_ok(f);
    fd = bound_fd(f, NULL);

    msix_ctl(f, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
    rng_round(f);
    g_assert_true(msix_is_pending(f->dev, 0));
    msix_ctl(f, PCI_MSIX_FLAGS_ENABLE);
    g_assert_cmpuint(f->msis, ==, 1);
    g_assert_cmpint(bound_fd(f, NULL), ==, fd);

    /* MSI-X off: INTx, so no irqfd; on again: bound again. */
    msix_ctl(f, 0);
    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
    rng_round(f);
    g_assert_cmpuint(fd_count(fd), ==, 0);
    msix_ctl(f, PCI_MSIX_FLAGS_ENABLE);
    g_assert_cmpint(bound_fd(f, NULL), ==, fd);

    /* Without bus mastering the function must not signal at all. */
    pci_config_write(f->dev, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
    pci_config_write(f->dev, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    g_assert_cmpint(bound_fd(f, NULL), ==, fd);

    /* The queue moves to no vector, then back. */
    bar_wr(VIRTIO_PCI_COMMON_Q_MSIX, VIRTIO_NO_VECTOR, 2);
    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
    bar_wr(VIRTIO_PCI_COMMON_Q_MSIX, 0, 2);
    g_assert_cmpint(bound_fd(f, NULL), ==, fd);
    g_assert_cmpuint(f->fake.adds, ==, 1);
}

static void test_reset(Fixture *f, gconstpointer data)
{
    int fd;

    driver_setup(f);
    driver_ok(f);
    fd = bound_fd(f, NULL);
    bar_wr(VIRTIO_PCI_COMMON_STATUS, 0, 1);
    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
    g_assert_cmpuint(g_hash_table_size(f->fake.routes), ==, 0);
    g_assert_cmpint(fcntl(fd, F_GETFD), ==, -1);

    driver_setup(f);
    driver_ok(f);
    bound_fd(f, NULL);
    device_reset(&f->dev->parent);
    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
    g_assert_cmpuint(g_hash_table_size(f->fake.routes), ==, 0);

    /* Bound once more; the fixture's unplug must release it. */
    program_bars(f);
    driver_setup(f);
    driver_ok(f);
    bound_fd(f, NULL);
}

static void test_bar_move(Fixture *f, gconstpointer data)
{
    FakeRoute *route;
    int fd;

    driver_setup(f);
    driver_ok(f);
    fd = bound_fd(f, NULL);
    /* Routes carry the message, not the table's address. */
    place_bar1(f, BAR1_MOVED);
    g_assert_cmpint(bound_fd(f, NULL), ==, fd);
    g_assert_cmpuint(f->fake.updates + f->fake.unbinds, ==, 0);
    entry_wr(f, 0, PCI_MSIX_ENTRY_DATA, 0x44);
    bound_fd(f, &route);
    g_assert_cmphex(route->data, ==, 0x44);
}

static void test_refused(Fixture *f, gconstpointer data)
{
    f->fake.fail_route = -ENOSPC;
    driver_setup(f);
    driver_ok(f);
    g_assert_cmpuint(g_hash_table_size(f->fake.irqfds), ==, 0);
    rng_round(f);
    g_assert_cmpuint(f->msis, ==, 1);
    g_assert_cmphex(f->msi_data, ==, 0x40);
}

static void test_no_irqfd_ops(Fixture *f, gconstpointer data)
{
    /* An accelerator with ioeventfd only (and TCG with no ops at all). */
    f->ops.msi_route_add = NULL;
    f->ops.irqfd = NULL;
    driver_setup(f);
    driver_ok(f);
    g_assert_cmpuint(f->fake.adds, ==, 0);
    rng_round(f);
    g_assert_cmpuint(f->msis, ==, 1);
}

/* ---- real KVM: the ops forward to KVM and record what it answered ---- */

static const VirtioEventfdOps *kvm_ops;
static int kvm_errors, kvm_bound_fd = -1, kvm_bound_gsi = -1;

static int kvm_rec_ioeventfd(void *opaque, uint64_t addr, int fd, bool assign)
{
    return kvm_ops->ioeventfd(kvm_ops->opaque, addr, fd, assign);
}

static int kvm_rec_route_add(void *opaque, uint64_t addr, uint32_t data)
{
    int r = kvm_ops->msi_route_add(kvm_ops->opaque, addr, data);

    kvm_errors += r < 0;
    return r;
}

static int kvm_rec_route_update(void *opaque, int gsi, uint64_t addr, uint32_t data)
{
    int r = kvm_ops->msi_route_update(kvm_ops->opaque, gsi, addr, data);

    kvm_errors += r < 0;
    return r;
}

static void kvm_rec_route_release(void *opaque, int gsi)
{
    kvm_ops->msi_route_release(kvm_ops->opaque, gsi);
}

static int kvm_rec_irqfd(void *opaque, int fd, int gsi, bool assign)
{
    int r = kvm_ops->irqfd(kvm_ops->opaque, fd, gsi, assign);

    kvm_errors += r < 0;
    if (r == 0) {
        kvm_bound_fd = assign ? fd : -1;
        kvm_bound_gsi = assign ? gsi : -1;
    }
    return r;
}

static const VirtioEventfdOps kvm_rec_ops = {
    .ioeventfd = kvm_rec_ioeventfd,
    .msi_route_add = kvm_rec_route_add,
    .msi_route_update = kvm_rec_route_update,
    .msi_route_release = kvm_rec_route_release,
    .irqfd = kvm_rec_irqfd,
};

static void test_kvm(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    int fd, gsi, gsi2;
    uint64_t one = 1;

    if (!kvm_available()) {
        g_test_skip("no usable /dev/kvm");
        return;
    }
    g_assert_true(kvm_accel_init(NULL, &err));
    g_assert_no_error(err);
    kvm_ops = virtio_eventfd_get_ops();
    g_assert_nonnull(kvm_ops);
    /* The x86 code records its irqchip routes, so irqfd is on (KVM has had it since 2.6.32). */
    g_assert_nonnull(kvm_ops->irqfd);

    /* The raw calls: routes above the irqchip's GSIs, one irqfd per eventfd. */
    fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    gsi = kvm_ops->msi_route_add(kvm_ops->opaque, MSI_ADDR, 0x40);
    g_assert_cmpint(gsi, >=, FIRST_GSI);
    gsi2 = kvm_ops->msi_route_add(kvm_ops->opaque, MSI_ADDR, 0x41);
    g_assert_cmpint(gsi2, >=, FIRST_GSI);
    g_assert_cmpint(gsi2, !=, gsi);
    g_assert_cmpint(kvm_ops->msi_route_update(kvm_ops->opaque, gsi, MSI_ADDR, 0x42), ==, 0);
    g_assert_cmpint(kvm_ops->msi_route_update(kvm_ops->opaque, 4000, MSI_ADDR, 0x42), ==,
                    -ENOENT);
    g_assert_cmpint(kvm_ops->irqfd(kvm_ops->opaque, fd, gsi, true), ==, 0);
    g_assert_cmpint(kvm_ops->irqfd(kvm_ops->opaque, fd, gsi2, true), ==, -EBUSY);
    /* No vCPU takes it, but KVM consumes the signal. */
    g_assert_cmpint(write(fd, &one, sizeof(one)), ==, sizeof(one));
    g_assert_cmpuint(fd_count(fd), ==, 0);
    g_assert_cmpint(kvm_ops->irqfd(kvm_ops->opaque, fd, gsi, false), ==, 0);
    kvm_ops->msi_route_release(kvm_ops->opaque, gsi2);
    kvm_ops->msi_route_release(kvm_ops->opaque, gsi);
    /* A released GSI is handed out again. */
    g_assert_cmpint(kvm_ops->msi_route_add(kvm_ops->opaque, MSI_ADDR, 0x43), ==, gsi);
    kvm_ops->msi_route_release(kvm_ops->opaque, gsi);

    /* virtio-pci's requests, through KVM. */
    virtio_eventfd_set_ops(&kvm_rec_ops);
    driver_setup(f);
    driver_ok(f);
    g_assert_cmpint(kvm_errors, ==, 0);
    g_assert_cmpint(kvm_bound_fd, >=, 0);
    /* KVM holds the device's eventfd: binding it again is refused. */
    g_assert_cmpint(kvm_ops->irqfd(kvm_ops->opaque, kvm_bound_fd, kvm_bound_gsi, true), ==,
                    -EBUSY);
    rng_round(f);
    g_assert_cmpuint(fd_count(kvm_bound_fd), ==, 0);
    g_assert_cmpuint(f->msis, ==, 0);
    entry_wr(f, 0, PCI_MSIX_ENTRY_DATA, 0x45);
    entry_wr(f, 0, PCI_MSIX_ENTRY_VECTOR_CTRL, PCI_MSIX_ENTRY_CTRL_MASKBIT);
    g_assert_cmpint(kvm_bound_fd, ==, -1);
    entry_wr(f, 0, PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
    g_assert_cmpint(kvm_bound_fd, >=, 0);
    g_assert_cmpint(kvm_errors, ==, 0);
    bar_wr(VIRTIO_PCI_COMMON_STATUS, 0, 1);
    g_assert_cmpint(kvm_bound_fd, ==, -1);
    g_assert_cmpint(kvm_errors, ==, 0);
    virtio_eventfd_set_ops(kvm_ops);
    close(fd);

    kvm_accel_destroy();
    g_assert_null(virtio_eventfd_get_ops());
}

#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/virtio-irqfd/bind", test_bind);
    ADD("/virtio-irqfd/table-write", test_table_write);
    ADD("/virtio-irqfd/vector-mask", test_vector_mask);
    ADD("/virtio-irqfd/function-mask", test_function_mask);
    ADD("/virtio-irqfd/reset", test_reset);
    ADD("/virtio-irqfd/bar-move", test_bar_move);
    ADD("/virtio-irqfd/refused", test_refused);
    ADD("/virtio-irqfd/no-irqfd-ops", test_no_irqfd_ops);
    g_test_add("/virtio-irqfd/kvm", Fixture, "kvm", fixture_setup, test_kvm, fixture_teardown);
    return g_test_run();
}
