/* SPDX-License-Identifier: MIT */
/* Compressed streams and archives through libarchive, read from the already-open file with
 * positioned reads (reopening the path would let it be swapped for something that blocks). */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_name.h"
#include "io/io_spool.h"
#include "util/error.h"
#include "util/strbuf.h"

#define ARC_INPUT_CHUNK (1u << 18)
#define ARC_LIST_CHARS 300 /* member names shown in a message, at most */

typedef struct arc_in {
    io_os_handle h;
    uint64_t size, off;
    unsigned char *buf;
    struct archive *a;
    const char *name;
    const char *kind;  /* "zip archive", "xz stream", ... */
    const char *short_name; /* "zip", "xz", ... */
} arc_in;

static la_ssize_t arc_read(struct archive *a, void *ctx, const void **out)
{
    arc_in *in = ctx;
    uint64_t left = in->size - in->off;
    size_t n = left < ARC_INPUT_CHUNK ? (size_t)left : ARC_INPUT_CHUNK;
    *out = in->buf;
    if (n == 0)
        return 0;
    if (io_os_pread(in->h, in->off, in->buf, n) != 0) {
        archive_set_error(a, errno ? errno : EIO, "read error at file offset 0x%llx", (unsigned long long)in->off);
        return -1;
    }
    in->off += n;
    return (la_ssize_t)n;
}

static la_int64_t arc_seek(struct archive *a, void *ctx, la_int64_t offset, int whence)
{
    (void)a;
    arc_in *in = ctx;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)in->off : (int64_t)in->size;
    int64_t to = base + offset;
    if (to < 0)
        return ARCHIVE_FATAL;
    in->off = (uint64_t)to > in->size ? in->size : (uint64_t)to;
    return (la_int64_t)in->off;
}

static la_int64_t arc_skip(struct archive *a, void *ctx, la_int64_t request)
{
    (void)a;
    arc_in *in = ctx;
    if (request <= 0)
        return 0;
    uint64_t left = in->size - in->off;
    uint64_t n = (uint64_t)request < left ? (uint64_t)request : left;
    in->off += n;
    return (la_int64_t)n;
}

static const char *kind_text(io_container kind)
{
    switch (kind) {
    case IO_XZ: return "xz stream";
    case IO_ZSTD: return "zstd stream";
    case IO_BZIP2: return "bzip2 stream";
    case IO_ZIP: return "zip archive";
    case IO_CAB: return "CAB archive";
    default: return "compressed stream";
    }
}

static di_status damaged(arc_in *in, di_error *err)
{
    const char *why = archive_error_string(in->a);
    return di_fail(err, DI_E_FORMAT, "%s: the %s is damaged: %s", in->name, in->kind, why ? why : "unreadable");
}

/* A reader positioned at the start of the file. */
static di_status arc_open(io_container kind, arc_in *in, di_error *err)
{
    in->off = 0;
    in->a = archive_read_new();
    if (!in->a)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", in->name);
    int r = ARCHIVE_OK;
    switch (kind) {
    case IO_XZ: r = archive_read_support_filter_xz(in->a); break;
    case IO_ZSTD: r = archive_read_support_filter_zstd(in->a); break;
    case IO_BZIP2: r = archive_read_support_filter_bzip2(in->a); break;
    case IO_ZIP: r = archive_read_support_format_zip(in->a); break;
    case IO_CAB: r = archive_read_support_format_cab(in->a); break;
    default: r = ARCHIVE_FATAL; break;
    }
    if (r == ARCHIVE_OK && (kind == IO_XZ || kind == IO_ZSTD || kind == IO_BZIP2))
        r = archive_read_support_format_raw(in->a);
    if (r != ARCHIVE_OK) {
        archive_read_free(in->a);
        in->a = NULL;
        return di_fail(err, DI_E_UNSUPPORTED, "%s: this build's libarchive cannot read a %s", in->name, in->kind);
    }
    archive_read_set_callback_data(in->a, in);
    archive_read_set_read_callback(in->a, arc_read);
    archive_read_set_seek_callback(in->a, arc_seek);
    archive_read_set_skip_callback(in->a, arc_skip);
    if (archive_read_open1(in->a) != ARCHIVE_OK) {
        di_status st = damaged(in, err);
        archive_read_free(in->a);
        in->a = NULL;
        return st;
    }
    return DI_OK;
}

static void arc_close(arc_in *in)
{
    if (in->a)
        archive_read_free(in->a);
    in->a = NULL;
}

/* A dump by its name: *.dmp, MEMORY.DMP included, in any case. */
static int dump_name(const char *p)
{
    size_t n = strlen(p);
    static const char ext[] = ".dmp";
    if (n < sizeof ext)
        return 0;
    for (size_t i = 0; i < sizeof ext - 1; i++)
        if (tolower((unsigned char)p[n - 4 + i]) != ext[i])
            return 0;
    return p[n - 5] != '/' && p[n - 5] != '\\';
}

static const char *base_of(const char *p)
{
    const char *b = p;
    for (; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

/* A name the user typed matches the member's path, or its last component. */
static int member_matches(const char *path, const char *want)
{
    return strcmp(path, want) == 0 || strcmp(base_of(path), want) == 0;
}

static void list_add(di_strbuf *b, size_t *count, const char *name)
{
    if (b->len < ARC_LIST_CHARS) {
        char *shown = io_display_name(name);
        di_strbuf_addf(b, "%s%s", *count ? ", " : "", shown ? shown : "?");
        free(shown);
    } else if (b->len < ARC_LIST_CHARS + 4) {
        di_strbuf_add(b, ", ...", 5);
    }
    (*count)++;
}

/* Pass one: which member to read. *index gets its position among the headers. */
static di_status choose_member(arc_in *in, const char *member, long *index, di_error *err)
{
    di_strbuf all = {0}, cands = {0};
    size_t nall = 0, ncands = 0;
    long chosen = -1;
    di_status st = DI_OK;
    struct archive_entry *e;
    for (long i = 0;; i++) {
        int r = archive_read_next_header(in->a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            st = damaged(in, err);
            break;
        }
        const char *p = archive_entry_pathname(e);
        if (!p || archive_entry_filetype(e) == AE_IFDIR)
            continue;
        list_add(&all, &nall, p);
        if (member) {
            if (chosen < 0 && member_matches(p, member))
                chosen = i;
        } else if (dump_name(p)) {
            list_add(&cands, &ncands, p);
            if (chosen < 0)
                chosen = i;
        }
    }
    if (st == DI_OK) {
        const char *names = all.s ? all.s : "";
        if (member && chosen < 0) {
            char *shown = io_display_name(member);
            st = di_fail(err, DI_E_ARG, "%s: the %s has no member named '%s'; its members: %s", in->name, in->kind,
                         shown ? shown : "?", nall ? names : "none (it is empty)");
            free(shown);
        } else if (!member && ncands == 0) {
            st = di_fail(err, DI_E_UNSUPPORTED, "%s: a %s with no .dmp member: %s", in->name, in->kind,
                         nall ? names : "it is empty");
        } else if (!member && ncands > 1) {
            st = di_fail(err, DI_E_ARG, "%s: the %s holds %zu dumps: %s; choose one with --member NAME", in->name,
                         in->kind, ncands, cands.s ? cands.s : "");
        }
    }
    free(all.s);
    free(cands.s);
    *index = chosen;
    return st;
}

static di_status arc_fill(void *ctx, unsigned char *buf, size_t cap, size_t *got, uint64_t done, di_error *err)
{
    arc_in *in = ctx;
    size_t n = 0;
    while (n < cap) {
        la_ssize_t r = archive_read_data(in->a, buf + n, cap - n);
        if (r < 0) {
            *got = n;
            const char *why = archive_error_string(in->a);
            return di_fail(err, DI_E_FORMAT, "%s: the %s is damaged after %llu bytes: %s", in->name, in->kind,
                           (unsigned long long)(done + n), why ? why : "unreadable");
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *got = n;
    return DI_OK;
}

/* Pass two: position the reader at the chosen header and spool its data. */
static di_status spool_entry(arc_in *in, long index, const io_spool_opts *o, io_os_handle *out, uint64_t *size,
                             char **member_out, di_error *err)
{
    struct archive_entry *e = NULL;
    for (long i = 0; i <= index; i++) {
        int r = archive_read_next_header(in->a, &e);
        if (r == ARCHIVE_EOF)
            return di_fail(err, DI_E_FORMAT, "%s: the %s ended before its member %ld", in->name, in->kind, index);
        if (r < ARCHIVE_WARN)
            return damaged(in, err);
    }
    char what[512];
    io_spool_src src = {.fill = arc_fill, .ctx = in, .name = in->name, .in_pos = &in->off, .in_size = in->size};
    if (index >= 0 && member_out) {
        const char *p = archive_entry_pathname(e);
        *member_out = io_display_name(p ? p : "");
        if (!*member_out)
            return di_fail(err, DI_E_NOMEM, "%s: out of memory", in->name);
        if (archive_entry_is_encrypted(e))
            return di_fail(err, DI_E_UNSUPPORTED, "%s: member %s of the %s is encrypted", in->name, *member_out,
                           in->kind);
        if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
            src.stated_size = (uint64_t)archive_entry_size(e);
        snprintf(what, sizeof what, "member %s of the %s", *member_out, in->kind);
    } else {
        snprintf(what, sizeof what, "%s-compressed, but what it holds", in->short_name);
    }
    src.what = what;
    return io_spool(&src, o, out, size, err);
}

di_status io_spool_archive(io_container kind, io_os_handle src, uint64_t src_size, const char *name,
                           const char *member, const io_spool_opts *o, io_os_handle *out, uint64_t *size,
                           char **member_out, di_error *err)
{
    arc_in in = {.h = src, .size = src_size, .name = name, .kind = kind_text(kind), .short_name = io_container_name(kind)};
    int archive = kind == IO_ZIP || kind == IO_CAB;
    *member_out = NULL;
    if (member && !archive)
        return di_fail(err, DI_E_ARG, "%s: --member applies to zip and CAB archives, and this is a %s", name,
                       in.kind);
    in.buf = malloc(ARC_INPUT_CHUNK);
    if (!in.buf)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", name);
    long index = -1;
    di_status st = arc_open(kind, &in, err);
    if (st == DI_OK && archive) {
        st = choose_member(&in, member, &index, err);
        arc_close(&in);
        if (st == DI_OK)
            st = arc_open(kind, &in, err);
    } else if (st == DI_OK) {
        index = 0; /* the raw format's single entry */
    }
    if (st == DI_OK)
        st = spool_entry(&in, index, o, out, size, archive ? member_out : NULL, err);
    arc_close(&in);
    free(in.buf);
    if (st != DI_OK) {
        free(*member_out);
        *member_out = NULL;
    }
    return st;
}

const char *io_archive_version(void)
{
    const char *v = archive_version_string(); /* "libarchive 3.6.2" */
    static const char prefix[] = "libarchive ";
    return strncmp(v, prefix, sizeof prefix - 1) == 0 ? v + sizeof prefix - 1 : v;
}
