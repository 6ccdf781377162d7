/* SPDX-License-Identifier: MIT */
/* Address spaces over a dump: cached physical reads, x64 4-level translation and
 * virtual reads that may cross pages. Every failure says why (di_status + message). */
#ifndef DI_MM_SPACE_H
#define DI_MM_SPACE_H

#include <stddef.h>
#include <stdint.h>

#include "dump/dmp_dump.h"

/* The page cache: 8-way set-associative, least recently used way replaced, 2048 pages
 * (8 MiB at most, touched only as it fills). Sized by measurement on the 64 GiB 0x13C
 * benchmark world (5,554 distinct pages, mostly list nodes used once): 2048 pages fetch
 * 5,583 (29 pages fetched again after eviction), 4096 fetch 5,554 but cost 8 MiB more of
 * peak memory on a million-resource dump; the old 512-slot direct-mapped cache fetched
 * 5,764. A page held is never fetched again, and batches skip held pages. */
#define MM_CACHE_WAYS 8u
#define MM_CACHE_SET_BITS 8u
#define MM_CACHE_SETS (1u << MM_CACHE_SET_BITS)
#define MM_CACHE_SLOTS (MM_CACHE_WAYS * MM_CACHE_SETS)
/* A miss on a virtual read fetches the aligned block of this many virtual pages around it
 * in one batch: pool objects on a list cluster in virtual memory. A miss just past the
 * range a stream fetched last (a walk moving through memory) doubles the stream's window,
 * up to MM_READ_AHEAD_MAX pages; a few streams are followed at once (a thread walk
 * alternates between thread objects and their stacks). */
#define MM_READ_AHEAD_PAGES 64u
#define MM_READ_AHEAD_MAX 128u
#define MM_READ_AHEAD_STREAMS 4u
/* When fewer than one in eight pages read ahead lately was used (random reads), a new
 * stream starts with the page asked for alone, except every MM_READ_AHEAD_PROBE-th one,
 * which tries a whole block again to see whether the pattern changed. */
#define MM_READ_AHEAD_PROBE 64u
#define MM_TLB_SLOTS 256u    /* recent translations kept */
/* Pages the kernel model may fetch from the file by default (16 GiB worth). */
#define MM_DEFAULT_PAGE_BUDGET ((uint64_t)1 << 22)

#define MM_SLOT_FILLING 2u

typedef struct mm_cache_slot {
    uint64_t tag;            /* PFN + 1; 0 = empty */
    uint32_t used;           /* the cache clock at the last use */
    uint8_t ahead;           /* 1: fetched by a batch, not used yet; MM_SLOT_FILLING: being fetched */
} mm_cache_slot;

typedef struct mm_tlb_entry {
    uint64_t cr3;
    uint64_t vpn;            /* va >> 12, + 1; 0 = empty */
    uint64_t pfn;
} mm_tlb_entry;

typedef struct mm_stream {
    uint64_t lo, hi;         /* the virtual range fetched last; hi == 0: unused */
    uint32_t window;         /* pages fetched last */
    uint32_t used;           /* the cache clock when it last fetched, to replace the oldest */
} mm_stream;

typedef struct mm_space {
    dmp_dump *dmp;           /* not owned */
    uint8_t *cache_mem;      /* MM_CACHE_SLOTS pages, slot i at i * 4 KiB */
    mm_cache_slot cache[MM_CACHE_SLOTS];
    uint32_t clock;
    mm_tlb_entry tlb[MM_TLB_SLOTS];
    int read_ahead;          /* nonzero (default): virtual misses fetch their block, prefetches run */
    mm_stream streams[MM_READ_AHEAD_STREAMS];
    uint32_t recent_ahead, recent_used; /* pages read ahead lately, and used (halved as they grow) */
    uint32_t new_streams;
    int probing;             /* translating from cached tables only: a miss records probe_miss */
    uint64_t probe_miss;     /* PFN + 1 of the table page a probe needed */
    uint64_t page_reads;     /* distinct page fetches the reader asked for (first use counts) */
    uint64_t page_budget;    /* 0 = unbounded; else page_reads may not pass it */
    int budget_hit;          /* a read was refused because of page_budget */
    uint64_t cache_hits;
    uint64_t ahead_pages;    /* pages fetched in a batch before anything asked for them */
    uint64_t ahead_used;     /* of those, pages later used */
    uint64_t speculative;    /* pages batches fetched in all (bounded by page_budget too) */
    /* The benchmark's record of every fetch the reader asked for (NULL: not kept). */
    struct mm_fetch_log {
        uint64_t *pfns;
        size_t n, cap;
    } *log;
} mm_space;

di_status mm_space_init(mm_space *s, dmp_dump *dmp, di_error *err);
void mm_space_free(mm_space *s);

/* Cached physical read; all-or-nothing. */
di_status mm_read_phys(mm_space *s, uint64_t pa, void *buf, size_t len, di_error *err);

/* Fetch the given pages in one batch (those already held are skipped); speculative:
 * failures leave a page out, for a later read to report. */
void mm_fetch_pages(mm_space *s, const uint64_t *pfns, size_t n);
/* A page a batch fetched because a read needed it now: counted as that read's fetch (not as
 * read ahead). 0 when it is not held, not from a batch, or the budget is spent. */
int mm_claim_ahead(mm_space *s, uint64_t pfn);
/* The fast path of a read within one page: 1 when the page is held and len bytes at pa were
 * copied (counted as mm_read_phys counts them), 0 when the caller must take the slow path. */
int mm_read_held(mm_space *s, uint64_t pa, void *buf, size_t len);
/* Whether the page is held (no statistics change). */
int mm_page_cached(const mm_space *s, uint64_t pfn);

/* The read-ahead on a virtual read's miss: va (mapping page pfn) and its stream's window
 * of virtual pages, with the page tables they need, in as few batches as the table levels
 * allow (one when they share the page table just walked). */
void mm_read_ahead(mm_space *s, uint64_t cr3, uint64_t va, uint64_t pfn);

/* Fetch what reading each of n ranges of len bytes at vas[i] will need (page-table pages,
 * level by level, then the pages themselves) in at most five batches, so that independent
 * pointers cost one round trip instead of one each. Nothing is reported: the reads that
 * follow report what cannot be read. */
void mm_prefetch_virtual(mm_space *s, uint64_t cr3, const uint64_t *vas, size_t n, size_t len);

/* Walk the 4-level tables under cr3 (PCID bits ignored). t records every step. */
di_status mm_translate(mm_space *s, uint64_t cr3, uint64_t va, di_translation *t, di_error *err);

/* Read len bytes at va; all-or-nothing, the message names the first unreadable address. */
di_status mm_read_virtual(mm_space *s, uint64_t cr3, uint64_t va, void *buf, size_t len, di_error *err);

/* Convenience typed reads of little-endian values. */
di_status mm_read_u64(mm_space *s, uint64_t cr3, uint64_t va, uint64_t *out, di_error *err);
di_status mm_read_u32(mm_space *s, uint64_t cr3, uint64_t va, uint32_t *out, di_error *err);

#endif
