#include "io/io_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_os.h"
#include "io/io_spool.h"
#include "util/error.h"

struct io_file {
    io_os_handle h;          /* file backend */
    const uint8_t *mem;      /* memory backend: the caller's bytes (borrowed) */
    int in_memory;
    uint64_t size;
    uint64_t reads;
    int gzip;
    char *path;
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

di_status io_open(const char *path, io_file **out, di_error *err)
{
    return io_open_limited(path, IO_SPOOL_MAX, NULL, out, err);
}

di_status io_open_limited(const char *path, uint64_t spool_max, io_sniff_fn sniff, io_file **out, di_error *err)
{
    *out = NULL;
    io_file *f = calloc(1, sizeof *f);
    if (!f)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", path);
    f->path = dup_str(path);
    if (!f->path) {
        free(f);
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", path);
    }
    di_status st = io_os_open(path, &f->h, &f->size, err);
    if (st != DI_OK) {
        free(f->path);
        free(f);
        return st;
    }
    uint8_t magic[2];
    if (f->size >= 2 && io_os_pread(f->h, 0, magic, 2) == 0 && magic[0] == 0x1f && magic[1] == 0x8b) {
        io_os_handle spooled;
        uint64_t spooled_size;
        st = io_spool_gzip(f->h, f->size, path, sniff, spool_max, &spooled, &spooled_size, err);
        io_os_close(f->h);
        if (st != DI_OK) {
            free(f->path);
            free(f);
            return st;
        }
        f->h = spooled;
        f->size = spooled_size;
        f->gzip = 1;
    }
    *out = f;
    return DI_OK;
}

di_status io_open_memory(const void *data, size_t len, const char *name, io_file **out, di_error *err)
{
    if (!out)
        return di_fail(err, DI_E_ARG, "io_open_memory: no output given");
    *out = NULL;
    if (!name)
        name = "<memory>";
    if (!data && len)
        return di_fail(err, DI_E_ARG, "%s: no buffer given for %zu bytes", name, len);
    io_file *f = calloc(1, sizeof *f);
    if (!f)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", name);
    f->path = dup_str(name);
    if (!f->path) {
        free(f);
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", name);
    }
    f->mem = data;
    f->in_memory = 1;
    f->size = len;
    *out = f;
    return DI_OK;
}

void io_close(io_file *f)
{
    if (!f)
        return;
    if (!f->in_memory)
        io_os_close(f->h);
    free(f->path);
    free(f);
}

uint64_t io_size(const io_file *f) { return f->size; }
const char *io_path(const io_file *f) { return f->path; }
const char *io_compression(const io_file *f) { return f->gzip ? "gzip" : "none"; }
uint64_t io_read_count(const io_file *f) { return f->reads; }

di_status io_pread(io_file *f, uint64_t off, void *buf, size_t len, di_error *err)
{
    if (off > f->size || len > f->size - off)
        return di_fail(err, DI_E_OUT_OF_FILE,
                       "%s: read of %zu bytes at file offset 0x%llx passes the end of the file (%llu bytes)",
                       f->path, len, (unsigned long long)off, (unsigned long long)f->size);
    f->reads++;
    if (f->in_memory) {
        if (len)
            memcpy(buf, f->mem + (size_t)off, len);
        return DI_OK;
    }
    if (io_os_pread(f->h, off, buf, len) != 0)
        return di_fail(err, DI_E_IO, "%s: read error at file offset 0x%llx: %s", f->path,
                       (unsigned long long)off, strerror(errno));
    return DI_OK;
}
