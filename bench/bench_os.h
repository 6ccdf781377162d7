/* The benchmark's operating-system facts, on POSIX and Windows: a monotonic clock, this
 * process's peak memory (POSIX: peak RSS from getrusage; Windows: PeakWorkingSetSize from
 * GetProcessMemoryInfo, the same quantity), and (POSIX only) evicting a file from the page
 * cache. Header-only: each program includes it once. */
#ifndef DI_BENCH_OS_H
#define DI_BENCH_OS_H

#ifdef _WIN32
#include <windows.h>
#include <psapi.h>

static double bench_now_ms(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1e3 / (double)f.QuadPart;
}

static long bench_peak_rss_kib(void)
{
    PROCESS_MEMORY_COUNTERS pmc;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
        return -1;
    return (long)(pmc.PeakWorkingSetSize / 1024);
}

static inline long bench_evict(const char *path)
{
    (void)path;
    return -1; /* no user-mode way to drop one file from the Windows cache */
}
#else
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Drop path's pages from the page cache (written back first), then count with mincore how
 * many are still resident: 0 when the eviction worked, -1 when it could not be done. */
static inline long bench_evict(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    struct stat st;
    long left = -1;
    if (fstat(fd, &st) == 0 && st.st_size > 0 && fdatasync(fd) == 0 &&
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0) {
        size_t len = (size_t)st.st_size, pages = (len + 4095) / 4096;
        void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
        unsigned char *vec = malloc(pages);
        if (map != MAP_FAILED && vec && mincore(map, len, vec) == 0) {
            left = 0;
            for (size_t i = 0; i < pages; i++)
                left += vec[i] & 1;
        }
        free(vec);
        if (map != MAP_FAILED)
            munmap(map, len);
    }
    close(fd);
    return left;
}

static double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long bench_peak_rss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return (long)ru.ru_maxrss;
}
#endif

#endif
