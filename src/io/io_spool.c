#include "io/io_spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/error.h"

#define SPOOL_CHUNK (1u << 20) /* decompressed bytes per write; also what sniff sees */
#define INPUT_CHUNK (1u << 18) /* compressed bytes per read */
#define SHOWN_BYTES 8          /* first bytes named in a refusal */

/* Inflates from the already-open file with positioned reads: reopening the path would let
 * it be swapped for something that blocks. */
typedef struct inflater {
    z_stream z;
    io_os_handle src;
    uint64_t src_size, src_off;
    unsigned char *in;
    int ended; /* the last gzip member has ended */
} inflater;

/* Make at least need compressed bytes available when the file still has them. */
static di_status want_input(inflater *s, size_t need, const char *path, di_error *err)
{
    if (s->z.avail_in >= need || s->src_off >= s->src_size)
        return DI_OK;
    if (s->z.avail_in)
        memmove(s->in, s->z.next_in, s->z.avail_in);
    uint64_t left = s->src_size - s->src_off;
    size_t room = INPUT_CHUNK - s->z.avail_in;
    size_t n = left < room ? (size_t)left : room;
    if (io_os_pread(s->src, s->src_off, s->in + s->z.avail_in, n) != 0)
        return di_fail(err, DI_E_IO, "%s: read error at file offset 0x%llx: %s", path,
                       (unsigned long long)s->src_off, strerror(errno));
    s->src_off += n;
    s->z.next_in = s->in;
    s->z.avail_in += (uInt)n;
    return DI_OK;
}

/* Decompress up to cap bytes into out; *got < cap only at the end of the stream. done is
 * the count already delivered, for messages. */
static di_status inflate_chunk(inflater *s, const char *path, unsigned char *out, size_t cap, size_t *got,
                               uint64_t done, di_error *err)
{
    s->z.next_out = out;
    s->z.avail_out = (uInt)cap;
    di_status st = DI_OK;
    while (st == DI_OK && s->z.avail_out > 0 && !s->ended) {
        st = want_input(s, 1, path, err);
        if (st != DI_OK)
            break;
        int zr = inflate(&s->z, Z_NO_FLUSH);
        uint64_t at = done + (cap - s->z.avail_out);
        if (zr == Z_STREAM_END) {
            /* Members may follow one another; anything else after the end is ignored, as
             * gzip -d does. */
            st = want_input(s, 2, path, err);
            if (st == DI_OK && s->z.avail_in >= 2 && s->z.next_in[0] == 0x1f && s->z.next_in[1] == 0x8b)
                inflateReset(&s->z);
            else
                s->ended = 1;
        } else if (zr == Z_BUF_ERROR && s->z.avail_in == 0 && s->src_off >= s->src_size) {
            st = di_fail(err, DI_E_FORMAT, "%s: the gzip stream is truncated after %llu bytes", path,
                         (unsigned long long)at);
        } else if (zr != Z_OK) {
            st = di_fail(err, DI_E_FORMAT, "%s: the gzip stream is damaged after %llu bytes: %s", path,
                         (unsigned long long)at, s->z.msg ? s->z.msg : "bad data");
        }
    }
    *got = cap - s->z.avail_out;
    return st;
}

static di_status sniff_refused(const char *path, const unsigned char *head, size_t n, di_error *err)
{
    char shown[2 * SHOWN_BYTES + 1];
    di_hex_bytes(shown, sizeof shown, head, n < SHOWN_BYTES ? n : SHOWN_BYTES);
    return di_fail(err, DI_E_FORMAT,
                   "%s: gzip-compressed, but what it holds is not a Windows kernel crash dump "
                   "(first decompressed bytes %s, expected \"PAGEDU64\")",
                   path, shown);
}

static di_status spool(inflater *s, const char *path, io_sniff_fn sniff, uint64_t max, unsigned char *buf,
                       io_os_handle *out, uint64_t *size, di_error *err)
{
    size_t n;
    di_status st = inflate_chunk(s, path, buf, SPOOL_CHUNK, &n, 0, err);
    /* Look before spending disk: a bomb that is not a dump stops at its first chunk. What
     * the content is matters more than a damaged stream, once there is enough to tell. */
    if (sniff && (st == DI_OK || n >= SHOWN_BYTES) && !sniff(buf, n))
        return sniff_refused(path, buf, n, err);
    if (st != DI_OK)
        return st;
    io_os_handle h;
    st = io_os_tempfile(&h, err);
    if (st != DI_OK)
        return st;
    uint64_t total = 0;
    while (st == DI_OK && n > 0) {
        if (n > max - total) {
            st = di_fail(err, DI_E_LIMIT, "%s: decompresses to more than %llu bytes; refusing", path,
                         (unsigned long long)max);
            break;
        }
        if (io_os_write_all(h, total, buf, n) != 0) {
            st = di_fail(err, DI_E_IO, "%s: cannot write the decompressed copy (disk full?)", path);
            break;
        }
        total += n;
        st = inflate_chunk(s, path, buf, SPOOL_CHUNK, &n, total, err);
    }
    if (st != DI_OK) {
        io_os_close(h);
        return st;
    }
    *out = h;
    *size = total;
    return DI_OK;
}

di_status io_spool_gzip(io_os_handle src, uint64_t src_size, const char *path, io_sniff_fn sniff, uint64_t max,
                        io_os_handle *out, uint64_t *size, di_error *err)
{
    inflater s;
    memset(&s, 0, sizeof s);
    s.src = src;
    s.src_size = src_size;
    unsigned char *buf = malloc(SPOOL_CHUNK);
    s.in = malloc(INPUT_CHUNK);
    di_status st = DI_OK;
    if (!buf || !s.in || inflateInit2(&s.z, 16 + MAX_WBITS) != Z_OK) {
        free(buf);
        free(s.in);
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", path);
    }
    st = spool(&s, path, sniff, max, buf, out, size, err);
    inflateEnd(&s.z);
    free(buf);
    free(s.in);
    return st;
}
