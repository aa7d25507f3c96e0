/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Registration of every class built into Tern, in one readable list. A new
 * device, machine or accelerator is added here and nowhere else.
 */
#include "system/builtins.h"

#include "accel/accel.h"
#include "accel/kvm/kvm.h"
#include "block/drive.h"
#include "chardev/char.h"
#include "hw/core/device.h"
#include "hw/arm/virt.h"
#include "hw/core/machine.h"
#include "hw/i386/pc.h"
#include "hw/pci/pci.h"
#include "net/net.h"
#include "system/hmp-cmds.h"
#include "monitor/qmp.h"
#include "util/error.h"

extern const AccelClass tcg_accel_class;

static void *lookup_chardev(const char *id, GError **errp)
{
    Chardev *chr = chardev_find(id);

    if (!chr) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "chardev '%s' not found", id);
    }
    return chr;
}

void builtins_register_all(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;

    /* Accelerators, in QEMU's order of preference for listings. */
    accel_class_register(&tcg_accel_class);
    kvm_accel_register();

    /* Machines */
    hw_register_core_machines();
    hw_i386_register_machines();
    hw_arm_register_machines();

    /* Devices */
    hw_i386_register_devices();
    hw_arm_register_devices();
    hw_pci_register_devices();

    /* Backends that device properties refer to by id */
    device_prop_register_lookup(PROP_TYPE_CHARDEV, lookup_chardev);
    device_prop_register_lookup(PROP_TYPE_DRIVE, drive_prop_lookup);
    device_prop_register_lookup(PROP_TYPE_NETDEV, net_netdev_prop_lookup);

    /* Monitor commands of the layers below the monitor */
    hmp_cmds_register();
    block_qmp_register();
    pci_qmp_register();
}
