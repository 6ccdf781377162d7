/* SPDX-License-Identifier: MIT */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#endif
#include "io/io_pool.h"

#include <stdlib.h>

#ifdef _WIN32
#include <windows.h>
typedef SRWLOCK pool_lock;
typedef CONDITION_VARIABLE pool_cond;
typedef HANDLE pool_thread;
#define LOCK(l) AcquireSRWLockExclusive(l)
#define UNLOCK(l) ReleaseSRWLockExclusive(l)
#define WAIT(c, l) SleepConditionVariableSRW(c, l, INFINITE, 0)
#define WAKE_ALL(c) WakeAllConditionVariable(c)
#define WAKE_ONE(c) WakeConditionVariable(c)
#else
#include <pthread.h>
#include <time.h>
typedef pthread_mutex_t pool_lock;
typedef pthread_cond_t pool_cond;
typedef pthread_t pool_thread;
#define LOCK(l) pthread_mutex_lock(l)
#define UNLOCK(l) pthread_mutex_unlock(l)
#define WAIT(c, l) pthread_cond_wait(c, l)
#define WAKE_ALL(c) pthread_cond_broadcast(c)
#define WAKE_ONE(c) pthread_cond_signal(c)
#endif

struct io_pool {
    pool_lock lock;
    pool_cond work;     /* a job was posted, or the pool stops */
    pool_cond finished; /* the last call of a job returned */
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    size_t n, next, done;
    int stop;
    unsigned nthreads, max_threads; /* started so far; at most */
    pool_thread threads[];
};

/* Take calls of the current job until none is left; called with the lock held. */
static void drain(io_pool *p)
{
    while (p->next < p->n) {
        size_t i = p->next++;
        void (*fn)(void *, size_t) = p->fn;
        void *ctx = p->ctx;
        UNLOCK(&p->lock);
        fn(ctx, i);
        LOCK(&p->lock);
        if (++p->done == p->n)
            WAKE_ALL(&p->finished);
    }
}

static void worker(io_pool *p)
{
    LOCK(&p->lock);
    for (;;) {
        while (!p->stop && p->next >= p->n)
            WAIT(&p->work, &p->lock);
        if (p->stop)
            break;
        drain(p);
    }
    UNLOCK(&p->lock);
}

#ifdef _WIN32
static DWORD WINAPI worker_main(LPVOID arg)
{
    worker(arg);
    return 0;
}

static int start(io_pool *p, unsigned i)
{
    p->threads[i] = CreateThread(NULL, 64 * 1024, worker_main, p, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    return p->threads[i] ? 0 : -1;
}

static void join(io_pool *p, unsigned i)
{
    WaitForSingleObject(p->threads[i], INFINITE);
    CloseHandle(p->threads[i]);
}

static int init_sync(io_pool *p)
{
    InitializeSRWLock(&p->lock);
    InitializeConditionVariable(&p->work);
    InitializeConditionVariable(&p->finished);
    return 0;
}

static void free_sync(io_pool *p) { (void)p; }

void io_sleep_us(unsigned us) { Sleep((us + 999) / 1000); }
#else
static void *worker_main(void *arg)
{
    worker(arg);
    return NULL;
}

static int start(io_pool *p, unsigned i)
{
    pthread_attr_t a;
    if (pthread_attr_init(&a) != 0)
        return -1;
    pthread_attr_setstacksize(&a, 64 * 1024); /* the workers only copy bytes */
    int rc = pthread_create(&p->threads[i], &a, worker_main, p);
    pthread_attr_destroy(&a);
    return rc == 0 ? 0 : -1;
}

static void join(io_pool *p, unsigned i) { pthread_join(p->threads[i], NULL); }

static int init_sync(io_pool *p)
{
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return -1;
    if (pthread_cond_init(&p->work, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        return -1;
    }
    if (pthread_cond_init(&p->finished, NULL) != 0) {
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->lock);
        return -1;
    }
    return 0;
}

static void free_sync(io_pool *p)
{
    pthread_cond_destroy(&p->finished);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
}

void io_sleep_us(unsigned us)
{
    struct timespec ts = {.tv_sec = us / 1000000u, .tv_nsec = (long)(us % 1000000u) * 1000L};
    while (nanosleep(&ts, &ts) != 0)
        ; /* interrupted: sleep the rest */
}
#endif

static void stop_all(io_pool *p)
{
    LOCK(&p->lock);
    p->stop = 1;
    WAKE_ALL(&p->work);
    UNLOCK(&p->lock);
    for (unsigned i = 0; i < p->nthreads; i++)
        join(p, i);
}

io_pool *io_pool_new(unsigned nthreads)
{
    if (nthreads == 0)
        return NULL;
    io_pool *p = calloc(1, sizeof *p + (size_t)nthreads * sizeof p->threads[0]);
    if (!p)
        return NULL;
    if (init_sync(p) != 0) {
        free(p);
        return NULL;
    }
    p->max_threads = nthreads; /* started as jobs need them (io_pool_run) */
    return p;
}

void io_pool_free(io_pool *p)
{
    if (!p)
        return;
    stop_all(p);
    free_sync(p);
    free(p);
}

void io_pool_run(io_pool *p, size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
    if (!p || n < 2) {
        for (size_t i = 0; i < n; i++)
            fn(ctx, i);
        return;
    }
    /* Workers are started as a job first needs them: the caller takes one call itself.
     * Until a job is posted they only wait, so starting them here races with nothing. */
    while (p->nthreads < p->max_threads && p->nthreads + 1 < n && start(p, p->nthreads) == 0)
        p->nthreads++;
    LOCK(&p->lock);
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    p->next = p->done = 0;
    /* Wake only as many workers as there are calls beyond the caller's own. */
    for (size_t k = 1; k < n && k <= p->nthreads; k++)
        WAKE_ONE(&p->work);
    drain(p);
    while (p->done < p->n)
        WAIT(&p->finished, &p->lock);
    p->n = p->next = p->done = 0;
    UNLOCK(&p->lock);
}
