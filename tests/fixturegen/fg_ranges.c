/* SPDX-License-Identifier: MIT */
/* Physical range lists: what the dump captures (present ranges), what the machine has (runs for
 * the PhysicalMemoryBlock), and the merging / splitting the formats' limits call for. */
#include "fg_internal.h"

#include <stdlib.h>
#include <string.h>

static int push(fg_range **r, size_t *n, size_t *cap, uint64_t pfn, uint64_t count)
{
    if (*n > 0) {
        fg_range *last = &(*r)[*n - 1];
        uint64_t end = last->pfn + last->count;
        if (pfn <= end) { /* sorted input: overlap or contiguity extends the last range */
            if (pfn + count > end)
                last->count = pfn + count - last->pfn;
            return 0;
        }
    }
    fg_range *grown = fg_grow(*r, cap, *n + 1, sizeof(**r));
    if (grown == NULL)
        return -1;
    *r = grown;
    (*r)[*n].pfn = pfn;
    (*r)[*n].count = count;
    (*r)[*n].index = 0;
    (*n)++;
    return 0;
}

static int collect(const fg_dump *d, unsigned need_flags, fg_range **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (d->sparse_pages != 0 && push(out, n, &cap, 0, d->sparse_pages) != 0)
        goto oom;
    for (size_t i = 0; i < d->n_ext; i++) {
        const fg_extent *x = &d->ext[i];
        if ((x->flags & need_flags) == need_flags && push(out, n, &cap, x->pfn, x->count) != 0)
            goto oom;
    }
    return FG_OK;
oom:
    free(*out);
    *out = NULL;
    *n = 0;
    return FG_E_NOMEM;
}

int fg_present_ranges(const fg_dump *d, fg_range **out, size_t *n)
{
    return collect(d, FG_X_INDUMP, out, n);
}

int fg_machine_runs(const fg_dump *d, fg_range **out, size_t *n)
{
    return collect(d, 0, out, n);
}

/* Merges neighbours across the smallest gaps until at most `max` ranges remain. With d_guard, a gap
 * holding pages that must stay uncaptured is never merged (the merged gap would be captured). */
int fg_merge_to(fg_range **r, size_t *n, size_t max, const fg_dump *d_guard)
{
    while (*n > max) {
        size_t best = SIZE_MAX;
        uint64_t best_gap = UINT64_MAX;
        for (size_t i = 0; i + 1 < *n; i++) {
            uint64_t end = (*r)[i].pfn + (*r)[i].count;
            uint64_t gap = (*r)[i + 1].pfn - end;
            if (gap >= best_gap)
                continue;
            if (d_guard != NULL && fg_range_has_uncaptured(d_guard, end, gap))
                continue;
            best = i;
            best_gap = gap;
        }
        if (best == SIZE_MAX)
            return FG_E_LIMIT;
        fg_range *a = &(*r)[best];
        const fg_range *b = &(*r)[best + 1];
        a->count = b->pfn + b->count - a->pfn;
        memmove(&(*r)[best + 1], &(*r)[best + 2], (*n - best - 2) * sizeof(**r));
        (*n)--;
    }
    return FG_OK;
}

/* Splits every range longer than max_count into adjacent pieces (sparse dumps get a few runs /
 * ranges instead of one, so multi-range offset arithmetic is exercised there too). */
int fg_split_ranges(fg_range **r, size_t *n, uint64_t max_count)
{
    size_t extra = 0;
    for (size_t i = 0; i < *n; i++)
        extra += (size_t)(((*r)[i].count - 1) / max_count);
    if (extra == 0)
        return FG_OK;
    fg_range *o = malloc((*n + extra) * sizeof(*o));
    if (o == NULL)
        return FG_E_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        for (uint64_t off = 0; off < (*r)[i].count; off += max_count) {
            uint64_t left = (*r)[i].count - off;
            o[k].pfn = (*r)[i].pfn + off;
            o[k].count = left < max_count ? left : max_count;
            o[k].index = 0;
            k++;
        }
    }
    free(*r);
    *r = o;
    *n = k;
    return FG_OK;
}

void fg_index_ranges(fg_range *r, size_t n, uint64_t *total)
{
    uint64_t t = 0;
    for (size_t i = 0; i < n; i++) {
        r[i].index = t;
        t += r[i].count;
    }
    *total = t;
}
