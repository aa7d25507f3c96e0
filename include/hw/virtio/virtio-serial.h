/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-serial (virtio spec, "Console Device", device ID 3): a virtio
 * device carrying up to 31 byte-stream ports, each bound to a chardev.
 * "virtio-serial-device" plugs into a virtio-mmio bus, "virtio-serial-pci"
 * is the PCI function; both own a "virtio-serial-bus" on which the ports
 * sit: "virtconsole" (a port the driver makes a console, port 0 when free)
 * and "virtserialport" (a named channel, /dev/vportNpM in Linux guests).
 * Names, properties and defaults are QEMU's.
 *
 * Queues follow the spec's layout: port 0 receive/transmit (0, 1), the
 * control receive/transmit queues (2, 3), then a pair per further port
 * (2n + 2, 2n + 3). With VIRTIO_CONSOLE_F_MULTIPORT the driver and device
 * exchange control messages (DEVICE_READY, PORT_ADD, PORT_READY,
 * CONSOLE_PORT, PORT_NAME, PORT_OPEN...); without it only port 0 exists.
 */
#ifndef HW_VIRTIO_VIRTIO_SERIAL_H
#define HW_VIRTIO_VIRTIO_SERIAL_H

#include "chardev/char.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_SERIAL_DEVICE "virtio-serial-device"
#define TYPE_VIRTIO_SERIAL_PCI "virtio-serial-pci"
#define TYPE_VIRTIO_SERIAL_BUS "virtio-serial-bus"
#define TYPE_VIRTIO_SERIAL_PORT "virtio-serial-port"
#define TYPE_VIRTCONSOLE "virtconsole"
#define TYPE_VIRTSERIALPORT "virtserialport"

/* Feature bits. */
#define VIRTIO_CONSOLE_F_SIZE        0
#define VIRTIO_CONSOLE_F_MULTIPORT   1
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

/* Configuration space: le16 cols, le16 rows, le32 max_nr_ports, le32 emerg_wr. */
#define VIRTIO_CONSOLE_CFG_COLS      0
#define VIRTIO_CONSOLE_CFG_ROWS      2
#define VIRTIO_CONSOLE_CFG_MAX_PORTS 4
#define VIRTIO_CONSOLE_CFG_EMERG_WR  8
#define VIRTIO_CONSOLE_CFG_SIZE      12

/* Control message: le32 id, le16 event, le16 value, then event data. */
#define VIRTIO_CONSOLE_CTRL_SIZE 8

enum {
    VIRTIO_CONSOLE_DEVICE_READY = 0,
    VIRTIO_CONSOLE_PORT_ADD = 1,
    VIRTIO_CONSOLE_PORT_REMOVE = 2,
    VIRTIO_CONSOLE_PORT_READY = 3,
    VIRTIO_CONSOLE_CONSOLE_PORT = 4,
    VIRTIO_CONSOLE_RESIZE = 5,
    VIRTIO_CONSOLE_PORT_OPEN = 6,
    VIRTIO_CONSOLE_PORT_NAME = 7,
};

#define VIRTIO_SERIAL_QUEUE_SIZE      128
#define VIRTIO_SERIAL_CTRL_QUEUE_SIZE 32
/* Two queues per port plus the control pair must fit VIRTIO_QUEUE_MAX. */
#define VIRTIO_SERIAL_MAX_PORTS       ((VIRTIO_QUEUE_MAX - 2) / 2)
/* The "nr" property's "pick one" value (the spec's VIRTIO_CONSOLE_BAD_ID). */
#define VIRTIO_SERIAL_PORT_AUTO       UINT32_MAX

typedef struct VirtIOSerial VirtIOSerial;

typedef struct VirtIOSerialPort {
    DeviceState parent;
    /* properties */
    Chardev *chr;
    char *name;
    uint32_t nr;
    /* state */
    CharFrontend fe;
    VirtIOSerial *vser;
    uint32_t id;
    bool is_console;
    bool guest_ready;           /* the driver answered PORT_ADD with PORT_READY */
    bool guest_open;            /* the driver opened the port (PORT_OPEN 1) */
    bool host_open;             /* the chardev has a peer */
    /* A receive buffer popped for the chardev and not yet filled. */
    VirtQueueElement in_elem;
    bool in_elem_held;
} VirtIOSerialPort;

struct VirtIOSerial {
    VirtIODevice parent;
    /* properties */
    uint32_t max_ports;
    bool emergency_write;
    /* state */
    DeviceState *bus_owner;     /* the device whose child bus holds the ports */
    BusState *bus;
    VirtQueue *c_ivq, *c_ovq;
    VirtIOSerialPort *ports[VIRTIO_SERIAL_MAX_PORTS];
    GQueue ctrl_out;            /* GByteArray control messages waiting for buffers */
    bool driver_ready;          /* DEVICE_READY 1 received */
};

extern const VirtIODeviceClass virtio_serial_device_class;

/* Registers the device, its PCI function and the two port types. */
void virtio_serial_register_devices(void);

/* The port with number id on vser, or NULL. */
VirtIOSerialPort *virtio_serial_find_port(VirtIOSerial *vser, uint32_t id);

#endif
