/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The translated-code buffer: a memfd mapped once read-write and once
 * read-execute (W^X without mprotect toggling), bump allocation, flush with
 * a callback, and atomic patching of chained jumps through the RW view.
 * See codebuf.h for the instruction-cache note.
 */
#include "accel/tcg/codebuf.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/error.h"

bool codebuf_init(CodeBuf *cb, size_t size, GError **errp)
{
    long page = sysconf(_SC_PAGESIZE);

    memset(cb, 0, sizeof(*cb));
    cb->fd = -1;
    if (size < 65536) {
        size = 65536;
    }
    size = (size + page - 1) & ~(size_t)(page - 1);

    cb->fd = memfd_create("tern-code", MFD_CLOEXEC);
    if (cb->fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "code buffer: memfd_create failed: %s", g_strerror(errno));
        return false;
    }
    if (ftruncate(cb->fd, size) < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "code buffer: cannot size to %zu bytes: %s", size,
                    g_strerror(errno));
        goto fail;
    }
    cb->rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, cb->fd, 0);
    if (cb->rw == MAP_FAILED) {
        cb->rw = NULL;
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "code buffer: cannot map writable view: %s", g_strerror(errno));
        goto fail;
    }
    cb->rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, cb->fd, 0);
    if (cb->rx == MAP_FAILED) {
        cb->rx = NULL;
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "code buffer: cannot map executable view: %s",
                    g_strerror(errno));
        goto fail;
    }
    cb->size = size;
    return true;

fail:
    codebuf_destroy(cb);
    return false;
}

void codebuf_destroy(CodeBuf *cb)
{
    if (cb->rw) {
        munmap(cb->rw, cb->size ? cb->size : 1);
    }
    if (cb->rx) {
        munmap(cb->rx, cb->size ? cb->size : 1);
    }
    if (cb->fd >= 0) {
        close(cb->fd);
    }
    memset(cb, 0, sizeof(*cb));
    cb->fd = -1;
}

void codebuf_set_flush_fn(CodeBuf *cb, CodeBufFlushFn fn, void *opaque)
{
    cb->flush_fn = fn;
    cb->flush_opaque = opaque;
}

uint8_t *codebuf_begin(CodeBuf *cb, size_t *avail)
{
    size_t start = (cb->used + 15) & ~(size_t)15;

    if (start > cb->size) {
        start = cb->size;
    }
    *avail = cb->size - start;
    return cb->rw + start;
}

void *codebuf_commit(CodeBuf *cb, size_t len)
{
    size_t start = (cb->used + 15) & ~(size_t)15;

    g_assert(start + len <= cb->size);
    cb->used = start + len;
    return cb->rx + start;
}

void codebuf_make_permanent(CodeBuf *cb)
{
    cb->base = (cb->used + 15) & ~(size_t)15;
}

void codebuf_flush(CodeBuf *cb)
{
    if (cb->flush_fn) {
        cb->flush_fn(cb->flush_opaque);
    }
    cb->used = cb->base;
    cb->flush_count++;
}

void codebuf_set_jump_target(CodeBuf *cb, uintptr_t jump_site, uintptr_t target)
{
    int64_t rel = (int64_t)target - (int64_t)(jump_site + 4);
    uint32_t *p = codebuf_rw_of(cb, (void *)jump_site);

    /* The backend aligns the field, so this store is a single atomic write. */
    g_assert((jump_site & 3) == 0);
    g_assert(codebuf_contains_rx(cb, jump_site));
    g_assert(rel == (int32_t)rel);
    __atomic_store_n(p, (uint32_t)(int32_t)rel, __ATOMIC_RELEASE);
}
