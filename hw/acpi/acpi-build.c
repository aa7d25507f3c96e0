/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI table construction. Tables are laid out in host buffers with their
 * final guest addresses known up front, so pointers between them are
 * written once and checksums are computed last.
 *
 * Layout: the RSDP area (in the reserved BIOS range) holds the RSDP and
 * the FACS (which the OS keeps using for the global lock, so it must not
 * be reclaimable); the tables area (E820_ACPI) holds DSDT, FADT, MADT,
 * RSDT and XSDT in that order, 16-byte aligned.
 */
#include <string.h>

#include "hw/acpi/acpi.h"
#include "hw/acpi/aml.h"
#include "hw/i386/x86-boot.h"
#include "util/error.h"

#define ACPI_GAS_SIZE           12
#define ACPI_SPACE_IO           1
#define ACPI_ACCESS_BYTE        1
#define ACPI_ACCESS_WORD        2
#define ACPI_ACCESS_DWORD       3

/* FADT flags */
#define FADT_WBINVD             (1u << 0)
#define FADT_PROC_C1            (1u << 2)
#define FADT_SLP_BUTTON         (1u << 5)   /* no fixed sleep button */
#define FADT_FIX_RTC            (1u << 6)   /* no RTC wake status */
#define FADT_TMR_VAL_EXT        (1u << 8)   /* 32-bit PM timer */
#define FADT_RESET_REG_SUP      (1u << 10)
#define FADT_BOOT_LEGACY_DEVS   (1u << 0)   /* IAPC_BOOT_ARCH */
#define FADT_BOOT_8042          (1u << 1)

/* MADT */
#define MADT_PCAT_COMPAT        (1u << 0)
#define MADT_TYPE_LAPIC         0
#define MADT_TYPE_IOAPIC        1
#define MADT_TYPE_ISO           2
#define MADT_TYPE_LAPIC_NMI     4
#define MADT_ISO_LEVEL_HIGH     0x000d      /* active high, level triggered */

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

uint8_t acpi_checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    while (len--) {
        sum += *p++;
    }
    return sum;
}

/* A table with its header filled in except the checksum. */
static GByteArray *table_new(const char *sig, uint8_t rev, size_t len)
{
    GByteArray *t = g_byte_array_sized_new(len);

    g_byte_array_set_size(t, len);
    memset(t->data, 0, len);
    memcpy(t->data, sig, 4);
    put32(t->data + 4, (uint32_t)len);
    t->data[8] = rev;
    memcpy(t->data + 10, ACPI_OEM_ID, 6);
    memcpy(t->data + 16, ACPI_OEM_TABLE_ID, 8);
    put32(t->data + 24, 1);                     /* OEM revision */
    memcpy(t->data + 28, "TERN", 4);            /* creator id */
    put32(t->data + 32, 1);                     /* creator revision */
    return t;
}

static void table_finish(GByteArray *t)
{
    put32(t->data + 4, t->len);
    t->data[9] = 0;
    t->data[9] = (uint8_t)-acpi_checksum(t->data, t->len);
}

static void put_gas(uint8_t *p, unsigned bits, uint8_t access, uint64_t port)
{
    p[0] = ACPI_SPACE_IO;
    p[1] = bits;
    p[2] = 0;
    p[3] = access;
    put64(p + 4, port);
}

/* _HID (and _UID) plus a resource template of I/O ranges and one IRQ. */
static Aml *legacy_device(const char *name, const char *hid, int uid, const uint16_t *io,
                          const uint8_t *io_len, unsigned nio, int irq)
{
    Aml *dev = aml_device(name);
    Aml *crs = aml_resource_template();

    aml_append(dev, aml_name_decl("_HID", aml_eisaid(hid)));
    if (uid >= 0) {
        aml_append(dev, aml_name_decl("_UID", aml_int(uid)));
    }
    for (unsigned i = 0; i < nio; i++) {
        aml_append(crs, aml_io(io[i], io[i], 1, io_len[i]));
    }
    if (irq >= 0) {
        aml_append(crs, aml_irq_no_flags((uint8_t)irq));
    }
    aml_append(dev, aml_name_decl("_CRS", crs));
    return dev;
}

/*
 * Direct GSI routing (source 0): no link devices to program, since the
 * PIRQs are fixed. Entries: address (slot << 16 | 0xffff), pin, 0, GSI.
 */
static Aml *build_prt(const uint8_t *gsi)
{
    Aml *prt = aml_package();

    for (int slot = 0; slot < 32; slot++) {
        for (int pin = 0; pin < 4; pin++) {
            Aml *e = aml_package();

            aml_append(e, aml_int(((uint64_t)slot << 16) | 0xffff));
            aml_append(e, aml_int(pin));
            aml_append(e, aml_int(0));
            aml_append(e, aml_int(gsi[(slot + 3 + pin) % 4]));
            aml_append(prt, e);
        }
    }
    return prt;
}

GByteArray *acpi_build_dsdt_aml(const AcpiBuildConfig *cfg)
{
    static const uint16_t kbd_io[] = { 0x60, 0x64 }, rtc_io[] = { 0x70 };
    static const uint8_t kbd_len[] = { 1, 1 }, rtc_len[] = { 2 };
    Aml *body = aml_term_list();
    Aml *s5 = aml_package();
    Aml *sb = aml_scope("\\_SB");

    /* SLP_TYP for PM1a and PM1b, then two reserved values. */
    for (int i = 0; i < 4; i++) {
        aml_append(s5, aml_int(i < 2 ? ACPI_SLP_TYP_S5 : 0));
    }
    aml_append(body, aml_name_decl("\\_S5", s5));

    if (cfg->pci_host) {
        Aml *pci = aml_device("PCI0");
        Aml *crs = aml_resource_template();

        aml_append(pci, aml_name_decl("_HID", aml_eisaid("PNP0A03")));
        aml_append(pci, aml_name_decl("_ADR", aml_int(0)));
        aml_append(pci, aml_name_decl("_UID", aml_int(0)));
        aml_append(crs, aml_word_bus_number(0, 0xff));
        aml_append(crs, aml_io(0xcf8, 0xcf8, 1, 8));
        aml_append(crs, aml_word_io(0x0000, 0x0cf7));
        aml_append(crs, aml_word_io(0x0d00, 0xffff));
        aml_append(crs, aml_dword_memory(0xc0000000u, 0xfebfffffu));
        aml_append(pci, aml_name_decl("_CRS", crs));
        if (cfg->pci_gsi) {
            aml_append(pci, aml_name_decl("_PRT", build_prt(cfg->pci_gsi)));
        }
        aml_append(sb, pci);
    }
    aml_append(sb, legacy_device("KBD", "PNP0303", -1, kbd_io, kbd_len, 2, 1));
    aml_append(sb, legacy_device("RTC", "PNP0B00", -1, rtc_io, rtc_len, 1, 8));
    for (unsigned i = 0; i < cfg->nr_serials; i++) {
        g_autofree char *name = g_strdup_printf("COM%u", i + 1);
        static const uint8_t com_len[] = { 8 };

        aml_append(sb, legacy_device(name, "PNP0501", i + 1, &cfg->serial_ports[i], com_len,
                                     1, cfg->serial_irqs[i]));
    }
    aml_append(body, sb);
    return aml_finish(body);
}

static GByteArray *build_dsdt(const AcpiBuildConfig *cfg)
{
    g_autoptr(GByteArray) aml = acpi_build_dsdt_aml(cfg);
    GByteArray *t = table_new("DSDT", 2, ACPI_TABLE_HEADER_SIZE);

    g_byte_array_append(t, aml->data, aml->len);
    table_finish(t);
    return t;
}

static GByteArray *build_fadt(const AcpiBuildConfig *cfg, uint64_t facs, uint64_t dsdt)
{
    GByteArray *t = table_new("FACP", 3, ACPI_FADT_SIZE);
    uint8_t *f = t->data;
    uint32_t flags = FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_FIX_RTC |
                     FADT_TMR_VAL_EXT;

    put32(f + 36, (uint32_t)facs);              /* FIRMWARE_CTRL */
    put32(f + 40, (uint32_t)dsdt);              /* DSDT */
    put16(f + 46, cfg->sci_irq);                /* SCI_INT */
    /* SMI_CMD 0: the hardware is always in ACPI mode (SCI_EN reads 1). */
    put32(f + 56, cfg->pm_base + ACPI_PM1_EVT_OFF);     /* PM1a_EVT_BLK */
    put32(f + 64, cfg->pm_base + ACPI_PM1_CNT_OFF);     /* PM1a_CNT_BLK */
    put32(f + 76, cfg->pm_base + ACPI_PM_TMR_OFF);      /* PM_TMR_BLK */
    f[88] = 4;                                  /* PM1_EVT_LEN */
    f[89] = 2;                                  /* PM1_CNT_LEN */
    f[91] = 4;                                  /* PM_TMR_LEN */
    put16(f + 96, 101);                         /* P_LVL2_LAT: no C2 */
    put16(f + 98, 1001);                        /* P_LVL3_LAT: no C3 */
    f[108] = 0x32;                              /* CENTURY: CMOS index */
    put16(f + 109, FADT_BOOT_LEGACY_DEVS | FADT_BOOT_8042);
    if (cfg->reset_port) {
        flags |= FADT_RESET_REG_SUP;
        put_gas(f + 116, 8, ACPI_ACCESS_BYTE, cfg->reset_port);     /* RESET_REG */
        f[128] = cfg->reset_value;
    }
    put32(f + 112, flags);
    put64(f + 132, facs);                       /* X_FIRMWARE_CTRL */
    put64(f + 140, dsdt);                       /* X_DSDT */
    put_gas(f + 148, 32, ACPI_ACCESS_WORD, cfg->pm_base + ACPI_PM1_EVT_OFF);
    put_gas(f + 172, 16, ACPI_ACCESS_WORD, cfg->pm_base + ACPI_PM1_CNT_OFF);
    put_gas(f + 208, 32, ACPI_ACCESS_DWORD, cfg->pm_base + ACPI_PM_TMR_OFF);
    table_finish(t);
    return t;
}

static void madt_add(GByteArray *t, const uint8_t *e)
{
    g_byte_array_append(t, e, e[1]);
}

static GByteArray *build_madt(const AcpiBuildConfig *cfg)
{
    GByteArray *t = table_new("APIC", 1, ACPI_TABLE_HEADER_SIZE + 8);
    uint8_t e[12];

    put32(t->data + 36, cfg->lapic_addr);
    put32(t->data + 40, MADT_PCAT_COMPAT);
    for (unsigned i = 0; i < cfg->nr_cpus; i++) {
        uint8_t lapic[8] = { MADT_TYPE_LAPIC, 8, (uint8_t)i, (uint8_t)cfg->apic_ids[i] };

        put32(lapic + 4, 1);                    /* enabled */
        madt_add(t, lapic);
    }
    memset(e, 0, sizeof(e));
    e[0] = MADT_TYPE_IOAPIC;
    e[1] = 12;
    e[2] = cfg->ioapic_id;
    put32(e + 4, cfg->ioapic_addr);
    put32(e + 8, 0);                            /* GSI base */
    madt_add(t, e);
    /* The PIT's IRQ 0 is wired to IOAPIC pin 2, as on every PC. */
    memset(e, 0, sizeof(e));
    e[0] = MADT_TYPE_ISO;
    e[1] = 10;
    e[3] = 0;
    put32(e + 4, 2);
    madt_add(t, e);
    memset(e, 0, sizeof(e));
    e[0] = MADT_TYPE_ISO;
    e[1] = 10;
    e[3] = cfg->sci_irq;
    put32(e + 4, cfg->sci_irq);
    put16(e + 8, MADT_ISO_LEVEL_HIGH);
    madt_add(t, e);
    /* PCI INTx is level-triggered: say so for each PIRQ's IRQ, once. */
    for (int i = 0; cfg->pci_host && cfg->pci_gsi && i < 4; i++) {
        uint8_t irq = cfg->pci_gsi[i];
        bool seen = irq == cfg->sci_irq;

        for (int j = 0; j < i; j++) {
            seen |= cfg->pci_gsi[j] == irq;
        }
        if (seen) {
            continue;
        }
        memset(e, 0, sizeof(e));
        e[0] = MADT_TYPE_ISO;
        e[1] = 10;
        e[3] = irq;
        put32(e + 4, irq);
        put16(e + 8, MADT_ISO_LEVEL_HIGH);
        madt_add(t, e);
    }
    memset(e, 0, sizeof(e));
    e[0] = MADT_TYPE_LAPIC_NMI;
    e[1] = 6;
    e[2] = 0xff;                                /* all processors */
    e[5] = 1;                                   /* LINT1 */
    madt_add(t, e);
    table_finish(t);
    return t;
}

static GByteArray *build_rsdt(const uint64_t *tables, unsigned n, bool xsdt)
{
    unsigned w = xsdt ? 8 : 4;
    GByteArray *t = table_new(xsdt ? "XSDT" : "RSDT", 1, ACPI_TABLE_HEADER_SIZE + n * w);

    for (unsigned i = 0; i < n; i++) {
        if (xsdt) {
            put64(t->data + ACPI_TABLE_HEADER_SIZE + i * 8, tables[i]);
        } else {
            put32(t->data + ACPI_TABLE_HEADER_SIZE + i * 4, (uint32_t)tables[i]);
        }
    }
    table_finish(t);
    return t;
}

static void build_rsdp(uint8_t *r, uint64_t rsdt, uint64_t xsdt)
{
    memset(r, 0, ACPI_RSDP_SIZE);
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, ACPI_OEM_ID, 6);
    r[15] = 2;                                  /* revision: ACPI 2.0+ */
    put32(r + 16, (uint32_t)rsdt);
    put32(r + 20, ACPI_RSDP_SIZE);
    put64(r + 24, xsdt);
    r[8] = (uint8_t)-acpi_checksum(r, 20);
    r[32] = (uint8_t)-acpi_checksum(r, ACPI_RSDP_SIZE);
}

static void build_facs(uint8_t *f)
{
    memset(f, 0, ACPI_FACS_SIZE);
    memcpy(f, "FACS", 4);
    put32(f + 4, ACPI_FACS_SIZE);
    f[32] = 1;                                  /* version: 64-bit waking vector known */
}

bool acpi_build_tables(const AcpiBuildConfig *cfg, GArray *blobs, GError **errp)
{
    g_autoptr(GByteArray) area = g_byte_array_new();
    uint8_t low[ACPI_RSDP_SIZE + 28 + ACPI_FACS_SIZE];
    uint64_t facs = cfg->rsdp_addr + 64;        /* 64-byte aligned after the RSDP */
    uint64_t dsdt, fadt, madt, rsdt, xsdt, tables[2];
    GByteArray *t;

    g_assert(cfg->rsdp_addr % 64 == 0);
    if (cfg->rsdp_area_size < sizeof(low)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "acpi: RSDP area too small");
        return false;
    }
#define ACPI_PLACE(var, expr)                                           \
    do {                                                                \
        g_byte_array_set_size(area, (area->len + 15) & ~15u);           \
        var = cfg->tables_addr + area->len;                             \
        t = (expr);                                                     \
        g_byte_array_append(area, t->data, t->len);                     \
        g_byte_array_unref(t);                                          \
    } while (0)
    ACPI_PLACE(dsdt, build_dsdt(cfg));
    ACPI_PLACE(fadt, build_fadt(cfg, facs, dsdt));
    ACPI_PLACE(madt, build_madt(cfg));
    tables[0] = fadt;
    tables[1] = madt;
    ACPI_PLACE(rsdt, build_rsdt(tables, 2, false));
    ACPI_PLACE(xsdt, build_rsdt(tables, 2, true));
#undef ACPI_PLACE
    if (area->len > cfg->tables_size) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                    "acpi: tables need %u bytes, the area has %" G_GUINT64_FORMAT, area->len,
                    cfg->tables_size);
        return false;
    }
    memset(low, 0, sizeof(low));
    build_rsdp(low, rsdt, xsdt);
    build_facs(low + 64);
    boot_blobs_add(blobs, cfg->rsdp_addr, low, sizeof(low), 0);
    boot_blobs_add(blobs, cfg->tables_addr, area->data, area->len, 0);
    return true;
}
