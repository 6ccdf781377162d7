/* SPDX-License-Identifier: MIT */
/* Real x64 4-level page tables in the generator's physical memory: building mappings of every
 * kind, and the generator's own walk over them (independent of the reader's mm layer).
 *
 * Leaf entries carry varying NX / software bits (52, 57, 59, 62, and bit 11 which Windows uses as a
 * software "write" bit in valid PTEs) so a reader that does not mask frames, or that tests bit 11
 * without testing P first, reads the wrong page. */
#include "fg_internal.h"

#define LEVEL_PT 1
#define LEVEL_PD 2
#define LEVEL_PDPT 3
#define LEVEL_PML4 4

static unsigned va_index(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * (level - 1))) & 511u;
}

static int canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1FFFF;
}

static int is_kernel(uint64_t va)
{
    return (va >> 63) != 0;
}

static uint64_t table_entry_bits(fg_dump *d, uint64_t va)
{
    static const uint64_t extra[3] = {0, FG_PTE_NX, 1ull << 52};
    uint64_t e = FG_PTE_P | FG_PTE_RW | FG_PTE_A | FG_PTE_D | extra[d->table_seq++ % 3];
    if (!is_kernel(va))
        e |= FG_PTE_US;
    return e;
}

static uint64_t leaf_bits(fg_dump *d, uint64_t va)
{
    static const uint64_t extra[4] = {
        0,
        FG_PTE_NX,
        FG_PTE_NX | (1ull << 59) | (1ull << 57) | FG_PTE_TRANSITION,
        (1ull << 62) | (1ull << 52),
    };
    uint64_t e = FG_PTE_P | FG_PTE_RW | FG_PTE_A | FG_PTE_D | extra[d->leaf_seq++ % 4];
    e |= is_kernel(va) ? FG_PTE_G : FG_PTE_US;
    return e;
}

/* 1 if mapping a leaf at `level` for va would overwrite or split an existing mapping. */
static int slot_busy(const fg_dump *d, uint64_t va, int level)
{
    uint64_t table = d->pml4_pa;
    for (int l = LEVEL_PML4; l > level; l--) {
        uint64_t e = fg_phys_u64(d, table + 8u * va_index(va, l));
        if (e == 0)
            return 0;
        if (!(e & FG_PTE_P) || (l < LEVEL_PML4 && (e & FG_PTE_PS)))
            return 1;
        table = e & FG_PTE_FRAME;
    }
    return fg_phys_u64(d, table + 8u * va_index(va, level)) != 0;
}

/* Physical address of the table that holds va's entry at `level`, creating tables on the way. */
static int table_for(fg_dump *d, uint64_t va, int level, uint64_t *table_pa)
{
    uint64_t table = d->pml4_pa;
    for (int l = LEVEL_PML4; l > level; l--) {
        uint64_t slot = table + 8u * va_index(va, l);
        uint64_t e = fg_phys_u64(d, slot);
        if (e == 0) {
            uint64_t pfn = fg_phys_alloc(d, 1, 1, FG_X_INDUMP);
            if (pfn == 0 || fg_page(d, pfn) == NULL)
                return FG_E_NOMEM;
            e = (pfn << FG_PAGE_SHIFT) | table_entry_bits(d, va);
            if (fg_phys_set_u64(d, slot, e) != FG_OK)
                return FG_E_NOMEM;
        } else if (!(e & FG_PTE_P) || (l < LEVEL_PML4 && (e & FG_PTE_PS))) {
            return fg_fail(d, FG_E_CONFLICT, "VA 0x%llx lies under an existing large page",
                           (unsigned long long)va);
        }
        table = e & FG_PTE_FRAME;
    }
    *table_pa = table;
    return FG_OK;
}

static int set_leaf(fg_dump *d, uint64_t va, int level, uint64_t entry)
{
    uint64_t table = 0;
    int rc = table_for(d, va, level, &table);
    if (rc != FG_OK)
        return rc;
    return fg_phys_set_u64(d, table + 8u * va_index(va, level), entry);
}

static uint64_t kind_size(fg_kind kind)
{
    if (kind == FG_2M)
        return (uint64_t)FG_PAGES_2M * FG_PAGE;
    if (kind == FG_1G)
        return (uint64_t)FG_PAGES_1G * FG_PAGE;
    return FG_PAGE;
}

static int kind_level(fg_kind kind)
{
    return kind == FG_1G ? LEVEL_PDPT : kind == FG_2M ? LEVEL_PD : LEVEL_PT;
}

/* Validates a VA window and checks every slot is free, so a failed call maps nothing. */
static int check_window(fg_dump *d, uint64_t va, uint64_t count, fg_kind kind)
{
    uint64_t size = kind_size(kind);
    int level = kind_level(kind);
    if (count == 0 || count > (1ull << 48) / size)
        return fg_fail(d, FG_E_ARG, "bad page count %llu", (unsigned long long)count);
    if (va % size != 0)
        return fg_fail(d, FG_E_ARG, "VA 0x%llx is not aligned to the %s page size",
                       (unsigned long long)va, fg_kind_name(kind));
    for (uint64_t i = 0; i < count; i++) {
        uint64_t p = va + i * size;
        if (!canonical(p) || (i > 0 && p < va))
            return fg_fail(d, FG_E_ARG, "VA 0x%llx is not canonical", (unsigned long long)p);
        if (va_index(p, LEVEL_PML4) == FG_SELFMAP_INDEX)
            return fg_fail(d, FG_E_CONFLICT, "VA 0x%llx is in the page-table self-map",
                           (unsigned long long)p);
        if (slot_busy(d, p, level))
            return fg_fail(d, FG_E_CONFLICT, "VA 0x%llx is already mapped",
                           (unsigned long long)p);
    }
    return FG_OK;
}

static int map_one(fg_dump *d, uint64_t va, fg_kind kind)
{
    uint64_t pfn = 0, entry;
    int in_dump = 1;
    switch (kind) {
    case FG_4K:
    case FG_TRANSITION:
        pfn = fg_phys_alloc(d, 1, 1, FG_X_INDUMP | FG_X_PATTERN);
        break;
    case FG_2M:
        pfn = fg_phys_alloc(d, FG_PAGES_2M, FG_PAGES_2M, FG_X_INDUMP | FG_X_PATTERN);
        break;
    case FG_1G:
        pfn = fg_phys_alloc_1g(d);
        break;
    case FG_ABSENT:
        pfn = fg_phys_alloc_absent(d);
        in_dump = 0;
        break;
    case FG_PROTOTYPE:
    case FG_NOTPRESENT:
        in_dump = 0;
        break;
    default:
        return fg_fail(d, FG_E_ARG, "unknown mapping kind %d", (int)kind);
    }
    if ((kind != FG_PROTOTYPE && kind != FG_NOTPRESENT) && pfn == 0)
        return FG_E_LIMIT;
    uint64_t pa = pfn << FG_PAGE_SHIFT;
    switch (kind) {
    case FG_TRANSITION:
        entry = pa | FG_PTE_TRANSITION | FG_PTE_PROT_RW;
        break;
    case FG_PROTOTYPE:
        /* ProtoAddress 0xFFFFFFFF0000 = "look in the VAD": no frame to follow. */
        entry = 0xFFFFFFFF00000000ull | FG_PTE_PROTOTYPE | FG_PTE_PROT_RW;
        break;
    case FG_NOTPRESENT:
        /* Alternate demand-zero and paged-out (page file 1, offset in bits 32..63). */
        entry = FG_PTE_PROT_RW;
        if (d->leaf_seq++ % 2)
            entry |= ((0x2000ull + d->leaf_seq) << 32) | (1ull << 1);
        break;
    case FG_2M:
    case FG_1G:
        entry = pa | leaf_bits(d, va) | FG_PTE_PS;
        break;
    default:
        entry = pa | leaf_bits(d, va);
        break;
    }
    int rc = set_leaf(d, va, kind_level(kind), entry);
    if (rc != FG_OK)
        return rc;
    return fg_record_map(d, va, pa, 0, kind, in_dump, 0);
}

int fg_map(fg_dump *d, uint64_t va, uint64_t npages, fg_kind kind)
{
    if ((unsigned)kind >= FG_KIND_COUNT)
        return fg_fail(d, FG_E_ARG, "unknown mapping kind %d", (int)kind);
    int rc = check_window(d, va, npages, kind);
    for (uint64_t i = 0; rc == FG_OK && i < npages; i++)
        rc = map_one(d, va + i * kind_size(kind), kind);
    return rc;
}

int fg_map_direct(fg_dump *d, uint64_t va, uint64_t pa, uint64_t bytes, fg_kind kind)
{
    if (kind != FG_4K && kind != FG_2M && kind != FG_1G)
        return fg_fail(d, FG_E_ARG, "direct windows use 4k, 2m or 1g pages, not %s",
                       fg_kind_name(kind));
    uint64_t size = kind_size(kind);
    if (bytes == 0 || bytes % size != 0 || pa % size != 0)
        return fg_fail(d, FG_E_ARG, "direct window PA 0x%llx / size 0x%llx not %s aligned",
                       (unsigned long long)pa, (unsigned long long)bytes, fg_kind_name(kind));
    if (kind == FG_4K && bytes > (1ull << 30))
        return fg_fail(d, FG_E_ARG, "4k direct windows are limited to 1 GiB (use 2m or 1g)");
    if (pa + bytes < pa || pa + bytes > (1ull << 52))
        return fg_fail(d, FG_E_ARG, "direct window beyond 52-bit physical space");
    uint64_t count = bytes / size;
    int rc = check_window(d, va, count, kind);
    for (uint64_t i = 0; rc == FG_OK && i < count; i++) {
        uint64_t entry = (pa + i * size) | leaf_bits(d, va);
        if (kind != FG_4K)
            entry |= FG_PTE_PS;
        rc = set_leaf(d, va + i * size, kind_level(kind), entry);
    }
    if (rc != FG_OK)
        return rc;
    return fg_record_map(d, va, pa, bytes, kind, fg_phys_in_dump(d, pa), 1);
}

int fg_lookup(const fg_dump *d, uint64_t va, fg_xlate *out)
{
    if (!canonical(va))
        return FG_E_UNMAPPED;
    uint64_t table = d->pml4_pa;
    for (int l = LEVEL_PML4; l >= LEVEL_PT; l--) {
        uint64_t e = fg_phys_u64(d, table + 8u * va_index(va, l));
        out->pte = e;
        out->pa = 0;
        out->in_dump = 0;
        if (l > LEVEL_PT) {
            if (!(e & FG_PTE_P))
                return FG_E_UNMAPPED;
            if (l == LEVEL_PDPT && (e & FG_PTE_PS)) {
                out->kind = FG_1G;
                out->pa = (e & FG_PTE_FRAME_1G) | (va & 0x3FFFFFFFull);
                break;
            }
            if (l == LEVEL_PD && (e & FG_PTE_PS)) {
                out->kind = FG_2M;
                out->pa = (e & FG_PTE_FRAME_2M) | (va & 0x1FFFFFull);
                break;
            }
            table = e & FG_PTE_FRAME;
            continue;
        }
        if (e & FG_PTE_P) {
            out->pa = (e & FG_PTE_FRAME) | (va & 0xFFFu);
            out->kind = fg_pfn_in_dump(d, out->pa >> FG_PAGE_SHIFT) ? FG_4K : FG_ABSENT;
        } else if (e == 0) {
            return FG_E_UNMAPPED;
        } else if (e & FG_PTE_PROTOTYPE) {
            out->kind = FG_PROTOTYPE;
            return FG_OK;
        } else if (e & FG_PTE_TRANSITION) {
            out->kind = FG_TRANSITION;
            out->pa = (e & FG_PTE_FRAME) | (va & 0xFFFu);
        } else {
            out->kind = FG_NOTPRESENT;
            return FG_OK;
        }
    }
    out->in_dump = fg_pfn_in_dump(d, out->pa >> FG_PAGE_SHIFT);
    return FG_OK;
}

int fg_translate(const fg_dump *d, uint64_t va, uint64_t *pa)
{
    fg_xlate x;
    int rc = fg_lookup(d, va, &x);
    if (rc != FG_OK)
        return rc;
    if (x.kind == FG_PROTOTYPE || x.kind == FG_NOTPRESENT)
        return FG_E_UNMAPPED;
    *pa = x.pa;
    return FG_OK;
}
