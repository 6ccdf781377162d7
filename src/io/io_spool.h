/* Decompress a delivery into a temporary file so the dump layers can use positioned reads. */
#ifndef DI_IO_SPOOL_H
#define DI_IO_SPOOL_H

#include "io/io_file.h"
#include "io/io_os.h"

/* Inflate the gzip stream in src (src_size bytes, already open; path names it in messages)
 * into a new temporary file; refuse output over max bytes. When sniff is given, the first
 * decompressed chunk is shown to it before anything is written, and a stream it rejects is
 * refused (DI_E_FORMAT) without being spooled. */
di_status io_spool_gzip(io_os_handle src, uint64_t src_size, const char *path, io_sniff_fn sniff, uint64_t max,
                        io_os_handle *out, uint64_t *size, di_error *err);

#endif
