/* SPDX-License-Identifier: MIT */
/* Types 8, 9, 10 ("RDMP", written by 2022+ dbgeng): a PFN range table at 0x2030 closed by a zero
 * entry, page data from FirstPageOffset = 0x2020 + MetadataSize (dump-format.md 2.5 recipe).
 * MetadataSize is padded with further zero entries so the page data starts page-aligned. */
#include "fg_internal.h"
#include "fg_le.h"

#include <stdlib.h>
#include <string.h>

#define RDMP_MARKER 0x00
#define RDMP_SIGNATURE 0x04
#define RDMP_VALID 0x08
#define RDMP_METADATA_SIZE 0x10
#define RDMP_FIRST_PAGE 0x18
#define RDMP_NRANGES 0x20 /* type 10 only */
#define RDMP_TOTAL_PAGES 0x28 /* type 10 only */
#define RDMP_RANGES 0x30
#define RDMP_METADATA_BASE 0x20 /* MetadataSize is counted from header offset 0x20 */

int fg_layout_rdmp(fg_dump *d, fg_layout *L)
{
    int rc = fg_present_ranges(d, &L->r, &L->n);
    if (rc == FG_OK && L->n > 0 && L->r[0].pfn == 0) {
        /* A range at PFN 0 reads as the terminator: drop PFN 0 (never allocated anyway). */
        L->r[0].pfn = 1;
        if (--L->r[0].count == 0) {
            memmove(&L->r[0], &L->r[1], (L->n - 1) * sizeof(*L->r));
            L->n--;
        }
    }
    if (rc == FG_OK && d->sparse_pages >= 4)
        rc = fg_split_ranges(&L->r, &L->n, d->sparse_pages / 4);
    if (rc == FG_OK)
        rc = fg_machine_runs(d, &L->runs, &L->n_runs);
    if (rc == FG_OK)
        rc = fg_merge_to(&L->runs, &L->n_runs, FG_MAX_RUNS, NULL);
    if (rc != FG_OK)
        return fg_fail(d, rc, "out of memory");
    fg_index_ranges(L->r, L->n, &L->total_pages);

    uint64_t meta_size = 0x10 + 16u * ((uint64_t)L->n + 1);
    uint64_t first_page = (FG_HEADER_SIZE + RDMP_METADATA_BASE + meta_size + FG_PAGE - 1) / FG_PAGE
                          * FG_PAGE;
    meta_size = first_page - FG_HEADER_SIZE - RDMP_METADATA_BASE;
    L->meta_len = (size_t)(first_page - FG_HEADER_SIZE);
    L->meta = calloc(1, L->meta_len);
    if (L->meta == NULL)
        return fg_fail(d, FG_E_NOMEM, "out of memory");
    uint8_t *m = L->meta;
    fg_put32(m + RDMP_MARKER, 0x40);
    memcpy(m + RDMP_SIGNATURE, "RDMP", 4);
    memcpy(m + RDMP_VALID, "DUMP", 4);
    fg_put64(m + RDMP_METADATA_SIZE, meta_size);
    fg_put64(m + RDMP_FIRST_PAGE, first_page);
    if (d->cfg.dump_type == 10) {
        if (L->n > UINT32_MAX)
            return fg_fail(d, FG_E_LIMIT, "too many ranges for a type 10 header");
        fg_put32(m + RDMP_NRANGES, (uint32_t)L->n);
        fg_put64(m + RDMP_TOTAL_PAGES, L->total_pages);
    }
    for (size_t i = 0; i < L->n; i++) {
        fg_put64(m + RDMP_RANGES + 16u * i, L->r[i].pfn);
        fg_put64(m + RDMP_RANGES + 16u * i + 8, L->r[i].count);
    }
    /* the zero terminator entry (and padding entries) are already zero */
    L->data_off = first_page;
    L->file_size = first_page + L->total_pages * FG_PAGE;
    return FG_OK;
}
