/* SPDX-License-Identifier: MIT */
/* Latency-tolerant reading: the reader pool calls every item once; batches merge, bound
 * and report their requests correctly from a file and from memory; the page cache fetches a
 * page once while it holds it and spreads strided pages over its sets; read-ahead and a
 * simulated latency change what is fetched and when, never the report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/di_dump.h"
#include "io/io_file.h"
#include "io/io_pool.h"
#include "support_dumps.h"

#define FILE_BYTES (256u * 1024u)

static void count_call(void *ctx, size_t i)
{
    unsigned *hits = ctx;
    hits[i]++; /* each index is owned by one call */
}

static void test_pool_calls_each_once(void **state)
{
    (void)state;
    unsigned hits[1000];
    io_pool *pools[2] = {NULL, io_pool_new(8)};
    assert_non_null(pools[1]);
    for (int p = 0; p < 2; p++) {
        for (size_t n = 0; n <= 1000; n = n ? n * 10 : 1) {
            memset(hits, 0, sizeof hits);
            io_pool_run(pools[p], n, count_call, hits);
            for (size_t i = 0; i < 1000; i++)
                assert_int_equal(hits[i], i < n ? 1 : 0);
        }
    }
    io_pool_free(pools[1]);
    io_pool_free(NULL);
}

static uint8_t byte_at(uint64_t off) { return (uint8_t)(off * 7 + (off >> 12)); }

/* A file of FILE_BYTES known bytes, opened; *mem holds the same bytes (free it). */
static io_file *open_pattern(uint8_t **mem)
{
    *mem = malloc(FILE_BYTES);
    assert_non_null(*mem);
    for (uint64_t i = 0; i < FILE_BYTES; i++)
        (*mem)[i] = byte_at(i);
    const char *p = t_path("pattern");
    FILE *out = fopen(p, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(*mem, 1, FILE_BYTES, out), FILE_BYTES);
    assert_int_equal(fclose(out), 0);
    io_file *f;
    di_error err = {0};
    assert_int_equal(io_open(p, &f, &err), DI_OK);
    return f;
}

/* Requests in no order: three adjacent pages (one read), one 8 KiB past them (merged across
 * the hole), the same page twice, one far away, one passing the end, one empty. */
static void check_batch(io_file *f)
{
    static const struct {
        uint64_t off;
        uint32_t len;
        int ok;
    } want[] = {
        {0x9000, 0x1000, 1}, {0x8000, 0x1000, 1},          {0xA000, 0x1000, 1}, {0xD000, 0x1000, 1},
        {0x20000, 0x800, 1}, {0x20000, 0x800, 1},           {0x30123, 17, 1},    {FILE_BYTES - 0x800, 0x1000, 0},
        {0x1000, 0, 0},
    };
    enum { N = sizeof want / sizeof want[0] };
    io_req reqs[N];
    uint8_t bufs[N][0x1000];
    memset(bufs, 0xEE, sizeof bufs);
    for (size_t i = 0; i < N; i++)
        reqs[i] = (io_req){.off = want[i].off, .buf = bufs[i], .len = want[i].len, .ok = -1};
    uint64_t before = io_read_count(f);
    io_pread_batch(f, reqs, N);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(reqs[i].ok, want[i].ok);
        for (uint32_t k = 0; want[i].ok && k < want[i].len; k++)
            assert_int_equal(bufs[i][k], byte_at(want[i].off + k));
    }
    /* 0x8000-0xB000 and 0xD000 in one read, 0x20000 twice (overlapping: two), 0x30123. */
    assert_int_equal(io_read_count(f) - before, 4);
}

static void test_batch_reads(void **state)
{
    (void)state;
    uint8_t *mem;
    io_file *f = open_pattern(&mem);
    check_batch(f);
    io_set_latency(f, 200); /* the same bytes, each read waiting first */
    check_batch(f);
    io_close(f);
    di_error err = {0};
    assert_int_equal(io_open_memory(mem, FILE_BYTES, "pattern", &f, &err), DI_OK);
    check_batch(f);
    io_close(f);
    free(mem);
}

/* Many far-apart reads: more spans than the pool has threads, every one right. */
static void test_batch_wide(void **state)
{
    (void)state;
    uint8_t *mem;
    io_file *f = open_pattern(&mem);
    enum { N = 60 };
    io_req reqs[N];
    static uint8_t bufs[N][64];
    for (size_t i = 0; i < N; i++) /* 60 requests 4 KiB apart in reverse, 64 bytes each: holes of 4032 */
        reqs[i] = (io_req){.off = (uint64_t)(N - 1 - i) * 0x1000 + 100, .buf = bufs[i], .len = 64};
    io_pread_batch(f, reqs, N);
    for (size_t i = 0; i < N; i++) {
        assert_true(reqs[i].ok);
        for (uint32_t k = 0; k < 64; k++)
            assert_int_equal(bufs[i][k], byte_at(reqs[i].off + k));
    }
    io_close(f);
    free(mem);
}

/* The first n PFNs the dump holds. */
static size_t present_pfns(di_dump *d, uint64_t *pfns, size_t n, uint64_t stride)
{
    size_t got = 0;
    for (uint64_t pfn = 0; pfn < d->dmp->pm.pfn_limit && got < n; pfn += stride)
        if (dmp_page_present(d->dmp, pfn))
            pfns[got++] = pfn;
    return got;
}

static void read_all(di_dump *d, const uint64_t *pfns, size_t n)
{
    uint8_t b[8];
    for (size_t i = 0; i < n; i++)
        assert_int_equal(mm_read_phys(&d->mm, pfns[i] << 12, b, sizeof b, NULL), DI_OK);
}

/* A page held is not fetched again, whatever the stride of the pages read. */
static void test_cache_holds(void **state)
{
    (void)state;
    di_dump *d = t_open(t_world_dump_with("lock-0x13c.scn", "sparse_gib 1\n"));
    static uint64_t pfns[256];
    for (uint64_t stride = 1; stride <= 512; stride *= 512) {
        size_t n = present_pfns(d, pfns, stride == 1 ? 256 : 128, stride);
        if (n < (stride == 1 ? 256u : 128u)) /* page tables lie 512 pages apart */
            fail_msg("only %zu present pages at stride %llu below PFN 0x%llx", n, (unsigned long long)stride,
                     (unsigned long long)d->dmp->pm.pfn_limit);
        uint64_t before = d->mm.page_reads;
        read_all(d, pfns, n);
        uint64_t first = d->mm.page_reads;
        assert_true(first - before <= n && first - before + 2 >= n); /* opening read a page or two */
        read_all(d, pfns, n);
        read_all(d, pfns, n);
        assert_int_equal(d->mm.page_reads, first);
    }
    di_close(d);
}

/* Batches skip pages already held, and a fetched page is counted once, at its first use. */
static void test_fetch_skips_held(void **state)
{
    (void)state;
    di_dump *d = t_open(t_world_dump("lock-0x13c.scn"));
    uint64_t pfns[32];
    size_t n = present_pfns(d, pfns, 32, 1);
    assert_int_equal(n, 32);
    read_all(d, pfns, 8);
    uint64_t reads = d->mm.page_reads, ahead = d->mm.ahead_pages;
    mm_fetch_pages(&d->mm, pfns, n);
    assert_int_equal(d->mm.ahead_pages - ahead, n - 8);
    assert_int_equal(d->mm.page_reads, reads);
    read_all(d, pfns, n);
    assert_int_equal(d->mm.page_reads - reads, n - 8);
    assert_int_equal(d->mm.ahead_used, n - 8);
    di_close(d);
}

static char *report(const char *path, int ahead, unsigned latency_us, di_io_stats *st)
{
    di_dump *d = t_open(path);
    di_set_read_ahead(d, ahead);
    di_simulate_read_latency(d, latency_us);
    di_report_options ro = {.all_locks = 1, .all_threads = 1, .stacks = 1};
    char *json = NULL;
    di_error err = {0};
    assert_int_equal(di_report_json(d, &ro, &json, &err), DI_OK);
    di_get_io_stats(d, st);
    di_close(d);
    return json;
}

/* Read-ahead, batching and latency change the reads, not the report. */
static void test_report_unchanged(void **state)
{
    (void)state;
    const char *path = t_world_dump_with("lock-0x13c.scn", "resources_unheld 3000\nthreads_filler pid=4 count=300\n");
    di_io_stats off, on, slow;
    char *a = report(path, 0, 0, &off), *b = report(path, 1, 0, &on), *c = report(path, 1, 20, &slow);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    assert_int_equal(off.pages_read_ahead, 0);
    assert_true(on.pages_read_ahead > 0);
    assert_true(on.read_ahead_used * 2 > on.pages_read_ahead); /* list walks cluster */
    assert_true(on.file_reads < off.file_reads);
    assert_int_equal(on.pages_read, slow.pages_read);
    assert_int_equal(on.file_reads, slow.file_reads);
    free(a);
    free(b);
    free(c);
}

/* A page-read limit bounds reading ahead too: once batches have fetched as many pages as
 * the limit, no further batch runs (the one that crossed it completes). */
static void test_speculative_budget(void **state)
{
    (void)state;
    di_dump *d = t_open(t_world_dump_with("lock-0x13c.scn", "sparse_gib 1\n"));
    static uint64_t pfns[240];
    assert_int_equal(present_pfns(d, pfns, 240, 1), 240);
    d->mm.page_budget = d->mm.page_reads + 50;
    uint64_t before = d->mm.speculative;
    mm_fetch_pages(&d->mm, pfns, 80);
    assert_int_equal(d->mm.speculative - before, 80);
    mm_fetch_pages(&d->mm, pfns + 80, 80);
    mm_fetch_pages(&d->mm, pfns + 160, 80);
    assert_int_equal(d->mm.speculative - before, 80);
    d->mm.page_budget = 0; /* no limit: batches run */
    mm_fetch_pages(&d->mm, pfns + 80, 80);
    assert_int_equal(d->mm.speculative - before, 160);
    di_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_calls_each_once), cmocka_unit_test(test_batch_reads),
        cmocka_unit_test(test_batch_wide),           cmocka_unit_test(test_cache_holds),
        cmocka_unit_test(test_fetch_skips_held),     cmocka_unit_test(test_report_unchanged),
        cmocka_unit_test(test_speculative_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
