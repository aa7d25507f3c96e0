/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi-pm: PM1a event block (PM1_STS, PM1_EN), PM1a control block
 * (PM1_CNT) and the 32-bit PM timer.
 *
 * Interface:
 *  - I/O region of 12 ports at iobase (default 0x600): STS +0, EN +2,
 *    CNT +4, TMR +8; byte, word and dword accesses
 *  - SCI on an ISA IRQ (default 9), level: high while an enabled status
 *    bit is set and SCI_EN is on
 *  - the machine's power button (request_powerdown) sets PWRBTN_STS
 *
 * SLP_TYP = 0 (\_S5) with SLP_EN ends the machine as a guest shutdown;
 * other sleep types are not implemented (logged, ignored). The timer
 * counts TERN_CLOCK_VIRTUAL, so it stops while the VM is paused; its
 * overflow status (TMR_STS) is not generated.
 */
#include "hw/acpi/acpi.h"
#include "hw/acpi/pm.h"
#include "hw/i386/isa.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "util/error.h"
#include "util/log.h"

#define PM1_STS_W1C_MASK (ACPI_PM1_STS_TMR | ACPI_PM1_STS_PWRBTN | ACPI_PM1_STS_WAK | \
                          (1u << 4) | (1u << 5) | (1u << 9) | (1u << 10))
#define PM1_EN_MASK      (ACPI_PM1_STS_TMR | (1u << 5) | ACPI_PM1_STS_PWRBTN | (1u << 10))
#define PM1_CNT_RW_MASK  (ACPI_PM1_CNT_SCI_EN | (1u << 1) | (7u << ACPI_PM1_CNT_SLP_TYP_SHIFT))

typedef struct AcpiPmState {
    DeviceState parent;
    uint32_t iobase;
    uint32_t sci_irq;
    MemoryRegion io;
    bool io_init;
    IrqLine *sci;
    uint16_t sts, en, cnt;
} AcpiPmState;

uint32_t acpi_pm_timer_ticks(int64_t ns)
{
    uint64_t sec = (uint64_t)ns / NS_PER_SEC, frac = (uint64_t)ns % NS_PER_SEC;

    return (uint32_t)(sec * ACPI_PM_TIMER_HZ + frac * ACPI_PM_TIMER_HZ / NS_PER_SEC);
}

static void acpi_pm_update_sci(AcpiPmState *s)
{
    bool level = (s->cnt & ACPI_PM1_CNT_SCI_EN) && (s->sts & s->en & PM1_EN_MASK);

    irq_set(s->sci, level);
}

static void acpi_pm_write_cnt(AcpiPmState *s, uint16_t val)
{
    unsigned typ = (val >> ACPI_PM1_CNT_SLP_TYP_SHIFT) & 7;

    s->cnt = (s->cnt & ~PM1_CNT_RW_MASK) | (val & PM1_CNT_RW_MASK);
    /* SCI_EN stays on: without an SMI command port the OS cannot switch modes. */
    s->cnt |= ACPI_PM1_CNT_SCI_EN;
    if (val & ACPI_PM1_CNT_SLP_EN) {
        if (typ == ACPI_SLP_TYP_S5) {
            log_mask(LOG_RESET, "acpi-pm: S5 requested, powering off\n");
            request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        } else {
            log_mask(LOG_UNIMP, "acpi-pm: sleep type %u not implemented\n", typ);
        }
    }
    acpi_pm_update_sci(s);
}

static uint8_t acpi_pm_read_byte(AcpiPmState *s, unsigned off)
{
    switch (off) {
    case 0: case 1:                     /* PM1_STS */
        return s->sts >> (8 * off);
    case 2: case 3:                     /* PM1_EN */
        return s->en >> (8 * (off - 2));
    case 4: case 5:                     /* PM1_CNT */
        return s->cnt >> (8 * (off - 4));
    case 8: case 9: case 10: case 11:   /* PM_TMR */
        return acpi_pm_timer_ticks(clock_get_ns(TERN_CLOCK_VIRTUAL)) >> (8 * (off - 8));
    default:
        return 0xff;
    }
}

static uint64_t acpi_pm_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiPmState *s = opaque;
    uint64_t v = 0;

    if (addr >= ACPI_PM_TMR_OFF && size == 4) {
        /* One sample for the whole register: bytes must not tear. */
        return acpi_pm_timer_ticks(clock_get_ns(TERN_CLOCK_VIRTUAL));
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)acpi_pm_read_byte(s, addr + i) << (8 * i);
    }
    return v;
}

static void acpi_pm_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    AcpiPmState *s = opaque;
    uint64_t mask = size == 4 ? 0xffffffffu : (1ull << (8 * size)) - 1;
    uint32_t v = (uint32_t)((val & mask) << (8 * (addr & 1)));
    uint16_t m = (uint16_t)(mask << (8 * (addr & 1)));

    switch (addr & ~1ull) {
    case ACPI_PM1_EVT_OFF:              /* PM1_STS: write 1 to clear */
        s->sts &= ~((uint16_t)v & m & PM1_STS_W1C_MASK);
        if (size == 4) {
            s->en = (uint16_t)(val >> 16) & PM1_EN_MASK;
        }
        acpi_pm_update_sci(s);
        break;
    case ACPI_PM1_EVT_OFF + 2:          /* PM1_EN */
        s->en = ((s->en & ~m) | ((uint16_t)v & m)) & PM1_EN_MASK;
        acpi_pm_update_sci(s);
        break;
    case ACPI_PM1_CNT_OFF:              /* PM1_CNT */
        acpi_pm_write_cnt(s, (s->cnt & ~m) | ((uint16_t)v & m));
        break;
    default:                            /* PM_TMR is read-only */
        log_guest_error("acpi-pm: write 0x%x to read-only offset 0x%x\n", (unsigned)val,
                        (unsigned)addr);
        break;
    }
}

static const MemoryRegionOps acpi_pm_ops = {
    .read = acpi_pm_read,
    .write = acpi_pm_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static void acpi_pm_powerdown(void *opaque)
{
    AcpiPmState *s = opaque;

    s->sts |= ACPI_PM1_STS_PWRBTN;
    acpi_pm_update_sci(s);
}

static bool acpi_pm_realize(DeviceState *dev, GError **errp)
{
    AcpiPmState *s = (AcpiPmState *)dev;

    if (s->iobase > 0x10000 - ACPI_PM_IO_LEN) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "iobase 0x%x is out of range",
                    s->iobase);
        return false;
    }
    if (s->sci_irq >= ISA_NUM_IRQS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "sci %u is not an ISA IRQ (0-15)",
                    s->sci_irq);
        return false;
    }
    s->sci = isa_get_irq(dev, s->sci_irq);
    memory_region_init_io(&s->io, &acpi_pm_ops, s, "acpi-pm", ACPI_PM_IO_LEN);
    s->io_init = true;
    device_pio_map(dev, device_init_pio(dev, &s->io), s->iobase);
    runstate_add_powerdown_notifier(acpi_pm_powerdown, s);
    return true;
}

static void acpi_pm_reset(DeviceState *dev)
{
    AcpiPmState *s = (AcpiPmState *)dev;

    s->sts = 0;
    s->en = 0;
    s->cnt = ACPI_PM1_CNT_SCI_EN;
    acpi_pm_update_sci(s);
}

static void acpi_pm_finalize(DeviceState *dev)
{
    AcpiPmState *s = (AcpiPmState *)dev;

    if (s->io_init) {
        memory_region_destroy(&s->io);
    }
}

static const Property acpi_pm_props[] = {
    PROP_UINT32("iobase", AcpiPmState, iobase, ACPI_PM_BASE_DEFAULT, "PM1a event block port"),
    PROP_UINT32("sci", AcpiPmState, sci_irq, ACPI_SCI_IRQ_DEFAULT, "SCI ISA interrupt"),
    PROP_END
};

const DeviceClass acpi_pm_class = {
    .name = TYPE_ACPI_PM,
    .desc = "ACPI PM1 event/control blocks and PM timer",
    .instance_size = sizeof(AcpiPmState),
    .props = acpi_pm_props,
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_ISA,
    .realize = acpi_pm_realize,
    .reset = acpi_pm_reset,
    .instance_finalize = acpi_pm_finalize,
};
