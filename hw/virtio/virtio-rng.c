/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-rng: every buffer the driver queues is filled with bytes from
 * getrandom() and returned at once. There is no rate limiting; each buffer
 * gets at most VIRTIO_RNG_MAX_CHUNK bytes, which drivers accept (the used
 * length tells them how much they got).
 */
#include <errno.h>
#include <sys/random.h>

#include "hw/virtio/virtio-rng.h"
#include "util/log.h"

/* Fill buf completely; false when the host has no entropy source at all. */
static bool virtio_rng_fill(void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t n = getrandom(p, MIN(len, 256), 0);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        p += n;
        len -= n;
    }
    return true;
}

static void virtio_rng_handle_request(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtQueueElement elem;
    bool pushed = false;

    while (virtqueue_pop(vq, &elem) > 0) {
        size_t done = 0;

        for (unsigned i = 0; i < elem.in_num && done < VIRTIO_RNG_MAX_CHUNK; i++) {
            size_t n = MIN(elem.in_sg[i].iov_len, VIRTIO_RNG_MAX_CHUNK - done);

            if (!virtio_rng_fill(elem.in_sg[i].iov_base, n)) {
                log_mask(LOG_UNIMP, "%s: getrandom failed: %s\n", vdev->name,
                         g_strerror(errno));
                break;
            }
            done += n;
        }
        virtqueue_push(vq, &elem, done);
        pushed = true;
    }
    if (pushed) {
        virtqueue_notify(vq);
    }
}

static bool virtio_rng_realize(VirtIODevice *vdev, GError **errp)
{
    VirtIORNG *s = (VirtIORNG *)vdev;

    s->vq = virtio_add_queue(vdev, VIRTIO_RNG_QUEUE_SIZE, virtio_rng_handle_request);
    return true;
}

const VirtIODeviceClass virtio_rng_device_class = {
    .parent = {
        .name = TYPE_VIRTIO_RNG_DEVICE,
        .desc = "virtio entropy source",
        .parent = &virtio_device_class,
        .instance_size = sizeof(VirtIORNG),
        .category = DEVICE_CATEGORY_MISC,
        .user_creatable = true,
    },
    .device_id = VIRTIO_ID_RNG,
    .realize = virtio_rng_realize,
};
