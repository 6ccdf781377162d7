/* SPDX-License-Identifier: MIT */
/* DumpType 1: the header's PHYSICAL_MEMORY_DESCRIPTOR64 run list; pages follow the
 * 0x2000-byte header back to back in run order. */
#include <stdlib.h>

#include "dump/dmp_dump.h"
#include "util/error.h"
#include "util/le.h"

di_status dmp_parse_runs(dmp_dump *d, di_error *err)
{
    const char *path = dmp_path(d);
    uint32_t nruns = le32(d->hdr + DMP_HDR_PHYS_NUMBER_OF_RUNS);
    uint64_t claimed_pages = le64(d->hdr + DMP_HDR_PHYS_NUMBER_OF_PAGES);
    if (nruns == DMP_FILL32)
        return di_fail(err, DI_E_FORMAT, "%s: the run list was never written (NumberOfRuns holds the PAGE fill)", path);
    if (nruns == 0)
        return di_fail(err, DI_E_FORMAT, "%s: the run list is empty (NumberOfRuns 0)", path);
    if (nruns > DMP_HDR_PHYS_MAX_RUNS)
        return di_fail(err, DI_E_FORMAT, "%s: NumberOfRuns %u is absurd: at most %u runs fit in the header", path,
                       nruns, DMP_HDR_PHYS_MAX_RUNS);
    dmp_range *r = calloc(nruns, sizeof *r);
    if (!r)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", path);
    uint64_t file_off = DMP_HDR_SIZE, total = 0;
    for (uint32_t i = 0; i < nruns; i++) {
        const uint8_t *e = d->hdr + DMP_HDR_PHYS_RUNS + (size_t)i * DMP_HDR_PHYS_RUN_SIZE;
        r[i].base_pfn = le64(e);
        r[i].count = le64(e + 8);
        r[i].file_off = file_off;
        if (r[i].count > DMP_MAX_PFN) {
            unsigned long long count = r[i].count;
            free(r);
            return di_fail(err, DI_E_FORMAT, "%s: run %u claims 0x%llx pages, more than x64 can address", path, i,
                           count);
        }
        total += r[i].count;
        file_off += r[i].count * DMP_PAGE_SIZE;
    }
    di_status st = dmp_physmap_set_ranges(&d->pm, r, nruns, path, "run", err);
    if (st != DI_OK) {
        free(r);
        return st;
    }
    if (claimed_pages != total)
        dmp_warn_damage(d, "%s: NumberOfPages is %llu but the runs add up to %llu pages; using the runs", path,
                        (unsigned long long)claimed_pages, (unsigned long long)total);
    uint64_t fsize = io_size(d->io);
    uint64_t in_file = (fsize - DMP_HDR_SIZE) / DMP_PAGE_SIZE;
    d->stored_pages_in_file = in_file < total ? in_file : total;
    if (in_file < total)
        dmp_warn_damage(d, "%s: the run list claims %llu pages but the file holds %llu: the dump is truncated", path,
                        (unsigned long long)total, (unsigned long long)in_file);
    return DI_OK;
}
