/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit test of the AML builder and the ACPI tables: encodings (PkgLength,
 * integers, names, EISA ids), the DSDT's \_S5 package, and the table set
 * as a guest would walk it from the RSDP, with every checksum.
 */
#include <string.h>

#include "hw/acpi/acpi.h"
#include "hw/acpi/aml.h"
#include "hw/i386/x86-boot.h"
#include "util/error.h"

#define AREA_BASE 0xe0000u
#define AREA_SIZE 0x20000u

static GByteArray *enc(Aml *a)
{
    return aml_finish(a);
}

#define ASSERT_BYTES(ba, ...)                                           \
    do {                                                                \
        static const uint8_t want_[] = { __VA_ARGS__ };                 \
        g_autoptr(GByteArray) got_ = (ba);                              \
        g_assert_cmpmem(got_->data, got_->len, want_, sizeof(want_));   \
    } while (0)

static void test_encodings(void)
{
    GByteArray *b;

    ASSERT_BYTES(enc(aml_int(0)), 0x00);
    ASSERT_BYTES(enc(aml_int(1)), 0x01);
    ASSERT_BYTES(enc(aml_int(UINT64_MAX)), 0xff);
    ASSERT_BYTES(enc(aml_int(0x2a)), 0x0a, 0x2a);
    ASSERT_BYTES(enc(aml_int(0x1234)), 0x0b, 0x34, 0x12);
    ASSERT_BYTES(enc(aml_int(0x12345678)), 0x0c, 0x78, 0x56, 0x34, 0x12);
    ASSERT_BYTES(enc(aml_int(0x100000000ull)), 0x0e, 0, 0, 0, 0, 1, 0, 0, 0);
    ASSERT_BYTES(enc(aml_string("ab")), 0x0d, 'a', 'b', 0);
    ASSERT_BYTES(enc(aml_eisaid("PNP0A03")), 0x0c, 0x41, 0xd0, 0x0a, 0x03);

    b = g_byte_array_new();
    aml_encode_name(b, "_HID");
    aml_encode_name(b, "\\_S5");
    aml_encode_name(b, "\\_SB.PCI0");
    aml_encode_name(b, "A.B.C");
    aml_encode_name(b, "\\");
    ASSERT_BYTES(b, '_', 'H', 'I', 'D', 0x5c, '_', 'S', '5', '_',
                 0x5c, 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0',
                 0x2f, 3, 'A', '_', '_', '_', 'B', '_', '_', '_', 'C', '_', '_', '_',
                 0x5c, 0x00);

    b = g_byte_array_new();
    aml_encode_pkglength(b, 62);                    /* 63 with itself: one byte */
    aml_encode_pkglength(b, 63);                    /* 65: two bytes */
    aml_encode_pkglength(b, 0x1000);                /* 0x1003: three bytes */
    ASSERT_BYTES(b, 0x3f, 0x41, 0x04, 0x83, 0x00, 0x01);
}

static void test_blocks(void)
{
    Aml *s5 = aml_package();
    Aml *dev = aml_device("KBD");
    Aml *crs = aml_resource_template();
    Aml *m = aml_method("_STA", 0, false);

    for (int i = 0; i < 4; i++) {
        aml_append(s5, aml_int(0));
    }
    ASSERT_BYTES(enc(aml_name_decl("\\_S5", s5)),
                 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0);
    aml_append(crs, aml_io(0x60, 0x60, 1, 1));
    aml_append(crs, aml_irq_no_flags(1));
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(m, aml_return(aml_int(0x0f)));
    aml_append(dev, m);
    ASSERT_BYTES(enc(dev),
                 0x5b, 0x82, 0x25, 'K', 'B', 'D', '_',
                 0x08, '_', 'C', 'R', 'S', 0x11, 0x10, 0x0a, 0x0d,
                 0x47, 0x01, 0x60, 0x00, 0x60, 0x00, 0x01, 0x01,
                 0x22, 0x02, 0x00, 0x79, 0x00,
                 0x14, 0x09, '_', 'S', 'T', 'A', 0x00, 0xa4, 0x0a, 0x0f);
}

static uint32_t rd32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static const uint8_t *at(const uint8_t *mem, uint64_t addr)
{
    g_assert_cmpuint(addr, >=, AREA_BASE);
    g_assert_cmpuint(addr, <, AREA_BASE + AREA_SIZE);
    return mem + (addr - AREA_BASE);
}

static const uint8_t *table(const uint8_t *mem, uint64_t addr, const char *sig)
{
    const uint8_t *t = at(mem, addr);

    g_assert_cmpmem(t, 4, sig, 4);
    g_assert_cmpuint(acpi_checksum(t, rd32(t + 4)), ==, 0);
    g_assert_cmpmem(t + 10, 6, ACPI_OEM_ID, 6);
    return t;
}

static void test_tables(void)
{
    static const uint32_t apic_ids[] = { 0, 1, 2, 4 };
    static const uint16_t ports[] = { 0x3f8 };
    static const uint8_t irqs[] = { 4 };
    AcpiBuildConfig cfg = {
        .nr_cpus = 4, .apic_ids = apic_ids, .lapic_addr = 0xfee00000, .ioapic_addr = 0xfec00000,
        .pm_base = 0x600, .sci_irq = 9, .reset_port = 0xcf9, .reset_value = 6,
        .serial_ports = ports, .serial_irqs = irqs, .nr_serials = 1, .pci_host = true,
        .tables_addr = 0xe0000, .tables_size = 0x10000,
        .rsdp_addr = 0xf0000, .rsdp_area_size = 0x10000,
    };
    g_autoptr(GArray) blobs = boot_blobs_new();
    g_autoptr(GError) err = NULL;
    g_autofree uint8_t *mem = g_malloc0(AREA_SIZE);
    const uint8_t *rsdp, *rsdt, *xsdt, *fadt, *madt, *dsdt, *facs;
    unsigned lapics = 0, overrides = 0;

    g_assert_true(acpi_build_tables(&cfg, blobs, &err));
    g_assert_no_error(err);
    for (guint i = 0; i < blobs->len; i++) {
        const BootBlob *b = &g_array_index(blobs, BootBlob, i);
        gsize len;
        const void *d = g_bytes_get_data(b->data, &len);

        memcpy((void *)at(mem, b->addr), d, len);
    }
    rsdp = at(mem, 0xf0000);
    g_assert_cmpmem(rsdp, 8, "RSD PTR ", 8);
    g_assert_cmpuint(acpi_checksum(rsdp, 20), ==, 0);
    g_assert_cmpuint(acpi_checksum(rsdp, 36), ==, 0);
    g_assert_cmpuint(rsdp[15], ==, 2);
    rsdt = table(mem, rd32(rsdp + 16), "RSDT");
    xsdt = table(mem, rd32(rsdp + 24), "XSDT");
    g_assert_cmpuint(rd32(rsdt + 4), ==, 36 + 2 * 4);
    g_assert_cmpuint(rd32(xsdt + 36), ==, rd32(rsdt + 36));
    fadt = table(mem, rd32(rsdt + 36), "FACP");
    madt = table(mem, rd32(rsdt + 40), "APIC");
    g_assert_cmpuint(rd32(fadt + 4), ==, ACPI_FADT_SIZE);
    dsdt = table(mem, rd32(fadt + 40), "DSDT");
    g_assert_cmpuint(rd32(fadt + 140), ==, rd32(fadt + 40));  /* X_DSDT */
    facs = at(mem, rd32(fadt + 36));
    g_assert_cmpmem(facs, 4, "FACS", 4);
    g_assert_cmpuint(rd32(fadt + 36) % 64, ==, 0);
    g_assert_cmpuint(rd32(fadt + 56), ==, 0x600);
    g_assert_cmpuint(rd32(fadt + 64), ==, 0x604);
    g_assert_cmpuint(rd32(fadt + 76), ==, 0x608);
    g_assert_cmpuint(fadt[46], ==, 9);
    g_assert_cmpuint(rd32(fadt + 120), ==, 0xcf9);
    g_assert_cmpuint(fadt[128], ==, 6);
    g_assert_cmphex(rd32(fadt + 112) & ((1u << 10) | (1u << 20) | (1u << 8)), ==,
                    (1u << 10) | (1u << 8));
    for (uint32_t off = 44; off < rd32(madt + 4); off += madt[off + 1]) {
        if (madt[off] == 0) {
            g_assert_cmpuint(madt[off + 3], ==, apic_ids[lapics]);
            lapics++;
        } else if (madt[off] == 2) {
            overrides++;
        }
    }
    g_assert_cmpuint(lapics, ==, 4);
    g_assert_cmpuint(overrides, ==, 2);
    g_assert_nonnull(memmem(dsdt, rd32(dsdt + 4), "_S5_", 4));
    g_assert_nonnull(memmem(dsdt, rd32(dsdt + 4), "PCI0", 4));
    g_assert_nonnull(memmem(dsdt, rd32(dsdt + 4), "COM1", 4));

    cfg.tables_size = 64;
    g_assert_false(acpi_build_tables(&cfg, blobs, &err));
    g_assert_nonnull(strstr(err->message, "acpi: tables need"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/acpi/aml-encodings", test_encodings);
    g_test_add_func("/acpi/aml-blocks", test_blocks);
    g_test_add_func("/acpi/tables", test_tables);
    return g_test_run();
}
