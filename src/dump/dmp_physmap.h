/* SPDX-License-Identifier: MIT */
/* Where each captured physical page lives in the file. Two representations, both
 * proportional to the dump's own metadata (never one entry per page):
 *  - ranges: sorted {base PFN, page count, file offset} (run lists and RDMP tables),
 *    looked up by binary search;
 *  - bitmap: the dump's bitmap plus a rank index (one cumulative count per 512 PFNs),
 *    looked up in O(1). */
#ifndef DI_DUMP_PHYSMAP_H
#define DI_DUMP_PHYSMAP_H

#include <stddef.h>
#include <stdint.h>

#include "dumpinspect/dumpinspect.h"

typedef struct dmp_range {
    uint64_t base_pfn;
    uint64_t count;
    uint64_t file_off; /* file offset of the range's first page */
} dmp_range;

typedef enum dmp_physmap_kind { DMP_PM_RANGES, DMP_PM_BITMAP } dmp_physmap_kind;

typedef struct dmp_physmap {
    dmp_physmap_kind kind;
    dmp_range *ranges;      /* DMP_PM_RANGES: sorted by base_pfn, non-overlapping */
    size_t nranges;
    uint64_t *words;        /* DMP_PM_BITMAP: bitmap as u64 words */
    uint64_t nbits;
    uint64_t *rank;         /* rank[i] = set bits in words [0, 8*i) */
    uint64_t first_page_off;
    uint64_t present_pages; /* pages the metadata says are stored */
    uint64_t pfn_limit;     /* one past the highest PFN the metadata describes */
} dmp_physmap;

/* File offset of the page holding pfn, or DI_E_NOT_IN_DUMP. */
di_status dmp_physmap_locate(const dmp_physmap *pm, uint64_t pfn, uint64_t *file_off);

/* Sort ranges by PFN and reject overlaps; fills nranges/present_pages/pfn_limit.
 * what names the table in messages ("run", "range"). */
di_status dmp_physmap_set_ranges(dmp_physmap *pm, dmp_range *ranges, size_t n, const char *path,
                                 const char *what, di_error *err);

/* Takes ownership of words (nbits bits); builds the rank index. */
di_status dmp_physmap_set_bitmap(dmp_physmap *pm, uint64_t *words, uint64_t nbits, uint64_t first_page_off,
                                 const char *path, di_error *err);

void dmp_physmap_free(dmp_physmap *pm);

#endif
