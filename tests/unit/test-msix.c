/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MSI and MSI-X tests. A guest-side driver programs the capabilities
 * through configuration mechanism #1 and the MSI-X table through the BAR;
 * messages land either in an MMIO region standing in for the interrupt
 * controller's doorbell or in the bus's fast-path hook. Covers layouts,
 * write masks, enable, per-vector and function masks with pending bits,
 * bus-master gating, INTx exclusion, reset and bad set-up.
 */
#include <string.h>

#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pci_host.h"
#include "system/memory.h"
#include "util/error.h"

/* ---- a function with MSI and MSI-X ---------------------------------- */

typedef struct MsiDev {
    PCIDevice parent;
    bool msi64, pvm, msix_shared;
    uint32_t msi_vectors, msix_vectors;
    MemoryRegion bar0, regs;
} MsiDev;

static const MemoryRegionOps regs_ops = {
    .endianness = DEVICE_LITTLE_ENDIAN,
};

static void mdev_exit(PCIDevice *dev);

static bool mdev_realize_body(PCIDevice *dev, GError **errp)
{
    MsiDev *m = (MsiDev *)dev;

    pci_set_interrupt_pin(dev, PCI_PIN_INTA);
    memory_region_init(&m->bar0, "mdev-bar0", 0x2000);
    memory_region_init_io(&m->regs, &regs_ops, m, "mdev-regs", 0x100);
    memory_region_add_subregion(&m->bar0, 0, &m->regs);
    pci_register_bar(dev, 0, PCI_BAR_MEM32, &m->bar0);
    if (m->msi_vectors &&
        !msi_init(dev, 0, m->msi_vectors, m->msi64, m->pvm, errp)) {
        return false;
    }
    if (m->msix_vectors) {
        if (m->msix_shared) {
            return msix_init(dev, m->msix_vectors, &m->bar0, 0, 0x1000,
                             &m->bar0, 0, 0x1800, 0, errp);
        }
        return msix_init_exclusive_bar(dev, m->msix_vectors, 1, errp);
    }
    return true;
}

/* A failed realize frees what it built; the core forgets the BARs. */
static bool mdev_realize(PCIDevice *dev, GError **errp)
{
    if (!mdev_realize_body(dev, errp)) {
        mdev_exit(dev);
        return false;
    }
    return true;
}

static void mdev_exit(PCIDevice *dev)
{
    MsiDev *m = (MsiDev *)dev;

    memory_region_del_subregion(&m->bar0, &m->regs);
    memory_region_destroy(&m->regs);
    memory_region_destroy(&m->bar0);
}

static const Property mdev_props[] = {
    PROP_BOOL("msi64", MsiDev, msi64, true),
    PROP_BOOL("pvm", MsiDev, pvm, true),
    PROP_BOOL("msix-shared", MsiDev, msix_shared, false),
    PROP_UINT32("msi-vectors", MsiDev, msi_vectors, 4),
    PROP_UINT32("msix-vectors", MsiDev, msix_vectors, 8),
    PROP_END
};

static const PCIDeviceClass mdev_class = {
    .parent = {
        .name = "msi-test-dev",
        .parent = &pci_device_class,
        .instance_size = sizeof(MsiDev),
        .props = mdev_props,
        .user_creatable = true,
    },
    .vendor_id = 0x1234,
    .device_id = 0x0011,
    .class_id = PCI_CLASS_NETWORK_OTHER,
    .realize = mdev_realize,
    .exit = mdev_exit,
};

/* ---- the doorbell and the hook -------------------------------------- */

#define DOORBELL 0xfee00000ull

typedef struct Msg {
    uint64_t addr;
    uint32_t data;
    uint16_t rid;
} Msg;

static GArray *msgs;
static MemoryRegion doorbell;

static void doorbell_write(void *opaque, uint64_t addr, uint64_t val,
                           unsigned size)
{
    Msg m = { .addr = DOORBELL + addr, .data = val, .rid = 0xffff };

    g_assert_cmpuint(size, ==, 4);
    g_array_append_val(msgs, m);
}

static const MemoryRegionOps doorbell_ops = {
    .write = doorbell_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void hook(void *opaque, uint64_t addr, uint32_t data, uint16_t rid)
{
    Msg m = { .addr = addr, .data = data, .rid = rid };

    g_assert_cmpstr(opaque, ==, "hook");
    g_array_append_val(msgs, m);
}

static Msg *last_msg(void)
{
    g_assert_cmpuint(msgs->len, >, 0);
    return &g_array_index(msgs, Msg, msgs->len - 1);
}

/* ---- guest-side helpers --------------------------------------------- */

static IrqLine **lines;
static int intx_level[4];

static void intx_handler(void *opaque, int n, int level)
{
    intx_level[n] = level;
}

static uint64_t io_read(uint64_t port, unsigned size)
{
    uint64_t v;

    address_space_read_val(address_space_io(), port, &v, size);
    return v;
}

static void io_write(uint64_t port, uint64_t v, unsigned size)
{
    address_space_write_val(address_space_io(), port, v, size);
}

static uint64_t mem_read(uint64_t addr, unsigned size)
{
    uint64_t v;

    address_space_read_val(address_space_memory(), addr, &v, size);
    return v;
}

static void mem_write(uint64_t addr, uint64_t v, unsigned size)
{
    address_space_write_val(address_space_memory(), addr, v, size);
}

static uint32_t cfg_read(int devfn, uint32_t reg, unsigned len)
{
    io_write(0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc), 4);
    return io_read(0xcfc + (reg & 3), len);
}

static void cfg_write(int devfn, uint32_t reg, uint32_t val, unsigned len)
{
    io_write(0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc), 4);
    io_write(0xcfc + (reg & 3), val, len);
}

#define DF PCI_DEVFN(3, 0)
#define BAR0 0xe0000000u
#define BAR1 0xe0100000u

/* A host bridge, the doorbell and one msi-test-dev at 03.0 with opts. */
static PCIDevice *setup(const char *opts)
{
    PCIHostCF8Config cfg = {
        .mem32_base = 0xe0000000, .mem32_size = 0x1f000000,
        .irqs = lines, .nirq = 4,
    };
    g_autoptr(GError) err = NULL;
    PCIBus *bus = pci_host_cf8_create(&cfg, &err);
    DeviceState *d;
    g_auto(GStrv) kv = NULL;

    g_assert_no_error(err);
    d = device_new("msi-test-dev", &err);
    g_assert_no_error(err);
    kv = g_strsplit(opts ? opts : "", ",", -1);
    for (int i = 0; kv[i] && *kv[i]; i++) {
        g_auto(GStrv) pv = g_strsplit(kv[i], "=", 2);
        g_assert_true(device_set_prop(d, pv[0], pv[1], &err));
    }
    g_assert_true(device_set_prop(d, "addr", "3", &err));
    g_assert_true(device_realize(d, bus->qbus, &err));
    g_assert_no_error(err);

    g_array_set_size(msgs, 0);
    memset(intx_level, 0, sizeof(intx_level));
    memory_region_init_io(&doorbell, &doorbell_ops, NULL, "doorbell", 0x100000);
    memory_region_add_subregion(get_system_memory(), DOORBELL, &doorbell);

    cfg_write(DF, PCI_BASE_ADDRESS_0, BAR0, 4);
    cfg_write(DF, PCI_BASE_ADDRESS_0 + 4, BAR1, 4);
    cfg_write(DF, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    return PCI_DEVICE(d);
}

static void teardown(void)
{
    device_tree_destroy();
    memory_region_del_subregion(get_system_memory(), &doorbell);
    memory_region_destroy(&doorbell);
}

/* ---- MSI ------------------------------------------------------------ */

static void test_msi_layout(void)
{
    PCIDevice *d = setup(NULL);
    uint8_t cap = pci_find_capability(d, PCI_CAP_ID_MSI);
    uint16_t flags;

    g_assert_cmphex(cap, !=, 0);
    flags = cfg_read(DF, cap + PCI_MSI_FLAGS, 2);
    g_assert_cmphex(flags, ==, (2 << 1) | PCI_MSI_FLAGS_64BIT |
                    PCI_MSI_FLAGS_MASKBIT);
    /* Read-only capability bits and clamped Multiple Message Enable. */
    cfg_write(DF, cap + PCI_MSI_FLAGS, 0xffff, 2);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_FLAGS, 2), ==,
                    flags | PCI_MSI_FLAGS_ENABLE | (2 << 4));
    g_assert_true(msi_enabled(d));
    g_assert_cmpuint(msi_nr_vectors_enabled(d), ==, 4);
    cfg_write(DF, cap + PCI_MSI_FLAGS, 1 << 4, 2);
    g_assert_false(msi_enabled(d));
    g_assert_cmpuint(msi_nr_vectors_enabled(d), ==, 2);
    /* Address low bits 1:0 are reserved, data is 16 bits, mask 4 bits. */
    cfg_write(DF, cap + PCI_MSI_ADDRESS_LO, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_ADDRESS_LO, 4), ==, 0xfffffffc);
    cfg_write(DF, cap + PCI_MSI_ADDRESS_HI, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_ADDRESS_HI, 4), ==, 0xffffffff);
    cfg_write(DF, cap + PCI_MSI_DATA_64, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_DATA_64, 4), ==, 0xffff);
    cfg_write(DF, cap + PCI_MSI_MASK_64, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_MASK_64, 4), ==, 0xf);
    cfg_write(DF, cap + PCI_MSI_PENDING_64, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_PENDING_64, 4), ==, 0);
    teardown();

    /* 32-bit, no masking, one vector: the short layout. */
    d = setup("msi64=off,pvm=off,msi-vectors=1,msix-vectors=0");
    cap = pci_find_capability(d, PCI_CAP_ID_MSI);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_FLAGS, 2), ==, 0);
    g_assert_cmphex(pci_find_capability(d, PCI_CAP_ID_MSIX), ==, 0);
    cfg_write(DF, cap + PCI_MSI_FLAGS, 0x71, 2);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_FLAGS, 2), ==, 1);
    cfg_write(DF, cap + PCI_MSI_ADDRESS_LO, DOORBELL, 4);
    cfg_write(DF, cap + PCI_MSI_DATA_32, 0x31, 2);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_DATA_32, 2), ==, 0x31);
    msi_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmphex(last_msg()->addr, ==, DOORBELL);
    g_assert_cmphex(last_msg()->data, ==, 0x31);
    g_assert_false(msi_is_masked(d, 0));
    teardown();
}

static void msi_program(PCIDevice *d, uint32_t data, unsigned mme)
{
    uint8_t cap = pci_find_capability(d, PCI_CAP_ID_MSI);

    cfg_write(DF, cap + PCI_MSI_ADDRESS_LO, DOORBELL + 0x1000, 4);
    cfg_write(DF, cap + PCI_MSI_ADDRESS_HI, 0, 4);
    cfg_write(DF, cap + PCI_MSI_DATA_64, data, 2);
    cfg_write(DF, cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE | mme << 4, 2);
}

static void test_msi_notify(void)
{
    PCIDevice *d = setup(NULL);
    uint8_t cap = pci_find_capability(d, PCI_CAP_ID_MSI);

    /* Disabled: nothing. */
    msi_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 0);

    msi_program(d, 0x4041, 2);
    msi_notify(d, 2);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmphex(last_msg()->addr, ==, DOORBELL + 0x1000);
    g_assert_cmphex(last_msg()->data, ==, 0x4042);
    msi_notify(d, 0);
    g_assert_cmphex(last_msg()->data, ==, 0x4040);
    /* Beyond the enabled vectors: dropped. */
    cfg_write(DF, cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE | 1 << 4, 2);
    msi_notify(d, 2);
    g_assert_cmpuint(msgs->len, ==, 2);
    msi_notify(d, 1);
    g_assert_cmphex(last_msg()->data, ==, 0x4041);
    /* Bus mastering off: the write never leaves the function. */
    cfg_write(DF, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    msi_notify(d, 1);
    g_assert_cmpuint(msgs->len, ==, 3);
    cfg_write(DF, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);

    /* The 64-bit address is honoured: nothing is at the high alias. */
    cfg_write(DF, cap + PCI_MSI_ADDRESS_HI, 1, 4);
    msi_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 3);
    teardown();
}

static void test_msi_mask(void)
{
    PCIDevice *d = setup(NULL);
    uint8_t cap = pci_find_capability(d, PCI_CAP_ID_MSI);

    msi_program(d, 0x20, 2);
    cfg_write(DF, cap + PCI_MSI_MASK_64, 0x2, 4);
    g_assert_true(msi_is_masked(d, 1));
    msi_notify(d, 1);
    g_assert_cmpuint(msgs->len, ==, 0);
    g_assert_true(msi_is_pending(d, 1));
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_PENDING_64, 4), ==, 0x2);
    msi_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 1);
    /* Unmasking delivers the latched message. */
    cfg_write(DF, cap + PCI_MSI_MASK_64, 0x0, 4);
    g_assert_cmpuint(msgs->len, ==, 2);
    g_assert_cmphex(last_msg()->data, ==, 0x21);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSI_PENDING_64, 4), ==, 0);
    /* Pending survives disable; re-enable with it unmasked delivers. */
    cfg_write(DF, cap + PCI_MSI_MASK_64, 0x8, 4);
    msi_notify(d, 3);
    cfg_write(DF, cap + PCI_MSI_FLAGS, 2 << 4, 2);
    cfg_write(DF, cap + PCI_MSI_MASK_64, 0x0, 4);
    g_assert_cmpuint(msgs->len, ==, 2);
    cfg_write(DF, cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE | 2 << 4, 2);
    g_assert_cmpuint(msgs->len, ==, 3);
    g_assert_cmphex(last_msg()->data, ==, 0x23);
    teardown();
}

static void test_msi_hook(void)
{
    PCIDevice *d = setup(NULL);

    pci_set_msi_delivery(d->bus, hook, (void *)"hook");
    msi_program(d, 0x55, 0);
    msi_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmphex(last_msg()->addr, ==, DOORBELL + 0x1000);
    g_assert_cmphex(last_msg()->data, ==, 0x55);
    g_assert_cmphex(last_msg()->rid, ==, DF);
    g_assert_cmphex(pci_requester_id(d), ==, 0x18);
    pci_set_msi_delivery(d->bus, NULL, NULL);
    msi_notify(d, 0);
    g_assert_cmphex(last_msg()->rid, ==, 0xffff);   /* the doorbell */
    teardown();
}

static void test_msi_intx(void)
{
    PCIDevice *d = setup("msix-vectors=0");

    pci_irq_assert(d);
    /* PIIX routing: slot 3 pin A is line 2. */
    g_assert_cmpint(intx_level[2], ==, 1);
    msi_program(d, 0, 0);
    g_assert_cmpint(intx_level[2], ==, 0);
    teardown();
}

/* ---- MSI-X ---------------------------------------------------------- */

static void msix_enable(uint8_t cap, uint16_t bits)
{
    cfg_write(DF, cap + PCI_MSIX_FLAGS + 1, bits >> 8, 1);
}

static void table_write(uint64_t table, unsigned v, uint64_t addr,
                        uint32_t data, uint32_t ctrl)
{
    uint64_t e = table + v * PCI_MSIX_ENTRY_SIZE;

    mem_write(e + PCI_MSIX_ENTRY_LOWER_ADDR, (uint32_t)addr, 4);
    mem_write(e + PCI_MSIX_ENTRY_UPPER_ADDR, addr >> 32, 4);
    mem_write(e + PCI_MSIX_ENTRY_DATA, data, 4);
    mem_write(e + PCI_MSIX_ENTRY_VECTOR_CTRL, ctrl, 4);
}

static void test_msix_layout(void)
{
    PCIDevice *d = setup(NULL);
    uint8_t cap = pci_find_capability(d, PCI_CAP_ID_MSIX);
    uint64_t table = BAR1;

    g_assert_cmphex(cap, !=, 0);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSIX_FLAGS, 2), ==, 7);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSIX_TABLE, 4), ==, 0x0 | 1);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSIX_PBA, 4), ==, 0x800 | 1);
    /* Exclusive BAR: 4 KiB 32-bit memory. */
    cfg_write(DF, PCI_BASE_ADDRESS_0 + 4, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(DF, PCI_BASE_ADDRESS_0 + 4, 4), ==, 0xfffff000);
    cfg_write(DF, PCI_BASE_ADDRESS_0 + 4, BAR1, 4);
    /* Only enable and function mask are writable. */
    cfg_write(DF, cap + PCI_MSIX_FLAGS, 0xffff, 2);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSIX_FLAGS, 2), ==, 0xc007);
    cfg_write(DF, cap + PCI_MSIX_TABLE, 0, 4);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSIX_TABLE, 4), ==, 1);
    cfg_write(DF, cap + PCI_MSIX_FLAGS, 0, 2);

    /* Entries start masked and read back what was written. */
    g_assert_cmphex(mem_read(table + PCI_MSIX_ENTRY_VECTOR_CTRL, 4), ==, 1);
    table_write(table, 5, 0x123456789aull, 0xabcd, 0xfffffffe);
    g_assert_cmphex(mem_read(table + 5 * 16, 4), ==, 0x3456789a);
    g_assert_cmphex(mem_read(table + 5 * 16 + 4, 4), ==, 0x12);
    g_assert_cmphex(mem_read(table + 5 * 16 + 8, 4), ==, 0xabcd);
    g_assert_cmphex(mem_read(table + 5 * 16 + 12, 4), ==, 0);
    g_assert_cmphex(mem_read(table + 5 * 16, 8), ==, 0x123456789aull);
    mem_write(table + 6 * 16, 0x1122334455667788ull, 8);
    g_assert_cmphex(mem_read(table + 6 * 16 + 4, 4), ==, 0x11223344);
    /* PBA reads zero, ignores writes. */
    g_assert_cmphex(mem_read(table + 0x800, 4), ==, 0);
    mem_write(table + 0x800, 0xff, 4);
    g_assert_cmphex(mem_read(table + 0x800, 8), ==, 0);
    teardown();

    /* Table and PBA sharing BAR0 with the device's registers. */
    d = setup("msix-shared=on,msi-vectors=0");
    cap = pci_find_capability(d, PCI_CAP_ID_MSIX);
    g_assert_cmphex(pci_find_capability(d, PCI_CAP_ID_MSI), ==, 0);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSIX_TABLE, 4), ==, 0x1000);
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSIX_PBA, 4), ==, 0x1800);
    g_assert_cmphex(cfg_read(DF, PCI_BASE_ADDRESS_0 + 4, 4), ==, 0);
    table_write(BAR0 + 0x1000, 0, DOORBELL + 4, 0x99, 0);
    msix_enable(cap, PCI_MSIX_FLAGS_ENABLE);
    msix_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmphex(last_msg()->addr, ==, DOORBELL + 4);
    g_assert_cmphex(last_msg()->data, ==, 0x99);
    teardown();
}

static void test_msix_notify(void)
{
    PCIDevice *d = setup(NULL);
    uint8_t cap = pci_find_capability(d, PCI_CAP_ID_MSIX);
    uint64_t table = BAR1, pba = BAR1 + 0x800;

    g_assert_false(msix_enabled(d));
    table_write(table, 0, DOORBELL + 0x10, 0x100, 0);
    table_write(table, 3, DOORBELL + 0x30, 0x300, 1);
    /* Disabled: neither delivery nor pending. */
    msix_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 0);
    g_assert_cmphex(mem_read(pba, 4), ==, 0);

    msix_enable(cap, PCI_MSIX_FLAGS_ENABLE);
    g_assert_true(msix_enabled(d));
    msix_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmphex(last_msg()->addr, ==, DOORBELL + 0x10);
    g_assert_cmphex(last_msg()->data, ==, 0x100);

    /* Masked vector: pending bit, delivered on unmask. */
    msix_notify(d, 3);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_true(msix_is_pending(d, 3));
    g_assert_cmphex(mem_read(pba, 4), ==, 0x8);
    mem_write(table + 3 * 16 + PCI_MSIX_ENTRY_VECTOR_CTRL, 0, 4);
    g_assert_cmpuint(msgs->len, ==, 2);
    g_assert_cmphex(last_msg()->addr, ==, DOORBELL + 0x30);
    g_assert_cmphex(last_msg()->data, ==, 0x300);
    g_assert_cmphex(mem_read(pba, 4), ==, 0);

    /* Dropped pending vectors stay quiet. */
    mem_write(table + 3 * 16 + PCI_MSIX_ENTRY_VECTOR_CTRL, 1, 4);
    msix_notify(d, 3);
    msix_clr_pending(d, 3);
    mem_write(table + 3 * 16 + PCI_MSIX_ENTRY_VECTOR_CTRL, 0, 4);
    g_assert_cmpuint(msgs->len, ==, 2);
    /* Out-of-range vector is a guest/device error, not a crash. */
    msix_notify(d, 8);
    g_assert_cmpuint(msgs->len, ==, 2);

    /* Fast path. */
    pci_set_msi_delivery(d->bus, hook, (void *)"hook");
    msix_notify(d, 0);
    g_assert_cmpuint(msgs->len, ==, 3);
    g_assert_cmphex(last_msg()->rid, ==, DF);
    teardown();
}

static void test_msix_function_mask(void)
{
    PCIDevice *d = setup(NULL);
    uint8_t cap = pci_find_capability(d, PCI_CAP_ID_MSIX);
    uint64_t table = BAR1, pba = BAR1 + 0x800;

    for (unsigned v = 0; v < 8; v++) {
        table_write(table, v, DOORBELL, 0x40 + v, v == 7 ? 1 : 0);
    }
    msix_enable(cap, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
    g_assert_true(msix_function_masked(d));
    msix_notify(d, 1);
    msix_notify(d, 6);
    msix_notify(d, 7);
    g_assert_cmpuint(msgs->len, ==, 0);
    g_assert_cmphex(mem_read(pba, 4), ==, 0xc2);
    /* Clearing the function mask sends the pending unmasked vectors. */
    msix_enable(cap, PCI_MSIX_FLAGS_ENABLE);
    g_assert_cmpuint(msgs->len, ==, 2);
    g_assert_cmphex(g_array_index(msgs, Msg, 0).data, ==, 0x41);
    g_assert_cmphex(g_array_index(msgs, Msg, 1).data, ==, 0x46);
    g_assert_cmphex(mem_read(pba, 4), ==, 0x80);
    /* Entry writes while the function is masked do not deliver. */
    msix_enable(cap, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
    mem_write(table + 7 * 16 + PCI_MSIX_ENTRY_VECTOR_CTRL, 0, 4);
    g_assert_cmpuint(msgs->len, ==, 2);
    msix_enable(cap, PCI_MSIX_FLAGS_ENABLE);
    g_assert_cmpuint(msgs->len, ==, 3);
    g_assert_cmphex(last_msg()->data, ==, 0x47);
    teardown();
}

static void test_msix_reset(void)
{
    PCIDevice *d = setup(NULL);
    uint8_t cap = pci_find_capability(d, PCI_CAP_ID_MSIX);
    uint8_t mcap = pci_find_capability(d, PCI_CAP_ID_MSI);
    uint64_t table = BAR1;

    table_write(table, 2, DOORBELL, 0x2, 1);
    msix_enable(cap, PCI_MSIX_FLAGS_ENABLE);
    msix_notify(d, 2);
    msi_program(d, 0x10, 2);
    g_assert_true(msi_enabled(d));

    device_reset(&d->parent);
    g_assert_false(msix_enabled(d));
    g_assert_false(msi_enabled(d));
    g_assert_cmphex(cfg_read(DF, cap + PCI_MSIX_FLAGS, 2), ==, 7);
    g_assert_cmphex(cfg_read(DF, mcap + PCI_MSI_FLAGS, 2), ==,
                    (2 << 1) | PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT);
    g_assert_cmphex(cfg_read(DF, mcap + PCI_MSI_ADDRESS_LO, 4), ==, 0);
    g_assert_false(msix_is_pending(d, 2));
    /* Re-map the BAR and check the table came back masked and empty. */
    cfg_write(DF, PCI_BASE_ADDRESS_0 + 4, BAR1, 4);
    cfg_write(DF, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    g_assert_cmphex(mem_read(table + 2 * 16 + 8, 4), ==, 0);
    g_assert_cmphex(mem_read(table + 2 * 16 + 12, 4), ==, 1);
    g_assert_cmphex(mem_read(table + 0x800, 4), ==, 0);
    teardown();
}

static void test_bad_setup(void)
{
    static const struct {
        const char *opts, *msg;
    } cases[] = {
        { "msi-vectors=3", "msi-test-dev: MSI: 3 vectors requested for "
          "msi-test-dev, expected a power of two from 1 to 32" },
        { "msi-vectors=64", "msi-test-dev: MSI: 64 vectors requested for "
          "msi-test-dev, expected a power of two from 1 to 32" },
        { "msix-vectors=4096", "msi-test-dev: MSI-X: 4096 vectors in BAR 1 "
          "requested for msi-test-dev, expected 1 to 2048 in BAR 0-5" },
        /* 256 entries need 4 KiB: too big for the 2 KiB before the PBA. */
        { "msix-shared=on,msix-vectors=256", "msi-test-dev: MSI-X: bad "
          "table/PBA placement for msi-test-dev (BAR 0 at 0x1000, BAR 0 at "
          "0x1800)" },
    };
    PCIHostCF8Config cfg = { .irqs = lines, .nirq = 4 };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        PCIBus *bus = pci_host_cf8_create(&cfg, &err);
        DeviceState *d = device_new("msi-test-dev", &err);
        g_auto(GStrv) kv = g_strsplit(cases[i].opts, ",", -1);

        for (int k = 0; kv[k]; k++) {
            g_auto(GStrv) pv = g_strsplit(kv[k], "=", 2);
            g_assert_true(device_set_prop(d, pv[0], pv[1], &err));
        }
        g_assert_false(device_realize(d, bus->qbus, &err));
        g_assert_cmpstr(err->message, ==, cases[i].msg);
        /* Nothing of the failed function stays on the bus. */
        g_assert_null(pci_bus_find_device(bus, PCI_DEVFN(1, 0)));
        device_free(d);
        device_tree_destroy();
    }
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    hw_pci_register_devices();
    device_class_register(&mdev_class.parent);
    lines = irq_new_array(intx_handler, NULL, 4);
    msgs = g_array_new(FALSE, TRUE, sizeof(Msg));

    g_test_add_func("/msi/layout", test_msi_layout);
    g_test_add_func("/msi/notify", test_msi_notify);
    g_test_add_func("/msi/mask", test_msi_mask);
    g_test_add_func("/msi/hook", test_msi_hook);
    g_test_add_func("/msi/intx", test_msi_intx);
    g_test_add_func("/msix/layout", test_msix_layout);
    g_test_add_func("/msix/notify", test_msix_notify);
    g_test_add_func("/msix/function-mask", test_msix_function_mask);
    g_test_add_func("/msix/reset", test_msix_reset);
    g_test_add_func("/msix/bad-setup", test_bad_setup);

    ret = g_test_run();
    g_array_free(msgs, TRUE);
    irq_free_array(lines, 4);
    device_class_registry_clear();
    return ret;
}
