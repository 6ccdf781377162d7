/* SPDX-License-Identifier: MIT */
#include "dump/dmp_physmap.h"

#include <stdlib.h>
#include <string.h>

#include "dump/dmp_layout.h"
#include "util/bits.h"
#include "util/error.h"

#define RANK_WORDS 8u /* 512 PFNs per rank entry */

static int range_cmp(const void *a, const void *b)
{
    const dmp_range *x = a, *y = b;
    return x->base_pfn < y->base_pfn ? -1 : x->base_pfn > y->base_pfn;
}

di_status dmp_physmap_set_ranges(dmp_physmap *pm, dmp_range *ranges, size_t n, const char *path,
                                 const char *what, di_error *err)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (ranges[i].count == 0)
            continue;
        if (ranges[i].base_pfn >= DMP_MAX_PFN || ranges[i].count > DMP_MAX_PFN - ranges[i].base_pfn)
            return di_fail(err, DI_E_FORMAT,
                           "%s: %s %zu (base PFN 0x%llx, 0x%llx pages) lies beyond the 52-bit physical address space",
                           path, what, i, (unsigned long long)ranges[i].base_pfn,
                           (unsigned long long)ranges[i].count);
        total += ranges[i].count;
    }
    if (n)
        qsort(ranges, n, sizeof *ranges, range_cmp);
    /* Drop empty ranges so lookups never land on them. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (ranges[i].count)
            ranges[m++] = ranges[i];
    for (size_t i = 1; i < m; i++) {
        const dmp_range *a = &ranges[i - 1], *b = &ranges[i];
        if (b->base_pfn < a->base_pfn + a->count)
            return di_fail(err, DI_E_FORMAT,
                           "%s: %ss overlap: PFNs 0x%llx-0x%llx and 0x%llx-0x%llx", path, what,
                           (unsigned long long)a->base_pfn, (unsigned long long)(a->base_pfn + a->count - 1),
                           (unsigned long long)b->base_pfn, (unsigned long long)(b->base_pfn + b->count - 1));
    }
    pm->kind = DMP_PM_RANGES;
    pm->ranges = ranges;
    pm->nranges = m;
    pm->present_pages = total;
    pm->pfn_limit = m ? ranges[m - 1].base_pfn + ranges[m - 1].count : 0;
    return DI_OK;
}

di_status dmp_physmap_set_bitmap(dmp_physmap *pm, uint64_t *words, uint64_t nbits, uint64_t first_page_off,
                                 const char *path, di_error *err)
{
    uint64_t nwords = (nbits + 63) / 64;
    uint64_t nrank = nwords / RANK_WORDS + 1;
    uint64_t *rank = malloc((size_t)nrank * sizeof *rank);
    if (!rank)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory for the bitmap index (%llu entries)", path,
                       (unsigned long long)nrank);
    /* Bits past nbits in the last word are not part of the bitmap. */
    if (nbits % 64)
        words[nwords - 1] &= (~(uint64_t)0) >> (64 - nbits % 64);
    uint64_t sum = 0;
    for (uint64_t w = 0; w < nwords; w++) {
        if (w % RANK_WORDS == 0)
            rank[w / RANK_WORDS] = sum;
        sum += (uint64_t)di_popcount64(words[w]);
    }
    if (nwords % RANK_WORDS == 0)
        rank[nwords / RANK_WORDS] = sum;
    pm->kind = DMP_PM_BITMAP;
    pm->words = words;
    pm->nbits = nbits;
    pm->rank = rank;
    pm->first_page_off = first_page_off;
    pm->present_pages = sum;
    pm->pfn_limit = nbits;
    return DI_OK;
}

static di_status locate_range(const dmp_physmap *pm, uint64_t pfn, uint64_t *file_off)
{
    size_t lo = 0, hi = pm->nranges;
    while (lo < hi) { /* first range with base_pfn > pfn */
        size_t mid = lo + (hi - lo) / 2;
        if (pm->ranges[mid].base_pfn <= pfn)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return DI_E_NOT_IN_DUMP;
    const dmp_range *r = &pm->ranges[lo - 1];
    if (pfn - r->base_pfn >= r->count)
        return DI_E_NOT_IN_DUMP;
    *file_off = r->file_off + (pfn - r->base_pfn) * DMP_PAGE_SIZE;
    return DI_OK;
}

static di_status locate_bit(const dmp_physmap *pm, uint64_t pfn, uint64_t *file_off)
{
    if (pfn >= pm->nbits)
        return DI_E_NOT_IN_DUMP;
    uint64_t w = pfn / 64, bit = pfn % 64;
    if (!((pm->words[w] >> bit) & 1))
        return DI_E_NOT_IN_DUMP;
    uint64_t r = pm->rank[w / RANK_WORDS];
    for (uint64_t k = w - w % RANK_WORDS; k < w; k++)
        r += (uint64_t)di_popcount64(pm->words[k]);
    r += (uint64_t)di_popcount64(pm->words[w] & (((uint64_t)1 << bit) - 1));
    *file_off = pm->first_page_off + r * DMP_PAGE_SIZE;
    return DI_OK;
}

di_status dmp_physmap_locate(const dmp_physmap *pm, uint64_t pfn, uint64_t *file_off)
{
    return pm->kind == DMP_PM_BITMAP ? locate_bit(pm, pfn, file_off) : locate_range(pm, pfn, file_off);
}

void dmp_physmap_free(dmp_physmap *pm)
{
    free(pm->ranges);
    free(pm->words);
    free(pm->rank);
    memset(pm, 0, sizeof *pm);
}
