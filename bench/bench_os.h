/* The benchmark's two operating-system facts, on POSIX and Windows: a monotonic clock and
 * this process's peak memory (POSIX: peak RSS from getrusage; Windows: PeakWorkingSetSize
 * from GetProcessMemoryInfo, the same quantity). Header-only: each program includes it once. */
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
#else
#include <sys/resource.h>
#include <time.h>

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
