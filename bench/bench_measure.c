/* SPDX-License-Identifier: MIT */
/* Measure one dump in this process: open it and write the JSON report (streamed to a
 * counting sink, as the tool does) RUNS times, and print one JSON line with the median and
 * best wall time, what the last run read (pages, file reads, batches, read-ahead and its
 * use) and this process's peak RSS.
 *
 *   bench_measure DUMP [--all] [--cold] [--latency US] [--no-read-ahead] [--runs N]
 *                      [--baseline] [--va BASE SPAN READS]
 *
 * --all          --all-locks --all-threads
 * --cold         evict the dump's pages from the operating system's cache before each run
 *                (posix_fadvise DONTNEED) and check with mincore that none stayed
 * --latency US   every read of the dump first sleeps US microseconds (a network share)
 * --baseline     also time reading, in one batch, exactly the pages the report needed
 *                (after the same eviction and with the same latency), after each run: the
 *                floor to compare with (median, like the runs)
 * --va ...       also time READS random 8-byte virtual reads over [BASE, BASE+SPAN) */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* mincore, posix_fadvise (bench_os.h) */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_os.h"

#include "api/di_dump.h"
#include "dumpinspect/dumpinspect.h"

typedef struct opts {
    const char *path;
    int all, cold, no_ahead, baseline, runs;
    unsigned latency_us;
    uint64_t va_base, va_span;
    unsigned long va_reads;
} opts;

typedef struct sink {
    uint64_t bytes;
} sink;

static int count_bytes(void *ctx, const char *data, size_t len)
{
    (void)data;
    ((sink *)ctx)->bytes += len;
    return 0;
}

static di_dump *open_dump(const opts *o)
{
    di_dump *d;
    di_error err = {0};
    if (di_open(o->path, &d, &err) != DI_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        exit(1);
    }
    di_simulate_read_latency(d, o->latency_us);
    di_set_read_ahead(d, !o->no_ahead);
    return d;
}

/* Evict the dump's pages when asked; the pages still resident afterwards (0 when the
 * eviction worked), or -1 when there was no eviction. */
static long prepare(const opts *o)
{
    if (!o->cold)
        return -1;
    long left = bench_evict(o->path);
    if (left < 0) {
        fprintf(stderr, "bench: cannot evict %s from the page cache on this system\n", o->path);
        exit(1);
    }
    return left;
}

static double one_run(const opts *o, di_io_stats *stats, uint64_t *json_bytes, struct mm_fetch_log *log)
{
    double t0 = bench_now_ms();
    di_dump *d = open_dump(o);
    d->mm.log = log;
    di_report_options ro = {.compact = 1, .all_locks = o->all, .all_threads = o->all};
    sink s = {0};
    di_error err = {0};
    if (di_report_json_write(d, &ro, count_bytes, &s, &err) != DI_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        exit(1);
    }
    double ms = bench_now_ms() - t0;
    di_get_io_stats(d, stats);
    d->mm.log = NULL;
    di_close(d);
    *json_bytes = s.bytes;
    return ms;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Read the logged pages in one batch after the same preparation as a run. */
static double baseline(const opts *o, const struct mm_fetch_log *log, long *left)
{
    di_dump *d = open_dump(o);
    uint8_t *buf = malloc(log->n ? log->n * 4096 : 1);
    uint8_t **bufs = malloc((log->n ? log->n : 1) * sizeof *bufs);
    int *ok = malloc((log->n ? log->n : 1) * sizeof *ok);
    if (!buf || !bufs || !ok) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < log->n; i++)
        bufs[i] = buf + i * 4096;
    *left = prepare(o);
    double t0 = bench_now_ms();
    dmp_read_pages(d->dmp, log->pfns, bufs, ok, log->n);
    double ms = bench_now_ms() - t0;
    di_close(d);
    free(buf);
    free(bufs);
    free(ok);
    return ms;
}

/* xorshift64*: deterministic addresses, so runs are comparable. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

static double random_reads(const opts *o, unsigned long *failed, uint64_t *checksum)
{
    di_dump *d = open_dump(o);
    uint64_t seed = 0x9E3779B97F4A7C15ull, sum = 0;
    di_error err = {0};
    *failed = 0;
    double t0 = bench_now_ms();
    for (unsigned long i = 0; i < o->va_reads; i++) {
        uint64_t va = o->va_base + (next_rand(&seed) % (o->va_span - 7) & ~7ull), v;
        if (di_read_virtual(d, DI_CR3_KERNEL, va, &v, 8, &err) != DI_OK)
            (*failed)++;
        else
            sum += v;
    }
    double ms = bench_now_ms() - t0;
    di_close(d);
    *checksum = sum; /* printed: the reads' bytes are used */
    return ms;
}

static void parse(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->runs = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--all"))
            o->all = 1;
        else if (!strcmp(a, "--cold"))
            o->cold = 1;
        else if (!strcmp(a, "--no-read-ahead"))
            o->no_ahead = 1;
        else if (!strcmp(a, "--baseline"))
            o->baseline = 1;
        else if (!strcmp(a, "--latency") && i + 1 < argc)
            o->latency_us = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--runs") && i + 1 < argc)
            o->runs = atoi(argv[++i]);
        else if (!strcmp(a, "--va") && i + 3 < argc) {
            o->va_base = strtoull(argv[++i], NULL, 0);
            o->va_span = strtoull(argv[++i], NULL, 0);
            o->va_reads = strtoul(argv[++i], NULL, 0);
        } else if (a[0] != '-' && !o->path)
            o->path = a;
        else {
            fprintf(stderr, "usage: bench_measure DUMP [--all] [--cold] [--latency US] [--no-read-ahead] [--runs N] "
                            "[--baseline] [--va BASE SPAN READS]\n");
            exit(2);
        }
    }
    if (!o->path || o->runs < 1 || o->runs > 1000 || (o->va_reads && o->va_span < 8)) {
        fprintf(stderr, "bench: a dump path, 1-1000 runs and a span of at least 8 bytes are needed\n");
        exit(2);
    }
}

int main(int argc, char **argv)
{
    opts o;
    parse(argc, argv, &o);
    double *ms = malloc((size_t)o.runs * sizeof *ms);
    struct mm_fetch_log log = {0};
    double *floor_ms = malloc((size_t)o.runs * sizeof *floor_ms);
    di_io_stats st = {0};
    uint64_t json_bytes = 0;
    long left = -1;
    if (!ms || !floor_ms)
        return 1;
    /* Each run, then (asked) the floor right after it: drift in the machine touches both.
     * Peak RSS is taken before the first floor, whose buffers are the benchmark's own. */
    long peak_rss = -1;
    for (int r = 0; r < o.runs; r++) {
        left = prepare(&o);
        log.n = 0;
        ms[r] = one_run(&o, &st, &json_bytes, &log);
        if (r == 0)
            peak_rss = bench_peak_rss_kib();
        if (o.baseline) {
            long bleft;
            floor_ms[r] = baseline(&o, &log, &bleft);
        }
    }
    double best = ms[0];
    for (int r = 1; r < o.runs; r++)
        best = ms[r] < best ? ms[r] : best;
    qsort(ms, (size_t)o.runs, sizeof *ms, dbl_cmp);
    printf("{\"dump\": \"%s\", \"all\": %d, \"cold\": %d, \"latency_us\": %u, \"read_ahead\": %d, \"runs\": %d, "
           "\"median_ms\": %.2f, \"best_ms\": %.2f, \"json_bytes\": %llu, \"pages_read\": %llu, \"cache_hits\": %llu, "
           "\"file_reads\": %llu, \"read_batches\": %llu, \"pages_read_ahead\": %llu, \"read_ahead_used\": %llu, "
           "\"resident_after_evict\": %ld",
           o.path, o.all, o.cold, o.latency_us, !o.no_ahead, o.runs, ms[o.runs / 2], best,
           (unsigned long long)json_bytes, (unsigned long long)st.pages_read, (unsigned long long)st.cache_hits,
           (unsigned long long)st.file_reads, (unsigned long long)st.read_batches,
           (unsigned long long)st.pages_read_ahead, (unsigned long long)st.read_ahead_used, left);
    if (o.baseline) {
        qsort(floor_ms, (size_t)o.runs, sizeof *floor_ms, dbl_cmp);
        printf(", \"baseline_pages\": %zu, \"baseline_ms\": %.2f", log.n, floor_ms[o.runs / 2]);
    }
    if (o.va_reads) {
        unsigned long failed;
        uint64_t checksum;
        double rms = random_reads(&o, &failed, &checksum);
        printf(", \"va_reads\": %lu, \"va_reads_ms\": %.2f, \"va_failed\": %lu, \"va_checksum\": %llu", o.va_reads,
               rms, failed, (unsigned long long)checksum);
    }
    printf(", \"peak_rss_kib\": %ld}\n", o.va_reads ? bench_peak_rss_kib() : peak_rss);
    free(ms);
    free(floor_ms);
    free(log.pfns);
    return 0;
}
