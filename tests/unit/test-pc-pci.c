/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc machine's PCI, built without KVM (pc_create_pci with recording
 * IOAPIC lines): functions found through 0xCF8/0xCFC with QEMU's ids, the
 * reset control byte at 0xCF9 next to the dword address latch, BARs
 * decoding in the PCI hole when programmed, INTx of two slots OR-ed onto
 * IRQ 10 through PIRQA/B, the interrupt line a BIOS would have written,
 * and the ACPI _PRT and MADT overrides that describe the same routing.
 */
#include <string.h>

#include "hw/acpi/acpi.h"
#include "hw/core/device.h"
#include "hw/i386/pc.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"
#include "hw/virtio/virtio.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/keyval.h"

static int gsi_level[PC_NUM_GSIS];

static void record_gsi(void *opaque, int n, int level)
{
    gsi_level[n] = level;
}

static uint64_t io_read(uint16_t port, unsigned size)
{
    uint64_t v = 0;

    address_space_read_val(address_space_io(), port, &v, size);
    return v;
}

static void io_write(uint16_t port, uint64_t v, unsigned size)
{
    address_space_write_val(address_space_io(), port, v, size);
}

static uint32_t cfg_read(int devfn, int reg, unsigned size)
{
    io_write(0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc), 4);
    return io_read(0xcfc + (reg & 3), size);
}

static void cfg_write(int devfn, int reg, uint32_t v, unsigned size)
{
    io_write(0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc), 4);
    io_write(0xcfc + (reg & 3), v, size);
}

typedef struct Fixture {
    PCMachineState *pcms;
    IrqLine **gsi;
} Fixture;

static void fixture_up(Fixture *f)
{
    GError *err = NULL;

    hw_pci_register_devices();
    hw_virtio_register_devices();
    memset(gsi_level, 0, sizeof(gsi_level));
    f->pcms = g_new0(PCMachineState, 1);
    f->gsi = irq_new_array(record_gsi, NULL, PC_NUM_GSIS);
    g_assert_true(pc_create_pci(f->pcms, f->gsi, false, &err));
    g_assert_no_error(err);
    g_assert_nonnull(f->pcms->pci_bus);
}

static void fixture_down(Fixture *f)
{
    device_tree_destroy();
    irq_free_array(f->pcms->pirq, PC_NUM_PIRQS);
    irq_free_array(f->gsi, PC_NUM_GSIS);
    g_free(f->pcms);
}

static PCIDevice *plug(const char *spec)
{
    g_autoptr(KeyvalList) kv = NULL;
    GError *err = NULL;
    DeviceState *dev;

    kv = keyval_parse(spec, "driver", &err);
    g_assert_no_error(err);
    dev = device_create_from_keyval(kv, &err);
    g_assert_no_error(err);
    return PCI_DEVICE(dev);
}

static void test_host_bridge(void)
{
    Fixture f;

    fixture_up(&f);
    /* 00.0 is the i440FX: 8086:1237, class host bridge. */
    g_assert_cmphex(cfg_read(0, PCI_VENDOR_ID, 4), ==, 0x12378086);
    g_assert_cmphex(cfg_read(0, PCI_CLASS_DEVICE, 2), ==, 0x0600);
    g_assert_cmphex(cfg_read(PCI_DEVFN(1, 0), PCI_VENDOR_ID, 4), ==, 0xffffffff);
    g_assert_cmpstr(f.pcms->pci_bus->qbus->name, ==, "pci.0");

    /* A dword at 0xCF8 whose second byte has RST_CPU set is an address. */
    io_write(0xcf8, 0x80000400, 4);
    g_assert_cmphex(io_read(0xcf8, 4), ==, 0x80000400);
    g_assert_false(runstate_requests_pending());
    /* A byte at 0xCF9 is the reset control register. */
    io_write(0xcf9, 0x02, 1);
    g_assert_cmphex(io_read(0xcf9, 1), ==, 0x02);
    g_assert_cmphex(io_read(0xcf8, 4), ==, 0x80000400);
    g_assert_false(runstate_requests_pending());
    io_write(0xcf9, 0x06, 1);
    g_assert_true(runstate_requests_pending());
    fixture_down(&f);
}

static void test_devices(void)
{
    Fixture f;
    PCIDevice *a, *b, *c;
    uint64_t v = 0;

    fixture_up(&f);
    a = plug("virtio-rng-pci");
    b = plug("virtio-rng-pci,addr=2");
    c = plug("virtio-rng-pci,addr=3");
    g_assert_cmpint(a->devfn, ==, PCI_DEVFN(1, 0));
    g_assert_cmphex(cfg_read(PCI_DEVFN(1, 0), PCI_VENDOR_ID, 4), ==, 0x10441af4);
    g_assert_cmphex(cfg_read(PCI_DEVFN(3, 0), PCI_DEVICE_ID, 2), ==, 0x1044);
    /* What SeaBIOS would program: PIRQA/B on IRQ 10, PIRQC on 11. */
    g_assert_cmpuint(cfg_read(PCI_DEVFN(1, 0), PCI_INTERRUPT_LINE, 1), ==, 10);
    g_assert_cmpuint(cfg_read(PCI_DEVFN(2, 0), PCI_INTERRUPT_LINE, 1), ==, 10);
    g_assert_cmpuint(cfg_read(PCI_DEVFN(3, 0), PCI_INTERRUPT_LINE, 1), ==, 11);
    g_assert_cmpuint(cfg_read(PCI_DEVFN(1, 0), PCI_INTERRUPT_PIN, 1), ==, 1);

    /* Slots 1 and 2 (PIRQA, PIRQB) share IRQ 10: it is their OR. */
    pci_set_irq(a, 1);
    g_assert_cmpint(gsi_level[10], ==, 1);
    pci_set_irq(b, 1);
    pci_set_irq(a, 0);
    g_assert_cmpint(gsi_level[10], ==, 1);
    pci_set_irq(b, 0);
    g_assert_cmpint(gsi_level[10], ==, 0);
    pci_set_irq(c, 1);
    g_assert_cmpint(gsi_level[11], ==, 1);
    g_assert_cmpint(gsi_level[10], ==, 0);
    pci_set_irq(c, 0);
    g_assert_cmpint(gsi_level[11], ==, 0);

    /* BAR 4 programmed in the PCI hole decodes once memory is enabled. */
    cfg_write(PCI_DEVFN(1, 0), PCI_BASE_ADDRESS_0 + 16, 0xe0000000, 4);
    cfg_write(PCI_DEVFN(1, 0), PCI_BASE_ADDRESS_0 + 20, 0, 4);
    g_assert_cmphex(pci_bar_address(a, 4), ==, PCI_BAR_UNMAPPED);
    cfg_write(PCI_DEVFN(1, 0), PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    g_assert_cmphex(pci_bar_address(a, 4), ==, 0xe0000000);
    g_assert_cmpuint(address_space_read_val(address_space_memory(), 0xe0000012, &v, 2), ==,
                     MEMTX_OK);
    g_assert_cmpuint(v, ==, 1);                                     /* num_queues */
    fixture_down(&f);
}

static bool contains(const GByteArray *b, const void *needle, size_t len)
{
    for (size_t i = 0; i + len <= b->len; i++) {
        if (!memcmp(b->data + i, needle, len)) {
            return true;
        }
    }
    return false;
}

static void test_acpi(void)
{
    static const uint8_t gsi[4] = { 10, 10, 11, 11 };
    AcpiBuildConfig cfg = { .pci_host = true, .pci_gsi = gsi, .sci_irq = 9 };
    g_autoptr(GByteArray) dsdt = acpi_build_dsdt_aml(&cfg);
    /* Package { 0x0002FFFF, 0, 0, 10 }: slot 2 INTA on PIRQB. */
    static const uint8_t slot2_inta[] = {
        0x12, 0x0b, 0x04, 0x0c, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x0a,
    };
    static const uint8_t slot1_intc[] = {
        0x12, 0x0c, 0x04, 0x0c, 0xff, 0xff, 0x01, 0x00, 0x0a, 0x02, 0x00, 0x0a, 0x0b,
    };

    g_assert_true(contains(dsdt, "_PRT", 4));
    g_assert_true(contains(dsdt, slot2_inta, sizeof(slot2_inta)));
    g_assert_true(contains(dsdt, slot1_intc, sizeof(slot1_intc)));
    cfg.pci_gsi = NULL;
    g_byte_array_unref(dsdt);
    dsdt = acpi_build_dsdt_aml(&cfg);
    g_assert_false(contains(dsdt, "_PRT", 4));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pc-pci/host-bridge", test_host_bridge);
    g_test_add_func("/pc-pci/devices", test_devices);
    g_test_add_func("/pc-pci/acpi", test_acpi);
    return g_test_run();
}
