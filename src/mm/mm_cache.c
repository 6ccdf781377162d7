/* SPDX-License-Identifier: MIT */
/* A direct-mapped cache of whole physical pages: page-table pages and hot kernel
 * structures are read once from the file. */
#include <stdlib.h>
#include <string.h>

#include "mm/mm_space.h"
#include "util/error.h"

di_status mm_space_init(mm_space *s, dmp_dump *dmp, di_error *err)
{
    memset(s, 0, sizeof *s);
    s->dmp = dmp;
    s->cache_mem = malloc((size_t)MM_CACHE_SLOTS * DMP_PAGE_SIZE);
    if (!s->cache_mem)
        return di_fail(err, DI_E_NOMEM, "out of memory for the page cache");
    for (unsigned i = 0; i < MM_CACHE_SLOTS; i++)
        s->cache[i].data = s->cache_mem + (size_t)i * DMP_PAGE_SIZE;
    return DI_OK;
}

void mm_space_free(mm_space *s)
{
    free(s->cache_mem);
    memset(s, 0, sizeof *s);
}

static unsigned slot_of(uint64_t pfn)
{
    /* Mix the PFN so strided layouts (page tables every 512 pages) do not collide. */
    uint64_t h = pfn * 0x9E3779B97F4A7C15ull;
    return (unsigned)(h >> 55) % MM_CACHE_SLOTS;
}

static di_status page(mm_space *s, uint64_t pfn, const uint8_t **out, di_error *err)
{
    mm_cache_slot *slot = &s->cache[slot_of(pfn)];
    if (slot->tag == pfn + 1) {
        s->cache_hits++;
        *out = slot->data;
        return DI_OK;
    }
    slot->tag = 0;
    if (s->page_budget && s->page_reads >= s->page_budget) {
        s->budget_hit = 1;
        return di_fail(err, DI_E_LIMIT, "%s: the page-read limit was reached (--limit pages_read=N)", dmp_path(s->dmp));
    }
    di_status st = dmp_read_phys(s->dmp, pfn << DMP_PAGE_SHIFT, slot->data, DMP_PAGE_SIZE, err);
    if (st != DI_OK)
        return st;
    s->page_reads++;
    slot->tag = pfn + 1;
    *out = slot->data;
    return DI_OK;
}

di_status mm_read_phys(mm_space *s, uint64_t pa, void *buf, size_t len, di_error *err)
{
    uint8_t *out = buf;
    while (len > 0) {
        size_t off = (size_t)(pa & (DMP_PAGE_SIZE - 1));
        size_t n = DMP_PAGE_SIZE - off < len ? DMP_PAGE_SIZE - off : len;
        const uint8_t *p = NULL;
        if ((pa >> DMP_PAGE_SHIFT) >= DMP_MAX_PFN)
            return di_fail(err, DI_E_BAD_PTE, "%s: physical address 0x%llx lies beyond the 52-bit physical address space",
                           dmp_path(s->dmp), (unsigned long long)pa);
        di_status st = page(s, pa >> DMP_PAGE_SHIFT, &p, err);
        if (st != DI_OK)
            return st;
        memcpy(out, p + off, n);
        out += n;
        pa += n;
        len -= n;
    }
    return DI_OK;
}
