/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI core tests, driven the way a guest driver would: configuration
 * mechanism #1 through the I/O address space, ECAM through system memory,
 * BARs probed, programmed and then accessed through the memory API. Covers
 * write masks, BAR sizing and mapping, capabilities, addr= and multi-function
 * rules, INTx routing with shared lines, the generic ECAM host, pci-testdev,
 * reset, unplug and the `info pci` printer.
 */
#include <string.h>

#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/keyval.h"

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

/* ---- a test function with every kind of BAR ------------------------- */

typedef struct TestPCIDev {
    PCIDevice parent;
    uint8_t pin;
    bool caps;
    MemoryRegion io, mmio, mmio64;
    unsigned reads, writes;
    uint64_t last_addr, last_val;
    int resets;
} TestPCIDev;

static uint64_t tdev_read(void *opaque, uint64_t addr, unsigned size)
{
    MemoryRegion *mr = opaque;
    TestPCIDev *t = NULL;
    uint64_t tag;

    /* opaque is the region; find the device around it. */
    if (!strcmp(memory_region_name(mr), "tdev-io")) {
        t = container_of(mr, TestPCIDev, io);
        tag = 0x10;
    } else if (!strcmp(memory_region_name(mr), "tdev-mmio")) {
        t = container_of(mr, TestPCIDev, mmio);
        tag = 0x20;
    } else {
        t = container_of(mr, TestPCIDev, mmio64);
        tag = 0x40;
    }
    t->reads++;
    return tag << 24 | addr;
}

static void tdev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    MemoryRegion *mr = opaque;
    TestPCIDev *t;

    if (!strcmp(memory_region_name(mr), "tdev-io")) {
        t = container_of(mr, TestPCIDev, io);
    } else if (!strcmp(memory_region_name(mr), "tdev-mmio")) {
        t = container_of(mr, TestPCIDev, mmio);
    } else {
        t = container_of(mr, TestPCIDev, mmio64);
    }
    t->writes++;
    t->last_addr = addr;
    t->last_val = val;
}

static const MemoryRegionOps tdev_ops = {
    .read = tdev_read,
    .write = tdev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static bool tdev_realize(PCIDevice *dev, GError **errp)
{
    TestPCIDev *t = (TestPCIDev *)dev;

    pci_set_interrupt_pin(dev, t->pin);
    memory_region_init_io(&t->io, &tdev_ops, &t->io, "tdev-io", 32);
    memory_region_init_io(&t->mmio, &tdev_ops, &t->mmio, "tdev-mmio", 4096);
    memory_region_init_io(&t->mmio64, &tdev_ops, &t->mmio64, "tdev-mmio64",
                          1 << 20);
    pci_register_bar(dev, 0, PCI_BAR_IO, &t->io);
    pci_register_bar(dev, 1, PCI_BAR_MEM32, &t->mmio);
    pci_register_bar(dev, 2, PCI_BAR_MEM64 | PCI_BAR_PREFETCH, &t->mmio64);
    if (t->caps) {
        if (!pci_add_capability(dev, PCI_CAP_ID_PM, 0x50, 8, errp) ||
            !pci_add_capability(dev, PCI_CAP_ID_VNDR, 0, 12, errp)) {
            return false;
        }
    }
    return true;
}

static void tdev_exit(PCIDevice *dev)
{
    TestPCIDev *t = (TestPCIDev *)dev;

    memory_region_destroy(&t->io);
    memory_region_destroy(&t->mmio);
    memory_region_destroy(&t->mmio64);
}

static void tdev_reset(PCIDevice *dev)
{
    ((TestPCIDev *)dev)->resets++;
}

static const Property tdev_props[] = {
    PROP_UINT8("pin", TestPCIDev, pin, 1),
    PROP_BOOL("caps", TestPCIDev, caps, false),
    PROP_END
};

static const PCIDeviceClass tdev_class = {
    .parent = {
        .name = "test-pci-dev",
        .parent = &pci_device_class,
        .instance_size = sizeof(TestPCIDev),
        .props = tdev_props,
        .user_creatable = true,
    },
    .vendor_id = 0x1234,
    .device_id = 0x5678,
    .class_id = PCI_CLASS_NETWORK_ETHERNET,
    .revision = 3,
    .realize = tdev_realize,
    .exit = tdev_exit,
    .reset = tdev_reset,
};

/* ---- host set-up and guest-side accessors --------------------------- */

#define NLINES 4

typedef struct IrqState {
    int level[NLINES];
    int edges[NLINES];
} IrqState;

static IrqState irqs;
static IrqLine **lines;

static void irq_handler(void *opaque, int n, int level)
{
    g_assert(n >= 0 && n < NLINES);
    if (irqs.level[n] != level) {
        irqs.edges[n]++;
    }
    irqs.level[n] = level;
}

static PCIBus *make_cf8(const uint8_t *intx_line)
{
    PCIHostCF8Config cfg = {
        .mem32_base = 0xe0000000, .mem32_size = 0x10000000,
        .mem64_base = 0x10000000000ull, .mem64_size = 0x10000000000ull,
        .irqs = lines, .nirq = NLINES,
    };
    g_autoptr(GError) err = NULL;
    PCIBus *bus;

    if (intx_line) {
        memcpy(cfg.intx_line, intx_line, 4);
    }
    memset(&irqs, 0, sizeof(irqs));
    bus = pci_host_cf8_create(&cfg, &err);
    g_assert_no_error(err);
    g_assert_nonnull(bus);
    return bus;
}

static void teardown(void)
{
    device_tree_destroy();
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

static TestPCIDev *add_tdev(PCIBus *bus, int devfn)
{
    g_autoptr(GError) err = NULL;
    PCIDevice *d = pci_create_simple(bus, devfn, "test-pci-dev", &err);

    g_assert_no_error(err);
    return (TestPCIDev *)d;
}

static DeviceState *device_cli(const char *opts, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(opts, "driver", errp);

    return kv ? device_create_from_keyval(kv, errp) : NULL;
}

/* ---- tests ---------------------------------------------------------- */

static void test_cf8_host(void)
{
    PCIBus *bus = make_cf8(NULL);

    g_assert_cmpstr(bus->qbus->name, ==, "pci.0");
    g_assert_cmphex(cfg_read(0, PCI_VENDOR_ID, 4), ==, 0x12378086);
    g_assert_cmphex(cfg_read(0, PCI_VENDOR_ID, 2), ==, 0x8086);
    g_assert_cmphex(cfg_read(0, PCI_DEVICE_ID, 2), ==, 0x1237);
    g_assert_cmphex(cfg_read(0, PCI_DEVICE_ID + 1, 1), ==, 0x12);
    g_assert_cmphex(cfg_read(0, PCI_CLASS_REVISION, 4), ==, 0x06000002);
    g_assert_cmphex(cfg_read(0, PCI_HEADER_TYPE, 1), ==, 0);
    g_assert_cmphex(cfg_read(0, PCI_SUBSYSTEM_VENDOR_ID, 4), ==, 0x11001af4);
    /* The address latch reads back. */
    io_write(0xcf8, 0x80001234, 4);
    g_assert_cmphex(io_read(0xcf8, 4), ==, 0x80001234);
    /* Empty slot, other bus, function 1 without function 0. */
    g_assert_cmphex(cfg_read(PCI_DEVFN(5, 0), 0, 4), ==, 0xffffffff);
    g_assert_cmphex(cfg_read(PCI_DEVFN(5, 0), 0, 2), ==, 0xffff);
    io_write(0xcf8, 0x80010000u, 4);
    g_assert_cmphex(io_read(0xcfc, 4), ==, 0xffffffff);
    g_assert_cmphex(cfg_read(PCI_DEVFN(0, 1), 0, 4), ==, 0xffffffff);
    /* Enable bit clear: no configuration cycle. */
    io_write(0xcf8, 0x00000000, 4);
    g_assert_cmphex(io_read(0xcfc, 4), ==, 0xffffffff);
    /* Writes into the void are harmless. */
    cfg_write(PCI_DEVFN(9, 0), PCI_COMMAND, 0xffff, 2);
    /* Config hook registers of the i440FX are writable, ids are not. */
    cfg_write(0, 0x5a, 0x33, 1);
    g_assert_cmphex(cfg_read(0, 0x5a, 1), ==, 0x33);
    g_assert_cmphex(cfg_read(0, 0x72, 1), ==, 0x02);
    cfg_write(0, PCI_VENDOR_ID, 0, 4);
    g_assert_cmphex(cfg_read(0, PCI_VENDOR_ID, 4), ==, 0x12378086);
    teardown();
}

static void test_config_masks(void)
{
    PCIBus *bus = make_cf8(NULL);
    TestPCIDev *t = add_tdev(bus, PCI_DEVFN(3, 0));
    int df = PCI_DEVFN(3, 0);
    uint16_t status;

    g_assert_cmphex(cfg_read(df, 0, 4), ==, 0x56781234);
    cfg_write(df, 0, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(df, 0, 4), ==, 0x56781234);
    g_assert_cmphex(cfg_read(df, PCI_CLASS_REVISION, 4), ==, 0x02000003);
    cfg_write(df, PCI_CLASS_REVISION, 0, 4);
    g_assert_cmphex(cfg_read(df, PCI_CLASS_REVISION, 4), ==, 0x02000003);

    /* COMMAND keeps only the writable bits. */
    cfg_write(df, PCI_COMMAND, 0xffff, 2);
    g_assert_cmphex(cfg_read(df, PCI_COMMAND, 2), ==,
                    PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                    PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
                    PCI_COMMAND_INTX_DISABLE);
    cfg_write(df, PCI_COMMAND, 0, 2);

    /* STATUS: error bits are write-1-to-clear, the rest read-only. */
    status = pci_get_word(t->parent.config + PCI_STATUS);
    pci_set_word(t->parent.config + PCI_STATUS, status |
                 PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_SIG_SYSTEM_ERROR);
    cfg_write(df, PCI_STATUS, 0, 2);
    g_assert_cmphex(cfg_read(df, PCI_STATUS, 2), ==, status |
                    PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_SIG_SYSTEM_ERROR);
    cfg_write(df, PCI_STATUS, PCI_STATUS_REC_MASTER_ABORT |
              PCI_STATUS_FAST_BACK | PCI_STATUS_CAP_LIST, 2);
    g_assert_cmphex(cfg_read(df, PCI_STATUS, 2), ==,
                    status | PCI_STATUS_SIG_SYSTEM_ERROR);
    g_assert_cmphex(status, ==, PCI_STATUS_FAST_BACK | PCI_STATUS_DEVSEL_MEDIUM);

    /* Byte registers. */
    cfg_write(df, PCI_CACHE_LINE_SIZE, 0x10, 1);
    g_assert_cmphex(cfg_read(df, PCI_CACHE_LINE_SIZE, 1), ==, 0x10);
    cfg_write(df, PCI_INTERRUPT_LINE, 0xffff, 2);
    g_assert_cmphex(cfg_read(df, PCI_INTERRUPT_LINE, 2), ==, 0x01ff);
    cfg_write(df, PCI_HEADER_TYPE, 0xff, 1);
    g_assert_cmphex(cfg_read(df, PCI_HEADER_TYPE, 1), ==, 0);
    cfg_write(df, PCI_CAPABILITY_LIST, 0x40, 1);
    g_assert_cmphex(cfg_read(df, PCI_CAPABILITY_LIST, 1), ==, 0);

    /* Direct accessors: out of range reads all-ones, bad sizes ignored. */
    g_assert_cmphex(pci_config_read(&t->parent, 0xff, 2), ==, 0xffff);
    g_assert_cmphex(pci_config_read(&t->parent, 0x100, 4), ==, 0xffffffff);
    g_assert_cmphex(pci_config_read(&t->parent, 0, 3), ==, 0xffffff);
    pci_config_write(&t->parent, 0xfe, 0xffffffff, 4);
    teardown();
}

static void test_bar_sizing(void)
{
    PCIBus *bus = make_cf8(NULL);
    int df = PCI_DEVFN(2, 0);

    add_tdev(bus, df);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0, 4), ==, 0x1);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 4, 4), ==, 0x0);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 8, 4), ==, 0xc);
    for (int n = 0; n < 6; n++) {
        cfg_write(df, PCI_BASE_ADDRESS_0 + 4 * n, 0xffffffff, 4);
    }
    /* I/O 32 bytes, MEM32 4 KiB, MEM64 prefetchable 1 MiB, BAR4/5 absent. */
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0, 4), ==, 0xffffffe1);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 4, 4), ==, 0xfffff000);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 8, 4), ==, 0xfff0000c);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 12, 4), ==, 0xffffffff);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 16, 4), ==, 0);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 20, 4), ==, 0);
    /* Sizing with decoding on maps nothing at the all-ones address. */
    cfg_write(df, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    g_assert_cmphex(pci_bar_address(pci_bus_find_device(bus, df), 0), ==,
                    PCI_BAR_UNMAPPED);
    g_assert_cmphex(pci_bar_address(pci_bus_find_device(bus, df), 1), ==,
                    PCI_BAR_UNMAPPED);
    g_assert_cmphex(pci_bar_address(pci_bus_find_device(bus, df), 2), ==,
                    PCI_BAR_UNMAPPED);
    teardown();
}

static void test_bar_mapping(void)
{
    PCIBus *bus = make_cf8(NULL);
    int df = PCI_DEVFN(4, 0);
    TestPCIDev *t = add_tdev(bus, df);
    PCIDevice *d = &t->parent;

    cfg_write(df, PCI_BASE_ADDRESS_0, 0xc000, 4);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0xe0001000, 4);
    /* Programmed but not enabled: nothing decodes. */
    g_assert_cmphex(mem_read(0xe0001004, 4), ==, 0xffffffff);
    g_assert_cmphex(io_read(0xc004, 4), ==, 0xffffffff);
    g_assert_cmpuint(t->reads, ==, 0);

    cfg_write(df, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    g_assert_cmphex(mem_read(0xe0001004, 4), ==, 0x20000004);
    g_assert_cmphex(pci_bar_address(d, 1), ==, 0xe0001000);
    g_assert_cmphex(io_read(0xc004, 4), ==, 0xffffffff);
    cfg_write(df, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    g_assert_cmphex(io_read(0xc004, 4), ==, 0x10000004);
    io_write(0xc008, 0xabcd, 2);
    g_assert_cmphex(t->last_addr, ==, 8);
    g_assert_cmphex(t->last_val, ==, 0xabcd);
    mem_write(0xe0001ff0, 0x55, 1);
    g_assert_cmphex(t->last_addr, ==, 0xff0);

    /* Move it: old address goes dark, new one decodes. */
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0xe0002000, 4);
    g_assert_cmphex(mem_read(0xe0001004, 4), ==, 0xffffffff);
    g_assert_cmphex(mem_read(0xe0002008, 4), ==, 0x20000008);
    /* Low bits of the address are ignored (size alignment). */
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0xe0003abc, 4);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 4, 4), ==, 0xe0003000);
    g_assert_cmphex(mem_read(0xe0003010, 4), ==, 0x20000010);

    /* Outside the host's windows the BAR is decoded but not visible. */
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0x80000000, 4);
    g_assert_cmphex(pci_bar_address(d, 1), ==, 0x80000000);
    g_assert_cmphex(mem_read(0x80000000, 4), ==, 0xffffffff);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0xe0003000, 4);

    /* Disable memory decoding. */
    cfg_write(df, PCI_COMMAND, PCI_COMMAND_IO, 2);
    g_assert_cmphex(mem_read(0xe0003010, 4), ==, 0xffffffff);
    g_assert_cmphex(pci_bar_address(d, 1), ==, PCI_BAR_UNMAPPED);
    g_assert_cmphex(io_read(0xc004, 4), ==, 0x10000004);
    /* I/O BAR at 0 or beyond 64 KiB is not decoded. */
    cfg_write(df, PCI_BASE_ADDRESS_0, 0x0, 4);
    g_assert_cmphex(pci_bar_address(d, 0), ==, PCI_BAR_UNMAPPED);
    cfg_write(df, PCI_BASE_ADDRESS_0, 0x10000, 4);
    g_assert_cmphex(pci_bar_address(d, 0), ==, PCI_BAR_UNMAPPED);
    teardown();
}

static void test_bar_64bit(void)
{
    PCIBus *bus = make_cf8(NULL);
    int df = PCI_DEVFN(6, 0);
    TestPCIDev *t = add_tdev(bus, df);

    cfg_write(df, PCI_BASE_ADDRESS_0 + 8, 0x00100000, 4);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 12, 0x100, 4);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 8, 4), ==, 0x0010000c);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 12, 4), ==, 0x100);
    cfg_write(df, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    g_assert_cmphex(pci_bar_address(&t->parent, 2), ==, 0x10000100000ull);
    g_assert_cmphex(mem_read(0x10000100000ull + 0x1230, 4), ==, 0x40001230);
    /* A 64-bit BAR may sit below 4 GiB as well. */
    cfg_write(df, PCI_BASE_ADDRESS_0 + 12, 0, 4);
    g_assert_cmphex(mem_read(0x100000ull + 0x10, 4), ==, 0xffffffff);
    g_assert_cmphex(pci_bar_address(&t->parent, 2), ==, 0x100000);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 8, 0xe0100000, 4);
    g_assert_cmphex(mem_read(0xe0100010, 4), ==, 0x40000010);
    teardown();
}

static void test_capabilities(void)
{
    int df = PCI_DEVFN(3, 0);
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    DeviceState *d;
    PCIDevice *p;
    uint8_t ptr, ids[8];
    int n = 0;

    make_cf8(NULL);
    d = device_cli("test-pci-dev,addr=3,caps=on", &err);
    g_assert_no_error(err);
    p = PCI_DEVICE(d);
    g_assert_true(cfg_read(df, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
    /* Walk the list like a guest. */
    for (ptr = cfg_read(df, PCI_CAPABILITY_LIST, 1); ptr && n < 8;
         ptr = cfg_read(df, ptr + 1, 1)) {
        ids[n++] = cfg_read(df, ptr, 1);
        g_assert_cmpuint(ptr & 3, ==, 0);
        g_assert_cmpuint(ptr, >=, 0x40);
    }
    g_assert_cmpint(n, ==, 2);
    g_assert_cmphex(ids[0], ==, PCI_CAP_ID_VNDR);  /* newest first */
    g_assert_cmphex(ids[1], ==, PCI_CAP_ID_PM);
    g_assert_cmphex(pci_find_capability(p, PCI_CAP_ID_PM), ==, 0x50);
    g_assert_cmphex(pci_find_capability(p, PCI_CAP_ID_VNDR), ==, 0x40);
    g_assert_cmphex(pci_find_capability(p, PCI_CAP_ID_MSI), ==, 0);
    /* Capability headers are read-only. */
    cfg_write(df, 0x50, 0xffff, 2);
    g_assert_cmphex(cfg_read(df, 0x50, 2), ==, 0x0001);
    g_assert_cmphex(cfg_read(df, 0x40, 2), ==, 0x5009);

    /* Overlap, misplacement, exhaustion. */
    g_assert_cmphex(pci_add_capability(p, PCI_CAP_ID_MSI, 0x48, 8, &err), ==, 0);
    g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
    g_assert_cmpstr(err->message, ==, "PCI: capability 0x05 at 0x48 overlaps "
                    "capability 0x09 at 0x40 in test-pci-dev");
    g_clear_error(&err);
    g_assert_cmphex(pci_add_capability(p, PCI_CAP_ID_MSI, 0x20, 8, &err), ==, 0);
    g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
    g_clear_error(&err);
    g_assert_cmphex(pci_add_capability(p, PCI_CAP_ID_MSI, 0xfc, 8, &err), ==, 0);
    g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
    g_clear_error(&err);
    /* Auto placement skips used space: 0x4c is the first free dword. */
    g_assert_cmphex(pci_add_capability(p, 0x0d, 0, 4, &err), ==, 0x4c);
    g_assert_no_error(err);
    g_assert_cmphex(pci_add_capability(p, 0x0e, 0, 0xa0, &err), ==, 0x58);
    g_assert_cmphex(pci_add_capability(p, 0x0f, 0, 0x10, &err2), ==, 0);
    g_assert_nonnull(err2);
    g_assert_cmpstr(err2->message, ==, "PCI: no room for capability 0x0f "
                    "(16 bytes) in test-pci-dev");
    /* Removal relinks the list. */
    pci_del_capability(p, PCI_CAP_ID_VNDR, 12);
    g_assert_cmphex(pci_find_capability(p, PCI_CAP_ID_VNDR), ==, 0);
    g_assert_cmphex(pci_find_capability(p, PCI_CAP_ID_PM), ==, 0x50);
    g_assert_cmphex(pci_find_capability(p, 0x0d), ==, 0x4c);
    /* No extended config space on a conventional function. */
    g_assert_cmphex(pcie_add_ext_capability(p, 1, 1, 0, 8, &err), ==, 0);
    g_assert_error(err, TERN_ERROR, TERN_ERROR_UNSUPPORTED);
    teardown();
}

static void test_addr_property(void)
{
    PCIBus *bus = make_cf8(NULL);
    g_autoptr(GError) err = NULL;
    DeviceState *d;
    g_autofree char *addr = NULL;

    d = device_cli("pci-testdev,bus=pci.0,addr=0x3", &err);
    g_assert_no_error(err);
    g_assert_cmpint(PCI_DEVICE(d)->devfn, ==, PCI_DEVFN(3, 0));
    addr = device_get_prop(d, "addr");
    g_assert_cmpstr(addr, ==, "03.0");

    d = device_cli("pci-testdev,addr=04.1,id=t41", &err);
    g_assert_no_error(err);
    g_assert_cmpint(PCI_DEVICE(d)->devfn, ==, PCI_DEVFN(4, 1));
    d = device_cli("pci-testdev,addr=1f", &err);
    g_assert_no_error(err);
    g_assert_cmpint(PCI_DEVICE(d)->devfn, ==, PCI_DEVFN(31, 0));
    d = device_cli("pci-testdev,addr=0x10.0x2,multifunction=on", &err);
    g_assert_no_error(err);
    g_assert_cmpint(PCI_DEVICE(d)->devfn, ==, PCI_DEVFN(16, 2));

    /* Default: the first free slot (the host bridge has 0). */
    d = device_cli("pci-testdev", &err);
    g_assert_no_error(err);
    g_assert_cmpint(PCI_DEVICE(d)->devfn, ==, PCI_DEVFN(1, 0));
    d = device_cli("pci-testdev", &err);
    g_assert_no_error(err);
    g_assert_cmpint(PCI_DEVICE(d)->devfn, ==, PCI_DEVFN(2, 0));
    d = device_cli("pci-testdev", &err);
    g_assert_no_error(err);
    g_assert_cmpint(PCI_DEVICE(d)->devfn, ==, PCI_DEVFN(5, 0));

    /* Conflicts. */
    g_assert_null(device_cli("test-pci-dev,addr=3", &err));
    g_assert_cmpstr(err->message, ==, "-device test-pci-dev: PCI: slot 3 "
                    "function 0 not available for test-pci-dev, in use by "
                    "pci-testdev");
    g_clear_error(&err);
    g_assert_null(device_cli("pci-testdev,addr=04.1", &err));
    g_assert_cmpstr(err->message, ==, "-device pci-testdev: PCI: slot 4 "
                    "function 1 not available for pci-testdev, in use by "
                    "pci-testdev,id=\"t41\"");
    g_clear_error(&err);
    g_assert_null(pci_bus_find_device(bus, PCI_DEVFN(6, 0)));

    /* Bad syntax and ranges. */
    static const char *const bad[] = {
        "zz", "0x20", "3.8", "3.", ".1", "3.1.2", "-1", "", "0x", "3 ",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *opts = g_strdup_printf("pci-testdev,addr=%s", bad[i]);
        if (!*bad[i]) {
            /* An empty addr means "pick one", like leaving it out. */
            continue;
        }
        g_assert_null(device_cli(opts, &err));
        g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
        g_assert_true(g_str_has_prefix(err->message, "-device pci-testdev: "
                                       "property 'addr': invalid PCI address"));
        g_clear_error(&err);
    }
    g_assert_cmpint(pci_parse_devfn("1e.7", NULL), ==, PCI_DEVFN(30, 7));
    g_assert_cmpint(pci_parse_devfn(NULL, NULL), ==, -1);
    g_assert_null(device_cli("pci-testdev,bus=pci.7", &err));
    g_assert_cmpstr(err->message, ==, "-device pci-testdev: bus 'pci.7' not "
                    "found");
    g_clear_error(&err);

    /* Full bus. */
    for (int s = 6; s < 32; s++) {
        if (s != 16 && s != 31) {
            add_tdev(bus, PCI_DEVFN(s, 0));
        }
    }
    g_assert_null(device_cli("pci-testdev", &err));
    g_assert_cmpstr(err->message, ==, "-device pci-testdev: PCI: no "
                    "slot/function available for pci-testdev, all in use or "
                    "reserved");
    g_clear_error(&err);
    g_assert_null(pci_create_simple(bus, -1, "pci-testdev", &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_null(pci_create_simple(bus, -1, "i440FX-pcihost", &err));
    g_assert_cmpstr(err->message, ==, "i440FX-pcihost is not a PCI device");
    teardown();
}

static void test_multifunction(void)
{
    PCIBus *bus = make_cf8(NULL);
    g_autoptr(GError) err = NULL;

    g_assert_nonnull(device_cli("test-pci-dev,addr=5.0,multifunction=on", &err));
    g_assert_nonnull(device_cli("test-pci-dev,addr=5.1", &err));
    g_assert_nonnull(device_cli("test-pci-dev,addr=5.7", &err));
    g_assert_no_error(err);
    g_assert_cmphex(cfg_read(PCI_DEVFN(5, 0), PCI_HEADER_TYPE, 1), ==, 0x80);
    g_assert_cmphex(cfg_read(PCI_DEVFN(5, 1), PCI_HEADER_TYPE, 1), ==, 0x00);
    g_assert_cmphex(cfg_read(PCI_DEVFN(5, 7), 0, 4), ==, 0x56781234);
    g_assert_cmphex(cfg_read(PCI_DEVFN(5, 3), 0, 4), ==, 0xffffffff);

    g_assert_nonnull(device_cli("test-pci-dev,addr=6", &err));
    g_assert_null(device_cli("test-pci-dev,addr=6.1", &err));
    g_assert_cmpstr(err->message, ==, "-device test-pci-dev: PCI: single "
                    "function device can't be populated in function 6.1");
    g_clear_error(&err);

    /* A function other than 0 may come first, but hides until 0 exists. */
    g_assert_nonnull(device_cli("test-pci-dev,addr=7.2", &err));
    g_assert_cmphex(cfg_read(PCI_DEVFN(7, 2), 0, 4), ==, 0xffffffff);
    g_assert_null(device_cli("test-pci-dev,addr=7.0", &err));
    g_assert_cmpstr(err->message, ==, "-device test-pci-dev: PCI: 7.0 "
                    "indicates single function, but 7.2 is already populated");
    g_clear_error(&err);
    g_assert_nonnull(device_cli("test-pci-dev,addr=7.0,multifunction=on", &err));
    g_assert_no_error(err);
    g_assert_cmphex(cfg_read(PCI_DEVFN(7, 2), 0, 4), ==, 0x56781234);
    (void)bus;
    teardown();
}

static void test_intx(void)
{
    static const uint8_t hint[4] = { 10, 10, 11, 11 };
    PCIBus *bus = make_cf8(hint);
    TestPCIDev *a = add_tdev(bus, PCI_DEVFN(1, 0));   /* PIRQA */
    TestPCIDev *b = add_tdev(bus, PCI_DEVFN(5, 0));   /* PIRQA too */
    TestPCIDev *c = add_tdev(bus, PCI_DEVFN(2, 0));   /* PIRQB */
    g_autoptr(GError) err = NULL;
    DeviceState *dd = device_cli("test-pci-dev,addr=3,pin=4", &err); /* PIRQB */
    PCIDevice *d = PCI_DEVICE(dd);

    g_assert_no_error(err);
    g_assert_cmphex(cfg_read(PCI_DEVFN(1, 0), PCI_INTERRUPT_PIN, 1), ==, 1);
    g_assert_cmphex(cfg_read(PCI_DEVFN(1, 0), PCI_INTERRUPT_LINE, 1), ==, 10);
    g_assert_cmphex(cfg_read(PCI_DEVFN(2, 0), PCI_INTERRUPT_LINE, 1), ==, 10);
    g_assert_cmphex(cfg_read(PCI_DEVFN(3, 0), PCI_INTERRUPT_LINE, 1), ==, 10);
    g_assert_cmphex(cfg_read(PCI_DEVFN(3, 0), PCI_INTERRUPT_PIN, 1), ==, 4);

    pci_irq_assert(&a->parent);
    g_assert_cmpint(irqs.level[0], ==, 1);
    g_assert_cmpint(pci_bus_irq_count(bus, 0), ==, 1);
    pci_irq_assert(&b->parent);
    g_assert_cmpint(pci_bus_irq_count(bus, 0), ==, 2);
    g_assert_cmpint(irqs.edges[0], ==, 1);
    pci_irq_assert(&b->parent);     /* level: no double count */
    g_assert_cmpint(pci_bus_irq_count(bus, 0), ==, 2);
    pci_irq_deassert(&a->parent);
    g_assert_cmpint(irqs.level[0], ==, 1);
    pci_irq_deassert(&b->parent);
    g_assert_cmpint(irqs.level[0], ==, 0);
    g_assert_cmpint(irqs.edges[0], ==, 2);
    g_assert_cmpint(irqs.level[1], ==, 0);

    pci_irq_assert(&c->parent);
    pci_irq_assert(d);
    g_assert_cmpint(irqs.level[1], ==, 1);
    g_assert_cmpint(pci_bus_irq_count(bus, 1), ==, 2);
    g_assert_true(cfg_read(PCI_DEVFN(2, 0), PCI_STATUS, 2) &
                  PCI_STATUS_INTERRUPT);
    pci_irq_deassert(&c->parent);
    pci_irq_deassert(d);
    g_assert_cmpint(irqs.level[1], ==, 0);
    g_assert_false(cfg_read(PCI_DEVFN(2, 0), PCI_STATUS, 2) &
                   PCI_STATUS_INTERRUPT);

    /* INTX_DISABLE gates the line but not the status bit. */
    cfg_write(PCI_DEVFN(1, 0), PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, 2);
    pci_irq_assert(&a->parent);
    g_assert_cmpint(irqs.level[0], ==, 0);
    g_assert_true(cfg_read(PCI_DEVFN(1, 0), PCI_STATUS, 2) &
                  PCI_STATUS_INTERRUPT);
    cfg_write(PCI_DEVFN(1, 0), PCI_COMMAND, 0, 2);
    g_assert_cmpint(irqs.level[0], ==, 1);
    cfg_write(PCI_DEVFN(1, 0), PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, 2);
    g_assert_cmpint(irqs.level[0], ==, 0);
    cfg_write(PCI_DEVFN(1, 0), PCI_COMMAND, 0, 2);
    g_assert_cmpint(irqs.level[0], ==, 1);

    /* Unplugging an asserting device drops its contribution. */
    device_free(dd);
    pci_irq_assert(&c->parent);
    g_assert_cmpint(pci_bus_irq_count(bus, 1), ==, 1);
    device_free(&c->parent.parent);
    g_assert_cmpint(irqs.level[1], ==, 0);
    g_assert_cmpint(pci_bus_irq_count(bus, 1), ==, 0);
    g_assert_null(pci_bus_find_device(bus, PCI_DEVFN(2, 0)));
    g_assert_cmphex(cfg_read(PCI_DEVFN(2, 0), 0, 4), ==, 0xffffffff);
    /* A function without a pin ignores INTx. */
    pci_irq_assert(pci_bus_find_device(bus, 0));
    g_assert_cmpint(irqs.level[3], ==, 0);
    teardown();
}

static void test_ecam(void)
{
    IrqLine **l = lines;
    PCIHostECAMConfig cfg = {
        .ecam_base = 0x3f000000, .ecam_size = 16 << 20,
        .mmio32_base = 0x10000000, .mmio32_size = 0x2eff0000,
        .mmio64_base = 0x8000000000ull, .mmio64_size = 0x8000000000ull,
        .pio_base = 0x3eff0000, .pio_size = 0x10000,
        .irqs = { l[0], l[1], l[2], l[3] },
    };
    g_autoptr(GError) err = NULL;
    PCIHostECAMFdtInfo info;
    PCIBus *bus;
    TestPCIDev *t1, *t2, *t3;
    uint64_t ecam = cfg.ecam_base;

    memset(&irqs, 0, sizeof(irqs));
    bus = pci_host_ecam_create(&cfg, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(bus->qbus->name, ==, "pcie.0");
    g_assert_cmphex(mem_read(ecam, 4), ==, 0x00081b36);
    g_assert_cmphex(mem_read(ecam + 2, 2), ==, 0x0008);
    g_assert_cmphex(mem_read(ecam + 0xb, 1), ==, 0x06);
    g_assert_cmphex(mem_read(ecam + (1 << 15), 4), ==, 0xffffffff);
    g_assert_cmphex(mem_read(ecam + (1 << 20), 4), ==, 0xffffffff);
    /* Conventional functions have no extended space. */
    g_assert_cmphex(mem_read(ecam + 0x100, 4), ==, 0xffffffff);

    t1 = add_tdev(bus, PCI_DEVFN(1, 0));
    t2 = (TestPCIDev *)device_cli("test-pci-dev,bus=pcie.0,addr=2,pin=2", &err);
    g_assert_no_error(err);
    t3 = add_tdev(bus, PCI_DEVFN(3, 0));
    g_assert_cmphex(mem_read(ecam + (2 << 15), 4), ==, 0x56781234);

    /* Program the I/O BAR in the PIO window and MEM64 above 512 GiB. */
    mem_write(ecam + (1 << 15) + PCI_BASE_ADDRESS_0, 0x1000, 4);
    mem_write(ecam + (1 << 15) + PCI_BASE_ADDRESS_0 + 4, 0x10002000, 4);
    mem_write(ecam + (1 << 15) + PCI_BASE_ADDRESS_0 + 8, 0, 4);
    mem_write(ecam + (1 << 15) + PCI_BASE_ADDRESS_0 + 12, 0x80, 4);
    mem_write(ecam + (1 << 15) + PCI_COMMAND, 3, 2);
    g_assert_cmphex(mem_read(ecam + (1 << 15) + PCI_COMMAND, 2), ==, 3);
    g_assert_cmphex(mem_read(cfg.pio_base + 0x1000 + 4, 4), ==, 0x10000004);
    g_assert_cmphex(mem_read(0x10002000 + 8, 4), ==, 0x20000008);
    g_assert_cmphex(mem_read(0x8000000000ull + 0x20, 4), ==, 0x40000020);
    g_assert_cmphex(pci_bar_address(&t1->parent, 0), ==, 0x1000);

    /* Swizzle: (pin + slot) % 4. */
    pci_irq_assert(&t1->parent);                        /* 1 + 0 */
    g_assert_cmpint(irqs.level[1], ==, 1);
    pci_irq_assert(&t2->parent);                        /* 2 + 1 */
    g_assert_cmpint(irqs.level[3], ==, 1);
    pci_irq_assert(&t3->parent);                        /* 3 + 0 */
    g_assert_cmpint(pci_bus_irq_count(bus, 3), ==, 2);
    pci_irq_deassert(&t2->parent);
    g_assert_cmpint(irqs.level[3], ==, 1);
    pci_irq_deassert(&t3->parent);
    g_assert_cmpint(irqs.level[3], ==, 0);
    g_assert_cmpint(irqs.level[0] + irqs.level[2], ==, 0);

    pci_host_ecam_fdt_info(bus, &info);
    g_assert_cmphex(info.ecam_base, ==, 0x3f000000);
    g_assert_cmpuint(info.bus_start, ==, 0);
    g_assert_cmpuint(info.bus_end, ==, 15);
    g_assert_cmpint(info.nranges, ==, 3);
    g_assert_cmphex(info.ranges[0].space, ==, PCI_FDT_SPACE_IO);
    g_assert_cmphex(info.ranges[0].pci_addr, ==, 0);
    g_assert_cmphex(info.ranges[0].cpu_addr, ==, 0x3eff0000);
    g_assert_cmphex(info.ranges[1].space, ==, PCI_FDT_SPACE_MEM32);
    g_assert_cmphex(info.ranges[2].space, ==, PCI_FDT_SPACE_MEM64);
    g_assert_cmphex(info.ranges[2].size, ==, 0x8000000000ull);
    g_assert_cmpint(info.nirq_map, ==, 16);
    g_assert_cmphex(info.irq_map[4 + 0].child_hi, ==, 1 << 11);
    g_assert_cmpuint(info.irq_map[4 + 0].pin, ==, 1);
    g_assert_cmpint(info.irq_map[4 + 0].line, ==, 1);
    g_assert_cmpint(info.irq_map[2 * 4 + 1].line, ==, 3);
    g_assert_cmphex(info.irq_map_mask[0], ==, 0x1800);
    g_assert_cmphex(info.irq_map_mask[3], ==, 7);
    teardown();

    /* Bad geometry. */
    cfg.ecam_size = 0x1000;
    g_assert_null(pci_host_ecam_create(&cfg, &err));
    g_assert_cmpstr(err->message, ==, "gpex-pcihost: ECAM size 0x1000 is not "
                    "1 to 256 MiB in whole MiB");
    teardown();
}

static void test_testdev(void)
{
    PCIBus *bus = make_cf8(NULL);
    g_autoptr(GError) err = NULL;
    DeviceState *d = device_cli("pci-testdev,addr=4,membar=1M,id=td", &err);
    int df = PCI_DEVFN(4, 0);
    static const char *const names[2][3] = {
        { "mmio-no-eventfd", "mmio-wildcard-eventfd", "mmio-datamatch-eventfd" },
        { "portio-no-eventfd", "portio-wildcard-eventfd",
          "portio-datamatch-eventfd" },
    };

    g_assert_no_error(err);
    g_assert_cmphex(cfg_read(df, 0, 4), ==, 0x00051b36);
    g_assert_cmphex(cfg_read(df, PCI_CLASS_DEVICE, 2), ==, 0x00ff);
    g_assert_cmphex(cfg_read(df, PCI_INTERRUPT_PIN, 1), ==, 0);
    for (int n = 0; n < 4; n++) {
        cfg_write(df, PCI_BASE_ADDRESS_0 + 4 * n, 0xffffffff, 4);
    }
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0, 4), ==, 0xfffff000);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 4, 4), ==, 0xffffff01);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 8, 4), ==, 0xfff0000c);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 12, 4), ==, 0xffffffff);
    cfg_write(df, PCI_BASE_ADDRESS_0, 0xe0000000, 4);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0xc000, 4);
    cfg_write(df, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);

    /* The kvm-unit-tests loop, on each BAR. */
    for (int bar = 0; bar < 2; bar++) {
        uint64_t base = bar ? 0xc000 : 0xe0000000;
        uint64_t (*rd)(uint64_t, unsigned) = bar ? io_read : mem_read;
        void (*wr)(uint64_t, uint64_t, unsigned) = bar ? io_write : mem_write;
        int test;

        for (test = 0;; test++) {
            uint32_t off, data;
            char name[32];

            wr(base + 0, test, 1);
            if (rd(base + 12, 4) != 0) {
                break;
            }
            g_assert_cmpuint(rd(base + 1, 1), ==, 1);
            data = rd(base + 8, 4);
            off = rd(base + 4, 4);
            g_assert_cmphex(off, ==, (bar ? 128 : 2048) + bar * 3 + test);
            g_assert_cmphex(data, ==, test == 1 ? 0xce : 0xfa);
            for (int i = 0; i < 16; i++) {
                wr(base + off, data, 1);
            }
            g_assert_cmpuint(rd(base + 12, 4), ==, 16);
            for (int i = 0; i < 31; i++) {
                name[i] = rd(base + 16 + i, 1);
            }
            name[31] = 0;
            g_assert_cmpstr(name, ==, names[bar][test]);
            /* Wrong data counts only for the wildcard test. */
            wr(base + off, data ^ 1, 1);
            g_assert_cmpuint(rd(base + 12, 4), ==, test == 1 ? 17 : 16);
            /* Wrong offset never counts. */
            wr(base + off + 1, data, 1);
            g_assert_cmpuint(rd(base + 12, 4), ==, test == 1 ? 17 : 16);
        }
        g_assert_cmpint(test, ==, 3);
    }
    /* Reading past the header gives 0. */
    g_assert_cmphex(mem_read(0xe0000000 + 0x100, 4), ==, 0);

    /* membar: a 64-bit prefetchable BAR with nothing behind it. */
    cfg_write(df, PCI_BASE_ADDRESS_0 + 8, 0x00100000, 4);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 12, 0x100, 4);
    g_assert_cmphex(pci_bar_address(PCI_DEVICE(d), 2), ==, 0x10000100000ull);

    /* Reset selects test 0 again with a clean count. */
    device_reset(d);
    g_assert_cmphex(cfg_read(df, PCI_COMMAND, 2), ==, 0);
    cfg_write(df, PCI_BASE_ADDRESS_0, 0xe0000000, 4);
    cfg_write(df, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    g_assert_cmphex(mem_read(0xe0000000 + 12, 4), ==, 0);
    g_assert_cmphex(mem_read(0xe0000000 + 16, 1), ==, 'm');

    g_assert_null(device_cli("pci-testdev,membar=3000", &err));
    g_assert_cmpstr(err->message, ==, "-device pci-testdev: property "
                    "'membar': size must be a power of two");
    (void)bus;
    teardown();
}

static void test_reset(void)
{
    PCIBus *bus = make_cf8(NULL);
    int df = PCI_DEVFN(2, 0);
    TestPCIDev *t = add_tdev(bus, df);

    cfg_write(df, PCI_BASE_ADDRESS_0, 0xc000, 4);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0xe0001000, 4);
    cfg_write(df, PCI_COMMAND, 7, 2);
    cfg_write(df, PCI_INTERRUPT_LINE, 5, 1);
    cfg_write(df, PCI_CACHE_LINE_SIZE, 0x10, 1);
    pci_irq_assert(&t->parent);
    g_assert_cmpint(irqs.level[1], ==, 1);
    g_assert_cmphex(mem_read(0xe0001000, 4), ==, 0x20000000);

    bus_reset(sysbus_get());
    g_assert_cmpint(t->resets, ==, 1);
    g_assert_cmphex(cfg_read(df, PCI_COMMAND, 2), ==, 0);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0, 4), ==, 1);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 4, 4), ==, 0);
    g_assert_cmphex(cfg_read(df, PCI_BASE_ADDRESS_0 + 8, 4), ==, 0xc);
    g_assert_cmphex(cfg_read(df, PCI_INTERRUPT_LINE, 1), ==, 0);
    g_assert_cmphex(cfg_read(df, PCI_CACHE_LINE_SIZE, 1), ==, 0);
    g_assert_cmphex(cfg_read(df, PCI_INTERRUPT_PIN, 1), ==, 1);
    g_assert_cmphex(cfg_read(df, 0, 4), ==, 0x56781234);
    g_assert_cmpint(irqs.level[1], ==, 0);
    g_assert_cmpint(pci_bus_irq_count(bus, 1), ==, 0);
    g_assert_cmphex(mem_read(0xe0001000, 4), ==, 0xffffffff);
    g_assert_cmphex(pci_bar_address(&t->parent, 1), ==, PCI_BAR_UNMAPPED);
    /* The host bridge's chipset registers come back too. */
    cfg_write(0, 0x72, 0x0a, 1);
    bus_reset(sysbus_get());
    g_assert_cmphex(cfg_read(0, 0x72, 1), ==, 0x02);
    teardown();
}

static void test_unplug(void)
{
    PCIBus *bus = make_cf8(NULL);
    int df = PCI_DEVFN(2, 0);
    TestPCIDev *t = add_tdev(bus, df);

    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0xe0001000, 4);
    cfg_write(df, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    g_assert_cmphex(mem_read(0xe0001000, 4), ==, 0x20000000);
    device_free(&t->parent.parent);
    g_assert_cmphex(mem_read(0xe0001000, 4), ==, 0xffffffff);
    g_assert_cmphex(cfg_read(df, 0, 4), ==, 0xffffffff);
    t = add_tdev(bus, df);
    g_assert_cmphex(cfg_read(df, 0, 4), ==, 0x56781234);
    teardown();
    /* The host's ports and windows are gone with it. */
    io_write(0xcf8, 0x80000000, 4);
    g_assert_cmphex(io_read(0xcfc, 4), ==, 0xffffffff);
    g_assert_cmphex(io_read(0xcf8, 4), ==, 0xffffffff);
}

static void test_info(void)
{
    PCIBus *bus = make_cf8(NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GString) qtree = g_string_new(NULL);
    int df = PCI_DEVFN(3, 0);

    g_assert_nonnull(device_cli("pci-testdev,addr=3,id=td", &err));
    g_assert_no_error(err);
    add_tdev(bus, PCI_DEVFN(4, 0));
    cfg_write(df, PCI_BASE_ADDRESS_0, 0xe0000000, 4);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0xc000, 4);
    cfg_write(df, PCI_COMMAND, 3, 2);
    cfg_write(PCI_DEVFN(4, 0), PCI_BASE_ADDRESS_0 + 8, 0x100000, 4);
    cfg_write(PCI_DEVFN(4, 0), PCI_BASE_ADDRESS_0 + 12, 0x1, 4);
    cfg_write(PCI_DEVFN(4, 0), PCI_COMMAND, 2, 2);
    cfg_write(PCI_DEVFN(4, 0), PCI_INTERRUPT_LINE, 11, 1);
    pci_print_info(out);
    g_assert_cmpstr(out->str, ==,
        "  Bus  0, device   0, function 0:\n"
        "    Host bridge: PCI device 8086:1237\n"
        "      PCI subsystem 1af4:1100\n"
        "      id \"\"\n"
        "  Bus  0, device   3, function 0:\n"
        "    Class 0255: PCI device 1b36:0005\n"
        "      PCI subsystem 1af4:1100\n"
        "      BAR0: 32 bit memory at 0xe0000000 [0xe0000fff].\n"
        "      BAR1: I/O at 0xc000 [0xc0ff].\n"
        "      id \"td\"\n"
        "  Bus  0, device   4, function 0:\n"
        "    Ethernet controller: PCI device 1234:5678\n"
        "      PCI subsystem 1af4:1100\n"
        "      IRQ 11, pin A\n"
        "      BAR0: I/O at 0xffffffffffffffff [0x001e].\n"
        "      BAR1: 32 bit memory at 0xffffffffffffffff [0x00000ffe].\n"
        "      BAR2: 64 bit prefetchable memory at 0x100100000 "
        "[0x1001fffff].\n"
        "      id \"\"\n");
    qtree_print(qtree);
    g_assert_nonnull(strstr(qtree->str, "bus: pci.0\n"));
    g_assert_nonnull(strstr(qtree->str, "dev: pci-testdev, id \"td\"\n"));
    g_assert_nonnull(strstr(qtree->str, "addr = \"03.0\"\n"));
    g_assert_nonnull(strstr(qtree->str, "class Class 00ff, addr 00:03.0, pci "
                            "id 1b36:0005 (sub 1af4:1100)\n"));
    g_assert_nonnull(strstr(qtree->str, "bar 1: i/o at 0xc000 [0xc0ff]\n"));
    g_assert_cmpstr(pci_class_description(0x0600), ==, "Host bridge");
    g_assert_null(pci_class_description(0x1234));
    teardown();
}

static void test_whole_window(void)
{
    /* No windows given: the whole PCI space shows below other regions. */
    PCIHostCF8Config cfg = { .irqs = lines, .nirq = NLINES };
    g_autoptr(GError) err = NULL;
    MemoryRegion ram;
    uint8_t backing[4096];
    PCIBus *bus = pci_host_cf8_create(&cfg, &err);
    int df = PCI_DEVFN(2, 0);

    g_assert_no_error(err);
    add_tdev(bus, df);
    memset(backing, 0x5a, sizeof(backing));
    memory_region_init_ram_ptr(&ram, "test-ram", sizeof(backing), backing);
    memory_region_add_subregion(get_system_memory(), 0x40000000, &ram);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0x40000000, 4);
    cfg_write(df, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    /* RAM wins where it overlaps; the BAR shows elsewhere. */
    g_assert_cmphex(mem_read(0x40000000, 4), ==, 0x5a5a5a5a);
    cfg_write(df, PCI_BASE_ADDRESS_0 + 4, 0x50000000, 4);
    g_assert_cmphex(mem_read(0x50000004, 4), ==, 0x20000004);
    teardown();
    memory_region_del_subregion(get_system_memory(), &ram);
    memory_region_destroy(&ram);

    /* Bad INTx configuration. */
    cfg.irqs = NULL;
    g_assert_null(pci_host_cf8_create(&cfg, &err));
    g_assert_cmpstr(err->message, ==, "i440FX-pcihost: bad INTx line count 4");
    teardown();
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    hw_pci_register_devices();
    device_class_register(&tdev_class.parent);
    lines = irq_new_array(irq_handler, NULL, NLINES);

    g_test_add_func("/pci/cf8/host-bridge", test_cf8_host);
    g_test_add_func("/pci/config/masks", test_config_masks);
    g_test_add_func("/pci/bar/sizing", test_bar_sizing);
    g_test_add_func("/pci/bar/mapping", test_bar_mapping);
    g_test_add_func("/pci/bar/64bit", test_bar_64bit);
    g_test_add_func("/pci/capabilities", test_capabilities);
    g_test_add_func("/pci/addr", test_addr_property);
    g_test_add_func("/pci/multifunction", test_multifunction);
    g_test_add_func("/pci/intx", test_intx);
    g_test_add_func("/pci/ecam", test_ecam);
    g_test_add_func("/pci/testdev", test_testdev);
    g_test_add_func("/pci/reset", test_reset);
    g_test_add_func("/pci/unplug", test_unplug);
    g_test_add_func("/pci/info", test_info);
    g_test_add_func("/pci/cf8/whole-window", test_whole_window);

    ret = g_test_run();
    irq_free_array(lines, NLINES);
    device_class_registry_clear();
    return ret;
}
