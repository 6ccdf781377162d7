/* SPDX-License-Identifier: MIT */
/* The page cache: whole physical pages, 8-way set-associative with least-recently-used
 * replacement, so page tables and hot kernel structures are read once however a walk
 * interleaves with them. Pages may also arrive in batches, ahead of their first use. */
#include <stdlib.h>
#include <string.h>

#include "io/io_os.h"
#include "mm/mm_space.h"
#include "util/error.h"

di_status mm_space_init(mm_space *s, dmp_dump *dmp, di_error *err)
{
    memset(s, 0, sizeof *s);
    s->dmp = dmp;
    s->read_ahead = 1;
    s->cache_mem = io_os_alloc_big((size_t)MM_CACHE_SLOTS * DMP_PAGE_SIZE);
    if (!s->cache_mem)
        return di_fail(err, DI_E_NOMEM, "out of memory for the page cache");
    return DI_OK;
}

void mm_space_free(mm_space *s)
{
    io_os_free_big(s->cache_mem);
    memset(s, 0, sizeof *s);
}

/* The first way of pfn's set. The multiplicative hash's top bits choose the set, so PFNs in
 * any stride (page tables every 512 pages) spread over all sets. */
static size_t set_of(uint64_t pfn)
{
    uint64_t h = (pfn + 1) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> (64 - MM_CACHE_SET_BITS)) * MM_CACHE_WAYS;
}

static mm_cache_slot *find(const mm_space *s, uint64_t pfn)
{
    const mm_cache_slot *set = &s->cache[set_of(pfn)];
    for (unsigned w = 0; w < MM_CACHE_WAYS; w++)
        if (set[w].tag == pfn + 1)
            return (mm_cache_slot *)&set[w];
    return NULL;
}

static uint8_t *data_of(const mm_space *s, const mm_cache_slot *slot)
{
    return s->cache_mem + (size_t)(slot - s->cache) * DMP_PAGE_SIZE;
}

/* The slot pfn goes to: an empty way, else the least recently used one. */
static mm_cache_slot *victim(mm_space *s, uint64_t pfn)
{
    mm_cache_slot *set = &s->cache[set_of(pfn)], *best = &set[0];
    for (unsigned w = 0; w < MM_CACHE_WAYS; w++) {
        if (set[w].tag == 0)
            return &set[w];
        if (set[w].used < best->used)
            best = &set[w];
    }
    return best;
}

static void touch(mm_space *s, mm_cache_slot *slot)
{
    if (++s->clock == 0) { /* the clock wrapped: restart every stamp, keeping nothing's order */
        for (unsigned i = 0; i < MM_CACHE_SLOTS; i++)
            s->cache[i].used = 0;
        s->clock = 1;
    }
    slot->used = s->clock;
}

int mm_page_cached(const mm_space *s, uint64_t pfn) { return find(s, pfn) != NULL; }

/* A fetch the reader asked for: counted against the page-read budget, whether its bytes
 * come from the file now or came earlier in a batch. */
static void log_fetch(mm_space *s, uint64_t pfn)
{
    struct mm_fetch_log *l = s->log;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        uint64_t *p = realloc(l->pfns, cap * sizeof *p);
        if (!p)
            return; /* the record is incomplete; the reading is not affected */
        l->pfns = p;
        l->cap = cap;
    }
    l->pfns[l->n++] = pfn;
}

static di_status count_fetch(mm_space *s, uint64_t pfn, di_error *err)
{
    if (s->page_budget && s->page_reads >= s->page_budget) {
        s->budget_hit = 1;
        return di_fail(err, DI_E_LIMIT, "%s: the page-read limit was reached (--limit pages_read=N)", dmp_path(s->dmp));
    }
    s->page_reads++;
    if (s->log)
        log_fetch(s, pfn);
    return DI_OK;
}

/* A read served by a held page: a cache hit, or the first use of a page a batch brought,
 * which counts as a fetch (against the budget). */
static di_status use_held(mm_space *s, mm_cache_slot *slot, uint64_t pfn, di_error *err)
{
    if (!slot->ahead) {
        s->cache_hits++;
        return DI_OK;
    }
    di_status st = count_fetch(s, pfn, err);
    if (st != DI_OK)
        return st;
    slot->ahead = 0;
    s->ahead_used++;
    s->recent_used++;
    return DI_OK;
}

static di_status page(mm_space *s, uint64_t pfn, const uint8_t **out, di_error *err)
{
    mm_cache_slot *slot = find(s, pfn);
    if (s->probing) { /* a look at cached tables only: no fetch, nothing counted */
        if (!slot) {
            s->probe_miss = pfn + 1;
            return di_fail(err, DI_E_NOT_IN_DUMP, "page 0x%llx is not cached", (unsigned long long)pfn);
        }
        *out = data_of(s, slot);
        return DI_OK;
    }
    if (slot) {
        di_status st = use_held(s, slot, pfn, err);
        if (st != DI_OK)
            return st;
    } else {
        di_status st = count_fetch(s, pfn, err);
        if (st != DI_OK)
            return st;
        slot = victim(s, pfn);
        slot->tag = 0;
        st = dmp_read_phys(s->dmp, pfn << DMP_PAGE_SHIFT, data_of(s, slot), DMP_PAGE_SIZE, err);
        if (st != DI_OK) {
            s->page_reads--; /* nothing was fetched */
            return st;
        }
        slot->tag = pfn + 1;
        slot->ahead = 0;
    }
    touch(s, slot);
    *out = data_of(s, slot);
    return DI_OK;
}

static int pfn_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void mm_fetch_pages(mm_space *s, const uint64_t *pfns, size_t n)
{
    /* Speculative fetches get a budget of their own, as large as the reader's: a dump
     * cannot make reading ahead fetch more than twice the pages the limit allows. */
    if (n == 0 || s->budget_hit || (s->page_budget && s->speculative >= s->page_budget))
        return;
    uint64_t *want = malloc(n * sizeof *want);
    uint8_t **bufs = malloc(n * sizeof *bufs);
    mm_cache_slot **slots = malloc(n * sizeof *slots);
    int *ok = malloc(n * sizeof *ok);
    size_t m = 0;
    if (want && bufs && slots && ok) {
        memcpy(want, pfns, n * sizeof *want);
        qsort(want, n, sizeof *want, pfn_cmp);
        for (size_t i = 0; i < n; i++) { /* distinct, in range, not held; a slot each */
            if ((m && want[i] == want[m - 1]) || want[i] >= DMP_MAX_PFN || find(s, want[i]))
                continue;
            mm_cache_slot *slot = victim(s, want[i]);
            if (slot->ahead == MM_SLOT_FILLING)
                continue; /* every way of the set already waits for this batch */
            slot->tag = 0;
            slot->ahead = MM_SLOT_FILLING;
            touch(s, slot);
            slots[m] = slot;
            bufs[m] = data_of(s, slot);
            want[m++] = want[i];
        }
        dmp_read_pages(s->dmp, want, bufs, ok, m);
        for (size_t i = 0; i < m; i++) {
            slots[i]->tag = ok[i] ? want[i] + 1 : 0;
            slots[i]->ahead = ok[i] ? 1 : 0;
            s->ahead_pages += ok[i] != 0;
            s->speculative += ok[i] != 0;
            s->recent_ahead += ok[i] != 0;
        }
        if (s->recent_ahead > 8192) {
            s->recent_ahead /= 2;
            s->recent_used /= 2;
        }
    }
    free(want);
    free(bufs);
    free(slots);
    free(ok);
}

int mm_claim_ahead(mm_space *s, uint64_t pfn)
{
    mm_cache_slot *slot = find(s, pfn);
    if (!slot || !slot->ahead || (s->page_budget && s->page_reads >= s->page_budget))
        return 0;
    slot->ahead = 0;
    s->ahead_pages--;
    if (s->recent_ahead)
        s->recent_ahead--;
    s->page_reads++;
    if (s->log)
        log_fetch(s, pfn);
    return 1;
}

int mm_read_held(mm_space *s, uint64_t pa, void *buf, size_t len)
{
    mm_cache_slot *slot = find(s, pa >> DMP_PAGE_SHIFT);
    if (!slot || (pa & (DMP_PAGE_SIZE - 1)) + len > DMP_PAGE_SIZE ||
        (slot->ahead && s->page_budget && s->page_reads >= s->page_budget)) /* the slow path says why */
        return 0;
    use_held(s, slot, pa >> DMP_PAGE_SHIFT, NULL);
    touch(s, slot);
    memcpy(buf, data_of(s, slot) + (pa & (DMP_PAGE_SIZE - 1)), len);
    return 1;
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
