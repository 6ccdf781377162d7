#include "io/io_spool.h"

#include <stdlib.h>
#include <zlib.h>

#include "util/error.h"

#define SPOOL_CHUNK (1u << 20)

di_status io_spool_gzip(const char *path, io_os_handle *out, uint64_t *size, uint64_t max, di_error *err)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return di_fail(err, DI_E_IO, "%s: cannot open the gzip stream", path);
    unsigned char *buf = malloc(SPOOL_CHUNK);
    if (!buf) {
        gzclose(gz);
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", path);
    }
    io_os_handle h;
    di_status st = io_os_tempfile(&h, err);
    if (st != DI_OK) {
        free(buf);
        gzclose(gz);
        return st;
    }
    uint64_t total = 0;
    while (st == DI_OK) {
        int n = gzread(gz, buf, SPOOL_CHUNK);
        if (n < 0) {
            int zerr;
            const char *msg = gzerror(gz, &zerr);
            st = di_fail(err, DI_E_FORMAT, "%s: the gzip stream is damaged after %llu bytes: %s", path,
                         (unsigned long long)total, msg);
            break;
        }
        if (n == 0)
            break;
        if (total + (uint64_t)n > max) {
            st = di_fail(err, DI_E_LIMIT, "%s: decompresses to more than %llu bytes; refusing", path,
                         (unsigned long long)max);
            break;
        }
        if (io_os_write_all(h, total, buf, (size_t)n) != 0) {
            st = di_fail(err, DI_E_IO, "%s: cannot write the decompressed copy (disk full?)", path);
            break;
        }
        total += (uint64_t)n;
    }
    free(buf);
    gzclose(gz);
    if (st != DI_OK) {
        io_os_close(h);
        return st;
    }
    *out = h;
    *size = total;
    return DI_OK;
}
