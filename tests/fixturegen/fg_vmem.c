/* SPDX-License-Identifier: MIT */
/* Reading and writing the generator's memory by virtual or physical address, and the kernel VA
 * bump allocator the structure builders use. */
#include "fg_internal.h"
#include "fg_le.h"
#include "fg_pattern.h"

#include <string.h>

int fg_phys_in_dump(const fg_dump *d, uint64_t pa)
{
    return fg_pfn_in_dump(d, pa >> FG_PAGE_SHIFT);
}

int fg_write_phys(fg_dump *d, uint64_t pa, const void *bytes, size_t len)
{
    const uint8_t *src = bytes;
    for (uint64_t p = pa & ~(uint64_t)(FG_PAGE - 1); p < pa + len; p += FG_PAGE) {
        if (!fg_pfn_known(d, p >> FG_PAGE_SHIFT))
            return fg_fail(d, FG_E_ARG, "physical page 0x%llx was never allocated",
                           (unsigned long long)p);
    }
    while (len > 0) {
        size_t off = (size_t)(pa & (FG_PAGE - 1));
        size_t n = FG_PAGE - off < len ? FG_PAGE - off : len;
        uint8_t *page = fg_page(d, pa >> FG_PAGE_SHIFT);
        if (page == NULL)
            return FG_E_NOMEM;
        memcpy(page + off, src, n);
        src += n;
        pa += n;
        len -= n;
    }
    return FG_OK;
}

int fg_read_phys(const fg_dump *d, uint64_t pa, void *out, size_t len)
{
    uint8_t *dst = out;
    while (len > 0) {
        uint64_t pfn = pa >> FG_PAGE_SHIFT;
        size_t off = (size_t)(pa & (FG_PAGE - 1));
        size_t n = FG_PAGE - off < len ? FG_PAGE - off : len;
        if (!fg_pfn_known(d, pfn))
            return FG_E_ARG;
        const uint8_t *page = fg_store_get(&d->store, pfn);
        const fg_extent *x = fg_extent_find(d, pfn);
        if (page != NULL)
            memcpy(dst, page + off, n);
        else if (x != NULL && (x->flags & FG_X_PATTERN))
            fg_pattern_fill(dst, pa, n);
        else
            memset(dst, 0, n);
        dst += n;
        pa += n;
        len -= n;
    }
    return FG_OK;
}

/* Checks every page of [va, va+len) has a captured frame; *bad_va names the first that does not. */
static int check_writable(const fg_dump *d, uint64_t va, size_t len, uint64_t *bad_va)
{
    if (len == 0)
        return FG_OK;
    if (va + len - 1 < va) {
        *bad_va = va;
        return FG_E_ARG;
    }
    uint64_t last = (va + len - 1) & ~(uint64_t)(FG_PAGE - 1);
    for (uint64_t p = va & ~(uint64_t)(FG_PAGE - 1);; p += FG_PAGE) {
        fg_xlate x;
        *bad_va = p < va ? va : p;
        int rc = fg_lookup(d, p, &x);
        if (rc != FG_OK || x.kind == FG_PROTOTYPE || x.kind == FG_NOTPRESENT)
            return FG_E_UNMAPPED;
        if (!x.in_dump)
            return FG_E_NOTINDUMP;
        if (p == last)
            break;
    }
    return FG_OK;
}

/* Copies page by page through the generator's own translation: from src into the dump when wd is
 * set, else from the dump into dst. */
static int vcopy(const fg_dump *d, fg_dump *wd, uint64_t va, const uint8_t *src, uint8_t *dst,
                 size_t len)
{
    for (size_t done = 0; done < len;) {
        uint64_t pa;
        size_t n = FG_PAGE - (size_t)((va + done) & (FG_PAGE - 1));
        if (n > len - done)
            n = len - done;
        if (fg_translate(d, va + done, &pa) != FG_OK)
            return FG_E_UNMAPPED;
        int rc = wd ? fg_write_phys(wd, pa, src + done, n) : fg_read_phys(d, pa, dst + done, n);
        if (rc != FG_OK)
            return rc;
        done += n;
    }
    return FG_OK;
}

/* Remembers an explicit write for the manifest. */
static int record_write(fg_dump *d, uint64_t va, uint64_t len)
{
    fg_writerec *grown = fg_grow(d->writes, &d->cap_writes, d->n_writes + 1, sizeof(*d->writes));
    if (grown == NULL)
        return fg_fail(d, FG_E_NOMEM, "out of memory");
    d->writes = grown;
    d->writes[d->n_writes].va = va;
    d->writes[d->n_writes].len = len;
    d->n_writes++;
    return FG_OK;
}

static int write_common(fg_dump *d, uint64_t va, const void *bytes, size_t len, int record)
{
    uint64_t bad;
    int rc = check_writable(d, va, len, &bad);
    if (rc == FG_E_UNMAPPED)
        return fg_fail(d, rc, "write to VA 0x%llx: not mapped to a frame", (unsigned long long)bad);
    if (rc == FG_E_NOTINDUMP)
        return fg_fail(d, rc, "write to VA 0x%llx: page is not captured in the dump",
                       (unsigned long long)bad);
    if (rc != FG_OK)
        return fg_fail(d, rc, "write of %zu bytes at VA 0x%llx wraps", len, (unsigned long long)va);
    rc = vcopy(d, d, va, bytes, NULL, len);
    if (rc != FG_OK || !record || len == 0)
        return rc;
    return record_write(d, va, len);
}

int fg_write(fg_dump *d, uint64_t va, const void *bytes, size_t len)
{
    return write_common(d, va, bytes, len, 1);
}

int fg_write_u64(fg_dump *d, uint64_t va, uint64_t v)
{
    uint8_t b[8];
    fg_put64(b, v);
    return fg_write(d, va, b, sizeof(b));
}

int fg_write_u32(fg_dump *d, uint64_t va, uint32_t v)
{
    uint8_t b[4];
    fg_put32(b, v);
    return fg_write(d, va, b, sizeof(b));
}

int fg_write_u16(fg_dump *d, uint64_t va, uint16_t v)
{
    uint8_t b[2];
    fg_put16(b, v);
    return fg_write(d, va, b, sizeof(b));
}

int fg_write_u8(fg_dump *d, uint64_t va, uint8_t v)
{
    return fg_write(d, va, &v, 1);
}

int fg_fill(fg_dump *d, uint64_t va, uint8_t byte, size_t len)
{
    uint8_t buf[256];
    memset(buf, byte, sizeof(buf));
    if (len == 0)
        return FG_OK;
    uint64_t bad;
    int rc = check_writable(d, va, len, &bad);
    if (rc != FG_OK)
        return fg_fail(d, rc, "fill at VA 0x%llx: not writable", (unsigned long long)bad);
    for (size_t done = 0; done < len;) {
        size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
        rc = write_common(d, va + done, buf, n, 0);
        if (rc != FG_OK)
            return rc;
        done += n;
    }
    return record_write(d, va, len);
}

int fg_read(const fg_dump *d, uint64_t va, void *out, size_t len)
{
    return vcopy(d, NULL, va, NULL, out, len);
}

uint64_t fg_alloc_phys(fg_dump *d, int in_dump)
{
    if (!in_dump)
        return fg_phys_alloc_absent(d) << FG_PAGE_SHIFT;
    return fg_phys_alloc(d, 1, 1, FG_X_INDUMP | FG_X_PATTERN) << FG_PAGE_SHIFT;
}

uint64_t fg_alloc_kva(fg_dump *d, uint64_t size, uint64_t align)
{
    if (align == 0)
        align = 16;
    if ((align & (align - 1)) != 0 || size == 0 || size > (1ull << 40)) {
        fg_fail(d, FG_E_ARG, "fg_alloc_kva: bad size %llu or alignment %llu",
                (unsigned long long)size, (unsigned long long)align);
        return 0;
    }
    uint64_t va = (d->kva_next + align - 1) & ~(align - 1);
    uint64_t end = va + size;
    if (end > d->kva_mapped_end) {
        uint64_t first = d->kva_mapped_end;
        uint64_t last = (end + FG_PAGE - 1) & ~(uint64_t)(FG_PAGE - 1);
        /* Alignment may skip whole pages: leave them unmapped (like a pool guard gap). */
        if (va > first)
            first = va & ~(uint64_t)(FG_PAGE - 1);
        if (fg_map(d, first, (last - first) / FG_PAGE, FG_4K) != FG_OK)
            return 0;
        d->kva_mapped_end = last;
    }
    d->kva_next = end;
    return va;
}
