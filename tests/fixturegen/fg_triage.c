/* SPDX-License-Identifier: MIT */
/* The contents of a triage dump, declared before fg_emit: the core sections (KPRCB, EPROCESS,
 * ETHREAD, stack, KDBG), the driver list, unloaded drivers, data blocks and secondary-data blobs.
 * Nothing is read from memory here; fg_triage_emit.c copies the bytes when the file is written. */
#include "fg_internal.h"

#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

void fg_triage_free(fg_triage *t)
{
    for (size_t i = 0; i < t->n_drv; i++)
        free(t->drv[i].path);
    for (size_t i = 0; i < t->n_unl; i++)
        free(t->unl[i].name);
    for (size_t i = 0; i < t->n_blob; i++)
        free(t->blob[i].data);
    free(t->drv);
    free(t->unl);
    free(t->blk);
    free(t->blob);
    memset(t, 0, sizeof(*t));
}

/* Appends one zeroed element to *arr; NULL when out of memory. */
static void *append(fg_dump *d, void **arr, size_t *n, size_t *cap, size_t elem)
{
    void *grown = fg_grow(*arr, cap, *n + 1, elem);
    if (grown == NULL) {
        fg_fail(d, FG_E_NOMEM, "out of memory");
        return NULL;
    }
    *arr = grown;
    void *slot = (char *)grown + *n * elem;
    memset(slot, 0, elem);
    (*n)++;
    return slot;
}

int fg_triage_set(fg_dump *d, const fg_triage_core *core)
{
    if (core->stack_hi < core->stack_lo || core->prcb_size == 0 || core->process_size == 0 ||
        core->thread_size == 0)
        return fg_fail(d, FG_E_ARG, "triage: empty section or stack range upside down");
    d->triage.core = *core;
    d->triage.has_core = 1;
    return FG_OK;
}

int fg_triage_driver(fg_dump *d, uint64_t base, uint32_t size, uint32_t checksum,
                     uint32_t timestamp, const char *path)
{
    fg_triage *t = &d->triage;
    char *copy = dup_str(path);
    if (copy == NULL)
        return fg_fail(d, FG_E_NOMEM, "out of memory");
    fg_tdriver *e = append(d, (void **)&t->drv, &t->n_drv, &t->cap_drv, sizeof(*e));
    if (e == NULL) {
        free(copy);
        return FG_E_NOMEM;
    }
    *e = (fg_tdriver){base, size, checksum, timestamp, copy};
    return FG_OK;
}

int fg_triage_unloaded(fg_dump *d, const char *name, uint64_t start, uint64_t end)
{
    fg_triage *t = &d->triage;
    if (name[0] == '\0' || end < start)
        return fg_fail(d, FG_E_ARG, "unloaded driver: empty name or end below start");
    char *copy = dup_str(name);
    if (copy == NULL)
        return fg_fail(d, FG_E_NOMEM, "out of memory");
    fg_tunloaded *e = append(d, (void **)&t->unl, &t->n_unl, &t->cap_unl, sizeof(*e));
    if (e == NULL) {
        free(copy);
        return FG_E_NOMEM;
    }
    *e = (fg_tunloaded){copy, start, end};
    return FG_OK;
}

int fg_triage_block(fg_dump *d, uint64_t va, uint64_t size)
{
    fg_triage *t = &d->triage;
    if (size == 0 || va + size < va)
        return fg_fail(d, FG_E_ARG, "data block: empty or wrapping range at 0x%llx",
                       (unsigned long long)va);
    fg_tblock *e = append(d, (void **)&t->blk, &t->n_blk, &t->cap_blk, sizeof(*e));
    if (e == NULL)
        return FG_E_NOMEM;
    *e = (fg_tblock){va, size};
    return FG_OK;
}

int fg_triage_blob(fg_dump *d, const uint8_t guid[16], const void *data, uint32_t size)
{
    fg_triage *t = &d->triage;
    uint8_t *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return fg_fail(d, FG_E_NOMEM, "out of memory");
    memcpy(copy, data, size);
    fg_tblob *e = append(d, (void **)&t->blob, &t->n_blob, &t->cap_blob, sizeof(*e));
    if (e == NULL) {
        free(copy);
        return FG_E_NOMEM;
    }
    memcpy(e->guid, guid, 16);
    e->data = copy;
    e->size = size;
    return FG_OK;
}
