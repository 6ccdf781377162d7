/* SPDX-License-Identifier: MIT */
/* Writes the dump: header, format metadata, then only the pages whose bytes are not zero
 * (pattern pages and materialised pages) at their computed offsets. Everything else is left as a
 * hole of the pre-sized file, which is why a 64 GiB sparse dump costs a few MiB of writes. */
#include "fg_internal.h"
#include "fg_pattern.h"

#include <stdlib.h>
#include <string.h>

#define BATCH_PAGES 64u

typedef struct batch {
    fg_file *f;
    uint8_t *buf;
    size_t pages;
    uint64_t off;
} batch;

static int flush(fg_dump *d, batch *b)
{
    int rc = FG_OK;
    if (b->pages > 0)
        rc = fg_os_pwrite(b->f, b->buf, b->pages * FG_PAGE, b->off, d->err, sizeof(d->err));
    b->pages = 0;
    return rc;
}

static int write_pattern_pages(fg_dump *d, const fg_layout *L, batch *b)
{
    for (size_t i = 0; i < d->n_ext; i++) {
        const fg_extent *x = &d->ext[i];
        if ((x->flags & (FG_X_INDUMP | FG_X_PATTERN)) != (FG_X_INDUMP | FG_X_PATTERN))
            continue;
        for (uint64_t pfn = x->pfn; pfn < x->pfn + x->count; pfn++) {
            uint64_t off;
            if (fg_store_get(&d->store, pfn) != NULL || !fg_layout_offset(L, pfn, &off))
                continue; /* materialised pages are written from the store */
            if (b->pages == BATCH_PAGES || (b->pages > 0 && off != b->off + b->pages * FG_PAGE)) {
                int rc = flush(d, b);
                if (rc != FG_OK)
                    return rc;
            }
            if (b->pages == 0)
                b->off = off;
            fg_pattern_fill(b->buf + b->pages * FG_PAGE, pfn << FG_PAGE_SHIFT, FG_PAGE);
            b->pages++;
        }
    }
    return flush(d, b);
}

static int write_stored_pages(fg_dump *d, const fg_layout *L, fg_file *f)
{
    const fg_store *s = &d->store;
    for (size_t i = 0; i < s->cap; i++) {
        uint64_t off;
        if (s->keys[i] == 0 || !fg_layout_offset(L, s->keys[i] - 1, &off))
            continue;
        int rc = fg_os_pwrite(f, s->pages[i], FG_PAGE, off, d->err, sizeof(d->err));
        if (rc != FG_OK)
            return rc;
    }
    return FG_OK;
}

static int write_file(fg_dump *d, const fg_layout *L, const char *path)
{
    uint8_t *hdr = malloc(FG_HEADER_SIZE);
    batch b = {NULL, malloc(BATCH_PAGES * FG_PAGE), 0, 0};
    if (hdr == NULL || b.buf == NULL) {
        free(hdr);
        free(b.buf);
        return fg_fail(d, FG_E_NOMEM, "out of memory");
    }
    fg_header_build(d, L, hdr);
    int rc = FG_E_IO;
    b.f = fg_os_create(path, L->file_size, d->err, sizeof(d->err));
    if (b.f != NULL) {
        rc = fg_os_pwrite(b.f, hdr, FG_HEADER_SIZE, 0, d->err, sizeof(d->err));
        if (rc == FG_OK && L->meta_len > 0)
            rc = fg_os_pwrite(b.f, L->meta, L->meta_len, FG_HEADER_SIZE, d->err, sizeof(d->err));
        if (rc == FG_OK)
            rc = write_pattern_pages(d, L, &b);
        if (rc == FG_OK)
            rc = write_stored_pages(d, L, b.f);
        char cerr[128];
        int crc = fg_os_close(b.f, cerr, sizeof(cerr));
        if (rc == FG_OK && crc != FG_OK)
            rc = fg_fail(d, crc, "%s", cerr);
    }
    free(hdr);
    free(b.buf);
    return rc;
}

int fg_emit(fg_dump *d, const char *path, const char *manifest_path)
{
    fg_layout L;
    memset(&L, 0, sizeof(L));
    int rc;
    if (d->cfg.dump_type == FG_TYPE_TRIAGE)
        return fg_triage_emit(d, path, manifest_path); /* no pages: sections (fg_triage_emit.c) */
    switch (d->cfg.dump_type) {
    case 1:
        rc = fg_layout_full(d, &L);
        break;
    case 5:
    case 6:
        rc = fg_layout_bitmap(d, &L);
        break;
    case 8:
    case 9:
    case 10:
        rc = fg_layout_rdmp(d, &L);
        break;
    default:
        rc = fg_fail(d, FG_E_ARG, "dump type %u is not one the generator writes (1,4,5,6,8,9,10)",
                     d->cfg.dump_type);
        break;
    }
    if (rc == FG_OK)
        rc = write_file(d, &L, path);
    if (rc == FG_OK && manifest_path != NULL)
        rc = fg_manifest_write(d, &L, manifest_path);
    fg_layout_free(&L);
    return rc;
}
