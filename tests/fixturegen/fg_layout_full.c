/* SPDX-License-Identifier: MIT */
/* Type 1 (full dump): the run list in the header is the only index; pages follow the header back
 * to back in run order (dump-format.md 2.1). At most 42 runs fit, so more ranges are merged across
 * their smallest gaps; merged-in gap pages become zero pages in the file. */
#include "fg_internal.h"

#include <stdlib.h>

void fg_layout_free(fg_layout *L)
{
    if (L->runs != L->r)
        free(L->runs);
    free(L->r);
    free(L->meta);
    L->r = L->runs = NULL;
    L->meta = NULL;
    L->n = L->n_runs = 0;
}

int fg_layout_offset(const fg_layout *L, uint64_t pfn, uint64_t *off)
{
    size_t lo = 0, hi = L->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (L->r[mid].pfn + L->r[mid].count <= pfn)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == L->n || L->r[lo].pfn > pfn)
        return 0;
    *off = L->data_off + (L->r[lo].index + (pfn - L->r[lo].pfn)) * FG_PAGE;
    return 1;
}

int fg_layout_full(fg_dump *d, fg_layout *L)
{
    int rc = fg_present_ranges(d, &L->r, &L->n);
    if (rc != FG_OK)
        return fg_fail(d, rc, "out of memory");
    if (d->sparse_pages != 0 && d->sparse_pages >= 4)
        rc = fg_split_ranges(&L->r, &L->n, d->sparse_pages / 4);
    if (rc != FG_OK)
        return fg_fail(d, rc, "out of memory");
    if (fg_merge_to(&L->r, &L->n, FG_MAX_RUNS, d) != FG_OK)
        return fg_fail(d, FG_E_LIMIT,
                       "full dump needs more than %u runs even after merging gaps", FG_MAX_RUNS);
    fg_index_ranges(L->r, L->n, &L->total_pages);
    L->runs = L->r; /* the header run list is the layout itself */
    L->n_runs = L->n;
    L->data_off = FG_HEADER_SIZE;
    L->file_size = FG_HEADER_SIZE + L->total_pages * FG_PAGE;
    return FG_OK;
}
