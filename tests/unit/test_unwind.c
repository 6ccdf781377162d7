/* SPDX-License-Identifier: MIT */
/* The x64 unwinder on hand-built memory: a small PE image with .pdata, .xdata and an export
 * directory, and a stack laid out the way each function's prolog leaves it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unwind/uw_unwind.h"

#define IMG 0xfffff80000100000ull
#define IMG_SIZE 0x10000u
#define STK 0xffff800000010000ull /* stack pages: [STK, STK + 4 pages) */
#define STK_PAGES 4u
#define PDATA 0x2000u
#define XDATA 0x3000u
#define EXPORTS 0x4000u
#define MAX_PAGES 32

typedef struct mem {
    uint64_t va[MAX_PAGES];
    uint8_t *page[MAX_PAGES];
    size_t n;
    uint32_t nfunc;          /* RUNTIME_FUNCTIONs written */
    uint32_t xnext;          /* next free UNWIND_INFO offset */
    nt_model m;
    nt_module mod;
    uw_unwinder u;
    uw_stack *st;
} mem;

static uint8_t *page_of(mem *x, uint64_t va, int create)
{
    uint64_t pg = va & ~0xFFFull;
    for (size_t i = 0; i < x->n; i++)
        if (x->va[i] == pg)
            return x->page[i];
    if (!create || x->n == MAX_PAGES)
        return NULL;
    x->va[x->n] = pg;
    x->page[x->n] = calloc(1, 0x1000);
    return x->page[x->n++];
}

static void drop_page(mem *x, uint64_t va)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->va[i] == (va & ~0xFFFull)) {
            free(x->page[i]);
            x->va[i] = x->va[x->n - 1];
            x->page[i] = x->page[--x->n];
            return;
        }
}

static di_status mem_read(void *ctx, uint64_t va, void *buf, size_t len)
{
    mem *x = ctx;
    uint8_t *out = buf;
    while (len) {
        uint8_t *p = page_of(x, va, 0);
        if (!p)
            return DI_E_NOT_IN_DUMP;
        size_t off = va & 0xFFF, n = 0x1000 - off < len ? 0x1000 - off : len;
        memcpy(out, p + off, n);
        out += n;
        va += n;
        len -= n;
    }
    return DI_OK;
}

static void put(mem *x, uint64_t va, const void *b, size_t len)
{
    const uint8_t *s = b;
    for (size_t i = 0; i < len; i++)
        page_of(x, va + i, 1)[(va + i) & 0xFFF] = s[i];
}

static void put32(mem *x, uint64_t va, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(x, va, b, 4);
}

static void put64(mem *x, uint64_t va, uint64_t v)
{
    put32(x, va, (uint32_t)v);
    put32(x, va + 4, (uint32_t)(v >> 32));
}

static void put16(mem *x, uint64_t va, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(x, va, b, 2);
}

/* UNWIND_INFO with the given codes (pairs CodeOffset, op | info << 4, or raw slot values). */
static uint32_t xinfo(mem *x, unsigned version, unsigned flags, unsigned prolog, unsigned freg, unsigned foff,
                      const uint16_t *slots, unsigned nslots)
{
    uint32_t at = XDATA + x->xnext;
    uint8_t h[4] = {(uint8_t)(version | flags << 3), (uint8_t)prolog, (uint8_t)nslots, (uint8_t)(freg | foff << 4)};
    put(x, IMG + at, h, 4);
    for (unsigned i = 0; i < nslots; i++)
        put16(x, IMG + at + 4 + 2 * i, slots[i]);
    x->xnext += 4 + 2 * ((nslots + 1) & ~1u) + 12 + 4;
    return at;
}

#define SLOT(off, op, info) ((uint16_t)((off) | ((op) | (info) << 4) << 8))

/* RUNTIME_FUNCTIONs must be added in address order. */
static void func(mem *x, uint32_t begin, uint32_t end, uint32_t unwind)
{
    uint64_t e = IMG + PDATA + 12ull * x->nfunc++;
    put32(x, e, begin);
    put32(x, e + 4, end);
    put32(x, e + 8, unwind);
    put32(x, IMG + 0x80 + 0x18 + 0x70 + 8 * 3 + 4, 12 * x->nfunc);
}

static void setup_image(mem *x)
{
    put32(x, IMG + 0x3C, 0x80);
    put(x, IMG + 0x80, "PE\0\0", 4);
    put16(x, IMG + 0x80 + 0x18, 0x20B);
    put32(x, IMG + 0x80 + 0x18 + 0x6C, 16);
    put32(x, IMG + 0x80 + 0x18 + 0x70 + 8 * 3, PDATA);
    /* Code pages: a CALL rel32 before every 16-byte boundary so scans accept them. */
    for (uint32_t a = 0x1000; a < 0x2000; a += 0x10)
        put(x, IMG + a - 5, "\xE8\0\0\0\0", 5);
    /* Exports: F1 (0x1000) named "ExFirst", 0x1400 unnamed-by-name "ExOther". */
    put32(x, IMG + 0x80 + 0x18 + 0x70, EXPORTS);
    put32(x, IMG + 0x80 + 0x18 + 0x74, 0x100);
    put32(x, IMG + EXPORTS + 0x14, 2);
    put32(x, IMG + EXPORTS + 0x18, 2);
    put32(x, IMG + EXPORTS + 0x1C, EXPORTS + 0x40);
    put32(x, IMG + EXPORTS + 0x20, EXPORTS + 0x50);
    put32(x, IMG + EXPORTS + 0x24, EXPORTS + 0x60);
    put32(x, IMG + EXPORTS + 0x40, 0x1000);
    put32(x, IMG + EXPORTS + 0x44, 0x1400);
    put32(x, IMG + EXPORTS + 0x50, EXPORTS + 0x80);
    put32(x, IMG + EXPORTS + 0x54, EXPORTS + 0x90);
    put16(x, IMG + EXPORTS + 0x60, 0);
    put16(x, IMG + EXPORTS + 0x62, 1);
    put(x, IMG + EXPORTS + 0x80, "ExFirst", 8);
    put(x, IMG + EXPORTS + 0x90, "ExOther", 8);
    for (unsigned i = 0; i < STK_PAGES; i++)
        page_of(x, STK + 0x1000ull * i, 1);
}

static int setup(void **state)
{
    mem *x = calloc(1, sizeof *x);
    x->st = calloc(1, sizeof *x->st);
    x->mod = (nt_module){.base = IMG, .size = IMG_SIZE, .name = "drv.sys"};
    x->m.modules = &x->mod;
    x->m.nmodules = 1;
    setup_image(x);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    mem *x = *state;
    uw_free(&x->u);
    for (size_t i = 0; i < x->n; i++)
        free(x->page[i]);
    free(x->st);
    free(x);
    return 0;
}

static uw_stack *walk(mem *x, uint64_t rip, uint64_t rsp, uint64_t rbp, int scan)
{
    uw_free(&x->u);
    assert_int_equal(uw_init(&x->u, &x->m, mem_read, x), 0);
    uw_regs r = {.rip = rip};
    r.gpr[UW_RSP] = rsp;
    r.gpr[UW_RBP] = rbp;
    r.known = 1u << UW_RSP | (rbp ? 1u << UW_RBP : 0);
    uw_walk(&x->u, &r, STK, STK + STK_PAGES * 0x1000ull, UW_TRUST_CONTEXT, scan, x->st);
    return x->st;
}

/* The outermost frame: a leaf region (no .pdata entry) whose return address is 0. */
#define LEAF 0x1F00u

/* push rbx; sub rsp, 0x20 (F1 at 0x1000, prolog 5 bytes). */
static void f_push_alloc(mem *x)
{
    uint16_t s[] = {SLOT(5, 2, 3), SLOT(1, 0, 3)};
    func(x, 0x1000, 0x1100, xinfo(x, 1, 0, 5, 0, 0, s, 2));
}

static void test_push_and_alloc_small(void **state)
{
    mem *x = *state;
    f_push_alloc(x);
    uint64_t sp = STK + 0x2000;
    put64(x, sp + 0x20, 0x1234);        /* saved rbx */
    put64(x, sp + 0x28, IMG + LEAF);    /* return into the leaf */
    put64(x, sp + 0x30, 0);             /* the leaf returns to 0 */
    uw_stack *s = walk(x, IMG + 0x1050, sp, 0, 0);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->frames[0].trust, UW_TRUST_CONTEXT);
    assert_int_equal(s->frames[0].function, IMG + 0x1000);
    assert_string_equal(s->frames[0].name, "ExFirst");
    assert_int_equal(s->frames[0].ret, IMG + LEAF);
    assert_int_equal(s->frames[1].sp, sp + 0x30);
    assert_int_equal(s->frames[1].ip, IMG + LEAF);
    assert_int_equal(s->frames[1].trust, UW_TRUST_CFI);
    assert_int_equal(s->frames[1].function, 0);
    assert_int_equal(s->end, UW_END_NULL_RETURN);
}

static void test_reached_stack_base(void **state)
{
    mem *x = *state;
    f_push_alloc(x);
    /* The frame's return address is the stack's last slot: the caller's rsp is the base. */
    uint64_t top = STK + STK_PAGES * 0x1000ull, sp = top - 0x30;
    put64(x, top - 8, IMG + LEAF);
    uw_stack *s = walk(x, IMG + 0x1050, sp, 0, 0);
    assert_int_equal(s->n, 1);
    assert_int_equal(s->end, UW_END_STACK_BASE);
    assert_int_equal(s->frames[0].ret, IMG + LEAF);
    assert_string_equal(uw_end_name(s->end), "reached_stack_base");
}

static void test_partial_prolog(void **state)
{
    mem *x = *state;
    f_push_alloc(x);
    uint64_t sp = STK + 0x2000;
    /* After push rbx, before sub rsp: only the push is undone. */
    put64(x, sp, 0x1234);
    put64(x, sp + 8, IMG + LEAF);
    put64(x, sp + 0x10, 0);
    uw_stack *s = walk(x, IMG + 0x1001, sp, 0, 0);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->frames[1].sp, sp + 0x10);
    /* At the first instruction nothing is undone. */
    put64(x, sp, IMG + LEAF);
    s = walk(x, IMG + 0x1000, sp, 0, 0);
    assert_int_equal(s->frames[1].sp, sp + 8);
    assert_int_equal(s->frames[1].ip, IMG + LEAF);
}

static void test_alloc_large(void **state)
{
    mem *x = *state;
    uint16_t s1[] = {SLOT(7, 1, 0), 0x30}; /* sub rsp, 0x180 */
    uint16_t s2[] = {SLOT(7, 1, 1), 0x0008, 0x0001}; /* sub rsp, 0x10008 */
    func(x, 0x1000, 0x1100, xinfo(x, 1, 0, 7, 0, 0, s1, 2));
    func(x, 0x1100, 0x1200, xinfo(x, 1, 0, 7, 0, 0, s2, 3));
    uint64_t sp = STK + 0x1000;
    put64(x, sp + 0x180, IMG + LEAF);
    put64(x, sp + 0x188, 0);
    uw_stack *s = walk(x, IMG + 0x1020, sp, 0, 0);
    assert_int_equal(s->frames[1].sp, sp + 0x188);
    assert_int_equal(s->end, UW_END_NULL_RETURN);
    /* 0x10008 bytes leave the 4-page stack: the read is refused. */
    s = walk(x, IMG + 0x1120, sp, 0, 0);
    assert_int_equal(s->end, UW_END_BAD_RSP);
    assert_int_equal(s->n, 1);
}

static void test_set_fpreg_and_save_nonvol(void **state)
{
    mem *x = *state;
    /* push rbp; sub rsp, 0x40; lea rbp, [rsp+0x20]; mov [rsp+0x38], rsi (rbp frame, offset 2) */
    uint16_t s[] = {SLOT(14, 4, 6), 7, SLOT(10, 3, 0), SLOT(5, 2, 7), SLOT(1, 0, 5)};
    func(x, 0x1000, 0x1100, xinfo(x, 1, 0, 14, 5, 2, s, 5));
    uint64_t sp = STK + 0x2000; /* rsp after the prolog */
    put64(x, sp + 0x38, 0x5151);       /* saved rsi (base + 7 * 8) */
    put64(x, sp + 0x40, 0xBBBB);       /* saved rbp */
    put64(x, sp + 0x48, IMG + LEAF);
    put64(x, sp + 0x50, 0);
    /* rsp moved down by an alloca: the frame register still finds the frame. */
    uw_stack *st = walk(x, IMG + 0x1080, sp - 0x100, sp + 0x20, 0);
    assert_int_equal(st->n, 2);
    assert_int_equal(st->frames[1].sp, sp + 0x50);
    assert_int_equal(st->end, UW_END_NULL_RETURN);
    /* Without rbp the frame cannot be found. */
    st = walk(x, IMG + 0x1080, sp, 0, 0);
    assert_int_equal(st->end, UW_END_REGISTER_UNKNOWN);
}

static void test_save_far_and_xmm(void **state)
{
    mem *x = *state;
    /* sub rsp, 0x28 then saves: SAVE_NONVOL_FAR rbx at 0x10, SAVE_XMM128 xmm6, SAVE_XMM128_FAR xmm7 */
    uint16_t s[] = {SLOT(20, 5, 3), 0x10, 0, SLOT(16, 8, 6), 1, SLOT(12, 9, 7), 0x20, 0, SLOT(4, 2, 4)};
    func(x, 0x1000, 0x1100, xinfo(x, 1, 0, 20, 0, 0, s, 9));
    uint64_t sp = STK + 0x2000;
    put64(x, sp + 0x10, 0x77);
    put64(x, sp + 0x28, IMG + LEAF);
    put64(x, sp + 0x30, 0);
    uw_stack *st = walk(x, IMG + 0x1040, sp, 0, 0);
    assert_int_equal(st->n, 2);
    assert_int_equal(st->frames[1].sp, sp + 0x30);
    /* Version 2 with an epilog code first (one slot), then the same. */
    x->nfunc = 0;
    uint16_t v2[] = {SLOT(3, 6, 1), SLOT(4, 2, 4)};
    func(x, 0x1000, 0x1100, xinfo(x, 2, 0, 4, 0, 0, v2, 2));
    st = walk(x, IMG + 0x1040, sp, 0, 0);
    assert_int_equal(st->frames[1].sp, sp + 0x30);
}

static void machframe(void **state, unsigned with_error)
{
    mem *x = *state;
    /* A trap handler: PUSH_MACHFRAME (info), then sub rsp, 0x10. */
    uint16_t s[] = {SLOT(4, 2, 1), SLOT(0, 10, with_error)};
    func(x, 0x1000, 0x1100, xinfo(x, 1, 0, 4, 0, 0, s, 2));
    uint64_t sp = STK + 0x1000, mf = sp + 0x10 + (with_error ? 8 : 0);
    uint64_t interrupted_sp = STK + 0x3000;
    put64(x, mf, IMG + 0x1400);          /* interrupted rip: the first instruction of 0x1400 */
    put64(x, mf + 0x18, interrupted_sp);
    put64(x, interrupted_sp, IMG + LEAF);
    put64(x, interrupted_sp + 8, 0);
    uw_stack *st = walk(x, IMG + 0x1040, sp, 0, 0);
    assert_int_equal(st->n, 3);
    assert_int_equal(st->frames[1].ip, IMG + 0x1400);
    assert_int_equal(st->frames[1].sp, interrupted_sp);
    /* The interrupted rip is looked up as is: a leaf at 0x1400 (no entry) pops its return. */
    assert_int_equal(st->frames[2].ip, IMG + LEAF);
    assert_int_equal(st->end, UW_END_NULL_RETURN);
}

static void test_machframe(void **state) { machframe(state, 0); }
static void test_machframe_error_code(void **state) { machframe(state, 1); }

static void test_chained(void **state)
{
    mem *x = *state;
    /* Primary 0x1000-0x1080: push rbx. Chained part 0x1080-0x1100: sub rsp, 0x20, then the primary. */
    uint16_t p[] = {SLOT(1, 0, 3)};
    uint32_t primary = xinfo(x, 1, 0, 1, 0, 0, p, 1);
    uint16_t c[] = {SLOT(4, 2, 3)};
    uint32_t chained = xinfo(x, 1, 4, 4, 0, 0, c, 1);
    put32(x, IMG + chained + 4 + 4, 0x1000); /* 1 slot padded to 2, then the RUNTIME_FUNCTION */
    put32(x, IMG + chained + 4 + 8, 0x1080);
    put32(x, IMG + chained + 4 + 12, primary);
    func(x, 0x1000, 0x1080, primary);
    func(x, 0x1080, 0x1100, chained);
    uint64_t sp = STK + 0x2000;
    put64(x, sp + 0x20, 0x99);
    put64(x, sp + 0x28, IMG + LEAF);
    put64(x, sp + 0x30, 0);
    uw_stack *st = walk(x, IMG + 0x10C0, sp, 0, 0);
    assert_int_equal(st->n, 2);
    assert_int_equal(st->frames[1].sp, sp + 0x30);
    /* A chain that names itself ends at the limit. */
    x->nfunc = 0;
    uint32_t self = xinfo(x, 1, 4, 0, 0, 0, NULL, 0);
    put32(x, IMG + self + 4, 0x1000);
    put32(x, IMG + self + 8, 0x1100);
    put32(x, IMG + self + 12, self);
    func(x, 0x1000, 0x1100, self);
    st = walk(x, IMG + 0x1040, sp, 0, 0);
    assert_int_equal(st->end, UW_END_CHAIN_LIMIT);
}

static void test_return_address_minus_one(void **state)
{
    mem *x = *state;
    /* 0x1000-0x1100 ends with a call: its return address is 0x1100, the start of the next
     * function; the lookup of ret - 1 must say 0x1000. */
    uint16_t s[] = {SLOT(4, 2, 1)};
    func(x, 0x1000, 0x1100, xinfo(x, 1, 0, 4, 0, 0, s, 1));
    uint16_t s2[] = {SLOT(4, 2, 3)};
    func(x, 0x1100, 0x1200, xinfo(x, 1, 0, 4, 0, 0, s2, 1));
    uint64_t sp = STK + 0x2000;
    put64(x, sp, IMG + 0x1100);          /* frame 0 is a leaf at LEAF */
    put64(x, sp + 8 + 0x10, IMG + LEAF);
    put64(x, sp + 8 + 0x18, 0);
    uw_stack *st = walk(x, IMG + LEAF, sp, 0, 0);
    assert_int_equal(st->n, 3);
    assert_int_equal(st->frames[1].ip, IMG + 0x1100);
    assert_int_equal(st->frames[1].function, IMG + 0x1000);
    assert_string_equal(st->frames[1].name, "ExFirst");
    assert_int_equal(st->frames[2].sp, sp + 8 + 0x18);
}

static void test_export_name_only_at_start(void **state)
{
    mem *x = *state;
    /* 0x1300 is not exported; the nearest export (0x1000) must not lend its name. */
    func(x, 0x1300, 0x1380, xinfo(x, 1, 0, 0, 0, 0, NULL, 0));
    func(x, 0x1400, 0x1480, xinfo(x, 1, 0, 0, 0, 0, NULL, 0));
    uint64_t sp = STK + 0x2000;
    put64(x, sp, IMG + 0x1410);
    put64(x, sp + 8, IMG + LEAF);
    put64(x, sp + 0x10, 0);
    uw_stack *st = walk(x, IMG + 0x1310, sp, 0, 0);
    assert_int_equal(st->n, 3);
    assert_int_equal(st->frames[0].function, IMG + 0x1300);
    assert_string_equal(st->frames[0].name, "");
    assert_string_equal(st->frames[1].name, "ExOther");
}

static void test_non_advancing(void **state)
{
    mem *x = *state;
    /* The frame register says the frame lies below the current rsp. */
    uint16_t s[] = {SLOT(4, 3, 0), SLOT(1, 0, 5)};
    func(x, 0x1000, 0x1100, xinfo(x, 1, 0, 4, 5, 0, s, 2));
    uint64_t sp = STK + 0x2000;
    uw_stack *st = walk(x, IMG + 0x1040, sp, sp - 0x800, 0);
    assert_int_equal(st->end, UW_END_NON_ADVANCING);
    assert_int_equal(st->n, 1);
}

static void test_frame_limit(void **state)
{
    mem *x = *state;
    /* A stack full of return addresses into a leaf region: every frame pops 8 bytes. */
    f_push_alloc(x);
    for (uint64_t a = STK; a < STK + STK_PAGES * 0x1000ull; a += 8)
        put64(x, a, IMG + LEAF);
    uw_stack *st = walk(x, IMG + LEAF, STK, 0, 0);
    assert_int_equal(st->end, UW_END_FRAME_LIMIT);
    assert_int_equal(st->n, UW_MAX_FRAMES);
}

static void test_stack_page_missing_and_bad_rsp(void **state)
{
    mem *x = *state;
    f_push_alloc(x);
    drop_page(x, STK + 0x2000);
    uw_stack *st = walk(x, IMG + 0x1050, STK + 0x2000, 0, 0);
    assert_int_equal(st->end, UW_END_STACK_PAGE_MISSING);
    st = walk(x, IMG + 0x1050, STK - 0x100, 0, 0);
    assert_int_equal(st->end, UW_END_BAD_RSP);
    assert_int_equal(st->n, 0);
    st = walk(x, 0, STK + 0x100, 0, 0);
    assert_int_equal(st->end, UW_END_NO_CONTEXT);
}

static void test_bad_version_and_ops(void **state)
{
    mem *x = *state;
    uint16_t s[] = {SLOT(1, 0, 3)};
    func(x, 0x1000, 0x1080, xinfo(x, 3, 0, 1, 0, 0, s, 1));
    uint16_t bad[] = {SLOT(1, 11, 0)};
    func(x, 0x1080, 0x1100, xinfo(x, 1, 0, 1, 0, 0, bad, 1));
    uw_stack *st = walk(x, IMG + 0x1040, STK + 0x2000, 0, 0);
    assert_int_equal(st->end, UW_END_BAD_UNWIND_INFO);
    st = walk(x, IMG + 0x1090, STK + 0x2000, 0, 0);
    assert_int_equal(st->end, UW_END_BAD_UNWIND_INFO);
    /* ALLOC_LARGE whose size slots pass CountOfCodes. */
    x->nfunc = 0;
    uint16_t cut[] = {SLOT(7, 1, 1), 0};
    func(x, 0x1000, 0x1100, xinfo(x, 1, 0, 7, 0, 0, cut, 2));
    st = walk(x, IMG + 0x1040, STK + 0x2000, 0, 0);
    assert_int_equal(st->end, UW_END_BAD_UNWIND_INFO);
}

static void test_pdata_missing_falls_back_to_scan(void **state)
{
    mem *x = *state;
    f_push_alloc(x);
    drop_page(x, IMG + PDATA);
    uint64_t sp = STK + 0x2000;
    put64(x, sp + 0x18, IMG + 0x1200);   /* follows a CALL (setup_image) */
    put64(x, sp + 0x28, IMG + 0x1203);   /* inside the module but not after a CALL */
    put64(x, sp + 0x40, IMG + 0x1300);
    uw_stack *st = walk(x, IMG + 0x1050, sp, 0, 1);
    assert_int_equal(st->end, UW_END_PDATA_MISSING);
    assert_int_equal(st->nunwound, 1);
    assert_int_equal(st->n, 3);
    assert_int_equal(st->frames[1].trust, UW_TRUST_SCAN);
    assert_int_equal(st->frames[1].ip, IMG + 0x1200);
    assert_int_equal(st->frames[1].sp, sp + 0x20);
    assert_int_equal(st->frames[1].ret, IMG + 0x1300);
    assert_int_equal(st->frames[2].ip, IMG + 0x1300);
    /* Without scanning the walk stops at the frame. */
    st = walk(x, IMG + 0x1050, sp, 0, 0);
    assert_int_equal(st->n, 1);
}

static void test_unwind_info_missing(void **state)
{
    mem *x = *state;
    f_push_alloc(x);
    drop_page(x, IMG + XDATA);
    uw_stack *st = walk(x, IMG + 0x1050, STK + 0x2000, 0, 0);
    assert_int_equal(st->end, UW_END_UNWIND_INFO_MISSING);
    assert_int_equal(st->frames[0].function, IMG + 0x1000);
}

static void test_follows_call(void **state)
{
    mem *x = *state;
    static const struct { const char *bytes; size_t n; int call; } cases[] = {
        {"\xE8\x01\x02\x03\x04", 5, 1},       /* call rel32 */
        {"\xFF\xD0", 2, 1},                   /* call rax */
        {"\x41\xFF\xD3", 3, 1},               /* call r11 */
        {"\xFF\x15\x00\x10\x00\x00", 6, 1},   /* call [rip+disp32] */
        {"\xFF\x50\x08", 3, 1},               /* call [rax+8] */
        {"\xFF\x14\x24", 3, 1},               /* call [rsp] */
        {"\x48\x89\xC3", 3, 0},               /* mov rbx, rax */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t fill[8] = {0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90};
        put(x, IMG + 0x5000 - 8, fill, 8);
        put(x, IMG + 0x5000 - cases[i].n, cases[i].bytes, cases[i].n);
        uw_free(&x->u);
        assert_int_equal(uw_init(&x->u, &x->m, mem_read, x), 0);
        assert_int_equal(uw_follows_call(&x->u, IMG + 0x5000), cases[i].call);
    }
    assert_int_equal(uw_follows_call(&x->u, IMG + 0x9000), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_push_and_alloc_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reached_stack_base, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial_prolog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_fpreg_and_save_nonvol, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_far_and_xmm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_machframe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_machframe_error_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chained, setup, teardown),
        cmocka_unit_test_setup_teardown(test_return_address_minus_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_name_only_at_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_advancing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stack_page_missing_and_bad_rsp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_version_and_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdata_missing_falls_back_to_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwind_info_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_follows_call, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
