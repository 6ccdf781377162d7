/* SPDX-License-Identifier: MIT */
/* Batches of whole physical pages: the physical map turns each PFN into a file offset and
 * the byte source reads them together. */
#include <stdlib.h>

#include "dump/dmp_dump.h"

void dmp_read_pages(dmp_dump *d, const uint64_t *pfns, uint8_t *const *bufs, int *ok, size_t n)
{
    io_req *reqs = malloc((n ? n : 1) * sizeof *reqs);
    size_t *which = malloc((n ? n : 1) * sizeof *which);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        ok[i] = 0;
    if (!reqs || !which || d->triage) {
        free(reqs);
        free(which);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t off;
        if (pfns[i] >= DMP_MAX_PFN || dmp_physmap_locate(&d->pm, pfns[i], &off) != DI_OK)
            continue;
        reqs[m] = (io_req){.off = off, .buf = bufs[i], .len = DMP_PAGE_SIZE};
        which[m++] = i;
    }
    io_pread_batch(d->io, reqs, m);
    for (size_t k = 0; k < m; k++)
        ok[which[k]] = reqs[k].ok;
    free(reqs);
    free(which);
}
