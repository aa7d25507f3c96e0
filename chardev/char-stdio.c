/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The stdio backend: guest output to stdout, host keyboard from stdin with
 * the terminal in raw mode. The saved terminal mode lives in static storage
 * because it must be restorable from a signal handler and from atexit; for
 * the same reason only one stdio chardev may exist. A stdin that is not a
 * terminal, is closed, or hits EOF simply stops supplying input.
 */
#include "chardev/char-fd.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const stdio_params[] = { "signal", NULL };

static struct termios stdio_saved_tio;
static volatile sig_atomic_t stdio_tio_saved;
static bool stdio_in_use;
static bool stdio_signal_default = true;
static bool stdio_atexit_registered;

void chardev_stdio_restore(void)
{
    /* tcsetattr is async-signal-safe; repeating it is harmless */
    if (stdio_tio_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &stdio_saved_tio);
    }
}

void chardev_stdio_set_signal_default(bool keep_signals)
{
    stdio_signal_default = keep_signals;
}

static bool stdio_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    FdChardev *s = (FdChardev *)chr;
    bool keep_signals;
    int fd_in = -1;

    if (!keyval_get_bool(opts, "signal", stdio_signal_default, &keep_signals, errp)) {
        return false;
    }
    if (stdio_in_use) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "cannot use stdio by multiple character devices");
        return false;
    }
    if (fcntl(STDIN_FILENO, F_GETFL) >= 0) {
        fd_in = STDIN_FILENO;
    }
    if (fd_in >= 0 && isatty(fd_in)) {
        struct termios tio;

        if (tcgetattr(fd_in, &tio) == 0) {
            if (!stdio_tio_saved) {
                stdio_saved_tio = tio;
                stdio_tio_saved = 1;
            }
            char_fd_make_raw(&tio, keep_signals);
            tcsetattr(fd_in, TCSANOW, &tio);
        }
        if (!stdio_atexit_registered) {
            atexit(chardev_stdio_restore);
            stdio_atexit_registered = true;
        }
    }
    stdio_in_use = true;
    /* fds 0/1 are shared with the shell: leave their flags alone */
    char_fd_start(s, fd_in, STDOUT_FILENO, false);
    chardev_set_filename(chr, "stdio");
    return true;
}

static void stdio_close(Chardev *chr)
{
    char_fd_chr_close(chr);
    chardev_stdio_restore();
    stdio_in_use = false;
}

const ChardevClass chardev_stdio_class = {
    .name = "stdio",
    .help = "standard input/output, terminal in raw mode (signal=on|off)",
    .instance_size = sizeof(FdChardev),
    .params = stdio_params,
    .open = stdio_open,
    .write = char_fd_chr_write,
    .update_read_handler = char_fd_chr_update_read_handler,
    .close = stdio_close,
};
