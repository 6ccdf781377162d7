/* SPDX-License-Identifier: MIT */
/* DumpTypes 8, 9, 10 (dbgeng 2022+ "RDMP"): a table of PFN ranges after a small header;
 * pages follow from FirstPageOffset, each range's pages in order. The table ends at the
 * first range with BasePfn 0, or (type 10) when TotalNumberOfPages is reached. */
#include <stdlib.h>
#include <string.h>

#include "dump/dmp_dump.h"
#include "util/error.h"
#include "util/le.h"


static di_status check_rdmp_header(dmp_dump *d, const uint8_t *h, uint64_t *metadata, uint64_t *first,
                                   di_error *err)
{
    const char *path = dmp_path(d);
    if (le32(h + DMP_RDMP_MARKER) != DMP_RDMP_MARKER_VALUE || memcmp(h + DMP_RDMP_SIGNATURE, "RDMP", 4) != 0 ||
        memcmp(h + DMP_RDMP_VALID_DUMP, "DUMP", 4) != 0)
        return di_fail(err, DI_E_FORMAT,
                       "%s: DumpType %u needs an RDMP header (marker 0x40, \"RDMP\", \"DUMP\") at 0x2000", path,
                       d->dump_type);
    *metadata = le64(h + DMP_RDMP_METADATA_SIZE);
    *first = le64(h + DMP_RDMP_FIRST_PAGE);
    if (*metadata == 0 || *metadata % 16 != 0)
        return di_fail(err, DI_E_FORMAT, "%s: RDMP MetadataSize 0x%llx is not a nonzero multiple of 16", path,
                       (unsigned long long)*metadata);
    if (*metadata > UINT64_MAX - DMP_RDMP_TABLE_BASE || *first != DMP_RDMP_TABLE_BASE + *metadata)
        return di_fail(err, DI_E_FORMAT,
                       "%s: RDMP FirstPageOffset 0x%llx does not follow the metadata (0x2020 + MetadataSize 0x%llx)",
                       path, (unsigned long long)*first, (unsigned long long)*metadata);
    if (*first > io_size(d->io))
        return di_fail(err, DI_E_FORMAT, "%s: RDMP metadata (to 0x%llx) passes the end of the file (%llu bytes)", path,
                       (unsigned long long)*first, (unsigned long long)io_size(d->io));
    return DI_OK;
}

di_status dmp_parse_rdmp(dmp_dump *d, di_error *err)
{
    const char *path = dmp_path(d);
    uint8_t h[DMP_RDMP_RANGES];
    if (io_size(d->io) < DMP_HDR_SIZE + DMP_RDMP_RANGES)
        return di_fail(err, DI_E_FORMAT, "%s: truncated: the RDMP header at 0x2000 is missing", path);
    di_status st = io_pread(d->io, DMP_HDR_SIZE, h, sizeof h, err);
    if (st != DI_OK)
        return st;
    uint64_t metadata = 0, first = 0;
    st = check_rdmp_header(d, h, &metadata, &first, err);
    if (st != DI_OK)
        return st;
    memcpy(d->layout_signature, "RDMP", 4);
    int type10 = d->dump_type == 10;
    uint64_t total_limit = type10 ? le64(h + DMP_RDMP_TOTAL_PAGES) : UINT64_MAX;
    uint64_t table_off = DMP_HDR_SIZE + DMP_RDMP_RANGES;
    uint64_t slots = first > table_off ? (first - table_off) / 16 : 0;
    if (slots > d->limits.ranges)
        return di_fail(err, DI_E_LIMIT,
                       "%s: the RDMP range table has room for %llu entries, above the limit of %u (--limit ranges=N)",
                       path, (unsigned long long)slots, d->limits.ranges);
    dmp_range *r = calloc(slots ? (size_t)slots : 1, sizeof *r);
    if (!r)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", path);
    size_t n = 0;
    uint64_t total = 0, file_off = first;
    for (uint64_t i = 0; i < slots && total < total_limit; i++) {
        uint8_t e[16];
        st = io_pread(d->io, table_off + i * 16, e, sizeof e, err);
        if (st != DI_OK)
            break;
        uint64_t base = le64(e), count = le64(e + 8);
        if (base == 0)
            break;
        if (count > DMP_MAX_PFN || (type10 && count > total_limit - total)) {
            st = di_fail(err, DI_E_FORMAT, "%s: RDMP range %llu (base PFN 0x%llx) claims 0x%llx pages, more than %s",
                         path, (unsigned long long)i, (unsigned long long)base, (unsigned long long)count,
                         type10 ? "TotalNumberOfPages allows" : "x64 can address");
            break;
        }
        r[n].base_pfn = base;
        r[n].count = count;
        r[n].file_off = file_off;
        n++;
        total += count;
        file_off += count * DMP_PAGE_SIZE;
    }
    if (st == DI_OK && n == 0)
        st = di_fail(err, DI_E_FORMAT, "%s: the RDMP range table is empty", path);
    if (st == DI_OK)
        st = dmp_physmap_set_ranges(&d->pm, r, n, path, "range", err);
    if (st != DI_OK) {
        free(r);
        return st;
    }
    if (type10 && total != total_limit)
        dmp_warn_damage(d, "%s: TotalNumberOfPages is %llu but the ranges add up to %llu pages", path,
                        (unsigned long long)total_limit, (unsigned long long)total);
    uint64_t fsize = io_size(d->io);
    uint64_t in_file = (fsize - first) / DMP_PAGE_SIZE;
    d->stored_pages_in_file = in_file < total ? in_file : total;
    if (in_file < total)
        dmp_warn_damage(d, "%s: the range table claims %llu pages but the file holds %llu: the dump is truncated",
                        path, (unsigned long long)total, (unsigned long long)in_file);
    return DI_OK;
}
