/* SPDX-License-Identifier: MIT */
#include "io/io_spool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/error.h"

#define SPOOL_CHUNK (1u << 20) /* bytes per write; also what sniff sees */
#define INPUT_CHUNK (1u << 18) /* compressed bytes per read */
#define SHOWN_BYTES 8          /* first bytes named in a refusal */

io_container io_container_of(const uint8_t *h, size_t n)
{
    if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
        return IO_GZIP;
    if (n >= 6 && memcmp(h, "\xfd" "7zXZ\0", 6) == 0)
        return IO_XZ;
    if (n >= 4 && memcmp(h, "\x28\xb5\x2f\xfd", 4) == 0)
        return IO_ZSTD;
    if (n >= 4 && memcmp(h, "BZh", 3) == 0 && h[3] >= '1' && h[3] <= '9')
        return IO_BZIP2;
    /* A local file header, or the end record of an empty archive. */
    if (n >= 4 && (memcmp(h, "PK\3\4", 4) == 0 || memcmp(h, "PK\5\6", 4) == 0))
        return IO_ZIP;
    if (n >= 4 && memcmp(h, "MSCF", 4) == 0)
        return IO_CAB;
    return IO_PLAIN;
}

const char *io_container_name(io_container c)
{
    static const char *const names[] = {"none", "gzip", "xz", "zstd", "bzip2", "zip", "cab"};
    return names[c];
}

static di_status sniff_refused(const io_spool_src *src, const unsigned char *head, size_t n, di_error *err)
{
    char shown[2 * SHOWN_BYTES + 1];
    di_hex_bytes(shown, sizeof shown, head, n < SHOWN_BYTES ? n : SHOWN_BYTES);
    return di_fail(err, DI_E_FORMAT,
                   "%s: %s is not a Windows kernel crash dump (first decompressed bytes %s, expected \"PAGEDU64\")",
                   src->name, src->what, shown);
}

static di_status write_failed(const io_spool_src *src, uint64_t written, di_error *err)
{
    char dir[4096], need[96] = "";
    int e = errno;
    io_os_temp_dir(dir, sizeof dir);
    if (src->stated_size)
        snprintf(need, sizeof need, "; it needs %llu bytes", (unsigned long long)src->stated_size);
    return di_fail(err, DI_E_IO,
                   "%s: cannot write the temporary copy to the folder %s after %llu bytes (%s)%s; "
                   "set %s to a folder with more room",
                   src->name, dir, (unsigned long long)written, e ? strerror(e) : "disk full?", need,
                   io_os_temp_var());
}

/* Before writing a byte: is there room for what the container says is coming? */
static di_status check_room(const io_spool_src *src, uint64_t max, di_error *err)
{
    if (!src->stated_size)
        return DI_OK;
    if (src->stated_size > max)
        return di_fail(err, DI_E_LIMIT, "%s: decompresses to more than %llu bytes (%llu stated); refusing", src->name,
                       (unsigned long long)max, (unsigned long long)src->stated_size);
    char dir[4096];
    uint64_t avail;
    io_os_temp_dir(dir, sizeof dir);
    if (io_os_free_space(dir, &avail) == 0 && avail < src->stated_size)
        return di_fail(err, DI_E_IO,
                       "%s: the decompressed copy needs %llu bytes but the temporary folder %s has %llu free; "
                       "set %s to a folder with more room",
                       src->name, (unsigned long long)src->stated_size, dir, (unsigned long long)avail,
                       io_os_temp_var());
    return DI_OK;
}

static void report_progress(const io_spool_src *src, const io_spool_opts *o, uint64_t written)
{
    if (!o->progress)
        return;
    if (src->stated_size)
        o->progress(o->progress_ctx, written, written, src->stated_size);
    else if (src->in_pos && src->in_size)
        o->progress(o->progress_ctx, written, *src->in_pos, src->in_size);
    else
        o->progress(o->progress_ctx, written, written, 0);
}

static int sniff_ok(const io_spool_opts *o, const unsigned char *buf, size_t n)
{
    if (o->accept_containers && io_container_of(buf, n) != IO_PLAIN)
        return 1;
    return !o->sniff || o->sniff(buf, n);
}

di_status io_spool(const io_spool_src *src, const io_spool_opts *o, io_os_handle *out, uint64_t *size, di_error *err)
{
    unsigned char *buf = malloc(SPOOL_CHUNK);
    if (!buf)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", src->name);
    size_t n;
    di_status st = src->fill(src->ctx, buf, SPOOL_CHUNK, &n, 0, err);
    /* Look before spending disk: a bomb that is not a dump stops at its first chunk. What
     * the content is matters more than a damaged stream, once there is enough to tell. */
    if ((st == DI_OK || n >= SHOWN_BYTES) && !sniff_ok(o, buf, n))
        st = sniff_refused(src, buf, n, err);
    if (st == DI_OK)
        st = check_room(src, o->max, err);
    io_os_handle h;
    if (st == DI_OK)
        st = io_os_tempfile(&h, err);
    if (st != DI_OK) {
        free(buf);
        return st;
    }
    uint64_t total = 0;
    while (st == DI_OK && n > 0) {
        if (n > o->max - total) {
            st = di_fail(err, DI_E_LIMIT, "%s: %s more than %llu bytes (the spool_bytes limit); refusing", src->name,
                         src->copy ? "holds" : "decompresses to", (unsigned long long)o->max);
            break;
        }
        errno = 0;
        if (io_os_write_all(h, total, buf, n) != 0) {
            st = write_failed(src, total, err);
            break;
        }
        total += n;
        report_progress(src, o, total);
        st = src->fill(src->ctx, buf, SPOOL_CHUNK, &n, total, err);
    }
    free(buf);
    if (st != DI_OK) {
        io_os_close(h);
        return st;
    }
    *out = h;
    *size = total;
    return DI_OK;
}

/* Standard input, copied as it comes. */
static di_status fill_stdin(void *ctx, unsigned char *buf, size_t cap, size_t *got, uint64_t done, di_error *err)
{
    uint64_t *pos = ctx;
    size_t n = 0;
    while (n < cap) {
        long r = io_os_stdin_read(buf + n, cap - n);
        if (r < 0) {
            *got = n;
            return di_fail(err, DI_E_IO, "<stdin>: read error after %llu bytes: %s",
                           (unsigned long long)(done + n), strerror(errno));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *pos += n;
    *got = n;
    return DI_OK;
}

di_status io_spool_stdin(const io_spool_opts *o, io_os_handle *out, uint64_t *size, di_error *err)
{
    uint64_t pos = 0;
    io_spool_src src = {.fill = fill_stdin, .ctx = &pos, .name = "<stdin>", .what = "standard input", .copy = 1};
    return io_spool(&src, o, out, size, err);
}

/* Inflates from the already-open file with positioned reads: reopening the path would let
 * it be swapped for something that blocks. */
typedef struct inflater {
    z_stream z;
    io_os_handle src;
    uint64_t src_size, src_off;
    unsigned char *in;
    const char *name;
    int ended; /* the last gzip member has ended */
} inflater;

/* Make at least need compressed bytes available when the file still has them. */
static di_status want_input(inflater *s, size_t need, di_error *err)
{
    if (s->z.avail_in >= need || s->src_off >= s->src_size)
        return DI_OK;
    if (s->z.avail_in)
        memmove(s->in, s->z.next_in, s->z.avail_in);
    uint64_t left = s->src_size - s->src_off;
    size_t room = INPUT_CHUNK - s->z.avail_in;
    size_t n = left < room ? (size_t)left : room;
    if (io_os_pread(s->src, s->src_off, s->in + s->z.avail_in, n) != 0)
        return di_fail(err, DI_E_IO, "%s: read error at file offset 0x%llx: %s", s->name,
                       (unsigned long long)s->src_off, strerror(errno));
    s->src_off += n;
    s->z.next_in = s->in;
    s->z.avail_in += (uInt)n;
    return DI_OK;
}

static di_status inflate_chunk(void *ctx, unsigned char *out, size_t cap, size_t *got, uint64_t done, di_error *err)
{
    inflater *s = ctx;
    s->z.next_out = out;
    s->z.avail_out = (uInt)cap;
    di_status st = DI_OK;
    while (st == DI_OK && s->z.avail_out > 0 && !s->ended) {
        st = want_input(s, 1, err);
        if (st != DI_OK)
            break;
        int zr = inflate(&s->z, Z_NO_FLUSH);
        uint64_t at = done + (cap - s->z.avail_out);
        if (zr == Z_STREAM_END) {
            /* Members may follow one another; anything else after the end is ignored, as
             * gzip -d does. */
            st = want_input(s, 2, err);
            if (st == DI_OK && s->z.avail_in >= 2 && s->z.next_in[0] == 0x1f && s->z.next_in[1] == 0x8b)
                inflateReset(&s->z);
            else
                s->ended = 1;
        } else if (zr == Z_BUF_ERROR && s->z.avail_in == 0 && s->src_off >= s->src_size) {
            st = di_fail(err, DI_E_FORMAT, "%s: the gzip stream is truncated after %llu bytes", s->name,
                         (unsigned long long)at);
        } else if (zr != Z_OK) {
            st = di_fail(err, DI_E_FORMAT, "%s: the gzip stream is damaged after %llu bytes: %s", s->name,
                         (unsigned long long)at, s->z.msg ? s->z.msg : "bad data");
        }
    }
    *got = cap - s->z.avail_out;
    return st;
}

di_status io_spool_gzip(io_os_handle src, uint64_t src_size, const char *name, const io_spool_opts *o,
                        io_os_handle *out, uint64_t *size, di_error *err)
{
    inflater s;
    memset(&s, 0, sizeof s);
    s.src = src;
    s.src_size = src_size;
    s.name = name;
    s.in = malloc(INPUT_CHUNK);
    if (!s.in || inflateInit2(&s.z, 16 + MAX_WBITS) != Z_OK) {
        free(s.in);
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", name);
    }
    io_spool_src sp = {.fill = inflate_chunk,
                       .ctx = &s,
                       .name = name,
                       .what = "gzip-compressed, but what it holds",
                       .in_pos = &s.src_off,
                       .in_size = src_size};
    di_status st = io_spool(&sp, o, out, size, err);
    inflateEnd(&s.z);
    free(s.in);
    return st;
}
