/* SPDX-License-Identifier: MIT */
/* Test support: build dumps with the fixture generator, open them with the reader,
 * and damage files in controlled ways. */
#ifndef DI_TEST_SUPPORT_DUMPS_H
#define DI_TEST_SUPPORT_DUMPS_H

#include <stddef.h>
#include <stdint.h>

#include "dumpinspect/dumpinspect.h"
#include "fg.h"

/* Virtual addresses the standard world maps (see support_dumps.c). */
#define T_VA_4K     0xfffff80500000000ull /* 4 pages, FG_4K */
#define T_VA_2M     0xfffff80600000000ull /* 1 large page */
#define T_VA_1G     0xfffff80a00000000ull /* 1 huge page */
#define T_VA_TRANS  0xfffff80700000000ull /* 2 transition pages */
#define T_VA_PROTO  0xfffff80700010000ull
#define T_VA_NOTP   0xfffff80700020000ull
#define T_VA_ABSENT 0xfffff80700030000ull
#define T_VA_USER   0x00007ff612340000ull /* 1 page, FG_4K, a user address */

/* A generator with the standard world mapped for dump type `type`. */
fg_dump *t_world(uint32_t type);

/* A fresh path under the build tree's test scratch folder, unique per call. */
const char *t_path(const char *stem);

/* The fixture generator's dump of tests/scenarios/<scenario> at a fresh path. */
const char *t_world_dump(const char *scenario);

/* The same with extra scenario lines appended (e.g. "resources_unheld 3000\n"). */
const char *t_world_dump_with(const char *scenario, const char *extra);

/* Emit d to a fresh path and return it (asserts success). */
const char *t_emit(fg_dump *d, const char *stem);

/* Open path with the reader, asserting success. */
di_dump *t_open(const char *path);

/* File surgery. */
void t_patch(const char *path, uint64_t off, const void *bytes, size_t len);
void t_patch_u32(const char *path, uint64_t off, uint32_t v);
void t_patch_u64(const char *path, uint64_t off, uint64_t v);
void t_truncate(const char *path, uint64_t size);
void t_write_file(const char *path, const void *bytes, size_t len);
uint64_t t_file_size(const char *path);
/* The whole file as a NUL-terminated heap string (asserts it can be read); *len gets its
 * size when len is not NULL. */
char *t_slurp(const char *path, size_t *len);

/* gzip-compress the file at src into a fresh path and return it; when split is nonzero the
 * bytes from split on go into a second gzip member, as `cat a.gz b.gz` makes. */
const char *t_gzip_file(const char *src, uint64_t split);
/* A fresh .gz holding head_len bytes of head, then zeros zero bytes: a decompression bomb
 * when zeros is large (100 MiB compress to about 100 KiB). */
const char *t_gzip_zeros(const void *head, size_t head_len, uint64_t zeros);

/* A zip archive (deflate, written with libarchive, so on every system) at a fresh path whose
 * n members are named names[i] and hold the files srcs[i]. */
const char *t_zip(const char *const *names, const char *const *srcs, size_t n);

/* Open path expecting failure with status st and a message containing needle. */
void t_expect_open_fails(const char *path, di_status st, const char *needle);
/* The same with explicit limits (NULL = defaults). */
void t_expect_open_with_fails(const char *path, const di_limits *limits, di_status st, const char *needle);

#endif
