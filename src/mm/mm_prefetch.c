/* SPDX-License-Identifier: MIT */
/* Reading ahead. A miss on a virtual read fetches the aligned block of virtual pages around
 * it, translated through the page table the miss just walked, in one batch; a caller with
 * many independent pointers fetches what they all need level by level. Both only fill the
 * cache: what is finally read, and so the report, is the same with or without them. */
#include <stdlib.h>

#include "mm/mm_space.h"

#define MM_PREFETCH_ROUNDS 5 /* four table levels, then the pages themselves */

/* Translate va from cached page-table pages only: 1 with *pfn set, 0 with *missing set to
 * the table page the walk needs next, -1 when va does not translate. */
static int probe(mm_space *s, uint64_t cr3, uint64_t va, uint64_t *pfn, uint64_t *missing)
{
    di_translation t;
    di_error err;
    s->probing = 1;
    s->probe_miss = 0;
    di_status st = mm_translate(s, cr3, va, &t, &err);
    s->probing = 0;
    if (st == DI_OK) {
        *pfn = t.pa >> DMP_PAGE_SHIFT;
        return 1;
    }
    if (s->probe_miss) {
        *missing = s->probe_miss - 1;
        return 0;
    }
    return -1;
}

void mm_read_ahead(mm_space *s, uint64_t cr3, uint64_t va, uint64_t pfn)
{
    uint64_t pfns[MM_READ_AHEAD_PAGES];
    size_t n = 0;
    uint64_t block = va & ~((uint64_t)MM_READ_AHEAD_PAGES * DMP_PAGE_SIZE - 1);
    pfns[n++] = pfn;
    for (unsigned k = 0; k < MM_READ_AHEAD_PAGES; k++) {
        uint64_t nva = block + (uint64_t)k * DMP_PAGE_SIZE, npfn, missing;
        if ((nva >> DMP_PAGE_SHIFT) == (va >> DMP_PAGE_SHIFT))
            continue;
        if (probe(s, cr3, nva, &npfn, &missing) == 1 && !mm_page_cached(s, npfn))
            pfns[n++] = npfn;
    }
    mm_fetch_pages(s, pfns, n);
    mm_claim_ahead(s, pfn);
}

void mm_prefetch_virtual(mm_space *s, uint64_t cr3, const uint64_t *vas, size_t n, size_t len)
{
    if (s->dmp->triage || n == 0 || s->budget_hit)
        return;
    uint64_t *need = malloc(2 * n * sizeof *need);
    if (!need)
        return;
    cr3 &= ~0xFFFull;
    for (int round = 0; round < MM_PREFETCH_ROUNDS; round++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t ends[2] = {vas[i], vas[i] + (len ? len - 1 : 0)};
            for (int e = 0; e < 2; e++) {
                if (e == 1 && (ends[1] >> DMP_PAGE_SHIFT == ends[0] >> DMP_PAGE_SHIFT || ends[1] < ends[0]))
                    break;
                uint64_t pfn, missing;
                int r = probe(s, cr3, ends[e], &pfn, &missing);
                if (r == 1 && !mm_page_cached(s, pfn))
                    need[m++] = pfn;
                else if (r == 0)
                    need[m++] = missing;
            }
        }
        if (m == 0)
            break;
        mm_fetch_pages(s, need, m);
    }
    free(need);
}
