/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-serial, the virtio console device (virtio 1.x spec, "Console
 * Device"; interface in include/hw/virtio/virtio-serial.h): the device
 * ("virtio-serial-device" on a virtio-mmio bus, "virtio-serial-pci"), its
 * "virtio-serial-bus" and the ports on it ("virtconsole",
 * "virtserialport"), each port moving bytes between one queue pair and a
 * chardev.
 *
 * Host to guest: the chardev is asked how much it may deliver (one
 * receive buffer popped and held per port), and each delivery fills and
 * returns that buffer; a guest kick on the receive queue re-polls the
 * chardev. Guest to host: transmit buffers are written to the chardev and
 * returned at once. Control messages for the driver wait in a queue until
 * it posts control receive buffers. Everything runs under the BQL.
 */
#include <string.h>

#include "hw/pci/pci.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-serial.h"
#include "util/error.h"
#include "util/log.h"

/* Largest piece handed to the chardev at once (writes may block briefly). */
#define VIRTIO_SERIAL_WRITE_CHUNK 65536

static VirtIOSerial *vser_of(VirtIODevice *vdev)
{
    return (VirtIOSerial *)vdev;
}

static bool vser_multiport(VirtIOSerial *s)
{
    return virtio_has_feature(&s->parent, VIRTIO_CONSOLE_F_MULTIPORT);
}

/* Queue numbers: port 0 at 0/1, the control pair at 2/3, port n at 2n+2/2n+3. */
static unsigned vser_rx_index(uint32_t id)
{
    return id ? 2 * id + 2 : 0;
}

static VirtQueue *port_rx(VirtIOSerialPort *p)
{
    return virtio_get_queue(&p->vser->parent, vser_rx_index(p->id));
}

static VirtIOSerialPort *vser_port_of_queue(VirtIOSerial *s, unsigned index)
{
    if (index < 2) {
        return s->ports[0];
    }
    return index >= 4 ? virtio_serial_find_port(s, (index - 2) / 2) : NULL;
}

VirtIOSerialPort *virtio_serial_find_port(VirtIOSerial *vser, uint32_t id)
{
    return id < VIRTIO_SERIAL_MAX_PORTS && id < vser->max_ports ? vser->ports[id] : NULL;
}

/*
 * Whether the driver takes data for the port: an opened port with
 * MULTIPORT, otherwise port 0 once the driver is up.
 */
static bool port_guest_connected(VirtIOSerialPort *p)
{
    VirtIOSerial *s = p->vser;

    if (s->parent.broken || !(s->parent.status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return false;
    }
    return vser_multiport(s) ? p->guest_open : p->id == 0;
}

/* ---- control messages ---- */

static void vser_flush_ctrl(VirtIOSerial *s)
{
    VirtQueueElement elem;
    bool pushed = false;

    while (!g_queue_is_empty(&s->ctrl_out) && virtqueue_pop(s->c_ivq, &elem) > 0) {
        GByteArray *m = g_queue_pop_head(&s->ctrl_out);
        size_t n = virtio_iov_from_buf(elem.in_sg, elem.in_num, 0, m->data, m->len);

        if (n < m->len) {
            log_guest_error("%s: control buffer of %zu bytes cut a %u-byte message\n",
                            s->parent.name, elem.in_len, m->len);
        }
        virtqueue_push(s->c_ivq, &elem, n);
        g_byte_array_unref(m);
        pushed = true;
    }
    if (pushed) {
        virtqueue_notify(s->c_ivq);
    }
}

static void vser_send_ctrl(VirtIOSerial *s, uint32_t id, uint16_t event, uint16_t value,
                           const void *extra, size_t extra_len)
{
    uint8_t hdr[VIRTIO_CONSOLE_CTRL_SIZE];
    uint32_t le_id = GUINT32_TO_LE(id);
    uint16_t le_event = GUINT16_TO_LE(event), le_value = GUINT16_TO_LE(value);
    GByteArray *m;

    if (!vser_multiport(s)) {
        return;
    }
    memcpy(hdr, &le_id, 4);
    memcpy(hdr + 4, &le_event, 2);
    memcpy(hdr + 6, &le_value, 2);
    m = g_byte_array_sized_new(sizeof(hdr) + extra_len);
    g_byte_array_append(m, hdr, sizeof(hdr));
    if (extra_len) {
        g_byte_array_append(m, extra, extra_len);
    }
    g_queue_push_tail(&s->ctrl_out, m);
    vser_flush_ctrl(s);
}

static void vser_ctrl_clear(VirtIOSerial *s)
{
    g_queue_clear_full(&s->ctrl_out, (GDestroyNotify)g_byte_array_unref);
}

/* Give back a receive buffer the port held for the chardev. */
static void port_drop_in_elem(VirtIOSerialPort *p, bool unpop)
{
    if (!p->in_elem_held) {
        return;
    }
    if (unpop) {
        virtqueue_unpop(port_rx(p), &p->in_elem);
    } else {
        virtqueue_element_release(&p->in_elem);
    }
    p->in_elem_held = false;
}

/* The driver's PORT_READY: tell it what the port is and whether the host is there. */
static void vser_port_ready(VirtIOSerial *s, VirtIOSerialPort *p)
{
    p->guest_ready = true;
    if (p->is_console) {
        vser_send_ctrl(s, p->id, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL, 0);
    }
    if (p->name) {
        /* With its NUL, as QEMU sends it; Linux accepts both. */
        vser_send_ctrl(s, p->id, VIRTIO_CONSOLE_PORT_NAME, 1, p->name, strlen(p->name) + 1);
    }
    if (p->host_open) {
        vser_send_ctrl(s, p->id, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL, 0);
    }
}

static void vser_handle_ctrl(VirtIOSerial *s, uint32_t id, uint16_t event, uint16_t value)
{
    VirtIOSerialPort *p = NULL;

    if (event != VIRTIO_CONSOLE_DEVICE_READY) {
        p = virtio_serial_find_port(s, id);
        if (!p) {
            log_guest_error("%s: control event %u for port %u that does not exist\n",
                            s->parent.name, event, id);
            return;
        }
    }
    switch (event) {
    case VIRTIO_CONSOLE_DEVICE_READY:
        if (value != 1) {
            log_guest_error("%s: the driver failed to initialise (DEVICE_READY %u)\n",
                            s->parent.name, value);
            return;
        }
        s->driver_ready = true;
        for (uint32_t i = 0; i < s->max_ports; i++) {
            if (s->ports[i]) {
                vser_send_ctrl(s, i, VIRTIO_CONSOLE_PORT_ADD, 1, NULL, 0);
            }
        }
        break;
    case VIRTIO_CONSOLE_PORT_READY:
        if (value != 1) {
            log_guest_error("%s: the driver failed to add port %u\n", s->parent.name, id);
            return;
        }
        vser_port_ready(s, p);
        break;
    case VIRTIO_CONSOLE_PORT_OPEN:
        p->guest_open = value != 0;
        if (p->guest_open) {
            char_fe_accept_input(&p->fe);
        } else {
            port_drop_in_elem(p, true);
        }
        break;
    default:
        log_guest_error("%s: unexpected control event %u from the driver (port %u)\n",
                        s->parent.name, event, id);
        break;
    }
}

static void vser_handle_ctrl_out(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = vser_of(vdev);
    VirtQueueElement elem;
    bool pushed = false;

    while (virtqueue_pop(vq, &elem) > 0) {
        uint8_t buf[VIRTIO_CONSOLE_CTRL_SIZE];
        size_t n = virtio_iov_to_buf(elem.out_sg, elem.out_num, 0, buf, sizeof(buf));

        virtqueue_push(vq, &elem, 0);
        pushed = true;
        if (n < sizeof(buf)) {
            log_guest_error("%s: control message of %zu bytes (8 needed)\n", vdev->name, n);
            continue;
        }
        vser_handle_ctrl(s, buf[0] | buf[1] << 8 | buf[2] << 16 | (uint32_t)buf[3] << 24,
                         buf[4] | buf[5] << 8, buf[6] | buf[7] << 8);
    }
    if (pushed) {
        virtqueue_notify(vq);
    }
}

static void vser_handle_ctrl_in(VirtIODevice *vdev, VirtQueue *vq)
{
    vser_flush_ctrl(vser_of(vdev));
}

/* ---- data ---- */

/* A receive buffer for the chardev's next bytes, popped once and held. */
static bool port_get_in_elem(VirtIOSerialPort *p)
{
    if (p->in_elem_held) {
        return true;
    }
    if (!port_guest_connected(p) || virtqueue_pop(port_rx(p), &p->in_elem) <= 0) {
        return false;
    }
    if (!p->in_elem.in_len) {
        virtqueue_element_release(&p->in_elem);
        virtio_error(&p->vser->parent, "port %u: receive buffer without writable space",
                     p->id);
        return false;
    }
    p->in_elem_held = true;
    return true;
}

static int port_can_read(void *opaque)
{
    VirtIOSerialPort *p = opaque;

    if (!p->vser || !port_get_in_elem(p)) {
        return 0;
    }
    return MIN(p->in_elem.in_len, (size_t)G_MAXINT);
}

static void port_read(void *opaque, const uint8_t *buf, int len)
{
    VirtIOSerialPort *p = opaque;
    bool pushed = false;

    while (len > 0 && p->vser && port_get_in_elem(p)) {
        size_t n = virtio_iov_from_buf(p->in_elem.in_sg, p->in_elem.in_num, 0, buf, len);

        virtqueue_push(port_rx(p), &p->in_elem, n);
        p->in_elem_held = false;
        pushed = true;
        buf += n;
        len -= n;
    }
    if (pushed) {
        virtqueue_notify(port_rx(p));
    }
    if (len > 0) {
        log_mask(LOG_UNIMP, "virtio-serial: port %u dropped %d input bytes\n", p->id, len);
    }
}

static void port_event(void *opaque, CharEvent ev)
{
    VirtIOSerialPort *p = opaque;
    bool open;

    if (ev != CHR_EVENT_OPENED && ev != CHR_EVENT_CLOSED) {
        return;
    }
    open = ev == CHR_EVENT_OPENED;
    if (p->host_open == open) {
        return;
    }
    p->host_open = open;
    if (p->vser && p->guest_ready) {
        vser_send_ctrl(p->vser, p->id, VIRTIO_CONSOLE_PORT_OPEN, open, NULL, 0);
    }
}

static void vser_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPort *p = vser_port_of_queue(vser_of(vdev), virtio_queue_index(vq));

    if (p) {
        char_fe_accept_input(&p->fe);
    }
}

static void port_write(VirtIOSerialPort *p, const struct iovec *iov, unsigned cnt)
{
    for (unsigned i = 0; i < cnt; i++) {
        const uint8_t *b = iov[i].iov_base;

        for (size_t done = 0; done < iov[i].iov_len;) {
            int n = MIN(iov[i].iov_len - done, VIRTIO_SERIAL_WRITE_CHUNK);

            char_fe_write(&p->fe, b + done, n);
            done += n;
        }
    }
}

static void vser_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = vser_of(vdev);
    VirtIOSerialPort *p = vser_port_of_queue(s, virtio_queue_index(vq));
    VirtQueueElement elem;
    bool pushed = false;

    while (virtqueue_pop(vq, &elem) > 0) {
        if (p && p->fe.chr) {
            port_write(p, elem.out_sg, elem.out_num);
        } else if (!p) {
            log_guest_error("%s: data on queue %u for a port that does not exist\n",
                            vdev->name, virtio_queue_index(vq));
        }
        virtqueue_push(vq, &elem, 0);
        pushed = true;
    }
    if (pushed) {
        virtqueue_notify(vq);
    }
}

/* ---- the device ---- */

static uint64_t vser_get_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIOSerial *s = vser_of(vdev);

    if (s->max_ports > 1) {
        features |= VIRTIO_BIT(VIRTIO_CONSOLE_F_MULTIPORT);
    }
    if (s->emergency_write) {
        features |= VIRTIO_BIT(VIRTIO_CONSOLE_F_EMERG_WRITE);
    }
    return features;
}

static void vser_get_config(VirtIODevice *vdev, uint8_t *config)
{
    uint32_t max = GUINT32_TO_LE(vser_of(vdev)->max_ports);

    /* No SIZE feature: cols and rows read 0, as in QEMU. */
    memset(config, 0, VIRTIO_CONSOLE_CFG_SIZE);
    memcpy(config + VIRTIO_CONSOLE_CFG_MAX_PORTS, &max, 4);
}

static void vser_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOSerial *s = vser_of(vdev);
    VirtIOSerialPort *p = s->ports[0];
    uint32_t emerg;

    memcpy(&emerg, config + VIRTIO_CONSOLE_CFG_EMERG_WR, 4);
    emerg = GUINT32_FROM_LE(emerg);
    /* get_config zeroes emerg_wr before each write, so non-zero means "written now". */
    if (!emerg || !s->emergency_write) {
        return;
    }
    if (p && p->fe.chr) {
        uint8_t c = emerg;

        char_fe_write(&p->fe, &c, 1);
    }
}

static void vser_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIOSerial *s = vser_of(vdev);

    if (!(status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vser_flush_ctrl(s);
    for (uint32_t i = 0; i < s->max_ports; i++) {
        if (s->ports[i]) {
            char_fe_accept_input(&s->ports[i]->fe);
        }
    }
}

static void vser_reset(VirtIODevice *vdev)
{
    VirtIOSerial *s = vser_of(vdev);

    for (uint32_t i = 0; i < s->max_ports; i++) {
        VirtIOSerialPort *p = s->ports[i];

        if (p) {
            port_drop_in_elem(p, false);
            p->guest_ready = p->guest_open = false;
        }
    }
    s->driver_ready = false;
    vser_ctrl_clear(s);
}

static unsigned vser_used_ports(VirtIOSerial *s)
{
    unsigned n = 0;

    for (uint32_t i = 0; i < s->max_ports; i++) {
        n += s->ports[i] != NULL;
    }
    return n;
}

static bool vser_bus_check_plug(BusState *bus, DeviceState *dev, GError **errp)
{
    if (!device_is_a(dev, TYPE_VIRTIO_SERIAL_PORT)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "bus '%s' takes only virtconsole and virtserialport devices", bus->name);
        return false;
    }
    return true;
}

static bool vser_bus_is_full(BusState *bus)
{
    VirtIOSerial *s = bus->opaque;

    return vser_used_ports(s) >= s->max_ports;
}

static const BusOps vser_bus_ops = {
    .check_plug = vser_bus_check_plug,
    .is_full = vser_bus_is_full,
};

static bool vser_realize(VirtIODevice *vdev, GError **errp)
{
    VirtIOSerial *s = vser_of(vdev);
    DeviceState *owner = s->bus_owner ? s->bus_owner : &vdev->parent;
    g_autofree char *bus_name = NULL;

    if (!s->max_ports || s->max_ports > VIRTIO_SERIAL_MAX_PORTS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "max_ports must be between 1 and %u", VIRTIO_SERIAL_MAX_PORTS);
        return false;
    }
    virtio_add_queue(vdev, VIRTIO_SERIAL_QUEUE_SIZE, vser_handle_rx);
    virtio_add_queue(vdev, VIRTIO_SERIAL_QUEUE_SIZE, vser_handle_tx);
    s->c_ivq = virtio_add_queue(vdev, VIRTIO_SERIAL_CTRL_QUEUE_SIZE, vser_handle_ctrl_in);
    s->c_ovq = virtio_add_queue(vdev, VIRTIO_SERIAL_CTRL_QUEUE_SIZE, vser_handle_ctrl_out);
    for (uint32_t i = 1; i < s->max_ports; i++) {
        virtio_add_queue(vdev, VIRTIO_SERIAL_QUEUE_SIZE, vser_handle_rx);
        virtio_add_queue(vdev, VIRTIO_SERIAL_QUEUE_SIZE, vser_handle_tx);
    }
    g_queue_init(&s->ctrl_out);
    memset(s->ports, 0, sizeof(s->ports));
    s->driver_ready = false;
    /* QEMU's bus naming: "ID.0" for a device with an id. */
    if (owner->id) {
        bus_name = g_strdup_printf("%s.0", owner->id);
    }
    s->bus = bus_new(TYPE_VIRTIO_SERIAL_BUS, bus_name, owner);
    bus_set_ops(s->bus, &vser_bus_ops, s);
    return true;
}

static void vser_unrealize(VirtIODevice *vdev)
{
    VirtIOSerial *s = vser_of(vdev);

    g_clear_pointer(&s->bus, bus_free);
    vser_ctrl_clear(s);
}

static const Property virtio_serial_props[] = {
    PROP_UINT32("max_ports", VirtIOSerial, max_ports, VIRTIO_SERIAL_MAX_PORTS,
                "number of ports (1 disables MULTIPORT)"),
    PROP_BOOL("emergency-write", VirtIOSerial, emergency_write, true,
              "offer EMERG_WRITE (early output through the config space)"),
    PROP_END
};

const VirtIODeviceClass virtio_serial_device_class = {
    .parent = {
        .name = TYPE_VIRTIO_SERIAL_DEVICE,
        .desc = "virtio serial port controller (console device)",
        .parent = &virtio_device_class,
        .instance_size = sizeof(VirtIOSerial),
        .props = virtio_serial_props,
        .category = DEVICE_CATEGORY_INPUT,
        .user_creatable = true,
    },
    .device_id = VIRTIO_ID_CONSOLE,
    .config_size = VIRTIO_CONSOLE_CFG_SIZE,
    .realize = vser_realize,
    .unrealize = vser_unrealize,
    .get_features = vser_get_features,
    .get_config = vser_get_config,
    .set_config = vser_set_config,
    .set_status = vser_set_status,
    .reset = vser_reset,
};

/* ---- the PCI function ---- */

typedef struct VirtIOSerialPCI {
    VirtIOPCIProxy parent;
    VirtIOSerial vdev;
} VirtIOSerialPCI;

/* The ports' bus hangs off the PCI function, the device that really exists. */
static bool virtio_serial_pci_realize(PCIDevice *dev, GError **errp)
{
    VirtIOSerialPCI *d = (VirtIOSerialPCI *)dev;

    d->vdev.bus_owner = &dev->parent;
    /* QEMU's default: a vector per port plus config, not one per queue. */
    if (d->parent.vectors_prop == VIRTIO_PCI_VECTORS_AUTO) {
        d->parent.vectors_prop = d->vdev.max_ports + 1;
    }
    return virtio_pci_class.realize(dev, errp);
}

static const Property virtio_serial_pci_props[] = {
    PROP_UINT32("max_ports", VirtIOSerialPCI, vdev.max_ports, VIRTIO_SERIAL_MAX_PORTS,
                "number of ports (1 disables MULTIPORT)"),
    PROP_BOOL("emergency-write", VirtIOSerialPCI, vdev.emergency_write, true,
              "offer EMERG_WRITE (early output through the config space)"),
    PROP_END
};

static const VirtIOPCIClass virtio_serial_pci_class = {
    .parent = {
        .parent = {
            .name = TYPE_VIRTIO_SERIAL_PCI,
            .desc = "virtio serial port controller (PCI)",
            .parent = &virtio_pci_class.parent,
            .instance_size = sizeof(VirtIOSerialPCI),
            .props = virtio_serial_pci_props,
            .category = DEVICE_CATEGORY_INPUT,
            .user_creatable = true,
        },
        .device_id = VIRTIO_PCI_DEVICE_ID_MODERN + VIRTIO_ID_CONSOLE,
        .class_id = PCI_CLASS_COMMUNICATION_OTHER,
        .realize = virtio_serial_pci_realize,
    },
    .vdev_class = &virtio_serial_device_class,
    .vdev_offset = offsetof(VirtIOSerialPCI, vdev),
};

/* ---- ports ---- */

static bool port_pick_id(VirtIOSerialPort *p, VirtIOSerial *s, GError **errp)
{
    uint32_t id = p->nr;

    if (id == VIRTIO_SERIAL_PORT_AUTO) {
        /* Port 0 stays free for a console (old drivers without MULTIPORT). */
        id = p->is_console && !s->ports[0] ? 0 : 1;
        while (id < s->max_ports && s->ports[id]) {
            id++;
        }
        if (id >= s->max_ports) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "no free port number (max_ports is %u)", s->max_ports);
            return false;
        }
    } else if (id >= s->max_ports) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "port number %u out of range (max_ports is %u)", id, s->max_ports);
        return false;
    } else if (id == 0 && !p->is_console) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "port number 0 is reserved for virtconsole");
        return false;
    } else if (s->ports[id]) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "port number %u already in use", id);
        return false;
    }
    p->id = id;
    return true;
}

static bool port_realize(DeviceState *dev, GError **errp)
{
    VirtIOSerialPort *p = (VirtIOSerialPort *)dev;
    VirtIOSerial *s = dev->parent_bus->opaque;

    p->is_console = device_is_a(dev, TYPE_VIRTCONSOLE);
    if (!port_pick_id(p, s, errp)) {
        return false;
    }
    for (uint32_t i = 0; p->name && i < s->max_ports; i++) {
        if (s->ports[i] && s->ports[i]->name && !strcmp(s->ports[i]->name, p->name)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "a port named '%s' already exists", p->name);
            return false;
        }
    }
    if (p->chr && !char_fe_init(&p->fe, p->chr, errp)) {
        return false;
    }
    p->vser = s;
    p->guest_ready = p->guest_open = p->host_open = false;
    p->in_elem_held = false;
    s->ports[p->id] = p;
    if (s->driver_ready) {
        vser_send_ctrl(s, p->id, VIRTIO_CONSOLE_PORT_ADD, 1, NULL, 0);
    }
    if (p->fe.chr) {
        /* May report OPENED at once, which needs the port registered. */
        char_fe_set_handlers(&p->fe, port_can_read, port_read, port_event, p);
    }
    return true;
}

static void port_unrealize(DeviceState *dev)
{
    VirtIOSerialPort *p = (VirtIOSerialPort *)dev;
    VirtIOSerial *s = p->vser;

    if (!s) {
        return;
    }
    port_drop_in_elem(p, true);
    if (p->fe.chr) {
        char_fe_deinit(&p->fe);
    }
    s->ports[p->id] = NULL;
    if (s->driver_ready) {
        vser_send_ctrl(s, p->id, VIRTIO_CONSOLE_PORT_REMOVE, 1, NULL, 0);
    }
    p->vser = NULL;
}

static const Property virtio_serial_port_props[] = {
    PROP_CHARDEV("chardev", VirtIOSerialPort, chr, "ID of the chardev the port carries"),
    PROP_STRING("name", VirtIOSerialPort, name, NULL,
                "name the guest sees (e.g. org.qemu.guest_agent.0)"),
    PROP_UINT32("nr", VirtIOSerialPort, nr, VIRTIO_SERIAL_PORT_AUTO,
                "port number (default: the first free one; 0 only for virtconsole)"),
    PROP_END
};

/* Abstract: not registered, only the parent of the two port types. */
static const DeviceClass virtio_serial_port_class = {
    .name = TYPE_VIRTIO_SERIAL_PORT,
    .desc = "virtio-serial port",
    .instance_size = sizeof(VirtIOSerialPort),
    .props = virtio_serial_port_props,
    .bus_type = TYPE_VIRTIO_SERIAL_BUS,
    .realize = port_realize,
    .unrealize = port_unrealize,
};

static const DeviceClass virtconsole_class = {
    .name = TYPE_VIRTCONSOLE,
    .desc = "virtio console port (hvc in Linux guests)",
    .parent = &virtio_serial_port_class,
    .instance_size = sizeof(VirtIOSerialPort),
    .category = DEVICE_CATEGORY_INPUT,
    .user_creatable = true,
};

static const DeviceClass virtserialport_class = {
    .name = TYPE_VIRTSERIALPORT,
    .desc = "virtio serial port (/dev/vport* in Linux guests)",
    .parent = &virtio_serial_port_class,
    .instance_size = sizeof(VirtIOSerialPort),
    .category = DEVICE_CATEGORY_INPUT,
    .user_creatable = true,
};

void virtio_serial_register_devices(void)
{
    const DeviceClass *const classes[] = {
        &virtio_serial_device_class.parent,
        &virtio_serial_pci_class.parent.parent,
        &virtconsole_class,
        &virtserialport_class,
    };

    for (size_t i = 0; i < G_N_ELEMENTS(classes); i++) {
        if (!device_class_find(classes[i]->name)) {
            device_class_register(classes[i]);
        }
    }
}
