/* SPDX-License-Identifier: MIT */
/* Reading ahead. A miss on a virtual read fetches its stream's window of virtual pages in one
 * batch (translated through the page tables held; tables still missing are fetched level by
 * level first); a caller with many independent pointers fetches what they all need the same
 * way. Both only fill the cache, and what they fetch follows from the reads asked for alone:
 * how long the reads take changes nothing that is read or reported. */
#include <stdlib.h>

#include "mm/mm_space.h"

#define MM_PREFETCH_ROUNDS 5 /* four table levels, then the pages themselves */

/* Translate va from cached page-table pages only: 1 with *pfn set, 0 with *missing set to
 * the table page the walk needs next, -1 when va does not translate. */
static int probe(mm_space *s, uint64_t cr3, uint64_t va, uint64_t *pfn, uint64_t *missing)
{
    di_translation t;
    s->probing = 1;
    s->probe_miss = 0;
    di_status st = mm_translate(s, cr3, va, &t, NULL); /* no message: a probe's failure is no error */
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

/* The window to fetch for a miss at page va: a stream's continuation, doubled, when va lies
 * just past (or, for a walk downwards, just before) what the stream fetched last; else the
 * aligned MM_READ_AHEAD_PAGES block of a new stream, replacing the oldest. */
static void choose_window(mm_space *s, uint64_t va, uint64_t *lo, uint64_t *hi)
{
    mm_stream *oldest = &s->streams[0];
    for (unsigned i = 0; i < MM_READ_AHEAD_STREAMS; i++) {
        mm_stream *st = &s->streams[i];
        uint64_t span = (uint64_t)st->window * DMP_PAGE_SIZE;
        if (st->hi && va >= st->hi && va - st->hi < span) {
            st->window = st->window * 2 > MM_READ_AHEAD_MAX ? MM_READ_AHEAD_MAX : st->window * 2;
            *lo = va;
            *hi = va + (uint64_t)st->window * DMP_PAGE_SIZE;
            if (*hi < *lo)
                *hi = ~(uint64_t)0xFFF; /* the top of the address space */
        } else if (st->hi && va < st->lo && st->lo - va <= span) {
            st->window = st->window * 2 > MM_READ_AHEAD_MAX ? MM_READ_AHEAD_MAX : st->window * 2;
            *hi = va + DMP_PAGE_SIZE;
            *lo = *hi >= (uint64_t)st->window * DMP_PAGE_SIZE ? *hi - (uint64_t)st->window * DMP_PAGE_SIZE : 0;
        } else {
            if (st->used < oldest->used)
                oldest = st;
            continue;
        }
        st->lo = *lo;
        st->hi = *hi;
        st->used = s->clock;
        return;
    }
    uint32_t pages = MM_READ_AHEAD_PAGES;
    if (s->recent_ahead >= 512 && s->recent_used * 8 < s->recent_ahead && ++s->new_streams % MM_READ_AHEAD_PROBE)
        pages = 1; /* random reads lately: only the page asked for */
    *lo = va & ~((uint64_t)pages * DMP_PAGE_SIZE - 1);
    *hi = *lo + (uint64_t)pages * DMP_PAGE_SIZE;
    if (*hi < *lo)
        *hi = ~(uint64_t)0xFFF;
    *oldest = (mm_stream){.lo = *lo, .hi = *hi, .window = pages, .used = s->clock};
}

void mm_read_ahead(mm_space *s, uint64_t cr3, uint64_t va, uint64_t pfn)
{
    uint64_t vas[MM_READ_AHEAD_MAX], lo, hi;
    size_t n = 0;
    va &= ~(uint64_t)(DMP_PAGE_SIZE - 1);
    choose_window(s, va, &lo, &hi);
    vas[n++] = va; /* first: the page asked for */
    for (uint64_t p = lo; p < hi && n < MM_READ_AHEAD_MAX; p += DMP_PAGE_SIZE)
        if (p != va)
            vas[n++] = p;
    mm_prefetch_virtual(s, cr3, vas, n, 1);
    mm_claim_ahead(s, pfn);
}

void mm_prefetch_virtual(mm_space *s, uint64_t cr3, const uint64_t *vas, size_t n, size_t len)
{
    if (s->dmp->triage || n == 0 || s->budget_hit || !s->read_ahead)
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
