/* SPDX-License-Identifier: MIT */
/* fuzz_physmap: open a dump, then read physical memory at addresses taken from the input's
 * tail, once through the dump layer (dmp_read_phys) and once through the page cache
 * (mm_read_phys); the two must agree. Also checks the physical map's own invariants:
 * ranges sorted and disjoint, the bitmap's rank index equal to a plain count. */
#include <string.h>

#include "dump/dmp_dump.h"
#include "fuzz_common.h"
#include "io/io_file.h"
#include "mm/mm_space.h"
#include "util/bits.h"

#define READS 4
#define MAX_READ (2 * DMP_PAGE_SIZE)

static void check_map(const dmp_physmap *pm, uint64_t pick)
{
    if (pm->kind == DMP_PM_RANGES) {
        for (size_t i = 0; i < pm->nranges; i++) {
            FZ_CHECK(pm->ranges[i].count > 0, "no empty range survives");
            FZ_CHECK(pm->ranges[i].base_pfn < DMP_MAX_PFN &&
                         pm->ranges[i].count <= DMP_MAX_PFN - pm->ranges[i].base_pfn,
                     "ranges stay inside the physical address space");
            if (i)
                FZ_CHECK(pm->ranges[i].base_pfn >= pm->ranges[i - 1].base_pfn + pm->ranges[i - 1].count,
                         "ranges are sorted and disjoint");
        }
        return;
    }
    /* One rank entry against a count from the start. */
    uint64_t nwords = (pm->nbits + 63) / 64;
    uint64_t entry = (pick % (nwords / 8 + 1));
    uint64_t sum = 0;
    for (uint64_t w = 0; w < entry * 8 && w < nwords; w++)
        sum += (uint64_t)di_popcount64(pm->words[w]);
    FZ_CHECK(pm->rank[entry] == sum, "the rank index counts the bits before it");
}

/* A physical address from one tail word: sometimes raw, mostly inside what the map
 * describes, so reads reach stored pages and their edges. */
static uint64_t pick_pa(const dmp_physmap *pm, uint64_t raw)
{
    uint64_t off = (raw >> 40) & (DMP_PAGE_SIZE - 1);
    uint64_t sel = raw >> 2;
    uint64_t pfn;
    switch (raw & 3) {
    case 0:
        return raw;
    case 1:
        pfn = pm->pfn_limit ? sel % (pm->pfn_limit + 1) : sel & 0xFFFF;
        break;
    case 2:
        if (pm->kind == DMP_PM_RANGES && pm->nranges) {
            const dmp_range *r = &pm->ranges[sel % pm->nranges];
            pfn = r->base_pfn + ((raw >> 24) % r->count);
        } else {
            pfn = pm->nbits ? sel % pm->nbits : 0;
        }
        break;
    default: /* the last bytes of the described memory, reads run past its end */
        pfn = pm->pfn_limit ? pm->pfn_limit - 1 : 0;
        off = DMP_PAGE_SIZE - 1 - (off & 0xFF);
        break;
    }
    return (pfn << DMP_PAGE_SHIFT) | off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    io_file *io;
    di_error err;
    if (io_open_memory(data, size, "fuzz.dmp", &io, &err) != DI_OK)
        return 0;
    dmp_dump *d;
    if (dmp_open(io, &d, &err) != DI_OK)
        return 0; /* dmp_open closed io */
    FZ_CHECK(d->stored_pages_in_file <= d->pm.present_pages, "stored pages never exceed present pages");
    check_map(&d->pm, fz_tail_u64(data, size, READS));

    mm_space mm;
    if (mm_space_init(&mm, d, &err) != DI_OK) {
        dmp_close(d);
        return 0;
    }
    static uint8_t a[MAX_READ], b[MAX_READ];
    for (size_t i = 0; i < READS; i++) {
        uint64_t raw = fz_tail_u64(data, size, i);
        uint64_t pa = pick_pa(&d->pm, raw);
        size_t len = (size_t)(1 + (raw >> 52) % MAX_READ);
        di_error e1, e2;
        di_status s1 = dmp_read_phys(d, pa, a, len, &e1);
        di_status s2 = mm_read_phys(&mm, pa, b, len, &e2);
        if (s2 == DI_OK)
            FZ_CHECK(s1 == DI_OK && memcmp(a, b, len) == 0, "a cached read returns the file's bytes");
        if (s1 != DI_OK)
            FZ_CHECK(s2 != DI_OK, "the cache cannot read what the file does not hold");
        /* Presence agrees with the map, and a present page's file offset is past the header. */
        uint64_t pfn = pa >> DMP_PAGE_SHIFT, off;
        int present = dmp_page_present(d, pfn);
        FZ_CHECK(present == (dmp_physmap_locate(&d->pm, pfn, &off) == DI_OK), "presence agrees with the map");
        if (present)
            FZ_CHECK(off >= DMP_HDR_SIZE, "stored pages lie after the header");
    }
    mm_space_free(&mm);
    dmp_close(d);
    return 0;
}
