/* SPDX-License-Identifier: MIT */
/* A small pool of reader threads, so that independent reads of a dump wait on the disk (or
 * a network share) together instead of one after another. The operating-system seam for
 * threads: POSIX threads, or Windows threads with a slim reader/writer lock. */
#ifndef DI_IO_POOL_H
#define DI_IO_POOL_H

#include <stddef.h>

typedef struct io_pool io_pool;

/* A pool of at most nthreads workers, started as jobs need them; NULL when out of memory
 * (io_pool_run then works alone, as it does when no worker can be started). */
io_pool *io_pool_new(unsigned nthreads);
void io_pool_free(io_pool *p);

/* Call fn(ctx, i) once for every i below n, on the workers and the calling thread, and
 * return when all calls have returned. p may be NULL: the calls are then made in order.
 * Not re-entrant: one caller at a time per pool. */
void io_pool_run(io_pool *p, size_t n, void (*fn)(void *ctx, size_t i), void *ctx);

/* Sleep for us microseconds (the benchmark's simulated read latency). */
void io_sleep_us(unsigned us);

#endif
