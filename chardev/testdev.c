/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The testdev backend (`-chardev testdev,id=ID`), QEMU's "chr-testdev":
 * a control channel for test guests, usually behind a virtconsole or
 * virtserialport, that works on any board with virtio. The guest writes
 * commands of the form [decimal argument]<letter>; the one command is
 * "q": "Nq" ends Tern with exit status (N << 1) | 1, as isa-debug-exit
 * does on PCs (kvm-unit-tests writes "%dq" here). The exit goes through
 * the run-state requests, so it happens in the main loop and a test can
 * observe it without the process exiting. No input ever reaches the guest.
 */
#include "chardev/char-fd.h"
#include "system/runstate.h"
#include "util/log.h"

typedef struct TestdevChardev {
    Chardev parent;
    uint64_t arg;           /* the decimal argument typed so far */
    bool overflow;          /* more digits than an exit status can use */
} TestdevChardev;

static bool testdev_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    chr->be_open = true;
    chardev_set_filename(chr, "testdev");
    return true;
}

static void testdev_command(TestdevChardev *t, uint8_t cmd)
{
    if (cmd == 'q') {
        int status = (int)(((t->overflow ? UINT32_MAX : t->arg) << 1) | 1);

        log_mask(LOG_TRACE, "testdev: exit request %" G_GUINT64_FORMAT "q\n", t->arg);
        set_exit_status(status);
        request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    } else if (!g_ascii_isspace(cmd)) {
        /* Like QEMU, any other byte ends the command and is otherwise ignored. */
        log_guest_error("testdev: unknown command '%c'\n", g_ascii_isprint(cmd) ? cmd : '?');
    }
    t->arg = 0;
    t->overflow = false;
}

/* Runs with the chardev lock held, from whichever thread the device writes on. */
static int testdev_write(Chardev *chr, const uint8_t *buf, int len)
{
    TestdevChardev *t = (TestdevChardev *)chr;

    for (int i = 0; i < len; i++) {
        if (g_ascii_isdigit(buf[i])) {
            t->arg = t->arg * 10 + (buf[i] - '0');
            if (t->arg > UINT32_MAX) {
                t->arg = UINT32_MAX;
                t->overflow = true;
            }
        } else {
            testdev_command(t, buf[i]);
        }
    }
    return len;
}

const ChardevClass chardev_testdev_class = {
    .name = "testdev",
    .help = "test control channel: the guest writes \"Nq\" to exit with (N << 1) | 1",
    .instance_size = sizeof(TestdevChardev),
    .open = testdev_open,
    .write = testdev_write,
};
