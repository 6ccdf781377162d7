/* SPDX-License-Identifier: MIT */
/* The world's memory plumbing: errors that name the scenario line, byte buffers filled field by
 * field from the profile (objects are assembled zeroed, then written once), VA regions, object
 * placement (pool, fixed VAs, pages that exist but are not captured). */
#include "fg_world_int.h"
#include "fg_le.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fgw_fail(fg_world *w, unsigned line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    w->sc->line = line;
    return fg_sc_fail(w->sc, "%s", msg);
}

int fgw_fail_dump(fg_world *w, unsigned line, const char *what)
{
    return fgw_fail(w, line, "%s: %s", what, fg_error(w->d));
}

int fgw_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return -1;
        n *= 2;
    }
    void *p = realloc(*arr, n * elem);
    if (p == NULL)
        return -1;
    *arr = p;
    *cap = n;
    return 0;
}

int fgw_buf_init(fgw_buf *o, const nt_profile *p, size_t len)
{
    o->b = calloc(1, len ? len : 1);
    o->len = len;
    o->p = p;
    o->missing = NT_F__COUNT;
    return o->b == NULL ? -1 : 0;
}

void fgw_buf_free(fgw_buf *o)
{
    free(o->b);
    o->b = NULL;
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static void put_le(uint8_t *p, unsigned n, uint64_t v)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void fgw_set(fgw_buf *o, size_t base, nt_field_id id, uint64_t v)
{
    const nt_field *f = nt_field_get(o->p, id);
    if (f == NULL && nt_field_is_optional(id))
        return; /* a field this build does not have: the object simply lacks it */
    if (f == NULL || f->size == 0 || base + f->offset + (f->size > 8 ? 8 : f->size) > o->len) {
        if (o->missing == NT_F__COUNT)
            o->missing = id;
        return;
    }
    /* Structure-sized fields (LIST_ENTRY, KSYSTEM_TIME) take their first 8 bytes here. */
    unsigned n = f->size > 8 ? 8 : f->size;
    uint8_t *p = o->b + base + f->offset;
    if (f->bit_width == 0) {
        put_le(p, n, v);
        return;
    }
    uint64_t mask = f->bit_width >= 64 ? ~0ull : ((1ull << f->bit_width) - 1);
    uint64_t unit = get_le(p, n);
    unit &= ~(mask << f->bit_pos);
    unit |= (v & mask) << f->bit_pos;
    put_le(p, n, unit);
}

void fgw_set_list(fgw_buf *o, size_t base, nt_field_id id, uint64_t flink, uint64_t blink)
{
    const nt_field *f = nt_field_get(o->p, id);
    if (f == NULL && nt_field_is_optional(id))
        return;
    if (f == NULL) {
        if (o->missing == NT_F__COUNT)
            o->missing = id;
        return;
    }
    fgw_set(o, base + f->offset, NT_F_LIST_ENTRY_FLINK, flink);
    fgw_set(o, base + f->offset, NT_F_LIST_ENTRY_BLINK, blink);
}

void fgw_set_empty_list(fgw_buf *o, uint64_t obj_va, size_t base, nt_field_id id)
{
    const nt_field *f = nt_field_get(o->p, id);
    uint64_t self = obj_va + base + (f ? f->offset : 0);
    fgw_set_list(o, base, id, self, self);
}

void fgw_set_unicode(fgw_buf *o, size_t base, uint64_t buf, size_t chars, size_t max_chars)
{
    fgw_set(o, base, NT_F_UNICODE_STRING_LENGTH, 2 * chars);
    fgw_set(o, base, NT_F_UNICODE_STRING_MAXIMUMLENGTH, 2 * max_chars);
    fgw_set(o, base, NT_F_UNICODE_STRING_BUFFER, buf);
}

int fgw_write_utf16(fg_world *w, unsigned line, uint64_t va, const char *s, size_t len)
{
    uint8_t *u16 = calloc(len + 1, 2);
    if (u16 == NULL)
        return fgw_fail(w, line, "out of memory");
    for (size_t k = 0; k < len; k++)
        u16[2 * k] = (uint8_t)s[k];
    int rc = fgw_write(w, va, u16, 2 * (len + 1));
    free(u16);
    return rc == FG_OK ? 0 : fgw_fail_dump(w, line, "writing a UTF-16 string");
}

int fgw_put(fg_world *w, unsigned line, uint64_t va, fgw_buf *o)
{
    if (o->missing != NT_F__COUNT)
        return fgw_fail(w, line, "the offset profile of build %u has no %s (or it does not fit)",
                        w->p->build, nt_field_name(o->missing));
    if (fgw_write(w, va, o->b, o->len) != FG_OK)
        return fgw_fail_dump(w, line, "writing a kernel object");
    return 0;
}

uint32_t fgw_off(const fg_world *w, nt_field_id id)
{
    const nt_field *f = nt_field_get(w->p, id);
    return f ? f->offset : 0;
}

uint32_t fgw_size(const fg_world *w, nt_struct_id id)
{
    return nt_struct_size(w->p, id);
}

int32_t fgw_enum(const fg_world *w, nt_enum_id id)
{
    return nt_enum_value(w->p, id);
}

int fgw_write(fg_world *w, uint64_t va, const void *bytes, size_t len)
{
    int rc = fg_write(w->d, va, bytes, len);
    if (rc != FG_E_NOTINDUMP)
        return rc;
    /* Uncaptured pages still have frames: write the bytes there so the world stays whole
     * (the reader will not see them; that is the point of such a page). */
    const uint8_t *src = bytes;
    while (len > 0) {
        uint64_t pa;
        size_t n = FGW_PAGE - (size_t)(va & (FGW_PAGE - 1));
        if (n > len)
            n = len;
        if (fg_translate(w->d, va, &pa) != FG_OK)
            return FG_E_UNMAPPED;
        rc = fg_write_phys(w->d, pa, src, n);
        if (rc != FG_OK)
            return rc;
        src += n;
        va += n;
        len -= n;
    }
    return FG_OK;
}

int fgw_write_u64(fg_world *w, uint64_t va, uint64_t v)
{
    uint8_t b[8];
    fg_put64(b, v);
    return fgw_write(w, va, b, sizeof(b));
}

static int ensure_mapped(fg_world *w, fgw_region *r, uint64_t end)
{
    if (end <= r->mapped_end)
        return FG_OK;
    uint64_t last = (end + FGW_PAGE - 1) & ~(FGW_PAGE - 1);
    uint64_t first = r->mapped_end;
    if (r->next > first)
        first = r->next & ~(FGW_PAGE - 1);
    int rc = fg_map(w->d, first, (last - first) / FGW_PAGE, r->kind);
    if (rc == FG_OK)
        r->mapped_end = last;
    return rc;
}

uint64_t fgw_region_alloc(fg_world *w, fgw_region *r, uint64_t size, uint64_t align)
{
    uint64_t va = (r->next + align - 1) & ~(align - 1);
    uint64_t save = r->next;
    r->next = va;
    if (ensure_mapped(w, r, va + size) != FG_OK) {
        r->next = save;
        return 0;
    }
    r->next = va + size;
    return va;
}

uint64_t fgw_region_pages(fg_world *w, fgw_region *r, uint64_t npages)
{
    /* One unmapped guard page before every block, as the kernel leaves below its stacks. */
    uint64_t va = ((r->next + FGW_PAGE - 1) & ~(FGW_PAGE - 1)) + FGW_PAGE;
    if (r->mapped_end < va)
        r->mapped_end = va;
    r->next = va;
    if (ensure_mapped(w, r, va + npages * FGW_PAGE) != FG_OK)
        return 0;
    r->next = va + npages * FGW_PAGE;
    return va;
}

int fgw_map_fixed(fg_world *w, unsigned line, uint64_t lo, uint64_t hi, fg_kind kind)
{
    for (size_t i = 0; i < w->nspans; i++) {
        if (lo < w->spans[i].hi && w->spans[i].lo < hi)
            return fgw_fail(w, line, "0x%llx..0x%llx overlaps the object placed on line %u",
                            (unsigned long long)lo, (unsigned long long)hi, w->spans[i].line);
    }
    if (fgw_grow((void **)&w->spans, &w->cap_spans, w->nspans + 1, sizeof(*w->spans)) != 0)
        return fgw_fail(w, line, "out of memory");
    w->spans[w->nspans++] = (fgw_span){lo, hi, line};
    for (uint64_t pg = lo & ~(FGW_PAGE - 1); pg < hi; pg += FGW_PAGE) {
        fg_xlate x;
        if (fg_lookup(w->d, pg, &x) != FG_OK) {
            if (fg_map(w->d, pg, 1, kind) != FG_OK)
                return fgw_fail_dump(w, line, "mapping a fixed-address object");
            continue;
        }
        /* Already mapped (a neighbour on the same page): it must be the same kind of page. */
        if ((kind == FG_ABSENT) != (x.kind == FG_ABSENT) || (kind != FG_ABSENT && !x.in_dump))
            return fgw_fail(w, line, "page 0x%llx is already mapped as %s",
                            (unsigned long long)pg, fg_kind_name(x.kind));
    }
    return 0;
}

uint64_t fgw_place(fg_world *w, unsigned line, uint64_t fixed_va, uint64_t prefix, uint64_t size,
                   int missing)
{
    if (fixed_va != 0) {
        if ((fixed_va & 0xF) != 0 || fixed_va < prefix || (fixed_va >> 47) != 0x1FFFF) {
            fgw_fail(w, line, "va=0x%llx must be a 16-byte aligned kernel address",
                     (unsigned long long)fixed_va);
            return 0;
        }
        if (fgw_map_fixed(w, line, fixed_va - prefix, fixed_va + size,
                          missing ? FG_ABSENT : FG_4K) != 0)
            return 0;
        return fixed_va;
    }
    if (missing) {
        /* Its own pages, so the neighbours stay captured; 0x10 bytes of pool header first. */
        uint64_t npages = (0x10 + prefix + size + FGW_PAGE - 1) / FGW_PAGE;
        uint64_t va = fgw_region_pages(w, &w->absent, npages);
        if (va == 0) {
            fgw_fail_dump(w, line, "mapping an uncaptured page");
            return 0;
        }
        return va + 0x10 + prefix;
    }
    uint64_t va = fg_alloc_kva(w->d, prefix + size, 16);
    if (va == 0) {
        fgw_fail_dump(w, line, "allocating pool");
        return 0;
    }
    return va + prefix;
}

int fgw_write_list(fg_world *w, unsigned line, uint64_t entry, uint64_t flink, uint64_t blink)
{
    if (fgw_write_u64(w, entry + fgw_off(w, NT_F_LIST_ENTRY_FLINK), flink) != FG_OK ||
        fgw_write_u64(w, entry + fgw_off(w, NT_F_LIST_ENTRY_BLINK), blink) != FG_OK)
        return fgw_fail_dump(w, line, "writing list links");
    return 0;
}
