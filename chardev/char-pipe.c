/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pipe backend: path=P uses the FIFOs P.in (input to us) and P.out
 * (our output) when both exist, else P itself both ways. FIFOs are opened
 * read-write so that opening never blocks waiting for the other side and a
 * peer that goes away does not turn into an endless EOF.
 */
#include "chardev/char-fd.h"
#include "util/error.h"

#include <fcntl.h>
#include <unistd.h>

static const char *const pipe_params[] = { "path", NULL };

static bool pipe_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    FdChardev *s = (FdChardev *)chr;
    const char *path = keyval_get(opts, "path");
    g_autofree char *path_in = NULL;
    g_autofree char *path_out = NULL;
    int fd_in, fd_out;

    if (!path || !*path) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "parameter 'path' is missing");
        return false;
    }
    path_in = g_strdup_printf("%s.in", path);
    path_out = g_strdup_printf("%s.out", path);
    if (g_file_test(path_in, G_FILE_TEST_EXISTS) &&
        g_file_test(path_out, G_FILE_TEST_EXISTS)) {
        fd_in = char_fd_open(path_in, O_RDWR, errp);
        if (fd_in < 0) {
            return false;
        }
        fd_out = char_fd_open(path_out, O_RDWR, errp);
        if (fd_out < 0) {
            close(fd_in);
            return false;
        }
    } else {
        fd_in = fd_out = char_fd_open(path, O_RDWR, errp);
        if (fd_in < 0) {
            return false;
        }
    }
    char_fd_set_nonblock(fd_in, true);
    char_fd_set_nonblock(fd_out, true);
    char_fd_start(s, fd_in, fd_out, true);
    chardev_set_filename(chr, "pipe:%s", path);
    return true;
}

const ChardevClass chardev_pipe_class = {
    .name = "pipe",
    .help = "named pipes path.in/path.out, or path (path=)",
    .instance_size = sizeof(FdChardev),
    .params = pipe_params,
    .open = pipe_open,
    .write = char_fd_chr_write,
    .update_read_handler = char_fd_chr_update_read_handler,
    .close = char_fd_chr_close,
};
