/* SPDX-License-Identifier: MIT */
/* Byte sources. The only layer that talks to the operating system: a file (or standard
 * input) read with positioned reads, a compressed delivery (gzip, xz, zstd, bzip2, a zip or
 * CAB archive) or a piped standard input spooled to a temporary file first, or a caller's
 * buffer already in memory. Every read is bounds-checked against the source's size. */
#ifndef DI_IO_FILE_H
#define DI_IO_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "dumpinspect/dumpinspect.h"

typedef struct io_file io_file;

/* Says whether the first n decompressed bytes (the first chunk, or all of a shorter stream)
 * may begin a file the caller wants; nonzero to accept. */
typedef int (*io_sniff_fn)(const uint8_t *head, size_t n);

/* Open path for reading. Anything but a regular file (a FIFO, socket, device or
 * directory) is refused with DI_E_IO before it is opened for reading. A gzip-compressed
 * file is decompressed to a temporary file (at most IO_SPOOL_MAX bytes) and read from
 * there; io_compression() says so. */
di_status io_open(const char *path, io_file **out, di_error *err);
/* The same with an explicit bound on the decompressed size, and an optional sniff
 * (NULL: none): compressed content it rejects is refused (DI_E_FORMAT) before any of it is
 * written to the temporary file. */
di_status io_open_limited(const char *path, uint64_t spool_max, io_sniff_fn sniff, io_file **out, di_error *err);

typedef struct io_open_opts {
    uint64_t spool_max;      /* bound on any decompressed or copied delivery */
    io_sniff_fn sniff;       /* NULL: none */
    const char *member;      /* the archive member to read; NULL: the single *.dmp inside */
    di_progress_fn progress; /* called while spooling; NULL: none */
    void *progress_ctx;
} io_open_opts;
/* The general form: path NULL reads standard input (named "<stdin>"): a regular file is
 * read in place, anything else is copied to a temporary file first. Containers are told by
 * their first bytes. An archive with no *.dmp member is DI_E_UNSUPPORTED; with several (or
 * without the member asked for) DI_E_ARG, listing them. */
di_status io_open_ex(const char *path, const io_open_opts *o, io_file **out, di_error *err);
/* Read from len bytes at data instead of a file (fuzzers, embedders). The memory is
 * borrowed, not copied: it must stay valid and unchanged until io_close. name stands in
 * for the path in messages ("<memory>" when NULL). No decompression is attempted. */
di_status io_open_memory(const void *data, size_t len, const char *name, io_file **out, di_error *err);
void io_close(io_file *f);

uint64_t io_size(const io_file *f);
/* The name for messages and the report: the path as given, made valid UTF-8 (invalid
 * bytes become U+FFFD), or "<stdin>". */
const char *io_path(const io_file *f);
/* "none", "gzip", "xz", "zstd", "bzip2", "zip" or "cab". */
const char *io_compression(const io_file *f);
/* The archive member read (valid UTF-8), or NULL when the delivery is no archive. */
const char *io_member(const io_file *f);
/* zlib's and libarchive's versions, for --version. */
const char *io_zlib_version(void);
const char *io_libarchive_version(void);

/* Read exactly len bytes at off. DI_E_OUT_OF_FILE when the range passes the end. */
di_status io_pread(io_file *f, uint64_t off, void *buf, size_t len, di_error *err);

/* One read of a batch: len bytes at off into buf; ok is set by io_pread_batch. */
typedef struct io_req {
    uint64_t off;
    uint8_t *buf;
    uint32_t len;
    int ok;
} io_req;

/* Read every request of a batch: requests that touch or lie close together in the file are
 * merged into one read, and the reads are issued together on a few threads, so a batch
 * costs about one read's latency rather than one per request. Each request's ok says
 * whether its bytes arrived (a request passing the end of the file, or a failed read, is
 * not ok); nothing else is reported, because batches are speculative: the caller reads a
 * page it still needs with io_pread, which says what went wrong. */
void io_pread_batch(io_file *f, io_req *reqs, size_t n);

/* Number of positioned reads issued (a merged read counts once), and of batches that
 * issued several reads together, for the benchmark's metrics. */
uint64_t io_read_count(const io_file *f);
uint64_t io_batch_count(const io_file *f);

/* Benchmarks: every later read from the file first sleeps us microseconds in the thread
 * that issues it, standing for a network share's round trip. */
void io_set_latency(io_file *f, unsigned us);

#define IO_SPOOL_MAX ((uint64_t)64 << 30)

#endif
