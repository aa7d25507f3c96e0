/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The null backend: output vanishes, input never arrives. Used for
 * "-serial null" and as the default when a port must exist but nothing
 * should be connected to it.
 */
#include "chardev/char-fd.h"

static bool null_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    chr->be_open = true;
    chardev_set_filename(chr, "null");
    return true;
}

static int null_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

const ChardevClass chardev_null_class = {
    .name = "null",
    .help = "discard output, no input",
    .instance_size = sizeof(Chardev),
    .open = null_open,
    .write = null_write,
};
