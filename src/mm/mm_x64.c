/* SPDX-License-Identifier: MIT */
/* x64 4-level translation (shared/reference/dump-format.md section 5). Large (2 MiB) and
 * huge (1 GiB) pages, Windows transition PTEs read as present but marked, prototype and
 * paged-out entries reported as such. */
#include <stdio.h>
#include <string.h>

#include "mm/mm_space.h"
#include "util/error.h"
#include "util/le.h"

#define PTE_P          (1ull << 0)
#define PTE_PS         (1ull << 7)
#define PTE_PROTOTYPE  (1ull << 10)  /* Windows software PTE, P = 0 */
#define PTE_TRANSITION (1ull << 11)  /* Windows software PTE, P = 0 */
#define FRAME_4K       0x000FFFFFFFFFF000ull /* bits 12..51 */
#define FRAME_2M       0x000FFFFFFFE00000ull
#define FRAME_1G       0x000FFFFFC0000000ull
/* A transition PTE's frame field is 36 bits wide (bits 12..47); higher bits are software's. */
#define FRAME_TRANS    0x0000FFFFFFFFF000ull

static const char *const level_names[4] = {"pml4e", "pdpte", "pde", "pte"};

static int canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1FFFF;
}

/* What a non-present entry means, as a status. */
static di_status absent_reason(uint64_t e, int leaf)
{
    if (e & PTE_TRANSITION && !(e & PTE_PROTOTYPE))
        return DI_OK; /* transition: still in RAM */
    if (leaf && (e & PTE_PROTOTYPE))
        return DI_E_PROTOTYPE;
    return DI_E_NOT_MAPPED;
}

static di_status fail_at(mm_space *s, di_translation *t, di_status st, unsigned level, di_error *err,
                         const char *why)
{
    t->status = st;
    return di_fail(err, st, "%s: cannot translate 0x%016llx (cr3 0x%llx): %s %s", dmp_path(s->dmp),
                   (unsigned long long)t->va, (unsigned long long)t->cr3, level_names[level], why);
}

static di_status tlb_lookup(mm_space *s, uint64_t cr3, uint64_t va, di_translation *t)
{
    mm_tlb_entry *e = &s->tlb[(va >> 12) % MM_TLB_SLOTS];
    if (e->vpn != (va >> 12) + 1 || e->cr3 != cr3)
        return DI_E_NOT_MAPPED;
    t->pa = (e->pfn << 12) | (va & 0xFFF);
    t->page_size = DMP_PAGE_SIZE;
    t->in_dump = 1;
    t->status = DI_OK;
    return DI_OK;
}

static void tlb_fill(mm_space *s, uint64_t cr3, uint64_t va, uint64_t pa)
{
    mm_tlb_entry *e = &s->tlb[(va >> 12) % MM_TLB_SLOTS];
    e->cr3 = cr3;
    e->vpn = (va >> 12) + 1;
    e->pfn = pa >> 12;
}

static di_status walk(mm_space *s, di_translation *t, di_error *err)
{
    static const unsigned shifts[4] = {39, 30, 21, 12};
    uint64_t table = t->cr3;
    char why[160];
    for (unsigned level = 0; level < 4; level++) {
        di_walk_step *step = &t->steps[level];
        t->nsteps = level + 1;
        step->level = level_names[level];
        step->entry_pa = table + 8 * ((t->va >> shifts[level]) & 0x1FF);
        uint8_t raw[8];
        di_error rerr;
        di_status st = mm_read_phys(s, step->entry_pa, raw, 8, &rerr);
        if (st != DI_OK) {
            snprintf(why, sizeof why, "at 0x%llx could not be read: the page table page is %s",
                     (unsigned long long)step->entry_pa,
                     st == DI_E_NOT_IN_DUMP ? "not in the dump" : di_status_name(st));
            return fail_at(s, t, st, level, err, why);
        }
        uint64_t e = le64(raw);
        step->entry = e;
        step->read_ok = 1;
        int leaf = level == 3;
        uint64_t frame;
        if (!(e & PTE_P)) {
            st = absent_reason(e, leaf);
            if (st != DI_OK) {
                snprintf(why, sizeof why, "0x%016llx is not present (%s)", (unsigned long long)e,
                         st == DI_E_PROTOTYPE ? "prototype PTE: the page belongs to a section"
                                              : e ? "paged out" : "never mapped");
                return fail_at(s, t, st, level, err, why);
            }
            t->transition = 1;
            frame = e & FRAME_TRANS;
        } else if (e & PTE_PS) {
            if (level == 0)
                return fail_at(s, t, DI_E_BAD_PTE, level, err, "has the page-size bit set, reserved at this level");
            if (level == 1 || level == 2) {
                uint64_t mask = level == 1 ? FRAME_1G : FRAME_2M;
                uint64_t size = level == 1 ? 0x40000000ull : 0x200000ull;
                t->pa = (e & mask) | (t->va & (size - 1));
                t->page_size = size;
                return DI_OK;
            }
            frame = e & FRAME_4K; /* bit 7 is PAT in a PTE */
        } else {
            frame = e & FRAME_4K;
        }
        if ((frame >> 12) >= s->dmp->pm.pfn_limit) {
            snprintf(why, sizeof why, "0x%016llx points to PFN 0x%llx, beyond the machine's physical memory (0x%llx pages)",
                     (unsigned long long)e, (unsigned long long)(frame >> 12),
                     (unsigned long long)s->dmp->pm.pfn_limit);
            return fail_at(s, t, DI_E_BAD_PTE, level, err, why);
        }
        if (leaf) {
            t->pa = frame | (t->va & 0xFFF);
            t->page_size = DMP_PAGE_SIZE;
            return DI_OK;
        }
        table = frame;
    }
    return DI_OK; /* not reached: level 3 always returns */
}

di_status mm_translate(mm_space *s, uint64_t cr3, uint64_t va, di_translation *t, di_error *err)
{
    memset(t, 0, sizeof *t);
    t->va = va;
    t->cr3 = cr3 & ~0xFFFull;
    if (s->dmp->triage) {
        t->status = DI_E_UNSUPPORTED;
        return di_fail(err, DI_E_UNSUPPORTED,
                       "%s: a triage (small memory) dump has no page tables: 0x%016llx cannot be translated; its "
                       "captured kernel addresses are read directly (dumpinspect read --va)",
                       dmp_path(s->dmp), (unsigned long long)va);
    }
    if (!canonical(va)) {
        t->status = DI_E_NONCANONICAL;
        return di_fail(err, DI_E_NONCANONICAL, "%s: 0x%016llx is not a canonical x64 address", dmp_path(s->dmp),
                       (unsigned long long)va);
    }
    di_status st = walk(s, t, err);
    if (st != DI_OK)
        return st;
    if ((t->pa >> 12) >= s->dmp->pm.pfn_limit && t->page_size > DMP_PAGE_SIZE) {
        t->status = DI_E_BAD_PTE;
        return di_fail(err, DI_E_BAD_PTE,
                       "%s: cannot translate 0x%016llx: its %s page lies at 0x%llx, beyond the machine's physical memory",
                       dmp_path(s->dmp), (unsigned long long)va, t->page_size == 0x200000ull ? "2 MiB" : "1 GiB",
                       (unsigned long long)t->pa);
    }
    t->in_dump = dmp_page_present(s->dmp, t->pa >> 12);
    if (!t->in_dump) {
        t->status = DI_E_NOT_IN_DUMP;
        return di_fail(err, DI_E_NOT_IN_DUMP, "%s: 0x%016llx maps to physical 0x%llx, a page that is not in the dump",
                       dmp_path(s->dmp), (unsigned long long)va, (unsigned long long)t->pa);
    }
    t->status = DI_OK;
    return DI_OK;
}

di_status mm_read_virtual(mm_space *s, uint64_t cr3, uint64_t va, void *buf, size_t len, di_error *err)
{
    /* A triage dump maps kernel VAs straight to file ranges; there is one address space. */
    if (s->dmp->triage)
        return dmp_triage_read_va(s->dmp, va, buf, len, err);
    uint8_t *out = buf;
    cr3 &= ~0xFFFull;
    while (len > 0) {
        size_t off = (size_t)(va & 0xFFF);
        size_t n = 0x1000 - off < len ? 0x1000 - off : len;
        di_translation t;
        di_status st = tlb_lookup(s, cr3, va, &t);
        if (st != DI_OK) {
            st = mm_translate(s, cr3, va, &t, err);
            if (st != DI_OK)
                return st;
            tlb_fill(s, cr3, va, t.pa);
        }
        if (!mm_read_held(s, t.pa, out, n)) {
            if (s->read_ahead && !s->budget_hit && !mm_page_cached(s, t.pa >> DMP_PAGE_SHIFT))
                mm_read_ahead(s, cr3, va, t.pa >> DMP_PAGE_SHIFT);
            st = mm_read_phys(s, t.pa, out, n, err);
            if (st != DI_OK)
                return st;
        }
        out += n;
        len -= n;
        if (len && va > UINT64_MAX - n)
            return di_fail(err, DI_E_NONCANONICAL, "%s: read wraps past the top of the address space",
                           dmp_path(s->dmp));
        va += n;
    }
    return DI_OK;
}

di_status mm_read_u64(mm_space *s, uint64_t cr3, uint64_t va, uint64_t *out, di_error *err)
{
    uint8_t b[8];
    di_status st = mm_read_virtual(s, cr3, va, b, 8, err);
    if (st == DI_OK)
        *out = le64(b);
    return st;
}

di_status mm_read_u32(mm_space *s, uint64_t cr3, uint64_t va, uint32_t *out, di_error *err)
{
    uint8_t b[4];
    di_status st = mm_read_virtual(s, cr3, va, b, 4, err);
    if (st == DI_OK)
        *out = le32(b);
    return st;
}
