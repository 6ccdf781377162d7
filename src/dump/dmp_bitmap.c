/* SPDX-License-Identifier: MIT */
/* DumpTypes 5 and 6: a bitmap of captured PFNs at 0x2038; stored pages follow in
 * increasing PFN order from FirstPage. */
#include <stdlib.h>
#include <string.h>

#include "dump/dmp_dump.h"
#include "util/error.h"
#include "util/le.h"


/* Read the bitmap straight into u64 words, then fix byte order in place: one pass, no
 * per-bit work (open time stays close to the cost of reading the bitmap). */
static di_status read_words(dmp_dump *d, uint64_t off, uint64_t nbits, uint64_t **out, di_error *err)
{
    uint64_t nbytes = (nbits + 7) / 8, nwords = (nbits + 63) / 64;
    uint64_t *words = malloc((size_t)nwords * sizeof *words);
    if (!words)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory for a bitmap of %llu bits", dmp_path(d),
                       (unsigned long long)nbits);
    words[nwords - 1] = 0; /* the last word may be partly past the bitmap */
    di_status st = io_pread(d->io, off, words, (size_t)nbytes, err);
    if (st != DI_OK) {
        free(words);
        return st;
    }
    /* The file holds the words little-endian; only a big-endian host must swap them. */
    const uint64_t probe = 1;
    if (*(const uint8_t *)&probe != 1)
        for (uint64_t w = 0; w < nwords; w++)
            words[w] = le64((const uint8_t *)&words[w]);
    *out = words;
    return DI_OK;
}

di_status dmp_parse_bitmap(dmp_dump *d, di_error *err)
{
    const char *path = dmp_path(d);
    uint64_t fsize = io_size(d->io);
    uint8_t h[DMP_BMP_BITMAP];
    if (fsize < DMP_HDR_SIZE + DMP_BMP_BITMAP)
        return di_fail(err, DI_E_FORMAT, "%s: truncated: the bitmap header at 0x2000 is missing", path);
    di_status st = io_pread(d->io, DMP_HDR_SIZE, h, sizeof h, err);
    if (st != DI_OK)
        return st;
    if ((memcmp(h + DMP_BMP_SIGNATURE, "SDMP", 4) != 0 && memcmp(h + DMP_BMP_SIGNATURE, "FDMP", 4) != 0) ||
        memcmp(h + DMP_BMP_VALID_DUMP, "DUMP", 4) != 0)
        return di_fail(err, DI_E_FORMAT,
                       "%s: DumpType %u needs a bitmap header (\"SDMP\" or \"FDMP\" then \"DUMP\") at 0x2000", path,
                       d->dump_type);
    memcpy(d->layout_signature, h + DMP_BMP_SIGNATURE, 4);
    uint64_t first_page = le64(h + DMP_BMP_FIRST_PAGE);
    uint64_t claimed = le64(h + DMP_BMP_PRESENT_PAGES);
    uint64_t nbits = le64(h + DMP_BMP_BITS);
    uint64_t bitmap_off = DMP_HDR_SIZE + DMP_BMP_BITMAP;
    if (nbits == 0)
        return di_fail(err, DI_E_FORMAT, "%s: the bitmap is empty (0 bits)", path);
    if (nbits > DMP_MAX_PFN)
        return di_fail(err, DI_E_FORMAT, "%s: the bitmap claims %llu pages, more than x64 can address", path,
                       (unsigned long long)nbits);
    uint64_t nbytes = (nbits + 7) / 8;
    if (nbytes > fsize - bitmap_off)
        return di_fail(err, DI_E_FORMAT, "%s: the bitmap of %llu bits needs %llu bytes but the file holds %llu after 0x%llx",
                       path, (unsigned long long)nbits, (unsigned long long)nbytes,
                       (unsigned long long)(fsize - bitmap_off), (unsigned long long)bitmap_off);
    if (nbytes > d->limits.bitmap_bytes)
        return di_fail(err, DI_E_LIMIT,
                       "%s: the bitmap of %llu bits exceeds the limit of %llu bytes (raise it with --limit bitmap_bytes=N)",
                       path, (unsigned long long)nbits, (unsigned long long)d->limits.bitmap_bytes);
    if (first_page < bitmap_off + nbytes)
        return di_fail(err, DI_E_FORMAT, "%s: FirstPage 0x%llx lies inside the bitmap (which ends at 0x%llx)", path,
                       (unsigned long long)first_page, (unsigned long long)(bitmap_off + nbytes));
    /* Page k is stored at FirstPage + k * 4096: that sum must not wrap, or pages would alias
     * the header (nbits <= 2^40, so the product cannot overflow). */
    if (first_page > UINT64_MAX - nbits * DMP_PAGE_SIZE)
        return di_fail(err, DI_E_FORMAT, "%s: FirstPage 0x%llx is absurd: the pages of a %llu-bit bitmap would "
                       "pass the 64-bit file offset range", path, (unsigned long long)first_page,
                       (unsigned long long)nbits);
    uint64_t *words = NULL;
    st = read_words(d, bitmap_off, nbits, &words, err);
    if (st != DI_OK)
        return st;
    st = dmp_physmap_set_bitmap(&d->pm, words, nbits, first_page, path, err);
    if (st != DI_OK) {
        free(words);
        return st;
    }
    uint64_t present = d->pm.present_pages;
    if (claimed != present)
        dmp_warn_damage(d, "%s: the bitmap header claims %llu present pages but %llu bits are set; using the bits", path,
                        (unsigned long long)claimed, (unsigned long long)present);
    uint64_t in_file = first_page >= fsize ? 0 : (fsize - first_page) / DMP_PAGE_SIZE;
    d->stored_pages_in_file = in_file < present ? in_file : present;
    if (in_file < present)
        dmp_warn_damage(d, "%s: the bitmap claims %llu pages but the file holds %llu: the dump is truncated", path,
                        (unsigned long long)present, (unsigned long long)in_file);
    return DI_OK;
}
