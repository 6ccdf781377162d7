/* SPDX-License-Identifier: MIT */
/* The byte source's state, shared by io_file.c (opening, single reads) and io_batch.c
 * (batched reads). Nothing outside src/io includes this. */
#ifndef DI_IO_FILE_PRIV_H
#define DI_IO_FILE_PRIV_H

#include "io/io_file.h"
#include "io/io_name.h"
#include "io/io_os.h"
#include "io/io_pool.h"
#include "io/io_spool.h"

struct io_file {
    io_os_handle h;          /* file backend */
    const uint8_t *mem;      /* memory backend: the caller's bytes (borrowed) */
    int in_memory;
    uint64_t size;
    uint64_t reads;          /* positioned reads issued (a merged batch read counts once) */
    uint64_t batches;        /* batches with more than one read, issued together */
    unsigned latency_us;     /* simulated per-read latency (benchmark), 0 = none */
    io_pool *pool;           /* started by the first batch that needs it */
    int pool_failed;         /* no threads could be started: batches run serially */
    uint8_t *scratch;        /* where batched reads put the holes they read across */
    size_t scratch_cap;
    io_container container;
    char *member;
    char *path;
};

/* One positioned read of an in-bounds range (the caller checked), with the simulated
 * latency: 0, or -1 with errno set. Safe to call from several threads at once. */
int io_read_at(io_file *f, uint64_t off, void *buf, size_t len);

#endif
