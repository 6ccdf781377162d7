/* SPDX-License-Identifier: MIT */
/* Data blocks of a triage dump: what was asked for (fg_triage_block) becomes a list the reader can
 * trust: sorted by VA, no two blocks overlapping or touching (they are merged), and only bytes
 * that exist (pages not captured in the dump are cut out). Same requests, same list. */
#include "fg_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BLOCK 0x10000000ull /* Size is a u32; no world asks for more than this */

static int by_va(const void *a, const void *b)
{
    const fg_tblock *x = a, *y = b;
    if (x->va != y->va)
        return x->va < y->va ? -1 : 1;
    return x->size < y->size ? -1 : x->size > y->size;
}

static int readable(const fg_dump *d, uint64_t va)
{
    uint8_t b;
    return fg_read(d, va, &b, 1) == FG_OK;
}

static int emit(fg_dump *d, fg_tblock **out, size_t *n, size_t *cap, uint64_t va, uint64_t end)
{
    while (va < end) {
        uint64_t size = end - va > MAX_BLOCK ? MAX_BLOCK : end - va;
        fg_tblock *grown = fg_grow(*out, cap, *n + 1, sizeof(**out));
        if (grown == NULL)
            return fg_fail(d, FG_E_NOMEM, "out of memory");
        *out = grown;
        grown[(*n)++] = (fg_tblock){va, size};
        va += size;
    }
    return FG_OK;
}

/* Splits [va, end) into its readable runs. */
static int cut(fg_dump *d, fg_tblock **out, size_t *n, size_t *cap, uint64_t va, uint64_t end)
{
    uint64_t run = 0;
    int in_run = 0;
    while (va < end) {
        uint64_t next = (va | (FG_PAGE - 1)) + 1;
        if (next > end || next == 0)
            next = end;
        int ok = readable(d, va);
        if (ok && !in_run)
            run = va;
        if (!ok && in_run && emit(d, out, n, cap, run, va) != FG_OK)
            return FG_E_NOMEM;
        in_run = ok;
        va = next;
    }
    return in_run ? emit(d, out, n, cap, run, end) : FG_OK;
}

int fg_triage_blocks_final(fg_dump *d, fg_tblock **out, size_t *n)
{
    const fg_triage *t = &d->triage;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (t->n_blk == 0)
        return FG_OK;
    fg_tblock *s = malloc(t->n_blk * sizeof(*s));
    if (s == NULL)
        return fg_fail(d, FG_E_NOMEM, "out of memory");
    memcpy(s, t->blk, t->n_blk * sizeof(*s));
    qsort(s, t->n_blk, sizeof(*s), by_va);
    int rc = FG_OK;
    uint64_t lo = s[0].va, hi = s[0].va + s[0].size;
    for (size_t i = 1; rc == FG_OK && i <= t->n_blk; i++) {
        if (i < t->n_blk && s[i].va <= hi) {
            if (s[i].va + s[i].size > hi)
                hi = s[i].va + s[i].size;
            continue;
        }
        rc = cut(d, out, n, &cap, lo, hi);
        if (i < t->n_blk) {
            lo = s[i].va;
            hi = s[i].va + s[i].size;
        }
    }
    free(s);
    if (rc != FG_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
