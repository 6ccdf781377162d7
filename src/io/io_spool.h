/* Decompress a delivery into a temporary file so the dump layers can use positioned reads. */
#ifndef DI_IO_SPOOL_H
#define DI_IO_SPOOL_H

#include "io/io_os.h"

/* Inflate the gzip file at path into a new temporary file; refuse output over max bytes. */
di_status io_spool_gzip(const char *path, io_os_handle *out, uint64_t *size, uint64_t max, di_error *err);

#endif
