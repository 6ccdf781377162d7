/* SPDX-License-Identifier: MIT */
/* Address spaces over a dump: cached physical reads, x64 4-level translation and
 * virtual reads that may cross pages. Every failure says why (di_status + message). */
#ifndef DI_MM_SPACE_H
#define DI_MM_SPACE_H

#include <stdint.h>

#include "dump/dmp_dump.h"

#define MM_CACHE_SLOTS 512u  /* physical pages kept (2 MiB) */
#define MM_TLB_SLOTS 256u    /* recent translations kept */
/* Pages the kernel model may fetch from the file by default (16 GiB worth). */
#define MM_DEFAULT_PAGE_BUDGET ((uint64_t)1 << 22)

typedef struct mm_cache_slot {
    uint64_t tag;            /* PFN + 1; 0 = empty */
    uint8_t *data;
} mm_cache_slot;

typedef struct mm_tlb_entry {
    uint64_t cr3;
    uint64_t vpn;            /* va >> 12, + 1; 0 = empty */
    uint64_t pfn;
} mm_tlb_entry;

typedef struct mm_space {
    dmp_dump *dmp;           /* not owned */
    uint8_t *cache_mem;
    mm_cache_slot cache[MM_CACHE_SLOTS];
    mm_tlb_entry tlb[MM_TLB_SLOTS];
    uint64_t page_reads;     /* pages fetched from the file */
    uint64_t page_budget;    /* 0 = unbounded; else page_reads may not pass it */
    int budget_hit;          /* a read was refused because of page_budget */
    uint64_t cache_hits;
} mm_space;

di_status mm_space_init(mm_space *s, dmp_dump *dmp, di_error *err);
void mm_space_free(mm_space *s);

/* Cached physical read; all-or-nothing. */
di_status mm_read_phys(mm_space *s, uint64_t pa, void *buf, size_t len, di_error *err);

/* Walk the 4-level tables under cr3 (PCID bits ignored). t records every step. */
di_status mm_translate(mm_space *s, uint64_t cr3, uint64_t va, di_translation *t, di_error *err);

/* Read len bytes at va; all-or-nothing, the message names the first unreadable address. */
di_status mm_read_virtual(mm_space *s, uint64_t cr3, uint64_t va, void *buf, size_t len, di_error *err);

/* Convenience typed reads of little-endian values. */
di_status mm_read_u64(mm_space *s, uint64_t cr3, uint64_t va, uint64_t *out, di_error *err);
di_status mm_read_u32(mm_space *s, uint64_t cr3, uint64_t va, uint32_t *out, di_error *err);

#endif
