/* SPDX-License-Identifier: MIT */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "support_dumps.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>
#include <zlib.h>

#include "support_os.h"

fg_dump *t_world(uint32_t type)
{
    fg_config cfg;
    fg_config_default(&cfg);
    cfg.dump_type = type;
    cfg.bugcheck_code = 0xD1;
    cfg.bugcheck_params[0] = 0xfffff80500000123ull;
    cfg.bugcheck_params[1] = 2;
    cfg.bugcheck_params[2] = 0;
    cfg.bugcheck_params[3] = 0xfffff8050f4e9f70ull;
    fg_dump *d = fg_new(&cfg);
    assert_non_null(d);
    assert_int_equal(fg_map(d, T_VA_4K, 4, FG_4K), FG_OK);
    assert_int_equal(fg_map(d, T_VA_2M, 1, FG_2M), FG_OK);
    assert_int_equal(fg_map(d, T_VA_1G, 1, FG_1G), FG_OK);
    assert_int_equal(fg_map(d, T_VA_TRANS, 2, FG_TRANSITION), FG_OK);
    assert_int_equal(fg_map(d, T_VA_PROTO, 1, FG_PROTOTYPE), FG_OK);
    assert_int_equal(fg_map(d, T_VA_NOTP, 1, FG_NOTPRESENT), FG_OK);
    assert_int_equal(fg_map(d, T_VA_ABSENT, 1, FG_ABSENT), FG_OK);
    assert_int_equal(fg_map(d, T_VA_USER, 1, FG_4K), FG_OK);
    static const char marker[] = "dumpinspect crosses a page here";
    assert_int_equal(fg_write(d, T_VA_4K + 0x1000 - 8, marker, sizeof marker), FG_OK);
    assert_int_equal(fg_write_u64(d, T_VA_1G + 0x12345678, 0x1122334455667788ull), FG_OK);
    return d;
}

/* Scratch files live until the test program exits; dumps are large even when sparse. */
#define T_MAX_SCRATCH 4096
static char *scratch[T_MAX_SCRATCH];
static unsigned nscratch;

static void remove_scratch(void)
{
    for (unsigned i = 0; i < nscratch; i++) {
        remove(scratch[i]);
        free(scratch[i]);
    }
    nscratch = 0;
}

const char *t_path(const char *stem)
{
    static unsigned n;
    char p[512];
    t_mkdir("scratch");
    snprintf(p, sizeof p, "scratch/%s-%ld-%u.dmp", stem, t_pid(), n++);
    if (nscratch == 0)
        atexit(remove_scratch);
    assert_true(nscratch < T_MAX_SCRATCH);
    scratch[nscratch] = malloc(strlen(p) + 1);
    assert_non_null(scratch[nscratch]);
    strcpy(scratch[nscratch], p);
    return scratch[nscratch++];
}

const char *t_emit(fg_dump *d, const char *stem)
{
    const char *p = t_path(stem);
    int rc = fg_emit(d, p, NULL);
    if (rc != FG_OK)
        fail_msg("fg_emit: %s", fg_error(d));
    return p;
}

di_dump *t_open(const char *path)
{
    di_dump *dd = NULL;
    di_error err = {0};
    di_status st = di_open(path, &dd, &err);
    if (st != DI_OK)
        fail_msg("di_open(%s): %s", path, err.message);
    return dd;
}

void t_patch(const char *path, uint64_t off, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(t_seek(f, off), 0);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void t_patch_u32(const char *path, uint64_t off, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    t_patch(path, off, b, 4);
}

void t_patch_u64(const char *path, uint64_t off, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    t_patch(path, off, b, 8);
}

void t_truncate(const char *path, uint64_t size)
{
    assert_int_equal(t_set_size(path, size), 0);
}

void t_write_file(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len)
        assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

uint64_t t_file_size(const char *path)
{
    int64_t size = t_size(path);
    assert_true(size >= 0);
    return (uint64_t)size;
}

static void gz_put(gzFile gz, const void *bytes, size_t len)
{
    if (len)
        assert_int_equal(gzwrite(gz, bytes, (unsigned)len), (int)len);
}

/* Copy up to count bytes from in to gz. */
static void gz_copy(gzFile gz, FILE *in, uint64_t count)
{
    static unsigned char buf[1 << 16];
    size_t n;
    while (count > 0 && (n = fread(buf, 1, count < sizeof buf ? (size_t)count : sizeof buf, in)) > 0) {
        gz_put(gz, buf, n);
        count -= n;
    }
}

const char *t_zip(const char *const *names, const char *const *srcs, size_t n)
{
    const char *p = t_path("zip");
    struct archive *a = archive_write_new();
    assert_non_null(a);
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_zip_set_compression_deflate(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, p), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *data = t_slurp(srcs[i], &len);
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)len);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
        archive_entry_free(e);
        free(data);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return p;
}

const char *t_gzip_file(const char *src, uint64_t split)
{
    const char *p = t_path("gz");
    FILE *in = fopen(src, "rb");
    assert_non_null(in);
    gzFile gz = gzopen(p, "wb6");
    assert_non_null(gz);
    gz_copy(gz, in, split ? split : UINT64_MAX);
    if (split) { /* "a" appends a new member */
        assert_int_equal(gzclose(gz), Z_OK);
        gz = gzopen(p, "ab6");
        assert_non_null(gz);
        gz_copy(gz, in, UINT64_MAX);
    }
    fclose(in);
    assert_int_equal(gzclose(gz), Z_OK);
    return p;
}

const char *t_gzip_zeros(const void *head, size_t head_len, uint64_t zeros)
{
    const char *p = t_path("bomb");
    gzFile gz = gzopen(p, "wb9");
    assert_non_null(gz);
    gz_put(gz, head, head_len);
    static const unsigned char zero[1 << 16];
    for (uint64_t left = zeros; left > 0;) {
        size_t n = left < sizeof zero ? (size_t)left : sizeof zero;
        gz_put(gz, zero, n);
        left -= n;
    }
    assert_int_equal(gzclose(gz), Z_OK);
    return p;
}

char *t_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            assert_non_null(nb);
            buf = nb;
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void t_expect_open_fails(const char *path, di_status st, const char *needle)
{
    t_expect_open_with_fails(path, NULL, st, needle);
}

void t_expect_open_with_fails(const char *path, const di_limits *limits, di_status st, const char *needle)
{
    di_dump *dd = NULL;
    di_error err = {0};
    di_status got = di_open_with(path, limits, &dd, &err);
    assert_null(dd);
    if (got != st)
        fail_msg("%s: expected %s, got %s (%s)", path, di_status_name(st), di_status_name(got), err.message);
    assert_int_equal(err.status, st);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
    /* Every message names the file. */
    assert_non_null(strstr(err.message, path));
}

const char *t_world_dump(const char *scenario)
{
    const char *gen = getenv("DI_FIXTUREGEN");
    if (!gen)
        fail_msg("DI_FIXTUREGEN is not set (run through ctest)");
    const char *p = t_path("world");
    char scn[1024];
    snprintf(scn, sizeof scn, "%s/tests/scenarios/%s", DI_SOURCE_DIR, scenario);
    const char *argv[] = {gen, scn, p, NULL};
    assert_int_equal(t_spawn(argv, NULL, NULL, NULL), 0);
    return p;
}

const char *t_world_dump_with(const char *scenario, const char *extra)
{
    const char *gen = getenv("DI_FIXTUREGEN");
    if (!gen)
        fail_msg("DI_FIXTUREGEN is not set (run through ctest)");
    char src[1024];
    snprintf(src, sizeof src, "%s/tests/scenarios/%s", DI_SOURCE_DIR, scenario);
    const char *scn = t_path("world-scn");
    FILE *in = fopen(src, "rb"), *out = fopen(scn, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fputs(extra, out);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    const char *p = t_path("world");
    const char *argv[] = {gen, scn, p, NULL};
    assert_int_equal(t_spawn(argv, NULL, NULL, NULL), 0);
    return p;
}
