/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI bus: 32 slots x 8 functions, devfn assignment from the addr=
 * property (QEMU's SLOT[.FN] syntax) with QEMU's conflict and
 * multi-function rules, INTx routing to the host bridge's lines with a
 * count of assertions per shared line, MSI delivery (fast-path hook or a
 * write into the bus-master address space), and the `info pci` printer.
 */
#include <inttypes.h>
#include <string.h>

#include "hw/pci/pci.h"
#include "util/error.h"
#include "util/log.h"

/* ---- addr= --------------------------------------------------------- */

/* Hex number with an optional 0x prefix; advances *p. */
static bool parse_hex(const char **p, unsigned *out)
{
    const char *s = *p;
    unsigned v = 0;
    int digits = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && g_ascii_isxdigit(s[2])) {
        s += 2;
    }
    while (g_ascii_isxdigit(*s)) {
        if (v > 0xffff) {
            return false;
        }
        v = v * 16 + g_ascii_xdigit_value(*s++);
        digits++;
    }
    *p = s;
    *out = v;
    return digits > 0;
}

int pci_parse_devfn(const char *str, GError **errp)
{
    const char *p = str;
    unsigned slot, fn = 0;

    if (!str || !parse_hex(&p, &slot)) {
        goto bad;
    }
    if (*p == '.') {
        p++;
        if (!parse_hex(&p, &fn)) {
            goto bad;
        }
    }
    if (*p || slot >= PCI_SLOT_MAX || fn >= PCI_FUNC_MAX) {
        goto bad;
    }
    return PCI_DEVFN(slot, fn);

bad:
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "property 'addr': invalid PCI address '%s', expected SLOT[.FN] "
                "with slot 0-1f and function 0-7", str ? str : "");
    return -1;
}

/* ---- plugging ------------------------------------------------------ */

static const char *dev_name(PCIDevice *dev)
{
    return device_type_name(&dev->parent);
}

static bool pci_bus_check_plug(BusState *qbus, DeviceState *d, GError **errp)
{
    PCIBus *bus = qbus->opaque;
    PCIDevice *dev = PCI_DEVICE(d);
    int devfn = -1;
    unsigned slot, fn;

    if (dev->addr_prop && *dev->addr_prop) {
        devfn = pci_parse_devfn(dev->addr_prop, errp);
        if (devfn < 0) {
            return false;
        }
    }
    if (devfn < 0) {
        /* The first slot with no function at all. */
        for (slot = 0; slot < PCI_SLOT_MAX && devfn < 0; slot++) {
            bool empty = !(bus->slot_reserved_mask & (1u << slot));
            for (fn = 0; fn < PCI_FUNC_MAX && empty; fn++) {
                empty = !bus->devices[PCI_DEVFN(slot, fn)];
            }
            if (empty) {
                devfn = PCI_DEVFN(slot, 0);
            }
        }
        if (devfn < 0) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                        "PCI: no slot/function available for %s, all in use "
                        "or reserved", dev_name(dev));
            return false;
        }
    }
    slot = PCI_SLOT(devfn);
    fn = PCI_FUNC(devfn);
    if (bus->slot_reserved_mask & (1u << slot)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                    "PCI: slot %u function %u not available for %s, reserved",
                    slot, fn, dev_name(dev));
        return false;
    }
    if (bus->devices[devfn]) {
        PCIDevice *other = bus->devices[devfn];
        DeviceState *od = &other->parent;

        if (od->id) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                        "PCI: slot %u function %u not available for %s, in use "
                        "by %s,id=\"%s\"", slot, fn, dev_name(dev),
                        dev_name(other), od->id);
        } else {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                        "PCI: slot %u function %u not available for %s, in use "
                        "by %s", slot, fn, dev_name(dev), dev_name(other));
        }
        return false;
    }
    /* Function 0 decides whether the slot is multi-function. */
    if (fn) {
        PCIDevice *f0 = bus->devices[PCI_DEVFN(slot, 0)];
        if (f0 && !f0->multifunction) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                        "PCI: single function device can't be populated in "
                        "function %x.%x", slot, fn);
            return false;
        }
    } else if (!dev->multifunction) {
        for (unsigned f = 1; f < PCI_FUNC_MAX; f++) {
            if (bus->devices[PCI_DEVFN(slot, f)]) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                            "PCI: %x.0 indicates single function, but %x.%x "
                            "is already populated", slot, slot, f);
                return false;
            }
        }
    }
    bus->devices[devfn] = dev;
    dev->bus = bus;
    dev->devfn = devfn;
    g_free(dev->addr_prop);
    dev->addr_prop = g_strdup_printf("%02x.%x", slot, fn);
    return true;
}

static void pci_bus_unplug(BusState *qbus, DeviceState *d)
{
    PCIBus *bus = qbus->opaque;
    PCIDevice *dev = PCI_DEVICE(d);

    if (dev->devfn >= 0 && bus->devices[dev->devfn] == dev) {
        bus->devices[dev->devfn] = NULL;
    }
    dev->bus = NULL;
    dev->devfn = -1;
}

static void pci_bus_print_dev(BusState *qbus, DeviceState *d, GString *out,
                              int indent)
{
    PCIDevice *dev = PCI_DEVICE(d);
    uint16_t class_id = pci_get_word(dev->config + PCI_CLASS_DEVICE);
    const char *desc = pci_class_description(class_id);

    if (desc) {
        g_string_append_printf(out, "%*sclass %s, ", indent, "", desc);
    } else {
        g_string_append_printf(out, "%*sclass Class %04x, ", indent, "",
                               class_id);
    }
    g_string_append_printf(out, "addr %02x:%02x.%x, pci id %04x:%04x "
                           "(sub %04x:%04x)\n",
                           dev->bus ? dev->bus->bus_num : 0,
                           PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn),
                           pci_get_word(dev->config + PCI_VENDOR_ID),
                           pci_get_word(dev->config + PCI_DEVICE_ID),
                           pci_get_word(dev->config + PCI_SUBSYSTEM_VENDOR_ID),
                           pci_get_word(dev->config + PCI_SUBSYSTEM_ID));
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIBar *bar = &dev->bars[n];
        if (!bar->mr) {
            continue;
        }
        g_string_append_printf(out, "%*sbar %d: %s at 0x%" PRIx64 " [0x%"
                               PRIx64 "]\n", indent, "", n,
                               bar->type & PCI_BAR_IO ? "i/o" : "mem",
                               bar->addr, bar->addr + bar->size - 1);
    }
}

static const BusOps pci_bus_ops = {
    .check_plug = pci_bus_check_plug,
    .unplug = pci_bus_unplug,
    .print_dev = pci_bus_print_dev,
};

/* ---- bus objects --------------------------------------------------- */

PCIBus *pci_bus_new(DeviceState *parent, const char *name, MemoryRegion *mem,
                    MemoryRegion *io)
{
    PCIBus *bus = g_new0(PCIBus, 1);

    bus->qbus = bus_new(BUS_TYPE_PCI, name, parent);
    bus_set_ops(bus->qbus, &pci_bus_ops, bus);
    bus->mem = mem;
    bus->io = io;
    bus->dma_as = address_space_memory();
    return bus;
}

/* The struct only: the BusState went away with its owner. */
void pci_bus_release(PCIBus *bus)
{
    if (!bus) {
        return;
    }
    g_free(bus->irq_count);
    g_free(bus->intx_line);
    g_free(bus);
}

void pci_bus_free(PCIBus *bus)
{
    if (!bus) {
        return;
    }
    bus_free(bus->qbus);
    pci_bus_release(bus);
}

PCIBus *pci_bus_from_qbus(BusState *qbus)
{
    if (!qbus || strcmp(qbus->type, BUS_TYPE_PCI) || qbus->ops != &pci_bus_ops) {
        return NULL;
    }
    return qbus->opaque;
}

void pci_bus_set_irqs(PCIBus *bus, PCIMapIrqFn map_irq, void *opaque,
                      IrqLine **irqs, int nirq)
{
    g_assert(nirq >= 0);
    bus->map_irq = map_irq;
    bus->map_irq_opaque = opaque;
    bus->irqs = irqs;
    bus->nirq = nirq;
    g_free(bus->irq_count);
    bus->irq_count = g_new0(int, MAX(nirq, 1));
    g_clear_pointer(&bus->intx_line, g_free);
}

void pci_bus_set_intx_lines(PCIBus *bus, const uint8_t *lines, int n)
{
    g_assert(n <= bus->nirq);
    g_free(bus->intx_line);
    bus->intx_line = g_new0(uint8_t, MAX(bus->nirq, 1));
    memcpy(bus->intx_line, lines, n);
}

void pci_set_msi_delivery(PCIBus *bus, PCIMsiDeliverFn fn, void *opaque)
{
    bus->msi_fn = fn;
    bus->msi_opaque = opaque;
}

void pci_bus_set_dma_as(PCIBus *bus, AddressSpace *as)
{
    bus->dma_as = as;
}

int pci_bus_irq_count(PCIBus *bus, int n)
{
    g_assert(n >= 0 && n < bus->nirq);
    return bus->irq_count[n];
}

PCIDevice *pci_bus_find_device(PCIBus *bus, int devfn)
{
    if (devfn < 0 || devfn >= PCI_DEVFN_MAX) {
        return NULL;
    }
    return bus->devices[devfn];
}

int pci_swizzle_map_irq(void *opaque, PCIDevice *dev, int pin)
{
    return (pin + PCI_SLOT(dev->devfn)) % 4;
}

static int pci_bus_map(PCIBus *bus, PCIDevice *dev, int pin)
{
    int line;

    if (!bus->map_irq || !bus->nirq) {
        return -1;
    }
    line = bus->map_irq(bus->map_irq_opaque, dev, pin);
    g_assert(line >= 0 && line < bus->nirq);
    return line;
}

void pci_bus_change_irq_level(PCIBus *bus, PCIDevice *dev, int pin, int delta)
{
    int line = pci_bus_map(bus, dev, pin);
    int before;

    if (line < 0) {
        return;
    }
    before = bus->irq_count[line];
    bus->irq_count[line] += delta;
    g_assert(bus->irq_count[line] >= 0);
    if (!before != !bus->irq_count[line]) {
        irq_set(bus->irqs[line], bus->irq_count[line] > 0);
    }
}

void pci_bus_apply_intx_line(PCIBus *bus, PCIDevice *dev)
{
    uint8_t pin = dev->config[PCI_INTERRUPT_PIN];
    int line;

    if (!pin || !bus->intx_line) {
        return;
    }
    line = pci_bus_map(bus, dev, pin - 1);
    if (line >= 0) {
        dev->config[PCI_INTERRUPT_LINE] = bus->intx_line[line];
    }
}

/* ---- MSI ----------------------------------------------------------- */

uint16_t pci_requester_id(PCIDevice *dev)
{
    return (dev->bus ? dev->bus->bus_num : 0) << 8 | (dev->devfn & 0xff);
}

void pci_msi_send(PCIDevice *dev, uint64_t addr, uint32_t data)
{
    PCIBus *bus = dev->bus;

    if (!bus) {
        return;
    }
    if (!(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        log_guest_error("pci: %s: MSI to 0x%" PRIx64 " dropped, bus master "
                        "disabled\n", dev_name(dev), addr);
        return;
    }
    if (bus->msi_fn) {
        bus->msi_fn(bus->msi_opaque, addr, data, pci_requester_id(dev));
        return;
    }
    if (address_space_write_val(bus->dma_as, addr, data, 4) != MEMTX_OK) {
        log_guest_error("pci: %s: MSI write of 0x%x to 0x%" PRIx64 " failed\n",
                        dev_name(dev), data, addr);
    }
}

/* ---- board helper -------------------------------------------------- */

PCIDevice *pci_create_simple(PCIBus *bus, int devfn, const char *name,
                             GError **errp)
{
    DeviceState *d = device_new(name, errp);

    if (!d) {
        return NULL;
    }
    if (!device_is_a(d, TYPE_PCI_DEVICE)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s is not a PCI device", name);
        device_free(d);
        return NULL;
    }
    if (devfn >= 0) {
        g_autofree char *addr = g_strdup_printf("%02x.%x", PCI_SLOT(devfn),
                                                PCI_FUNC(devfn));
        if (!device_set_prop(d, "addr", addr, errp)) {
            device_free(d);
            return NULL;
        }
    }
    if (!device_realize(d, bus->qbus, errp)) {
        device_free(d);
        return NULL;
    }
    return PCI_DEVICE(d);
}

/* ---- walking and printing ------------------------------------------ */

static void pci_walk_bus(BusState *qbus,
                         void (*fn)(PCIBus *, PCIDevice *, void *),
                         void *opaque)
{
    PCIBus *bus = pci_bus_from_qbus(qbus);

    if (bus) {
        for (int devfn = 0; devfn < PCI_DEVFN_MAX; devfn++) {
            if (bus->devices[devfn]) {
                fn(bus, bus->devices[devfn], opaque);
            }
        }
    }
    for (guint i = 0; i < qbus->children->len; i++) {
        DeviceState *d = qbus->children->pdata[i];
        for (guint j = 0; j < d->child_buses->len; j++) {
            pci_walk_bus(d->child_buses->pdata[j], fn, opaque);
        }
    }
}

void pci_foreach_device(void (*fn)(PCIBus *bus, PCIDevice *dev, void *opaque),
                        void *opaque)
{
    pci_walk_bus(sysbus_get(), fn, opaque);
}

static const struct {
    uint16_t class_id;
    const char *desc;
} pci_class_names[] = {
    { 0x0001, "VGA controller" },
    { 0x0100, "SCSI controller" },
    { 0x0101, "IDE controller" },
    { 0x0102, "Floppy controller" },
    { 0x0103, "IPI controller" },
    { 0x0104, "RAID controller" },
    { 0x0106, "SATA controller" },
    { 0x0107, "SAS controller" },
    { 0x0180, "Storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0201, "Token Ring controller" },
    { 0x0202, "FDDI controller" },
    { 0x0203, "ATM controller" },
    { 0x0280, "Network controller" },
    { 0x0300, "VGA controller" },
    { 0x0301, "XGA controller" },
    { 0x0302, "3D controller" },
    { 0x0380, "Display controller" },
    { 0x0400, "Video controller" },
    { 0x0401, "Audio controller" },
    { 0x0402, "Phone" },
    { 0x0403, "Audio controller" },
    { 0x0480, "Multimedia controller" },
    { 0x0500, "RAM controller" },
    { 0x0501, "Flash controller" },
    { 0x0580, "Memory controller" },
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0602, "EISA bridge" },
    { 0x0603, "MC bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0605, "PCMCIA bridge" },
    { 0x0606, "NUBUS bridge" },
    { 0x0607, "CARDBUS bridge" },
    { 0x0608, "RACEWAY bridge" },
    { 0x0680, "Bridge" },
    { 0x0700, "Serial port" },
    { 0x0701, "Parallel port" },
    { 0x0703, "Modem" },
    { 0x0780, "Communication controller" },
    { 0x0800, "PIC" },
    { 0x0801, "DMA controller" },
    { 0x0802, "Timer" },
    { 0x0803, "RTC" },
    { 0x0880, "System peripheral" },
    { 0x0900, "Keyboard" },
    { 0x0901, "Pen" },
    { 0x0902, "Mouse" },
    { 0x0980, "Input device controller" },
    { 0x0c00, "Firewire controller" },
    { 0x0c03, "USB controller" },
    { 0x0c05, "SMBus" },
    { 0x0d00, "IRDA controller" },
};

const char *pci_class_description(uint16_t class_id)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pci_class_names); i++) {
        if (pci_class_names[i].class_id == class_id) {
            return pci_class_names[i].desc;
        }
    }
    return NULL;
}

static void print_info_one(PCIBus *bus, PCIDevice *dev, void *opaque)
{
    GString *out = opaque;
    uint8_t *c = dev->config;
    uint16_t class_id = pci_get_word(c + PCI_CLASS_DEVICE);
    const char *desc = pci_class_description(class_id);
    uint8_t pin = c[PCI_INTERRUPT_PIN];

    g_string_append_printf(out, "  Bus %2u, device %3u, function %u:\n",
                           bus->bus_num, PCI_SLOT(dev->devfn),
                           PCI_FUNC(dev->devfn));
    /* QEMU prints an unnamed class code in decimal; kept for scripts. */
    if (desc) {
        g_string_append_printf(out, "    %s", desc);
    } else {
        g_string_append_printf(out, "    Class %04u", class_id);
    }
    g_string_append_printf(out, ": PCI device %04x:%04x\n",
                           pci_get_word(c + PCI_VENDOR_ID),
                           pci_get_word(c + PCI_DEVICE_ID));
    g_string_append_printf(out, "      PCI subsystem %04x:%04x\n",
                           pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID),
                           pci_get_word(c + PCI_SUBSYSTEM_ID));
    if (pin) {
        g_string_append_printf(out, "      IRQ %u, pin %c\n",
                               c[PCI_INTERRUPT_LINE], 'A' + pin - 1);
    }
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIBar *bar = &dev->bars[n];
        uint64_t last = bar->addr + bar->size - 1;

        if (!bar->mr) {
            continue;
        }
        if (bar->type & PCI_BAR_IO) {
            g_string_append_printf(out, "      BAR%d: I/O at 0x%04" PRIx64
                                   " [0x%04" PRIx64 "].\n", n, bar->addr, last);
        } else {
            g_string_append_printf(out, "      BAR%d: %d bit%s memory at 0x%08"
                                   PRIx64 " [0x%08" PRIx64 "].\n", n,
                                   bar->type & PCI_BAR_MEM64 ? 64 : 32,
                                   bar->type & PCI_BAR_PREFETCH
                                       ? " prefetchable" : "",
                                   bar->addr, last);
        }
    }
    g_string_append_printf(out, "      id \"%s\"\n",
                           dev->parent.id ? dev->parent.id : "");
}

void pci_print_info(GString *out)
{
    pci_foreach_device(print_info_one, out);
}
