/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The translated-code buffer: one memfd mapped twice, a read-write view the
 * code generator writes through and a read-execute view the CPU runs, so no
 * page is ever writable and executable at once. Space is handed out by bump
 * allocation; when it runs out the owner calls codebuf_flush, which tells
 * the block cache (callback) to forget everything and starts over after the
 * permanent prologue area.
 *
 * Instruction-cache coherence: x86 keeps instruction fetch coherent with
 * data writes to the same physical page, even through another virtual
 * mapping, so writing through the RW view needs no explicit flush; a
 * jump to the new code serializes enough. Other hosts would need
 * __builtin___clear_cache on the RX range in codebuf_commit.
 */
#ifndef ACCEL_TCG_CODEBUF_H
#define ACCEL_TCG_CODEBUF_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*CodeBufFlushFn)(void *opaque);

typedef struct CodeBuf {
    int fd;
    uint8_t *rw;            /* writable view */
    uint8_t *rx;            /* executable view */
    size_t size;
    size_t base;            /* permanent area (prologue) ends here */
    size_t used;            /* bump pointer */
    unsigned flush_count;
    CodeBufFlushFn flush_fn;
    void *flush_opaque;
} CodeBuf;

/* Map a buffer of size bytes (rounded up to pages). */
bool codebuf_init(CodeBuf *cb, size_t size, GError **errp);
void codebuf_destroy(CodeBuf *cb);
void codebuf_set_flush_fn(CodeBuf *cb, CodeBufFlushFn fn, void *opaque);

/* Start writing at the next free, 16-byte aligned spot; *avail gets room. */
uint8_t *codebuf_begin(CodeBuf *cb, size_t *avail);
/* Keep len bytes written at the pointer codebuf_begin returned. */
void *codebuf_commit(CodeBuf *cb, size_t len);
/* Make everything committed so far permanent (survives flushes). */
void codebuf_make_permanent(CodeBuf *cb);
/* Drop all non-permanent code; calls the flush callback first. */
void codebuf_flush(CodeBuf *cb);

static inline void *codebuf_rx_of(const CodeBuf *cb, const void *rw)
{
    return (uint8_t *)rw - cb->rw + cb->rx;
}

static inline void *codebuf_rw_of(const CodeBuf *cb, const void *rx)
{
    return (uint8_t *)rx - cb->rx + cb->rw;
}

static inline bool codebuf_contains_rx(const CodeBuf *cb, uintptr_t rx)
{
    return rx >= (uintptr_t)cb->rx && rx < (uintptr_t)cb->rx + cb->size;
}

/*
 * Retarget a patchable jump (goto_tb). jump_site is the RX address of the
 * jump's 4-byte aligned rel32 field; the field is rewritten atomically
 * through the RW view so a CPU executing the jump sees old or new target.
 */
void codebuf_set_jump_target(CodeBuf *cb, uintptr_t jump_site, uintptr_t target);

#endif
