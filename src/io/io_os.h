/* SPDX-License-Identifier: MIT */
/* The operating-system seam: open, size, positioned read, temporary file, close. */
#ifndef DI_IO_OS_H
#define DI_IO_OS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dumpinspect/dumpinspect.h"

#ifdef _WIN32
typedef void *io_os_handle;
#else
typedef int io_os_handle;
#endif

/* Open a regular file for reading; refuse (DI_E_IO, naming what it is) anything else
 * without blocking on it. name stands for path in messages. */
di_status io_os_open(const char *path, const char *name, io_os_handle *h, uint64_t *size, di_error *err);
/* Create or truncate path (UTF-8) for writing bytes as they are: binary mode, and on
 * Windows the wide API with long paths. NULL with errno set on failure. */
FILE *io_os_fopen_write(const char *path);
/* Standard input: when it is a regular file positioned at its start, *h is a new handle on
 * it and *size its size (read in place); otherwise *seekable is 0 and the caller reads it
 * with io_os_stdin_read. */
di_status io_os_stdin(io_os_handle *h, uint64_t *size, int *seekable, di_error *err);
/* Read up to len bytes of standard input: the count, 0 at its end, -1 with errno set. */
long io_os_stdin_read(void *buf, size_t len);
/* The folder temporary files go to (TMPDIR, else /tmp; on Windows GetTempPath's: TMP, else
 * TEMP) into buf, as UTF-8. */
const char *io_os_temp_dir(char *buf, size_t cap);
/* The name of the variable that chooses it, for messages. */
const char *io_os_temp_var(void);
/* Bytes free for an unprivileged user in folder dir; -1 when unknown. */
int io_os_free_space(const char *dir, uint64_t *bytes);
/* The regular files in folder dir (symlinks followed), as "dir/name" paths sorted by name
 * (byte order); *paths is heap memory released with io_os_free_list. At most max files. */
di_status io_os_list_dir(const char *dir, size_t max, char ***paths, size_t *count, di_error *err);
void io_os_free_list(char **paths, size_t count);
/* A new anonymous temporary file in io_os_temp_dir(), deleted when closed. */
di_status io_os_tempfile(io_os_handle *h, di_error *err);
/* 0 on success (all len bytes read), -1 with errno set otherwise. */
int io_os_pread(io_os_handle h, uint64_t off, void *buf, size_t len);
/* One buffer of a vectored read. */
typedef struct io_os_vec {
    void *base;
    size_t len;
} io_os_vec;
/* Read the buffers' bytes, in order, from off with one vectored read (at most 1024
 * buffers). nowait: only if the operating system's cache holds them all (Linux RWF_NOWAIT),
 * else return 1 at once (the buffers then hold nothing to rely on). 0 on success, -1 with
 * errno set. */
int io_os_preadv(io_os_handle h, uint64_t off, const io_os_vec *v, int n, int nowait);
int io_os_write_all(io_os_handle h, uint64_t off, const void *buf, size_t len);
void io_os_close(io_os_handle h);
/* len bytes for a large, long-lived buffer (the page cache), cheap to fill; NULL when out
 * of memory. Release with io_os_free_big. */
void *io_os_alloc_big(size_t len);
void io_os_free_big(void *p);
/* Whether standard error is a terminal (a console on Windows). */
int io_os_stderr_is_terminal(void);
/* A monotonic clock, in seconds. */
double io_os_now(void);

#endif
