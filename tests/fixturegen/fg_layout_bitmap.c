/* SPDX-License-Identifier: MIT */
/* Types 5 (FDMP) and 6 (SDMP): a bitmap of captured PFNs at 0x2000, then the captured pages in
 * ascending PFN order from FirstPage (dump-format.md 2.4 and checklist 8.4). */
#include "fg_internal.h"
#include "fg_le.h"

#include <stdlib.h>
#include <string.h>

#define BMP_FIRST_PAGE 0x20
#define BMP_PRESENT 0x28
#define BMP_PAGES 0x30
#define BMP_BITS 0x38

static void set_bits(uint8_t *bm, uint64_t first, uint64_t count)
{
    uint64_t i = first, end = first + count;
    for (; i < end && (i & 7); i++)
        bm[i >> 3] |= (uint8_t)(1u << (i & 7));
    if (end - i >= 8) { /* whole bytes at once: a 64 GiB sparse bitmap is 2 MiB of 0xFF */
        memset(bm + (i >> 3), 0xFF, (size_t)((end - i) >> 3));
        i += (end - i) & ~(uint64_t)7;
    }
    for (; i < end; i++)
        bm[i >> 3] |= (uint8_t)(1u << (i & 7));
}

int fg_layout_bitmap(fg_dump *d, fg_layout *L)
{
    int rc = fg_present_ranges(d, &L->r, &L->n);
    if (rc == FG_OK)
        rc = fg_machine_runs(d, &L->runs, &L->n_runs);
    if (rc == FG_OK)
        rc = fg_merge_to(&L->runs, &L->n_runs, FG_MAX_RUNS, NULL);
    if (rc != FG_OK)
        return fg_fail(d, rc, "out of memory");
    fg_index_ranges(L->r, L->n, &L->total_pages);

    uint64_t end_pfn = L->n ? L->r[L->n - 1].pfn + L->r[L->n - 1].count : 0;
    uint64_t bits = (end_pfn + 63) / 64 * 64; /* Pages must be a multiple of 64 */
    if (bits == 0)
        bits = 64;
    uint64_t first_page = (BMP_BITS + FG_HEADER_SIZE + bits / 8 + FG_PAGE - 1) / FG_PAGE * FG_PAGE;
    L->meta_len = (size_t)(BMP_BITS + bits / 8);
    L->meta = calloc(1, L->meta_len);
    if (L->meta == NULL)
        return fg_fail(d, FG_E_NOMEM, "out of memory for a %llu-bit bitmap",
                       (unsigned long long)bits);
    uint8_t *m = L->meta;
    memcpy(m, d->cfg.dump_type == 5 ? "FDMP" : "SDMP", 4);
    memcpy(m + 4, "DUMP", 4);
    fg_put64(m + BMP_FIRST_PAGE, first_page);
    fg_put64(m + BMP_PRESENT, L->total_pages);
    fg_put64(m + BMP_PAGES, bits);
    for (size_t i = 0; i < L->n; i++)
        set_bits(m + BMP_BITS, L->r[i].pfn, L->r[i].count);

    L->data_off = first_page;
    L->file_size = first_page + L->total_pages * FG_PAGE;
    return FG_OK;
}
