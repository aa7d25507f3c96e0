/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Worker-thread pool for blocking I/O. Submitters append to a bounded
 * queue under a mutex; workers start lazily up to a limit. Finished jobs
 * are pushed onto a lock-free LIFO and an eventfd is poked only when the
 * list was empty, so a burst of completions costs one wake-up of the main
 * loop. The consumer clears the eventfd before taking the list: a job
 * pushed after that finds the list empty again and pokes again.
 */
#include "block/aio-pool.h"

#include <errno.h>
#include <glib-unix.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

typedef struct AioJob {
    struct AioJob *next;
    AioPoolFunc *fn;
    AioPoolDoneFunc *done;
    void *opaque;
    int ret;
} AioJob;

struct AioPool {
    GMutex lock;
    GCond work;             /* a job was queued, or stopping */
    GCond space;            /* the queue has room */
    GQueue queue;           /* of AioJob, waiting for a worker */
    int max_threads;
    int max_queued;
    int nthreads;
    int idle;               /* workers waiting on work */
    bool stopping;
    GPtrArray *threads;

    AioJob *done_head;      /* atomic: finished jobs, newest first */
    int efd;
    guint source_id;
};

static void aio_pool_push_done(AioPool *pool, AioJob *job)
{
    AioJob *old;

    do {
        old = g_atomic_pointer_get(&pool->done_head);
        job->next = old;
    } while (!g_atomic_pointer_compare_and_exchange(&pool->done_head, old, job));
    if (!old) {
        uint64_t one = 1;
        ssize_t r;

        do {
            r = write(pool->efd, &one, sizeof(one));
        } while (r < 0 && errno == EINTR);
    }
}

static gpointer aio_pool_worker(gpointer opaque)
{
    AioPool *pool = opaque;

    g_mutex_lock(&pool->lock);
    for (;;) {
        AioJob *job;

        while (!pool->stopping && g_queue_is_empty(&pool->queue)) {
            pool->idle++;
            g_cond_wait(&pool->work, &pool->lock);
            pool->idle--;
        }
        job = g_queue_pop_head(&pool->queue);
        if (!job) {
            break;      /* stopping with nothing left */
        }
        g_cond_signal(&pool->space);
        g_mutex_unlock(&pool->lock);

        job->ret = job->fn(job->opaque);
        aio_pool_push_done(pool, job);

        g_mutex_lock(&pool->lock);
    }
    g_mutex_unlock(&pool->lock);
    return NULL;
}

/* Oldest first, so callbacks see completions roughly in finishing order. */
static AioJob *aio_pool_take_done(AioPool *pool)
{
    AioJob *list = g_atomic_pointer_exchange(&pool->done_head, NULL);
    AioJob *rev = NULL;

    while (list) {
        AioJob *next = list->next;

        list->next = rev;
        rev = list;
        list = next;
    }
    return rev;
}

static void aio_pool_clear_efd(AioPool *pool)
{
    uint64_t v;
    ssize_t r;

    do {
        r = read(pool->efd, &v, sizeof(v));
    } while (r < 0 && errno == EINTR);
}

int aio_pool_run_completions(AioPool *pool, bool wait)
{
    int n = 0;

    for (;;) {
        AioJob *job;

        aio_pool_clear_efd(pool);
        job = aio_pool_take_done(pool);
        while (job) {
            AioJob *next = job->next;

            if (job->done) {
                job->done(job->opaque, job->ret);
            }
            g_free(job);
            job = next;
            n++;
        }
        if (n || !wait) {
            return n;
        }
        /*
         * The timeout only guards against another thread having consumed
         * our wake-up; completions are re-checked after every return.
         */
        struct pollfd pfd = { .fd = pool->efd, .events = POLLIN };
        poll(&pfd, 1, 100);
    }
}

static gboolean aio_pool_fd_ready(gint fd, GIOCondition cond, gpointer opaque)
{
    aio_pool_run_completions(opaque, false);
    return G_SOURCE_CONTINUE;
}

AioPool *aio_pool_new(int max_threads, int max_queued)
{
    AioPool *pool = g_new0(AioPool, 1);

    g_assert(max_threads > 0 && max_queued > 0);
    g_mutex_init(&pool->lock);
    g_cond_init(&pool->work);
    g_cond_init(&pool->space);
    g_queue_init(&pool->queue);
    pool->max_threads = max_threads;
    pool->max_queued = max_queued;
    pool->threads = g_ptr_array_new();
    pool->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (pool->efd < 0) {
        g_error("aio pool: eventfd: %s", g_strerror(errno));
    }
    pool->source_id = g_unix_fd_add(pool->efd, G_IO_IN, aio_pool_fd_ready, pool);
    return pool;
}

void aio_pool_submit(AioPool *pool, AioPoolFunc *fn, AioPoolDoneFunc *done,
                     void *opaque)
{
    AioJob *job = g_new0(AioJob, 1);

    job->fn = fn;
    job->done = done;
    job->opaque = opaque;

    g_mutex_lock(&pool->lock);
    g_assert(!pool->stopping);
    while ((int)g_queue_get_length(&pool->queue) >= pool->max_queued) {
        g_cond_wait(&pool->space, &pool->lock);
    }
    g_queue_push_tail(&pool->queue, job);
    if ((int)g_queue_get_length(&pool->queue) > pool->idle &&
        pool->nthreads < pool->max_threads) {
        GThread *t = g_thread_new("tern-aio", aio_pool_worker, pool);

        g_ptr_array_add(pool->threads, t);
        pool->nthreads++;
    }
    g_cond_signal(&pool->work);
    g_mutex_unlock(&pool->lock);
}

void aio_pool_free(AioPool *pool)
{
    AioJob *job;

    if (!pool) {
        return;
    }
    g_mutex_lock(&pool->lock);
    pool->stopping = true;
    g_cond_broadcast(&pool->work);
    g_mutex_unlock(&pool->lock);
    for (guint i = 0; i < pool->threads->len; i++) {
        g_thread_join(g_ptr_array_index(pool->threads, i));
    }
    g_ptr_array_free(pool->threads, TRUE);
    g_source_remove(pool->source_id);
    job = aio_pool_take_done(pool);
    while (job) {
        AioJob *next = job->next;

        g_free(job);
        job = next;
    }
    close(pool->efd);
    g_cond_clear(&pool->work);
    g_cond_clear(&pool->space);
    g_mutex_clear(&pool->lock);
    g_free(pool);
}

AioPool *aio_pool_get_default(void)
{
    static gsize once;
    static AioPool *pool;

    if (g_once_init_enter(&once)) {
        pool = aio_pool_new(8, 4096);
        g_once_init_leave(&once, 1);
    }
    return pool;
}
