/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ringbuf backend (alias "memory"): keeps the last `size` bytes of
 * output in memory so a monitor command or a test can fetch them later.
 * No input. The buffer is only touched under the chardev lock because
 * writers may be vCPU threads.
 */
#include "chardev/char-fd.h"
#include "util/error.h"

#include <string.h>

static const char *const ringbuf_params[] = { "size", NULL };

typedef struct RingbufChardev {
    Chardev parent;
    uint8_t *buf;
    size_t size;            /* power of two */
    uint64_t prod, cons;    /* free-running; prod - cons <= size */
} RingbufChardev;

static bool ringbuf_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    RingbufChardev *r = (RingbufChardev *)chr;
    uint64_t size;

    if (!keyval_get_size(opts, "size", 64 * 1024, &size, errp)) {
        return false;
    }
    if (size == 0 || size > (1u << 30) || (size & (size - 1))) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "ringbuf size must be a power of two up to 1G");
        return false;
    }
    r->size = size;
    r->buf = g_malloc0(size);
    chr->be_open = true;
    chardev_set_filename(chr, "ringbuf");
    return true;
}

static int ringbuf_write(Chardev *chr, const uint8_t *buf, int len)
{
    RingbufChardev *r = (RingbufChardev *)chr;

    for (int i = 0; i < len; i++) {
        r->buf[r->prod++ & (r->size - 1)] = buf[i];
        if (r->prod - r->cons > r->size) {
            r->cons = r->prod - r->size;    /* overwrite the oldest */
        }
    }
    return len;
}

static void ringbuf_close(Chardev *chr)
{
    g_free(((RingbufChardev *)chr)->buf);
}

GByteArray *chardev_ringbuf_read(Chardev *chr, size_t max)
{
    RingbufChardev *r = (RingbufChardev *)chr;
    GByteArray *out = g_byte_array_new();

    if (strcmp(chr->cls->name, "ringbuf") && strcmp(chr->cls->name, "memory")) {
        return out;
    }
    g_mutex_lock(&chr->lock);
    while (r->cons < r->prod && out->len < max) {
        uint8_t c = r->buf[r->cons++ & (r->size - 1)];
        g_byte_array_append(out, &c, 1);
    }
    g_mutex_unlock(&chr->lock);
    return out;
}

const ChardevClass chardev_ringbuf_class = {
    .name = "ringbuf",
    .help = "keep the last output bytes in memory (size=)",
    .instance_size = sizeof(RingbufChardev),
    .params = ringbuf_params,
    .open = ringbuf_open,
    .write = ringbuf_write,
    .close = ringbuf_close,
};

const ChardevClass chardev_memory_class = {
    .name = "memory",
    .help = "alias of ringbuf",
    .instance_size = sizeof(RingbufChardev),
    .flags = CHARDEV_CLASS_HIDDEN,
    .params = ringbuf_params,
    .open = ringbuf_open,
    .write = ringbuf_write,
    .close = ringbuf_close,
};
