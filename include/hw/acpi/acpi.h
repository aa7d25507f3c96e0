/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI tables for the pc machine, built in host memory and placed in the
 * BIOS area as boot blobs: an ACPI 2.0 RSDP (with RSDT and XSDT), FADT
 * (PM blocks of the acpi-pm device, SCI, reset register), FACS, MADT (one
 * local APIC per CPU, the IOAPIC, ISA overrides) and a DSDT written with
 * the AML builder (\_S5, the legacy devices, optionally the PCI host
 * bridge). OS-visible tables carry OEM id "TERN  ".
 */
#ifndef HW_ACPI_ACPI_H
#define HW_ACPI_ACPI_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define ACPI_OEM_ID             "TERN  "
#define ACPI_OEM_TABLE_ID       "TERNPC  "
#define ACPI_TABLE_HEADER_SIZE  36
#define ACPI_RSDP_SIZE          36
#define ACPI_FACS_SIZE          64
#define ACPI_FADT_SIZE          244     /* revision 3 (ACPI 2.0+) */

/* PM1 registers, relative to the acpi-pm device's base. */
#define ACPI_PM1_EVT_OFF        0       /* PM1_STS (2), PM1_EN (2) */
#define ACPI_PM1_CNT_OFF        4       /* PM1_CNT (2) */
#define ACPI_PM_TMR_OFF         8       /* PM_TMR (4) */
#define ACPI_PM_IO_LEN          12

#define ACPI_PM1_STS_TMR        (1u << 0)
#define ACPI_PM1_STS_PWRBTN     (1u << 8)
#define ACPI_PM1_STS_WAK        (1u << 15)
#define ACPI_PM1_CNT_SCI_EN     (1u << 0)
#define ACPI_PM1_CNT_SLP_TYP_SHIFT 10
#define ACPI_PM1_CNT_SLP_EN     (1u << 13)
#define ACPI_SLP_TYP_S5         0       /* what \_S5 says */
#define ACPI_PM_TIMER_HZ        3579545

typedef struct AcpiBuildConfig {
    unsigned nr_cpus;
    const uint32_t *apic_ids;       /* nr_cpus entries */
    uint32_t lapic_addr;            /* 0xfee00000 */
    uint32_t ioapic_addr;           /* 0xfec00000, GSI base 0 */
    uint8_t ioapic_id;
    uint16_t pm_base;               /* acpi-pm I/O base */
    uint8_t sci_irq;                /* ISA IRQ, level/high through an override */
    uint16_t reset_port;            /* reset register (0xcf9), 0: none */
    uint8_t reset_value;
    const uint16_t *serial_ports;   /* COM ports to describe in the DSDT */
    const uint8_t *serial_irqs;
    unsigned nr_serials;
    bool pci_host;                  /* describe \_SB.PCI0 (PNP0A03) */
    /*
     * With pci_host: the ISA IRQs PIRQA..D drive (4 entries). PCI0 gets a
     * _PRT routing slot S pin P to pci_gsi[(S - 1 + P) % 4] (the PIIX
     * rotation) and the MADT level-triggered overrides for those IRQs.
     * NULL: no _PRT.
     */
    const uint8_t *pci_gsi;
    uint64_t tables_addr;           /* DSDT, FADT, MADT, RSDT, XSDT (E820_ACPI) */
    uint64_t tables_size;
    uint64_t rsdp_addr;             /* RSDP, then FACS (reserved, 16-byte aligned) */
    uint64_t rsdp_area_size;
} AcpiBuildConfig;

/*
 * Build every table and append them to blobs (GArray of BootBlob). Fails
 * if they do not fit in their areas.
 */
bool acpi_build_tables(const AcpiBuildConfig *cfg, GArray *blobs, GError **errp);

/* Table helpers (exposed for tests): the 8-bit sum of len bytes. */
uint8_t acpi_checksum(const uint8_t *p, size_t len);
/* The DSDT's AML body alone (tests). */
GByteArray *acpi_build_dsdt_aml(const AcpiBuildConfig *cfg);

#endif
