/* SPDX-License-Identifier: MIT */
/* Secondary dump data after a triage dump's SizeOfDump: bugcheck callbacks' blobs, each
 * tagged with a GUID ("DumpBlob" file header, then {HeaderSize, Tag, DataSize, PrePad,
 * PostPad} + data). Listed, not interpreted: their formats belong to their drivers. */
#include <stdlib.h>
#include <string.h>

#include "dump/dmp_dump.h"
#include "dump/dmp_triage.h"
#include "util/error.h"
#include "util/le.h"

#define TRI_MAX_BLOBS 4096u

/* The data's leading printable text (many blobs start with their owner's name). */
static void leading_text(const uint8_t *b, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    while (k < n && k + 1 < cap && b[k] >= 0x20 && b[k] < 0x7f)
        k++;
    /* Only a NUL-terminated run of three or more characters counts as text. */
    if (k < 3 || k >= n || b[k] != 0)
        k = 0;
    memcpy(out, b, k);
    out[k] = '\0';
}

void dmp_triage_read_blobs(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    uint64_t fsize = io_size(d->io), pos = t->size_of_dump;
    uint8_t h[DMP_BLOB_HDR_SIZE];
    if (pos < DMP_TRI_HDR || pos >= fsize || fsize - pos < DMP_BLOB_FILE_HDR_SIZE ||
        io_pread(d->io, pos, h, DMP_BLOB_FILE_HDR_SIZE, NULL) != DI_OK || memcmp(h, DMP_BLOB_MAGIC, 8) != 0)
        return;
    t->have_blobs = 1;
    t->blob_build = le32(h + DMP_BLOB_BUILD);
    uint32_t file_hdr = le32(h + 8);
    if (file_hdr < DMP_BLOB_FILE_HDR_SIZE || file_hdr > fsize - pos) {
        dmp_warn_damage(d, "%s: the secondary data header at 0x%llx claims %u bytes", dmp_path(d),
                        (unsigned long long)pos, file_hdr);
        return;
    }
    pos += file_hdr;
    size_t cap = 0;
    while (pos < fsize) {
        if (fsize - pos < DMP_BLOB_HDR_SIZE || io_pread(d->io, pos, h, DMP_BLOB_HDR_SIZE, NULL) != DI_OK) {
            dmp_warn_damage(d, "%s: the secondary data ends inside a blob header at 0x%llx", dmp_path(d),
                            (unsigned long long)pos);
            return;
        }
        uint64_t hs = le32(h), size = le32(h + DMP_BLOB_DATA_SIZE);
        uint64_t pre = le32(h + DMP_BLOB_PREPAD), post = le32(h + DMP_BLOB_POSTPAD);
        uint64_t total = hs + pre + size + post;
        if (hs < DMP_BLOB_HDR_SIZE || total > fsize - pos) {
            dmp_warn_damage(d, "%s: the secondary data blob at 0x%llx claims %llu bytes, more than the file holds",
                            dmp_path(d), (unsigned long long)pos, (unsigned long long)total);
            return;
        }
        if (t->nblobs >= TRI_MAX_BLOBS) {
            dmp_warn_damage(d, "%s: more than %u secondary data blobs; the rest are not listed", dmp_path(d),
                            TRI_MAX_BLOBS);
            return;
        }
        if (t->nblobs == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            dmp_tblob *n = realloc(t->blobs, ncap * sizeof *n);
            if (!n)
                return;
            t->blobs = n;
            cap = ncap;
        }
        dmp_tblob *b = &t->blobs[t->nblobs++];
        memset(b, 0, sizeof *b);
        memcpy(b->tag, h + DMP_BLOB_TAG, 16);
        b->offset = pos + hs + pre;
        b->size = (uint32_t)size;
        uint8_t head[sizeof b->text];
        size_t n = size < sizeof head ? (size_t)size : sizeof head;
        if (n && io_pread(d->io, b->offset, head, n, NULL) == DI_OK)
            leading_text(head, n, b->text, sizeof b->text);
        pos += total;
    }
}
