/* SPDX-License-Identifier: MIT */
/* Measure one dump: time to open it and build the report, time for N random 8-byte
 * virtual reads over a mapped window, and this process's peak RSS. One JSON line out. */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_os.h"

#include "dumpinspect/dumpinspect.h"

/* xorshift64*: deterministic addresses, so runs are comparable. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

static di_io_stats last_stats; /* of the last open+report run */

static int open_and_report(const char *path, double *ms)
{
    double t0 = bench_now_ms();
    di_dump *d;
    di_error err = {0};
    if (di_open(path, &d, &err) != DI_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        return -1;
    }
    char *json;
    di_report_options ro = {.compact = 1};
    if (di_report_json(d, &ro, &json, &err) != DI_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        di_close(d);
        return -1;
    }
    di_free(json);
    *ms = bench_now_ms() - t0;
    di_get_io_stats(d, &last_stats);
    di_close(d);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_measure DUMP VA_BASE SPAN_BYTES [READS]\n");
        return 2;
    }
    const char *path = argv[1];
    uint64_t base = strtoull(argv[2], NULL, 0), span = strtoull(argv[3], NULL, 0);
    unsigned long reads = argc > 4 ? strtoul(argv[4], NULL, 0) : 100000ul;
    if (span < 8) {
        fprintf(stderr, "bench: span too small\n");
        return 2;
    }
    /* Best of three open+report runs: the first one also warms the page cache. */
    double best = 1e30;
    for (int i = 0; i < 3; i++) {
        double ms;
        if (open_and_report(path, &ms))
            return 1;
        if (ms < best)
            best = ms;
    }
    di_dump *d;
    di_error err = {0};
    if (di_open(path, &d, &err) != DI_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    uint64_t seed = 0x9E3779B97F4A7C15ull, sum = 0;
    unsigned long failed = 0;
    double t0 = bench_now_ms();
    for (unsigned long i = 0; i < reads; i++) {
        uint64_t va = base + (next_rand(&seed) % (span - 7) & ~7ull);
        uint64_t v;
        if (di_read_virtual(d, DI_CR3_KERNEL, va, &v, 8, &err) != DI_OK)
            failed++;
        else
            sum += v;
    }
    double read_ms = bench_now_ms() - t0;
    di_close(d);
    printf("{\"dump\": \"%s\", \"open_report_ms\": %.2f, \"report_pages_read\": %llu, "
           "\"report_cache_hits\": %llu, \"report_file_reads\": %llu, \"reads\": %lu, \"reads_ms\": %.2f, "
           "\"failed_reads\": %lu, \"peak_rss_kib\": %ld, \"checksum\": %llu}\n",
           path, best, (unsigned long long)last_stats.pages_read, (unsigned long long)last_stats.cache_hits,
           (unsigned long long)last_stats.file_reads, reads, read_ms, failed, bench_peak_rss_kib(), (unsigned long long)sum);
    return failed ? 1 : 0;
}
