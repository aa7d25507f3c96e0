/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-pci ioeventfd fast path. With a fake accelerator (ops that
 * record registrations, and a test that signals the eventfd the way KVM
 * would on a guest write): nothing is registered before DRIVER_OK, then
 * each enabled queue's notify address; kicks through the eventfd run the
 * queue from the main loop; BAR moves and memory decode changes move the
 * registrations; reset removes them without losing a pending kick; a
 * refused registration falls back to the MMIO path. With /dev/kvm: the
 * KVM ops install with the VM and really register the notify address
 * (KVM refuses a second eventfd there). Skipped without /dev/kvm.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "accel/kvm/kvm-eventfd.h"
#include "accel/kvm/kvm.h"
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
#define BAR4_ADDR  0xe0000000ull
#define BAR4_MOVED 0xe1000000ull
#define NOTIFY(b)  ((b) + VIRTIO_PCI_NOTIFY_OFFSET)
#define BAR_REG(n) (PCI_BASE_ADDRESS_0 + 4 * (n))

typedef struct FakeAccel {
    GHashTable *assigned;       /* addr -> fd + 1 */
    unsigned assigns, deassigns;
    int fail;                   /* -errno to refuse registrations with */
} FakeAccel;

typedef struct Fixture {
    MemoryRegion ram;
    PCIBus *bus;
    PCIDevice *dev;
    uint64_t bar4;
    TestVring r;
    FakeAccel fake;
    VirtioEventfdOps ops;
} Fixture;

static int fake_ioeventfd(void *opaque, uint64_t addr, int fd, bool assign)
{
    FakeAccel *a = opaque;
    gpointer key = GSIZE_TO_POINTER(addr);

    if (assign) {
        if (a->fail) {
            return a->fail;
        }
        g_assert_false(g_hash_table_contains(a->assigned, key));
        g_hash_table_insert(a->assigned, key, GINT_TO_POINTER(fd + 1));
        a->assigns++;
    } else {
        g_assert_cmpint(GPOINTER_TO_INT(g_hash_table_lookup(a->assigned, key)), ==, fd + 1);
        g_hash_table_remove(a->assigned, key);
        a->deassigns++;
    }
    return 0;
}

/* The eventfd registered at addr, or -1. */
static int fake_fd_at(Fixture *f, uint64_t addr)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(f->fake.assigned, GSIZE_TO_POINTER(addr))) - 1;
}

static void bar_wr(Fixture *f, uint64_t off, uint64_t val, unsigned size)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), f->bar4 + off, val, size),
                     ==, MEMTX_OK);
}

static uint64_t bar_rd(Fixture *f, uint64_t off, unsigned size)
{
    return tv_r(address_space_memory(), f->bar4 + off, size);
}

static void place_bar4(Fixture *f, uint64_t addr)
{
    pci_config_write(f->dev, BAR_REG(4), (uint32_t)addr, 4);
    pci_config_write(f->dev, BAR_REG(5), addr >> 32, 4);
    f->bar4 = addr;
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
    d = device_new(TYPE_VIRTIO_RNG_PCI, &err);
    g_assert_no_error(err);
    g_assert_true(device_set_prop(d, "vectors", "0", &err));
    g_assert_true(device_realize(d, f->bus->qbus, &err));
    g_assert_no_error(err);
    f->dev = PCI_DEVICE(d);
    device_reset(d);
    place_bar4(f, BAR4_ADDR);
    pci_config_write(f->dev, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);

    f->fake.assigned = g_hash_table_new(NULL, NULL);
    f->ops = (VirtioEventfdOps){ .ioeventfd = fake_ioeventfd, .opaque = &f->fake };
    if (!data) {
        virtio_eventfd_set_ops(&f->ops);
    }
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    if (!data) {
        /* Unplugging the function dropped every registration. */
        g_assert_cmpuint(g_hash_table_size(f->fake.assigned), ==, 0);
        virtio_eventfd_set_ops(NULL);
    }
    g_hash_table_unref(f->fake.assigned);
    memory_region_del_subregion(get_system_memory(), &f->ram);
    memory_region_destroy(&f->ram);
}

static void driver_setup(Fixture *f)
{
    const uint8_t drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

    bar_wr(f, VIRTIO_PCI_COMMON_STATUS, 0, 1);
    bar_wr(f, VIRTIO_PCI_COMMON_STATUS, drv, 1);
    bar_wr(f, VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
    bar_wr(f, VIRTIO_PCI_COMMON_GF, 1, 4);     /* VERSION_1 */
    bar_wr(f, VIRTIO_PCI_COMMON_STATUS, drv | VIRTIO_CONFIG_S_FEATURES_OK, 1);
    g_assert_cmphex(bar_rd(f, VIRTIO_PCI_COMMON_STATUS, 1), ==,
                    drv | VIRTIO_CONFIG_S_FEATURES_OK);
    bar_wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
    tvring_init(&f->r, address_space_memory(), RING, RING + 0x1000, RING + 0x2000,
                VIRTIO_RNG_QUEUE_SIZE);
    bar_wr(f, VIRTIO_PCI_COMMON_Q_DESCLO, f->r.desc, 8);
    bar_wr(f, VIRTIO_PCI_COMMON_Q_AVAILLO, f->r.avail, 8);
    bar_wr(f, VIRTIO_PCI_COMMON_Q_USEDLO, f->r.used, 8);
    bar_wr(f, VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
}

static void driver_ok(Fixture *f)
{
    bar_wr(f, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
           VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK, 1);
}

static void post(Fixture *f)
{
    TestBuf b = { DATA, 16, true };

    tvring_publish(&f->r, tvring_add_chain(&f->r, &b, 1));
}

/* What KVM does when the guest writes the notify register. */
static void signal_fd(int fd)
{
    uint64_t one = 1;

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, &one, sizeof(one)), ==, sizeof(one));
}

/* Run the main context until the used ring reaches idx (bounded, untimed). */
static void pump_until_used(Fixture *f, uint16_t idx)
{
    for (unsigned i = 0; i < 1000 && tvring_used_idx(&f->r) != idx; i++) {
        g_main_context_iteration(NULL, FALSE);
    }
    g_assert_cmpuint(tvring_used_idx(&f->r), ==, idx);
}

static void test_kick(Fixture *f, gconstpointer data)
{
    driver_setup(f);
    g_assert_cmpuint(f->fake.assigns, ==, 0);
    driver_ok(f);
    g_assert_cmpuint(g_hash_table_size(f->fake.assigned), ==, 1);

    post(f);
    g_assert_cmpuint(tvring_used_idx(&f->r), ==, 0);
    signal_fd(fake_fd_at(f, NOTIFY(BAR4_ADDR)));
    pump_until_used(f, 1);

    /* Several kicks before the loop runs coalesce; one pass takes both buffers. */
    post(f);
    post(f);
    signal_fd(fake_fd_at(f, NOTIFY(BAR4_ADDR)));
    signal_fd(fake_fd_at(f, NOTIFY(BAR4_ADDR)));
    pump_until_used(f, 3);

    /* A notify write that does reach the device (TCG, PCI_CFG window) still works. */
    post(f);
    bar_wr(f, VIRTIO_PCI_NOTIFY_OFFSET, 0, 2);
    g_assert_cmpuint(tvring_used_idx(&f->r), ==, 4);
}

static void test_bar_move(Fixture *f, gconstpointer data)
{
    driver_setup(f);
    driver_ok(f);
    g_assert_cmpint(fake_fd_at(f, NOTIFY(BAR4_ADDR)), >=, 0);

    place_bar4(f, BAR4_MOVED);
    g_assert_cmpint(fake_fd_at(f, NOTIFY(BAR4_ADDR)), <, 0);
    g_assert_cmpint(fake_fd_at(f, NOTIFY(BAR4_MOVED)), >=, 0);
    g_assert_cmpuint(g_hash_table_size(f->fake.assigned), ==, 1);

    /* Memory decoding off: nothing to register; back on: registered again. */
    pci_config_write(f->dev, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
    g_assert_cmpuint(g_hash_table_size(f->fake.assigned), ==, 0);
    pci_config_write(f->dev, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    g_assert_cmpint(fake_fd_at(f, NOTIFY(BAR4_MOVED)), >=, 0);

    post(f);
    signal_fd(fake_fd_at(f, NOTIFY(BAR4_MOVED)));
    pump_until_used(f, 1);
}

static void test_reset(Fixture *f, gconstpointer data)
{
    int fd;

    driver_setup(f);
    driver_ok(f);
    fd = fake_fd_at(f, NOTIFY(BAR4_ADDR));
    post(f);
    signal_fd(fd);
    /* The driver resets before the loop saw the kick: it is served first. */
    bar_wr(f, VIRTIO_PCI_COMMON_STATUS, 0, 1);
    g_assert_cmpuint(g_hash_table_size(f->fake.assigned), ==, 0);
    g_assert_cmpuint(tvring_used_idx(&f->r), ==, 1);
    /* The eventfd is closed. */
    g_assert_cmpint(fcntl(fd, F_GETFD), ==, -1);

    /* Set up again: registered again. */
    driver_setup(f);
    driver_ok(f);
    g_assert_cmpuint(g_hash_table_size(f->fake.assigned), ==, 1);
    /* A system reset drops them too. */
    device_reset(&f->dev->parent);
    g_assert_cmpuint(g_hash_table_size(f->fake.assigned), ==, 0);
}

static void test_refused(Fixture *f, gconstpointer data)
{
    f->fake.fail = -ENOSPC;
    driver_setup(f);
    driver_ok(f);
    g_assert_cmpuint(g_hash_table_size(f->fake.assigned), ==, 0);
    post(f);
    bar_wr(f, VIRTIO_PCI_NOTIFY_OFFSET, 0, 2);
    g_assert_cmpuint(tvring_used_idx(&f->r), ==, 1);
}

static void test_kvm(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    const VirtioEventfdOps *ops;
    int fd;

    if (!kvm_available()) {
        g_test_skip("no usable /dev/kvm");
        return;
    }
    g_assert_true(kvm_accel_init(NULL, &err));
    g_assert_no_error(err);
    ops = virtio_eventfd_get_ops();
    g_assert_nonnull(ops);

    /* The raw ioctl: assign, refuse a duplicate, deassign, refuse an unknown one. */
    fd = eventfd(0, EFD_CLOEXEC);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, 0xd0000000ull, fd, true), ==, 0);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, 0xd0000000ull, fd, true), ==, -EEXIST);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, 0xd0000000ull, fd, false), ==, 0);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, 0xd0000000ull, fd, false), ==, -ENOENT);

    /* virtio-pci registered the notify address with KVM at DRIVER_OK. */
    driver_setup(f);
    driver_ok(f);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, NOTIFY(BAR4_ADDR), fd, true), ==, -EEXIST);
    place_bar4(f, BAR4_MOVED);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, NOTIFY(BAR4_ADDR), fd, true), ==, 0);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, NOTIFY(BAR4_ADDR), fd, false), ==, 0);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, NOTIFY(BAR4_MOVED), fd, true), ==, -EEXIST);
    bar_wr(f, VIRTIO_PCI_COMMON_STATUS, 0, 1);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, NOTIFY(BAR4_MOVED), fd, true), ==, 0);
    g_assert_cmpint(ops->ioeventfd(ops->opaque, NOTIFY(BAR4_MOVED), fd, false), ==, 0);
    close(fd);

    kvm_accel_destroy();
    g_assert_null(virtio_eventfd_get_ops());
}

#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/virtio-ioeventfd/kick", test_kick);
    ADD("/virtio-ioeventfd/bar-move", test_bar_move);
    ADD("/virtio-ioeventfd/reset", test_reset);
    ADD("/virtio-ioeventfd/refused", test_refused);
    g_test_add("/virtio-ioeventfd/kvm", Fixture, "kvm", fixture_setup, test_kvm,
               fixture_teardown);
    return g_test_run();
}
