/* SPDX-License-Identifier: MIT */
/* Decompress (or copy) a delivery into a temporary file so the dump layers can use
 * positioned reads. */
#ifndef DI_IO_SPOOL_H
#define DI_IO_SPOOL_H

#include "io/io_file.h"
#include "io/io_os.h"

/* Where the bytes come from: fill() delivers up to cap bytes into buf (*got < cap only at
 * the end); done is the count already delivered, for messages. */
typedef struct io_spool_src {
    di_status (*fill)(void *ctx, unsigned char *buf, size_t cap, size_t *got, uint64_t done, di_error *err);
    void *ctx;
    const char *name;     /* the delivery, in messages */
    const char *what;     /* "gzip-compressed, but what it holds": the sniff refusal's subject */
    uint64_t stated_size; /* the size the container states for the content; 0 when unknown */
    const uint64_t *in_pos; /* input consumed so far (for progress); may be NULL */
    uint64_t in_size;     /* input size, 0 when unknown */
    int copy;             /* a plain copy, not a decompression (for messages) */
} io_spool_src;

typedef struct io_spool_opts {
    io_sniff_fn sniff;     /* NULL: accept anything */
    int accept_containers; /* a container io_open understands also passes the sniff */
    uint64_t max;
    di_progress_fn progress;
    void *progress_ctx;
} io_spool_opts;

/* Spool src into a new temporary file: the first chunk is shown to the sniff before
 * anything is written (DI_E_FORMAT when refused), the free space of the temporary folder is
 * checked against a stated size, output over max bytes is refused (DI_E_LIMIT). */
di_status io_spool(const io_spool_src *src, const io_spool_opts *o, io_os_handle *out, uint64_t *size, di_error *err);

/* Inflate the gzip stream in src (src_size bytes, already open). */
di_status io_spool_gzip(io_os_handle src, uint64_t src_size, const char *name, const io_spool_opts *o,
                        io_os_handle *out, uint64_t *size, di_error *err);

/* Copy standard input (not seekable) to a temporary file. */
di_status io_spool_stdin(const io_spool_opts *o, io_os_handle *out, uint64_t *size, di_error *err);

/* Containers recognised by their first bytes. */
typedef enum io_container {
    IO_PLAIN, IO_GZIP, IO_XZ, IO_ZSTD, IO_BZIP2, IO_ZIP, IO_CAB
} io_container;
io_container io_container_of(const uint8_t *head, size_t n);
/* "none", "gzip", "xz", "zstd", "bzip2", "zip", "cab". */
const char *io_container_name(io_container c);

/* Through libarchive: a single-stream filter (xz, zstd, bzip2), or the dump member of a zip
 * or CAB archive (member: the one asked for, or NULL for the single *.dmp inside). The
 * archive is read from src with positioned reads; *member_out gets the member's name
 * (heap) for archives. */
di_status io_spool_archive(io_container kind, io_os_handle src, uint64_t src_size, const char *name,
                           const char *member, const io_spool_opts *o, io_os_handle *out, uint64_t *size,
                           char **member_out, di_error *err);

/* libarchive's version, for --version. */
const char *io_archive_version(void);

#endif
