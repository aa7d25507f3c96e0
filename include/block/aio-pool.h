/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A pool of worker threads for blocking work (preadv, fdatasync...). Jobs
 * run on a worker; their completion functions run in the main thread from
 * an eventfd source on the GLib default main context, or from whoever
 * calls aio_pool_run_completions(). Finished jobs travel through a
 * lock-free list so a worker never waits for the main thread.
 */
#ifndef BLOCK_AIO_POOL_H
#define BLOCK_AIO_POOL_H

#include <glib.h>
#include <stdbool.h>

typedef struct AioPool AioPool;

typedef int AioPoolFunc(void *opaque);                 /* worker thread */
typedef void AioPoolDoneFunc(void *opaque, int ret);   /* main thread */

/*
 * At most max_threads workers (started on demand) and max_queued jobs
 * waiting; a submit beyond that blocks until a worker takes one.
 */
AioPool *aio_pool_new(int max_threads, int max_queued);
/* Waits for queued and running jobs, drops their completions unrun. */
void aio_pool_free(AioPool *pool);
/* The process-wide pool the block layer uses, created on first use. */
AioPool *aio_pool_get_default(void);

void aio_pool_submit(AioPool *pool, AioPoolFunc *fn, AioPoolDoneFunc *done,
                     void *opaque);
/*
 * Run finished jobs' completion functions in the calling thread. With
 * wait, block until at least one has run. Returns how many ran.
 */
int aio_pool_run_completions(AioPool *pool, bool wait);

#endif
