/* SPDX-License-Identifier: MIT */
/* The manifest: a line-per-record text description of what the generator put where, so tests can
 * check the reader without re-deriving the layout. Every record is "<word> <fields...>"; numbers
 * are 0x-prefixed hex except type, build, in_dump (decimal). Parse with sscanf("%" SCNx64). */
#include "fg_internal.h"

#include <inttypes.h>
#include <stdio.h>

int fg_record_map(fg_dump *d, uint64_t va, uint64_t pa, uint64_t bytes, fg_kind kind, int in_dump,
                  int direct)
{
    fg_maprec *grown = fg_grow(d->maps, &d->cap_maps, d->n_maps + 1, sizeof(*d->maps));
    if (grown == NULL)
        return fg_fail(d, FG_E_NOMEM, "out of memory");
    d->maps = grown;
    fg_maprec *m = &d->maps[d->n_maps++];
    m->va = va;
    m->pa = pa;
    m->bytes = bytes;
    m->kind = kind;
    m->in_dump = in_dump;
    m->direct = direct;
    return FG_OK;
}

int fg_manifest_write(fg_dump *d, const fg_layout *L, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return fg_fail(d, FG_E_IO, "%s: cannot create the manifest", path);
    fprintf(f, "# fixturegen manifest 1\n");
    fprintf(f, "type %u\n", d->cfg.dump_type);
    fprintf(f, "build %u\n", d->cfg.build);
    fprintf(f, "dtb 0x%" PRIx64 "\n", d->pml4_pa);
    fprintf(f, "cr3 0x%" PRIx64 "\n", d->pml4_pa | (d->cfg.dtb_pcid & 0xFFFu));
    fprintf(f, "sparse_bytes 0x%" PRIx64 "\n", d->cfg.sparse_phys_bytes);
    fprintf(f, "file_size 0x%" PRIx64 "\n", L->file_size);
    fprintf(f, "data_offset 0x%" PRIx64 "\n", L->data_off);
    for (size_t i = 0; i < L->n; i++)
        fprintf(f, "present 0x%" PRIx64 " 0x%" PRIx64 "\n", L->r[i].pfn, L->r[i].count);
    for (size_t i = 0; i < d->n_maps; i++) {
        const fg_maprec *m = &d->maps[i];
        if (m->direct)
            fprintf(f, "direct 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " %s\n", m->va, m->pa,
                    m->bytes, fg_kind_name(m->kind));
        else
            fprintf(f, "page 0x%" PRIx64 " 0x%" PRIx64 " %s %d\n", m->va, m->pa,
                    fg_kind_name(m->kind), m->in_dump);
    }
    for (size_t i = 0; i < d->n_writes; i++)
        fprintf(f, "write 0x%" PRIx64 " 0x%" PRIx64 "\n", d->writes[i].va, d->writes[i].len);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return fg_fail(d, FG_E_IO, "%s: write failed", path);
    return FG_OK;
}
