/* SPDX-License-Identifier: MIT */
/* Every supported dump type read back byte-exactly through physical and virtual
 * addresses: 4 KiB, 2 MiB, 1 GiB and transition pages, page-crossing reads, and each
 * reason a read can fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support_dumps.h"

typedef struct world {
    fg_dump *fg;
    di_dump *dd;
} world;

static const uint32_t types[] = {1, 5, 6, 8, 9, 10};

static void open_world(world *w, uint32_t type)
{
    w->fg = t_world(type);
    w->dd = t_open(t_emit(w->fg, "mem"));
}

static void close_world(world *w)
{
    di_close(w->dd);
    fg_free(w->fg);
}

/* The reader and the generator agree on len bytes at va, virtually and physically. */
static void expect_same(world *w, uint64_t va, size_t len)
{
    uint8_t *want = malloc(len), *got = malloc(len);
    assert_non_null(want);
    assert_non_null(got);
    assert_int_equal(fg_read(w->fg, va, want, len), FG_OK);
    di_error err = {0};
    di_status st = di_read_virtual(w->dd, DI_CR3_KERNEL, va, got, len, &err);
    if (st != DI_OK)
        fail_msg("read va 0x%llx: %s", (unsigned long long)va, err.message);
    assert_memory_equal(want, got, len);
    uint64_t pa;
    assert_int_equal(fg_translate(w->fg, va, &pa), FG_OK);
    size_t in_page = 0x1000 - (size_t)(va & 0xFFF);
    size_t n = len < in_page ? len : in_page;
    memset(got, 0, n);
    assert_int_equal(di_read_physical(w->dd, pa, got, n, &err), DI_OK);
    assert_memory_equal(want, got, n);
    free(want);
    free(got);
}

static void expect_fail(world *w, uint64_t va, di_status st)
{
    uint8_t b[16];
    di_error err = {0};
    di_status got = di_read_virtual(w->dd, DI_CR3_KERNEL, va, b, sizeof b, &err);
    if (got != st)
        fail_msg("va 0x%llx: expected %s, got %s (%s)", (unsigned long long)va, di_status_name(st),
                 di_status_name(got), err.message);
    assert_non_null(strstr(err.message, "0x"));
}

static void test_every_type_reads_back(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        world w;
        open_world(&w, types[i]);
        expect_same(&w, T_VA_4K, 4 * 0x1000);          /* all four 4 KiB pages at once */
        expect_same(&w, T_VA_4K + 0x1000 - 8, 40);     /* the marker that crosses a page */
        expect_same(&w, T_VA_2M, 0x1000);
        expect_same(&w, T_VA_2M + 0x1FF000, 0x1000);  /* last page of the large page */
        expect_same(&w, T_VA_2M + 0x123456, 64);
        expect_same(&w, T_VA_1G + 0x12345670, 32);     /* the huge page with a written value */
        expect_same(&w, T_VA_TRANS, 2 * 0x1000);
        expect_same(&w, T_VA_USER + 0x10, 0x20);
        close_world(&w);
    }
}

static void test_marker_text(void **state)
{
    (void)state;
    world w;
    open_world(&w, 6);
    char got[32];
    di_error err = {0};
    assert_int_equal(di_read_virtual(w.dd, DI_CR3_KERNEL, T_VA_4K + 0x1000 - 8, got, sizeof got, &err), DI_OK);
    assert_string_equal(got, "dumpinspect crosses a page here");
    uint64_t v;
    assert_int_equal(di_read_virtual(w.dd, DI_CR3_KERNEL, T_VA_1G + 0x12345678, &v, 8, &err), DI_OK);
    uint8_t b[8];
    memcpy(b, &v, 8);
    assert_int_equal(b[0], 0x88);
    assert_int_equal(b[7], 0x11);
    close_world(&w);
}

static void test_failure_reasons(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        world w;
        open_world(&w, types[i]);
        expect_fail(&w, T_VA_PROTO, DI_E_PROTOTYPE);
        expect_fail(&w, T_VA_NOTP, DI_E_NOT_MAPPED);
        expect_fail(&w, T_VA_ABSENT, DI_E_NOT_IN_DUMP);
        expect_fail(&w, 0xfffff90000000000ull, DI_E_NOT_MAPPED);  /* nothing mapped there */
        expect_fail(&w, 0x0000900000000000ull, DI_E_NONCANONICAL);
        expect_fail(&w, 0x8000000000000000ull, DI_E_NONCANONICAL);
        /* A read that starts readable and runs into an unmapped page fails as a whole. */
        expect_fail(&w, T_VA_4K + 4 * 0x1000 - 8, DI_E_NOT_MAPPED);
        close_world(&w);
    }
}

static void test_translation_details(void **state)
{
    (void)state;
    world w;
    open_world(&w, 5);
    di_translation t;
    di_error err = {0};
    uint64_t pa;

    assert_int_equal(di_translate(w.dd, DI_CR3_KERNEL, T_VA_4K + 0x10, &t, &err), DI_OK);
    assert_int_equal(fg_translate(w.fg, T_VA_4K + 0x10, &pa), FG_OK);
    assert_int_equal(t.pa, pa);
    assert_int_equal(t.page_size, 0x1000);
    assert_int_equal(t.nsteps, 4);
    assert_false(t.transition);
    assert_true(t.in_dump);
    assert_int_equal(t.steps[0].entry_pa, fg_dtb(w.fg) + 8 * ((T_VA_4K >> 39) & 0x1FF));

    assert_int_equal(di_translate(w.dd, DI_CR3_KERNEL, T_VA_2M + 0x1234, &t, &err), DI_OK);
    assert_int_equal(t.page_size, 0x200000);
    assert_int_equal(t.nsteps, 3);
    assert_int_equal(fg_translate(w.fg, T_VA_2M + 0x1234, &pa), FG_OK);
    assert_int_equal(t.pa, pa);

    assert_int_equal(di_translate(w.dd, DI_CR3_KERNEL, T_VA_1G + 0x1234, &t, &err), DI_OK);
    assert_int_equal(t.page_size, 0x40000000);
    assert_int_equal(t.nsteps, 2);

    assert_int_equal(di_translate(w.dd, DI_CR3_KERNEL, T_VA_TRANS + 0x1008, &t, &err), DI_OK);
    assert_true(t.transition);
    assert_int_equal(fg_translate(w.fg, T_VA_TRANS + 0x1008, &pa), FG_OK);
    assert_int_equal(t.pa, pa);

    /* A page the tables map but the dump lacks: the walk still names the address. */
    assert_int_equal(di_translate(w.dd, DI_CR3_KERNEL, T_VA_ABSENT, &t, &err), DI_E_NOT_IN_DUMP);
    assert_int_equal(fg_translate(w.fg, T_VA_ABSENT, &pa), FG_OK);
    assert_int_equal(t.pa, pa);
    assert_false(t.in_dump);

    /* An explicit CR3 (the same tables, with PCID bits) gives the same answer. */
    assert_int_equal(di_translate(w.dd, fg_dtb(w.fg) | 0x5, T_VA_4K, &t, &err), DI_OK);
    assert_int_equal(fg_translate(w.fg, T_VA_4K, &pa), FG_OK);
    assert_int_equal(t.pa, pa);
    close_world(&w);
}

/* The Windows self-map: PML4 entry 0x1ED points at the PML4 itself, so the VA made of
 * four 0x1ED indices maps the PML4 page. The walk must follow it without looping. */
static void test_self_map(void **state)
{
    (void)state;
    world w;
    open_world(&w, 6);
    uint64_t idx = 0x1ED;
    uint64_t va = 0xFFFF000000000000ull | idx << 39 | idx << 30 | idx << 21 | idx << 12;
    uint8_t got[0x1000], want[0x1000];
    di_error err = {0};
    assert_int_equal(di_read_virtual(w.dd, DI_CR3_KERNEL, va, got, sizeof got, &err), DI_OK);
    assert_int_equal(di_read_physical(w.dd, fg_dtb(w.fg), want, sizeof want, &err), DI_OK);
    assert_memory_equal(got, want, sizeof got);
    close_world(&w);
}

static void test_physical_failures(void **state)
{
    (void)state;
    world w;
    open_world(&w, 1);
    uint8_t b[8];
    di_error err = {0};
    uint64_t pa;
    assert_int_equal(fg_translate(w.fg, T_VA_ABSENT, &pa), FG_OK);
    assert_int_equal(di_read_physical(w.dd, pa, b, 8, &err), DI_E_NOT_IN_DUMP);
    assert_int_equal(di_read_physical(w.dd, 0, b, 8, &err), DI_E_NOT_IN_DUMP);
    assert_int_equal(di_read_physical(w.dd, 0xFFFFFFFFFFFFF000ull, b, 8, &err), DI_E_BAD_PTE);
    close_world(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_reads_back), cmocka_unit_test(test_marker_text),
        cmocka_unit_test(test_failure_reasons),      cmocka_unit_test(test_translation_details),
        cmocka_unit_test(test_self_map),             cmocka_unit_test(test_physical_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
