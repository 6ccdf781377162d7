/* The operating-system seam: open, size, positioned read, temporary file, close. */
#ifndef DI_IO_OS_H
#define DI_IO_OS_H

#include <stddef.h>
#include <stdint.h>

#include "dumpinspect/dumpinspect.h"

#ifdef _WIN32
typedef void *io_os_handle;
#else
typedef int io_os_handle;
#endif

/* Open a regular file for reading; refuse (DI_E_IO, naming what it is) anything else
 * without blocking on it. */
di_status io_os_open(const char *path, io_os_handle *h, uint64_t *size, di_error *err);
/* A new anonymous temporary file, deleted when closed. */
di_status io_os_tempfile(io_os_handle *h, di_error *err);
/* 0 on success (all len bytes read), -1 with errno set otherwise. */
int io_os_pread(io_os_handle h, uint64_t off, void *buf, size_t len);
int io_os_write_all(io_os_handle h, uint64_t off, const void *buf, size_t len);
void io_os_close(io_os_handle h);

#endif
