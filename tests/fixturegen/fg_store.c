/* SPDX-License-Identifier: MIT */
/* Pages whose bytes differ from their default (page tables, written pages), keyed by PFN.
 * Only these cost memory, which is what keeps a 64 GiB sparse dump cheap to build. */
#include "fg_internal.h"

#include <stdlib.h>

static size_t slot_of(uint64_t pfn, size_t cap)
{
    uint64_t h = pfn * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (cap - 1);
}

uint8_t *fg_store_get(const fg_store *s, uint64_t pfn)
{
    if (s->cap == 0)
        return NULL;
    for (size_t i = slot_of(pfn, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->keys[i] == 0)
            return NULL;
        if (s->keys[i] == pfn + 1)
            return s->pages[i];
    }
}

static int rehash(fg_store *s, size_t cap)
{
    uint64_t *keys = calloc(cap, sizeof(*keys));
    uint8_t **pages = calloc(cap, sizeof(*pages));
    if (keys == NULL || pages == NULL) {
        free(keys);
        free(pages);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (s->keys[i] == 0)
            continue;
        size_t j = slot_of(s->keys[i] - 1, cap);
        while (keys[j] != 0)
            j = (j + 1) & (cap - 1);
        keys[j] = s->keys[i];
        pages[j] = s->pages[i];
    }
    free(s->keys);
    free(s->pages);
    s->keys = keys;
    s->pages = pages;
    s->cap = cap;
    return 0;
}

/* Takes ownership of `page` (4 KiB, malloc'd). The PFN must not be stored yet. */
int fg_store_put(fg_store *s, uint64_t pfn, uint8_t *page)
{
    if ((s->used + 1) * 2 > s->cap && rehash(s, s->cap ? s->cap * 2 : 256) != 0)
        return -1;
    size_t i = slot_of(pfn, s->cap);
    while (s->keys[i] != 0)
        i = (i + 1) & (s->cap - 1);
    s->keys[i] = pfn + 1;
    s->pages[i] = page;
    s->used++;
    return 0;
}

void fg_store_free(fg_store *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->pages[i]);
    free(s->keys);
    free(s->pages);
    s->keys = NULL;
    s->pages = NULL;
    s->cap = s->used = 0;
}
