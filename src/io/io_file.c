/* SPDX-License-Identifier: MIT */
#include "io/io_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "io/io_file_priv.h"
#include "io/io_name.h"
#include "io/io_os.h"
#include "io/io_spool.h"
#include "util/error.h"


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
    if (!path) {
        *out = NULL;
        return di_fail(err, DI_E_ARG, "io_open: no path given");
    }
    io_open_opts o = {.spool_max = spool_max, .sniff = sniff};
    return io_open_ex(path, &o, out, err);
}

/* The source itself: a file, standard input in place, or standard input copied. */
static di_status open_source(const char *path, io_file *f, const io_spool_opts *so, di_error *err)
{
    if (path)
        return io_os_open(path, f->path, &f->h, &f->size, err);
    int seekable;
    di_status st = io_os_stdin(&f->h, &f->size, &seekable, err);
    if (st != DI_OK || seekable)
        return st;
    /* A pipe: copied as it comes, once its first bytes look like a dump or a container. */
    io_spool_opts copy = *so;
    copy.accept_containers = 1;
    return io_spool_stdin(&copy, &f->h, &f->size, err);
}

/* Replace the source by its decompressed content when it is a container. */
static di_status unpack(io_file *f, const io_open_opts *o, const io_spool_opts *so, di_error *err)
{
    uint8_t magic[8];
    size_t n = f->size < sizeof magic ? (size_t)f->size : sizeof magic;
    if (n && io_os_pread(f->h, 0, magic, n) != 0)
        return di_fail(err, DI_E_IO, "%s: read error at file offset 0x0: %s", f->path, strerror(errno));
    f->container = io_container_of(magic, n);
    if (f->container == IO_PLAIN) {
        if (o->member)
            return di_fail(err, DI_E_ARG, "%s: --member applies to zip and CAB archives, and this is not one",
                           f->path);
        return DI_OK;
    }
    io_os_handle spooled;
    uint64_t spooled_size;
    di_status st;
    if (f->container == IO_GZIP) {
        st = o->member ? di_fail(err, DI_E_ARG, "%s: --member applies to zip and CAB archives, and this is gzip",
                                 f->path)
                       : io_spool_gzip(f->h, f->size, f->path, so, &spooled, &spooled_size, err);
    } else {
        st = io_spool_archive(f->container, f->h, f->size, f->path, o->member, so, &spooled, &spooled_size,
                              &f->member, err);
    }
    if (st != DI_OK)
        return st;
    io_os_close(f->h);
    f->h = spooled;
    f->size = spooled_size;
    return DI_OK;
}

di_status io_open_ex(const char *path, const io_open_opts *o, io_file **out, di_error *err)
{
    *out = NULL;
    io_file *f = calloc(1, sizeof *f);
    if (!f)
        return di_fail(err, DI_E_NOMEM, "out of memory");
    f->path = path ? io_display_name(path) : dup_str("<stdin>");
    if (!f->path) {
        free(f);
        return di_fail(err, DI_E_NOMEM, "out of memory");
    }
    io_spool_opts so = {.sniff = o->sniff,
                        .max = o->spool_max ? o->spool_max : IO_SPOOL_MAX,
                        .progress = o->progress,
                        .progress_ctx = o->progress_ctx};
    di_status st = open_source(path, f, &so, err);
    if (st != DI_OK) {
        free(f->path);
        free(f);
        return st;
    }
    st = unpack(f, o, &so, err);
    if (st != DI_OK) {
        io_close(f);
        return st;
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
    io_pool_free(f->pool);
    free(f->scratch);
    if (!f->in_memory)
        io_os_close(f->h);
    free(f->member);
    free(f->path);
    free(f);
}

uint64_t io_size(const io_file *f) { return f->size; }
const char *io_path(const io_file *f) { return f->path; }
const char *io_compression(const io_file *f) { return io_container_name(f->container); }
const char *io_member(const io_file *f) { return f->member; }
const char *io_zlib_version(void) { return zlibVersion(); }
const char *io_libarchive_version(void) { return io_archive_version(); }
uint64_t io_read_count(const io_file *f) { return f->reads; }
void io_set_latency(io_file *f, unsigned us) { f->latency_us = us; }

int io_read_at(io_file *f, uint64_t off, void *buf, size_t len)
{
    if (f->in_memory) {
        if (len)
            memcpy(buf, f->mem + (size_t)off, len);
        return 0;
    }
    if (f->latency_us)
        io_sleep_us(f->latency_us);
    return io_os_pread(f->h, off, buf, len);
}

di_status io_pread(io_file *f, uint64_t off, void *buf, size_t len, di_error *err)
{
    if (off > f->size || len > f->size - off)
        return di_fail(err, DI_E_OUT_OF_FILE,
                       "%s: read of %zu bytes at file offset 0x%llx passes the end of the file (%llu bytes)",
                       f->path, len, (unsigned long long)off, (unsigned long long)f->size);
    f->reads++;
    if (io_read_at(f, off, buf, len) != 0)
        return di_fail(err, DI_E_IO, "%s: read error at file offset 0x%llx: %s", f->path,
                       (unsigned long long)off, strerror(errno));
    return DI_OK;
}
