/* SPDX-License-Identifier: MIT */
/* The physical page allocator and the record of which PFNs exist, are captured in the dump, and
 * what they hold by default.
 *
 * Ordinary pages come from a bump allocator that hands out chunks (4, 8, ... 2048 pages) with a
 * few missing PFNs between them, so every dump has several discontiguous runs / ranges / bitmap
 * holes. 1 GiB pages get 1 GiB-aligned slots of their own. Pages that must be mapped but not
 * captured (FG_ABSENT) come from uncaptured blocks of the same allocator in normal mode and from
 * above the present range in sparse mode (where everything below it is captured). */
#include "fg_internal.h"
#include "fg_le.h"
#include "fg_pattern.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 4u
#define CHUNK_MAX_SHIFT 9u

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

/* Index of the first extent whose end is above pfn (n_ext if none). */
static size_t ext_lower(const fg_dump *d, uint64_t pfn)
{
    size_t lo = 0, hi = d->n_ext;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->ext[mid].pfn + d->ext[mid].count <= pfn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const fg_extent *fg_extent_find(const fg_dump *d, uint64_t pfn)
{
    size_t i = ext_lower(d, pfn);
    if (i < d->n_ext && d->ext[i].pfn <= pfn)
        return &d->ext[i];
    return NULL;
}

/* The extent overlapping [pfn, pfn+count), or NULL. */
static const fg_extent *ext_overlap(const fg_dump *d, uint64_t pfn, uint64_t count)
{
    size_t i = ext_lower(d, pfn);
    if (i < d->n_ext && d->ext[i].pfn < pfn + count)
        return &d->ext[i];
    return NULL;
}

int fg_range_has_uncaptured(const fg_dump *d, uint64_t pfn, uint64_t count)
{
    for (size_t i = ext_lower(d, pfn); i < d->n_ext && d->ext[i].pfn < pfn + count; i++) {
        if (!(d->ext[i].flags & FG_X_INDUMP))
            return 1;
    }
    return 0;
}

static int ext_add(fg_dump *d, uint64_t pfn, uint64_t count, unsigned flags)
{
    size_t i = ext_lower(d, pfn);
    /* Extend the left neighbour when contiguous with the same flags: keeps the list short. */
    if (i > 0 && d->ext[i - 1].pfn + d->ext[i - 1].count == pfn && d->ext[i - 1].flags == flags) {
        d->ext[i - 1].count += count;
        return 0;
    }
    if (i < d->n_ext && d->ext[i].pfn == pfn + count && d->ext[i].flags == flags) {
        d->ext[i].pfn = pfn;
        d->ext[i].count += count;
        return 0;
    }
    fg_extent *grown = fg_grow(d->ext, &d->cap_ext, d->n_ext + 1, sizeof(*d->ext));
    if (grown == NULL)
        return -1;
    d->ext = grown;
    memmove(&d->ext[i + 1], &d->ext[i], (d->n_ext - i) * sizeof(*d->ext));
    d->ext[i].pfn = pfn;
    d->ext[i].count = count;
    d->ext[i].flags = flags;
    d->n_ext++;
    return 0;
}

static uint64_t chunk_gap(unsigned chunk_no)
{
    return chunk_no == 0 ? 0 : 1 + (chunk_no * 5u) % 11u;
}

static uint64_t chunk_size(unsigned chunk_no)
{
    unsigned s = chunk_no < CHUNK_MAX_SHIFT ? chunk_no : CHUNK_MAX_SHIFT;
    return (uint64_t)CHUNK_MIN << s;
}

uint64_t fg_phys_alloc(fg_dump *d, uint64_t npages, uint64_t align, unsigned flags)
{
    if (npages == 0 || align == 0) {
        fg_fail(d, FG_E_ARG, "physical allocation of %llu pages (align %llu) is invalid",
                (unsigned long long)npages, (unsigned long long)align);
        return 0;
    }
    for (;;) {
        uint64_t start = align_up(d->bump_pfn, align);
        uint64_t need = start - d->bump_pfn + npages;
        if (d->chunk_left < need) {
            d->bump_pfn += chunk_gap(d->chunk_no);
            uint64_t size = chunk_size(d->chunk_no);
            d->chunk_left = size > npages + align ? size : npages + align;
            d->chunk_no++;
            continue;
        }
        const fg_extent *x = ext_overlap(d, start, npages);
        if (x != NULL) { /* a 1 GiB slot or another pool is in the way: jump past it */
            d->bump_pfn = x->pfn + x->count;
            d->chunk_left = 0;
            continue;
        }
        if (d->sparse_pages != 0 && start + npages > d->sparse_pages) {
            fg_fail(d, FG_E_LIMIT, "sparse physical range (%llu pages) is full",
                    (unsigned long long)d->sparse_pages);
            return 0;
        }
        if (start + npages > (1ull << 36)) {
            fg_fail(d, FG_E_LIMIT, "physical address space exhausted");
            return 0;
        }
        if (ext_add(d, start, npages, flags) != 0) {
            fg_fail(d, FG_E_NOMEM, "out of memory");
            return 0;
        }
        d->chunk_left -= need;
        d->bump_pfn = start + npages;
        return start;
    }
}

/* First free 1 GiB-aligned slot at or above `from` (PFN). */
static uint64_t free_slot_above(const fg_dump *d, uint64_t from)
{
    uint64_t cand = align_up(from, FG_PAGES_1G);
    for (const fg_extent *x; (x = ext_overlap(d, cand, FG_PAGES_1G)) != NULL;)
        cand = align_up(x->pfn + x->count, FG_PAGES_1G);
    return cand;
}

uint64_t fg_phys_alloc_1g(fg_dump *d)
{
    uint64_t slot = 0;
    if (d->sparse_pages != 0) {
        /* Prefer the top of the sparse range (away from the bump allocator); slot 0 would swallow
         * the page tables, so it is never used. */
        for (uint64_t cand = d->sparse_pages / FG_PAGES_1G * FG_PAGES_1G; cand >= 2u * FG_PAGES_1G;) {
            cand -= FG_PAGES_1G;
            if (ext_overlap(d, cand, FG_PAGES_1G) == NULL &&
                (d->bump_pfn + d->chunk_left <= cand)) {
                slot = cand;
                break;
            }
        }
        if (slot == 0)
            slot = free_slot_above(d, d->sparse_pages);
    } else {
        uint64_t from = d->bump_pfn + d->chunk_left;
        slot = free_slot_above(d, from > FG_PAGES_1G ? from : FG_PAGES_1G);
    }
    if (slot + FG_PAGES_1G > (1ull << 36)) {
        fg_fail(d, FG_E_LIMIT, "physical address space exhausted");
        return 0;
    }
    /* Zero by default: a GiB of pattern would have to be written out page by page. */
    if (ext_add(d, slot, FG_PAGES_1G, FG_X_INDUMP) != 0) {
        fg_fail(d, FG_E_NOMEM, "out of memory");
        return 0;
    }
    return slot;
}

uint64_t fg_phys_alloc_absent(fg_dump *d)
{
    if (d->sparse_pages == 0) {
        /* Blocks of growing size: absent pages still punch holes between captured pages, but
         * thousands of them cost few holes (a full dump has room for 42 runs only). */
        if (d->absent_left == 0) {
            unsigned shift = d->absent_blocks < 8 ? d->absent_blocks : 8;
            uint64_t n = (uint64_t)16 << shift;
            uint64_t pfn = fg_phys_alloc(d, n, 1, FG_X_PATTERN);
            if (pfn == 0)
                return 0;
            d->absent_next = pfn;
            d->absent_left = n;
            d->absent_blocks++;
        }
        d->absent_left--;
        return d->absent_next++;
    }
    uint64_t cand = d->sparse_pages + 0x10;
    for (const fg_extent *x; (x = ext_overlap(d, cand, 1)) != NULL;)
        cand = x->pfn + x->count;
    if (ext_add(d, cand, 1, FG_X_PATTERN) != 0) {
        fg_fail(d, FG_E_NOMEM, "out of memory");
        return 0;
    }
    return cand;
}

int fg_pfn_in_dump(const fg_dump *d, uint64_t pfn)
{
    if (pfn == 0 && d->cfg.dump_type >= 8)
        return 0; /* RDMP ranges never start at PFN 0 (readers treat it as the terminator) */
    if (pfn < d->sparse_pages)
        return 1;
    const fg_extent *x = fg_extent_find(d, pfn);
    return x != NULL && (x->flags & FG_X_INDUMP);
}

int fg_pfn_known(const fg_dump *d, uint64_t pfn)
{
    return pfn < d->sparse_pages || fg_extent_find(d, pfn) != NULL;
}

uint8_t *fg_page(fg_dump *d, uint64_t pfn)
{
    uint8_t *p = fg_store_get(&d->store, pfn);
    if (p != NULL)
        return p;
    if (!fg_pfn_known(d, pfn)) {
        fg_fail(d, FG_E_ARG, "physical page 0x%llx was never allocated",
                (unsigned long long)(pfn << FG_PAGE_SHIFT));
        return NULL;
    }
    p = malloc(FG_PAGE);
    if (p == NULL) {
        fg_fail(d, FG_E_NOMEM, "out of memory");
        return NULL;
    }
    const fg_extent *x = fg_extent_find(d, pfn);
    if (x != NULL && (x->flags & FG_X_PATTERN))
        fg_pattern_fill(p, pfn << FG_PAGE_SHIFT, FG_PAGE);
    else
        memset(p, 0, FG_PAGE);
    if (fg_store_put(&d->store, pfn, p) != 0) {
        free(p);
        fg_fail(d, FG_E_NOMEM, "out of memory");
        return NULL;
    }
    return p;
}

uint64_t fg_phys_u64(const fg_dump *d, uint64_t pa)
{
    uint64_t pfn = pa >> FG_PAGE_SHIFT;
    const uint8_t *p = fg_store_get(&d->store, pfn);
    uint8_t tmp[8];
    if (p != NULL) {
        p += pa & (FG_PAGE - 1);
    } else {
        const fg_extent *x = fg_extent_find(d, pfn);
        if (x != NULL && (x->flags & FG_X_PATTERN))
            fg_pattern_fill(tmp, pa, sizeof(tmp));
        else
            memset(tmp, 0, sizeof(tmp));
        p = tmp;
    }
    return fg_get64(p);
}

int fg_phys_set_u64(fg_dump *d, uint64_t pa, uint64_t v)
{
    uint8_t *p = fg_page(d, pa >> FG_PAGE_SHIFT);
    if (p == NULL)
        return FG_E_ARG;
    fg_put64(p + (pa & (FG_PAGE - 1)), v);
    return FG_OK;
}
