/* SPDX-License-Identifier: MIT */
/* Functions with x64 unwind data and kernel stacks laid out by their prologs, so the reader's
 * unwinder can be checked end to end:
 *
 *   function ADDR size=N [prolog=OP+OP...] [export=NAME]
 *       a function of the module ADDR lies in (ADDR = MODULE+OFF). OP, in prolog order:
 *       push:REG (rax..r15) or alloc:N (sub rsp, N; a multiple of 8). The module's image gets a
 *       PE header (ntoskrnl keeps its own and gains the directories), a .pdata entry, an
 *       UNWIND_INFO with one code per OP, and, for export=, an export directory entry.
 *   call_stack THREAD ADDR [ADDR]...
 *       the thread's stack, innermost first. For a thread that is not the crashing one, ADDR 0
 *       is the return address in its switch frame at KernelStack (+0x38; +0x30 holds rbp) and
 *       frame 0's rsp is KernelStack + 0x40. For the crashing thread the header CONTEXT is
 *       frame 0 and the ADDRs are its callers. Each frame's function (the declared one
 *       containing the address, else a leaf) decides where its caller's return address goes:
 *       rsp + pushes x 8 + allocations; saved registers get their register number. The last
 *       return address is 0. A CALL rel32 is written just before every return address.
 *   damage pdata_page_missing MODULE      the module's .pdata page is not in the dump
 *   damage stack_page_missing THREAD      the thread's top stack page is not in the dump
 *
 * The image pages sit in the module's last three pages (.pdata, UNWIND_INFO, exports): a
 * module with functions needs 0x4000 bytes or more and code outside those pages. */
#include "fg_le.h"
#include "fg_world_int.h"

#include <stdlib.h>
#include <string.h>

#define PE_LFANEW 0x108u      /* as write_pe_image puts it for ntoskrnl */
#define PE_OPT 0x18u
#define PE_OPT_SIZE 0xF0u
#define PE_MAGIC_64 0x20Bu
#define PE_NUM_DIRS 16u
#define PE_DIR_EXPORT 0u
#define PE_DIR_EXCEPTION 3u
#define PE_DIRS 0x70u
#define META_PAGES 3u         /* .pdata, .xdata, exports */
#define SWITCH_RBP 0x30u
#define SWITCH_RETURN 0x38u
#define SWITCH_SIZE 0x40u
#define CALL_LEN 5u
#define PTE_PFN_MASK 0x000FFFFFFFFFF000ull
#define PTE_LARGE 0x80ull

static const char *const reg_names[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                          "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

static int parse_op(fg_world *w, char *op, fgw_prolog_op *out)
{
    char *colon = strchr(op, ':');
    if (colon == NULL)
        return fg_sc_fail(w->sc, "function: prolog op '%s' is not push:REG or alloc:N", op);
    *colon = '\0';
    const char *arg = colon + 1;
    if (strcmp(op, "push") == 0) {
        for (unsigned r = 0; r < 16; r++)
            if (r != 4 && strcmp(arg, reg_names[r]) == 0) {
                *out = (fgw_prolog_op){.push = 1, .reg = (uint8_t)r};
                return 0;
            }
        return fg_sc_fail(w->sc, "function: push:%s is not a register (rax..r15 but rsp)", arg);
    }
    uint64_t n;
    if (strcmp(op, "alloc") != 0 || fg_sc_u64(arg, &n) != 0 || n == 0 || n % 8 != 0 || n > 0x7FFF8)
        return fg_sc_fail(w->sc, "function: alloc:N needs a multiple of 8 up to 0x7fff8");
    *out = (fgw_prolog_op){.push = 0, .alloc = (uint32_t)n};
    return 0;
}

int fgw_parse_function(fg_world *w, char *rest)
{
    char *tok = fg_sc_token(&rest), *name, *value;
    if (tok == NULL)
        return fg_sc_fail(w->sc, "function: expected ADDR size=N [prolog=OPS] [export=NAME]");
    if (fgw_grow((void **)&w->funcs, &w->cap_funcs, w->nfuncs + 1, sizeof(*w->funcs)) != 0)
        return fg_sc_fail(w->sc, "out of memory");
    fgw_func *f = &w->funcs[w->nfuncs];
    memset(f, 0, sizeof(*f));
    f->line = w->sc->line;
    if (fgw_expr_copy(w, "function", tok, f->at) != 0)
        return -1;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        uint64_t n;
        if (fgw_kv(tok, &name, &value) != 0)
            return fg_sc_fail(w->sc, "function: expected NAME=VALUE, got '%s'", tok);
        if (strcmp(name, "size") == 0) {
            if (fg_sc_u64(value, &n) != 0 || n == 0 || n > 0x100000)
                return fg_sc_fail(w->sc, "function: size=%s is not 1..0x100000", value);
            f->size = (uint32_t)n;
        } else if (strcmp(name, "export") == 0) {
            if (fgw_id(w, "function export", value, f->export_name) != 0)
                return -1;
        } else if (strcmp(name, "prolog") == 0) {
            for (char *op = strtok(value, "+"); op != NULL; op = strtok(NULL, "+")) {
                if (f->nops == FGW_MAX_PROLOG)
                    return fg_sc_fail(w->sc, "function: at most %d prolog ops", FGW_MAX_PROLOG);
                if (parse_op(w, op, &f->ops[f->nops++]) != 0)
                    return -1;
            }
        } else {
            return fg_sc_fail(w->sc, "function: unknown key '%s'", name);
        }
    }
    if (f->size == 0)
        return fg_sc_fail(w->sc, "function: size= is required");
    w->nfuncs++;
    return 0;
}

int fgw_parse_call_stack(fg_world *w, char *rest)
{
    return fgw_parse_thread_addrs(w, "call_stack", rest, &w->calls, &w->ncalls, &w->cap_calls);
}

/* ---- images ---- */

static int map_page(fg_world *w, unsigned line, uint64_t va)
{
    fg_xlate x;
    if (fg_lookup(w->d, va & ~(FGW_PAGE - 1), &x) == FG_OK)
        return 0;
    if (fg_map(w->d, va & ~(FGW_PAGE - 1), 1, FG_4K) != FG_OK)
        return fgw_fail_dump(w, line, "mapping a module image page");
    return 0;
}

static int func_cmp(const void *a, const void *b)
{
    const fgw_func *x = a, *y = b;
    if (x->mod != y->mod)
        return x->mod < y->mod ? -1 : 1;
    return x->va < y->va ? -1 : x->va > y->va;
}

/* UNWIND_INFO version 1 for f: codes in reverse prolog order. Returns its length. */
static size_t unwind_info(const fgw_func *f, uint8_t *b)
{
    unsigned offset = 0, n = 0;
    uint8_t slots[2 * 2 * FGW_MAX_PROLOG];
    uint8_t at[FGW_MAX_PROLOG];
    for (unsigned i = 0; i < f->nops; i++) {
        /* push r64: 1 byte (2 with REX for r8..r15); sub rsp, imm8/imm32: 4 or 7 bytes */
        offset += f->ops[i].push ? (f->ops[i].reg >= 8 ? 2u : 1u) : (f->ops[i].alloc <= 0x80 ? 4u : 7u);
        at[i] = (uint8_t)offset;
    }
    for (unsigned k = f->nops; k-- > 0;) {
        const fgw_prolog_op *op = &f->ops[k];
        if (op->push) {
            slots[2 * n] = at[k];
            slots[2 * n + 1] = (uint8_t)(0 | op->reg << 4);
            n++;
        } else if (op->alloc <= 0x80) {
            slots[2 * n] = at[k];
            slots[2 * n + 1] = (uint8_t)(2 | ((op->alloc / 8 - 1) << 4));
            n++;
        } else {
            slots[2 * n] = at[k];
            slots[2 * n + 1] = 1; /* ALLOC_LARGE, size / 8 in the next slot */
            fg_put16(slots + 2 * n + 2, (uint16_t)(op->alloc / 8));
            n += 2;
        }
    }
    b[0] = 1;
    b[1] = (uint8_t)offset;
    b[2] = (uint8_t)n;
    b[3] = 0;
    memcpy(b + 4, slots, 2 * n);
    return 4 + 2 * ((n + 1) & ~1u);
}

static int write_header(fg_world *w, size_t mi, uint32_t pdata_rva, uint32_t npdata, uint32_t exp_rva,
                        uint32_t exp_size)
{
    const fgw_module *m = &w->mods[mi];
    uint8_t dirs[2][8];
    fg_put32(dirs[0], exp_rva);
    fg_put32(dirs[0] + 4, exp_size);
    fg_put32(dirs[1], pdata_rva);
    fg_put32(dirs[1] + 4, npdata * 12);
    uint64_t opt = m->base + PE_LFANEW + PE_OPT;
    if (mi != w->nt) {
        /* A minimal header: the signature, the optional header's magic, size and directories. */
        uint8_t pg[0x200];
        memset(pg, 0, sizeof(pg));
        pg[0] = 'M';
        pg[1] = 'Z';
        fg_put32(pg + 0x3C, PE_LFANEW);
        memcpy(pg + PE_LFANEW, "PE\0\0", 4);
        fg_put16(pg + PE_LFANEW + 4, 0x8664);
        fg_put16(pg + PE_LFANEW + 0x14, PE_OPT_SIZE);
        fg_put16(pg + PE_LFANEW + PE_OPT, PE_MAGIC_64);
        fg_put32(pg + PE_LFANEW + PE_OPT + 0x38, (uint32_t)m->size);
        fg_put32(pg + PE_LFANEW + PE_OPT + 0x6C, PE_NUM_DIRS);
        if (map_page(w, m->line, m->base) != 0)
            return -1;
        if (fgw_write(w, m->base, pg, sizeof(pg)) != FG_OK)
            return fgw_fail_dump(w, m->line, "writing a module's PE header");
    }
    if (fgw_write(w, opt + PE_DIRS + 8 * PE_DIR_EXPORT, dirs[0], 8) != FG_OK ||
        fgw_write(w, opt + PE_DIRS + 8 * PE_DIR_EXCEPTION, dirs[1], 8) != FG_OK)
        return fgw_fail_dump(w, m->line, "writing a module's data directories");
    return 0;
}

/* The images of module mi: funcs[first, end) are its functions, sorted. */
static int write_image(fg_world *w, size_t mi, size_t first, size_t end)
{
    const fgw_module *m = &w->mods[mi];
    if (m->size < (META_PAGES + 1) * FGW_PAGE)
        return fgw_fail(w, m->line, "module %s: functions need an image of 0x4000 bytes or more", m->name);
    uint32_t pdata = (uint32_t)(m->size & ~(FGW_PAGE - 1)) - META_PAGES * FGW_PAGE;
    uint32_t xdata = pdata + FGW_PAGE, exps = xdata + FGW_PAGE;
    uint8_t pd[FGW_PAGE], xd[FGW_PAGE], ex[FGW_PAGE];
    memset(pd, 0, sizeof(pd));
    memset(xd, 0, sizeof(xd));
    memset(ex, 0, sizeof(ex));
    size_t xat = 0, nexp = 0, names_at = 0x28;
    for (size_t i = first; i < end; i++)
        nexp += w->funcs[i].export_name[0] != '\0';
    uint32_t funcs_rva = exps + (uint32_t)names_at, names_rva = funcs_rva + 4 * (uint32_t)nexp,
             ords_rva = names_rva + 4 * (uint32_t)nexp;
    size_t str_at = names_at + 10 * nexp, k = 0;
    for (size_t i = first; i < end; i++) {
        const fgw_func *f = &w->funcs[i];
        uint32_t rva = (uint32_t)(f->va - m->base);
        if ((i - first + 1) * 12 > sizeof(pd) || xat + 4 + 4 * FGW_MAX_PROLOG > sizeof(xd))
            return fgw_fail(w, f->line, "module %s: too many functions", m->name);
        if (rva + f->size > pdata || (i > first && w->funcs[i - 1].va + w->funcs[i - 1].size > f->va))
            return fgw_fail(w, f->line, "function at %s overlaps another or the unwind pages", f->at);
        fg_put32(pd + 12 * (i - first), rva);
        fg_put32(pd + 12 * (i - first) + 4, rva + f->size);
        fg_put32(pd + 12 * (i - first) + 8, xdata + (uint32_t)xat);
        xat += (unwind_info(f, xd + xat) + 3) & ~(size_t)3;
        if (f->export_name[0] == '\0')
            continue;
        size_t len = strlen(f->export_name) + 1;
        if (str_at + len > sizeof(ex))
            return fgw_fail(w, f->line, "module %s: too many exports", m->name);
        /* Name-sorted order is not needed by the reader; one ordinal per named function. */
        fg_put32(ex + names_at + 4 * k, rva);
        fg_put32(ex + names_at + 4 * nexp + 4 * k, exps + (uint32_t)str_at);
        fg_put16(ex + names_at + 8 * nexp + 2 * k, (uint16_t)k);
        memcpy(ex + str_at, f->export_name, len);
        str_at += len;
        k++;
    }
    fg_put32(ex + 0x14, (uint32_t)nexp);
    fg_put32(ex + 0x18, (uint32_t)nexp);
    fg_put32(ex + 0x1C, funcs_rva);
    fg_put32(ex + 0x20, names_rva);
    fg_put32(ex + 0x24, ords_rva);
    uint64_t pages[META_PAGES] = {m->base + pdata, m->base + xdata, m->base + exps};
    const uint8_t *bytes[META_PAGES] = {pd, xd, ex};
    for (unsigned i = 0; i < META_PAGES; i++)
        if (map_page(w, m->line, pages[i]) != 0 || fgw_write(w, pages[i], bytes[i], FGW_PAGE) != FG_OK)
            return fgw_fail_dump(w, m->line, "writing a module's unwind data");
    return write_header(w, mi, pdata, (uint32_t)(end - first), nexp ? exps : 0, nexp ? (uint32_t)str_at : 0);
}

static int write_images(fg_world *w)
{
    for (size_t i = 0; i < w->nfuncs; i++) {
        fgw_func *f = &w->funcs[i];
        const fgw_module *m = NULL;
        if (fgw_resolve(w, f->line, f->at, &f->va) != 0)
            return -1;
        for (size_t k = 0; k < w->nmods && m == NULL; k++)
            if (f->va >= w->mods[k].base && f->va - w->mods[k].base < w->mods[k].size) {
                m = &w->mods[k];
                f->mod = k;
            }
        if (m == NULL || f->va + f->size > m->base + m->size)
            return fgw_fail(w, f->line, "function: %s is not inside one module", f->at);
    }
    qsort(w->funcs, w->nfuncs, sizeof(*w->funcs), func_cmp);
    for (size_t i = 0; i < w->nfuncs;) {
        size_t end = i;
        while (end < w->nfuncs && w->funcs[end].mod == w->funcs[i].mod)
            end++;
        if (write_image(w, w->funcs[i].mod, i, end) != 0)
            return -1;
        i = end;
    }
    return 0;
}

/* ---- stacks ---- */

static const fgw_func *func_at(const fg_world *w, uint64_t va)
{
    for (size_t i = 0; i < w->nfuncs; i++)
        if (va >= w->funcs[i].va && va < w->funcs[i].va + w->funcs[i].size)
            return &w->funcs[i];
    return NULL;
}

static int put_slot(fg_world *w, const fgw_frames *c, const fgw_thread *t, int crashing, uint64_t va, uint64_t v)
{
    if (fgw_stack_slot_check(w, c->line, "call_stack", t, crashing, va) != 0)
        return -1;
    if (fgw_write_u64(w, va, v) != FG_OK)
        return fgw_fail_dump(w, c->line, "writing a stack slot");
    return 0;
}

/* A CALL rel32 ending at ret, so scanners accept ret as a return address. */
static int write_call(fg_world *w, unsigned line, uint64_t ret)
{
    static const uint8_t call[CALL_LEN] = {0xE8, 0, 0, 0, 0};
    if (map_page(w, line, ret - CALL_LEN) != 0 || map_page(w, line, ret - 1) != 0)
        return -1;
    if (fgw_write(w, ret - CALL_LEN, call, sizeof(call)) != FG_OK)
        return fgw_fail_dump(w, line, "writing a call instruction");
    return 0;
}

static int write_stack(fg_world *w, const fgw_frames *c)
{
    long ti = fgw_find_thread(w, c->thread);
    if (ti < 0)
        return fgw_fail(w, c->line, "call_stack: no thread is called '%s'", c->thread);
    const fgw_thread *t = &w->threads[ti];
    int crashing = (size_t)ti == fgw_current_thread(w, fgw_crash_cpu(w));
    if (!crashing && t->running_on >= 0)
        return fgw_fail(w, c->line, "call_stack: thread %s is running; only the crashing one can be", t->id);
    uint64_t rip, rsp;
    size_t k = 0;
    const fg_config *cfg = fg_config_of(w->d);
    if (crashing) {
        rip = cfg->context.rip;
        rsp = cfg->context.rsp;
    } else {
        uint64_t ks = t->stack_top - FGW_KERNEL_STACK_DEPTH;
        if (fgw_resolve(w, c->line, c->addr[0], &rip) != 0 || put_slot(w, c, t, 0, ks + SWITCH_RBP, 5) != 0 ||
            put_slot(w, c, t, 0, ks + SWITCH_RETURN, rip) != 0 || write_call(w, c->line, rip) != 0)
            return -1;
        rsp = ks + SWITCH_SIZE;
        k = 1;
    }
    for (;; k++) {
        uint64_t ret = 0;
        if (k < c->n && (fgw_resolve(w, c->line, c->addr[k], &ret) != 0 || write_call(w, c->line, ret) != 0))
            return -1;
        const fgw_func *f = func_at(w, rip);
        uint64_t at = rsp;
        /* Past the prolog: the allocations are lowest, the pushes above them in reverse order. */
        for (unsigned i = f ? f->nops : 0; i-- > 0;) {
            if (f->ops[i].push) {
                if (put_slot(w, c, t, crashing, at, f->ops[i].reg) != 0)
                    return -1;
                at += 8;
            } else {
                at += f->ops[i].alloc;
            }
        }
        if (put_slot(w, c, t, crashing, at, ret) != 0)
            return -1;
        if (k >= c->n)
            return 0;
        rip = ret;
        rsp = at + 8;
    }
}

/* Point the leaf PTE of va at a fresh physical page that is not in the dump. */
static int drop_page(fg_world *w, unsigned line, uint64_t va)
{
    uint64_t table = fg_dtb(w->d) & PTE_PFN_MASK, entry_pa = 0, e = 0;
    for (int level = 3; level >= 0; level--) {
        entry_pa = table + 8 * ((va >> (12 + 9 * level)) & 0x1FF);
        uint8_t b[8];
        if (fg_read_phys(w->d, entry_pa, b, 8) != FG_OK)
            return fgw_fail_dump(w, line, "reading a page table");
        e = fg_get64(b);
        if (!(e & 1) || (level > 0 && (e & PTE_LARGE)))
            return fgw_fail(w, line, "damage: 0x%llx is not mapped by a 4 KiB page", (unsigned long long)va);
        table = e & PTE_PFN_MASK;
    }
    uint64_t pa = fg_alloc_phys(w->d, 0);
    if (pa == 0)
        return fgw_fail_dump(w, line, "allocating an uncaptured page");
    uint8_t b[8];
    fg_put64(b, (e & ~PTE_PFN_MASK) | (pa & PTE_PFN_MASK));
    if (fg_write_phys(w->d, entry_pa, b, 8) != FG_OK)
        return fgw_fail_dump(w, line, "writing a page table");
    return 0;
}

static int apply_damage(fg_world *w)
{
    for (size_t i = 0; i < w->ndmg; i++) {
        const fgw_damage *g = &w->dmg[i];
        if (g->kind == FGW_DMG_PDATA_MISSING) {
            long mi = fgw_find_module(w, g->target);
            if (mi < 0)
                return fgw_fail(w, g->line, "damage: no module is called '%s'", g->target);
            const fgw_module *m = &w->mods[mi];
            uint64_t pdata = m->base + (m->size & ~(FGW_PAGE - 1)) - META_PAGES * FGW_PAGE;
            fg_xlate x;
            if (fg_lookup(w->d, pdata, &x) != FG_OK)
                return fgw_fail(w, g->line, "damage: module %s has no functions", g->target);
            if (drop_page(w, g->line, pdata) != 0)
                return -1;
        } else if (g->kind == FGW_DMG_STACK_PAGE_MISSING) {
            long ti = fgw_find_thread(w, g->target);
            if (ti < 0)
                return fgw_fail(w, g->line, "damage: no thread is called '%s'", g->target);
            if (w->threads[ti].waiter)
                return fgw_fail(w, g->line, "damage: thread %s waits on an entry in that page", g->target);
            if (drop_page(w, g->line, w->threads[ti].stack_top - FGW_PAGE) != 0)
                return -1;
        }
    }
    return 0;
}

int fgw_unwind_write(fg_world *w)
{
    if (w->nfuncs && write_images(w) != 0)
        return -1;
    for (size_t i = 0; i < w->ncalls; i++)
        if (write_stack(w, &w->calls[i]) != 0)
            return -1;
    return apply_damage(w);
}
