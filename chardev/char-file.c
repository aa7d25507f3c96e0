/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file backend: output goes to a file (truncated, or appended to with
 * append=on); an optional in=PATH supplies input, which is read once to EOF.
 */
#include "chardev/char-fd.h"
#include "util/error.h"

#include <fcntl.h>
#include <unistd.h>

static const char *const file_params[] = { "path", "append", "in", NULL };

static bool file_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    FdChardev *s = (FdChardev *)chr;
    const char *path = keyval_get(opts, "path");
    const char *in = keyval_get(opts, "in");
    bool append;
    int fd_out, fd_in = -1;

    if (!path || !*path) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "parameter 'path' is missing");
        return false;
    }
    if (!keyval_get_bool(opts, "append", false, &append, errp)) {
        return false;
    }
    fd_out = char_fd_open(path, O_WRONLY | O_CREAT |
                          (append ? O_APPEND : O_TRUNC), errp);
    if (fd_out < 0) {
        return false;
    }
    if (in) {
        fd_in = char_fd_open(in, O_RDONLY, errp);
        if (fd_in < 0) {
            close(fd_out);
            return false;
        }
    }
    char_fd_start(s, fd_in, fd_out, true);
    chardev_set_filename(chr, "file:%s", path);
    return true;
}

const ChardevClass chardev_file_class = {
    .name = "file",
    .help = "write output to a file (path=,append=on|off,in=)",
    .instance_size = sizeof(FdChardev),
    .params = file_params,
    .open = file_open,
    .write = char_fd_chr_write,
    .update_read_handler = char_fd_chr_update_read_handler,
    .close = char_fd_chr_close,
};
