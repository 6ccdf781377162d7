/* Every kind of bad input gets a clear message naming the file and the fault, the right
 * status, and no crash, hang or unbounded allocation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dump/dmp_layout.h"
#include "support_dumps.h"

static uint32_t read_u32_at(const char *path, uint64_t off)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t b[4];
    assert_int_equal(fseek(f, (long)off, SEEK_SET), 0);
    assert_int_equal(fread(b, 1, 4, f), 4);
    fclose(f);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static const char *good(uint32_t type)
{
    fg_dump *d = t_world(type);
    const char *p = t_emit(d, "bad");
    fg_free(d);
    return p;
}

static void test_empty_and_tiny(void **state)
{
    (void)state;
    const char *p = t_path("empty");
    t_write_file(p, "", 0);
    t_expect_open_fails(p, DI_E_FORMAT, "empty");
    p = t_path("tiny");
    t_write_file(p, "PAGE", 4);
    t_expect_open_fails(p, DI_E_FORMAT, "truncated header");
    p = good(6);
    t_truncate(p, 0x100);
    t_expect_open_fails(p, DI_E_FORMAT, "truncated header");
    p = good(6);
    t_truncate(p, 0x1FFF);
    t_expect_open_fails(p, DI_E_FORMAT, "truncated header");
}

static void test_missing_file(void **state)
{
    (void)state;
    di_dump *dd = NULL;
    di_error err = {0};
    assert_int_equal(di_open("scratch/does-not-exist.dmp", &dd, &err), DI_E_IO);
    assert_non_null(strstr(err.message, "does-not-exist.dmp"));
}

static void test_signatures(void **state)
{
    (void)state;
    const char *p = good(6);
    t_patch(p, 0, "XXXXXXXX", 8);
    t_expect_open_fails(p, DI_E_FORMAT, "not a Windows kernel crash dump");
    p = good(6);
    t_patch(p, 4, "DUMP", 4);
    t_expect_open_fails(p, DI_E_UNSUPPORTED, "32-bit");
    p = t_path("mdmp");
    t_write_file(p, "MDMP\x93\xa7\0\0", 8);
    t_expect_open_fails(p, DI_E_UNSUPPORTED, "minidump");
    p = t_path("cab");
    t_write_file(p, "MSCF\0\0\0\0", 8);
    t_expect_open_fails(p, DI_E_UNSUPPORTED, "CAB");
}

static void test_dump_types_refused(void **state)
{
    (void)state;
    const char *p = good(6);
    t_patch_u32(p, DMP_HDR_DUMP_TYPE, 2);
    t_expect_open_fails(p, DI_E_UNSUPPORTED, "summary");
    t_patch_u32(p, DMP_HDR_DUMP_TYPE, 0x77);
    t_expect_open_fails(p, DI_E_UNSUPPORTED, "unknown DumpType 119");
    t_patch_u32(p, DMP_HDR_DUMP_TYPE, 6);
    t_patch_u32(p, DMP_HDR_MACHINE_IMAGE_TYPE, 0xAA64);
    t_expect_open_fails(p, DI_E_UNSUPPORTED, "ARM64 kernel memory dump (bitmap) dumps are not supported");
    t_patch_u32(p, DMP_HDR_MACHINE_IMAGE_TYPE, 0x14C);
    t_expect_open_fails(p, DI_E_UNSUPPORTED, "machine type 0x014c");
    t_patch_u32(p, DMP_HDR_MACHINE_IMAGE_TYPE, 0x8664);
    t_patch_u32(p, DMP_HDR_ATTRIBUTES, DMP_ATTR_ENCRYPTED_DATA);
    t_expect_open_fails(p, DI_E_UNSUPPORTED, "encrypted");
}

static void test_run_list_faults(void **state)
{
    (void)state;
    const char *p = good(1);
    t_patch_u32(p, DMP_HDR_PHYS_NUMBER_OF_RUNS, 1000);
    t_expect_open_fails(p, DI_E_FORMAT, "NumberOfRuns 1000 is absurd");
    t_patch_u32(p, DMP_HDR_PHYS_NUMBER_OF_RUNS, 0x45474150);
    t_expect_open_fails(p, DI_E_FORMAT, "never written");
    t_patch_u32(p, DMP_HDR_PHYS_NUMBER_OF_RUNS, 0);
    t_expect_open_fails(p, DI_E_FORMAT, "empty");

    p = good(1);
    uint32_t nruns = read_u32_at(p, DMP_HDR_PHYS_NUMBER_OF_RUNS);
    assert_true(nruns >= 2); /* the generator leaves holes between allocations */
    uint64_t base0 = read_u32_at(p, DMP_HDR_PHYS_RUNS);
    t_patch_u64(p, DMP_HDR_PHYS_RUNS + DMP_HDR_PHYS_RUN_SIZE, base0);
    t_expect_open_fails(p, DI_E_FORMAT, "overlap");

    p = good(1);
    t_patch_u64(p, DMP_HDR_PHYS_RUNS + 8, 0x20000000000ull);
    t_expect_open_fails(p, DI_E_FORMAT, "more than x64 can address");
}

/* Claiming more pages than the file holds is damage, not a reason to refuse the dump:
 * what is there is still read, what is not fails with out_of_file. */
static void expect_truncation_damage(uint32_t type)
{
    const char *p = good(type);
    uint64_t size = t_file_size(p);
    t_truncate(p, size - 3 * 0x1000 - 5);
    di_dump *dd = t_open(p);
    assert_true(di_is_damaged(dd));
    int saw = 0;
    for (size_t i = 0; i < di_warning_count(dd); i++)
        saw |= strstr(di_warning(dd, i), "truncated") != NULL;
    assert_true(saw);
    /* The last pages of the file are gone. The generator puts the huge page at the top of
     * physical memory, so it is stored last whatever the layout. */
    uint8_t b;
    di_error err = {0};
    int out_of_file = di_read_virtual(dd, DI_CR3_KERNEL, T_VA_1G + 0x3FFFFFFF, &b, 1, &err) == DI_E_OUT_OF_FILE;
    if (out_of_file)
        assert_non_null(strstr(err.message, "truncated"));
    assert_true(out_of_file);
    di_close(dd);
}

static void test_truncated_bodies(void **state)
{
    (void)state;
    expect_truncation_damage(1);
    expect_truncation_damage(5);
    expect_truncation_damage(6);
    expect_truncation_damage(8);
    expect_truncation_damage(10);
}

static void test_bitmap_faults(void **state)
{
    (void)state;
    const char *p = good(6);
    t_patch(p, DMP_HDR_SIZE + DMP_BMP_SIGNATURE, "ZDMP", 4);
    t_expect_open_fails(p, DI_E_FORMAT, "bitmap header");
    p = good(5);
    t_patch_u64(p, DMP_HDR_SIZE + DMP_BMP_BITS, 0xFFFFFFFFFFFFFFC0ull);
    t_expect_open_fails(p, DI_E_FORMAT, "more than x64 can address");
    t_patch_u64(p, DMP_HDR_SIZE + DMP_BMP_BITS, 1ull << 39);
    t_expect_open_fails(p, DI_E_FORMAT, "needs 68719476736 bytes");
    t_patch_u64(p, DMP_HDR_SIZE + DMP_BMP_BITS, 0);
    t_expect_open_fails(p, DI_E_FORMAT, "empty");
    p = good(5);
    t_patch_u64(p, DMP_HDR_SIZE + DMP_BMP_FIRST_PAGE, 0x2040);
    t_expect_open_fails(p, DI_E_FORMAT, "inside the bitmap");
    /* A wrong present-page count is a warning; the bits win. */
    p = good(6);
    t_patch_u64(p, DMP_HDR_SIZE + DMP_BMP_PRESENT_PAGES, 3);
    di_dump *dd = t_open(p);
    assert_true(di_is_damaged(dd));
    assert_non_null(strstr(di_warning(dd, 0), "claims 3 present pages"));
    di_close(dd);
}

static void test_rdmp_faults(void **state)
{
    (void)state;
    const char *p = good(8);
    t_patch_u32(p, DMP_HDR_SIZE + DMP_RDMP_MARKER, 0x41);
    t_expect_open_fails(p, DI_E_FORMAT, "RDMP header");
    p = good(9);
    t_patch_u64(p, DMP_HDR_SIZE + DMP_RDMP_METADATA_SIZE, 0x17);
    t_expect_open_fails(p, DI_E_FORMAT, "multiple of 16");
    p = good(9);
    t_patch_u64(p, DMP_HDR_SIZE + DMP_RDMP_FIRST_PAGE, 0x9000);
    t_expect_open_fails(p, DI_E_FORMAT, "does not follow the metadata");
    p = good(10);
    t_patch_u64(p, DMP_HDR_SIZE + DMP_RDMP_TOTAL_PAGES, 1);
    t_expect_open_fails(p, DI_E_FORMAT, "TotalNumberOfPages");
    p = good(8);
    t_patch_u64(p, DMP_HDR_SIZE + DMP_RDMP_RANGES, 0);
    t_expect_open_fails(p, DI_E_FORMAT, "range table is empty");
}

/* A leaf PTE whose frame lies beyond physical memory, and one whose upper-level entry
 * sets the page-size bit at the PML4: both are bad PTEs, reported as such. */
static void test_bad_ptes(void **state)
{
    (void)state;
    fg_dump *fg = t_world(6);
    const char *p = t_emit(fg, "pte");
    di_dump *dd = t_open(p);
    di_translation t;
    di_error err = {0};
    assert_int_equal(di_translate(dd, DI_CR3_KERNEL, T_VA_4K, &t, &err), DI_OK);
    uint64_t pte_pa = t.steps[3].entry_pa, pml4e_pa = t.steps[0].entry_pa, pml4e = t.steps[0].entry;
    di_close(dd);

    uint64_t bad = 0x000FFFFFFFFFF000ull | 0x63;
    assert_int_equal(fg_write_phys(fg, pte_pa, &bad, 8), FG_OK);
    p = t_emit(fg, "pte");
    dd = t_open(p);
    uint8_t b[8];
    assert_int_equal(di_read_virtual(dd, DI_CR3_KERNEL, T_VA_4K, b, 8, &err), DI_E_BAD_PTE);
    assert_non_null(strstr(err.message, "beyond the machine's physical memory"));
    di_close(dd);

    uint64_t ps = pml4e | 0x80;
    assert_int_equal(fg_write_phys(fg, pml4e_pa, &ps, 8), FG_OK);
    p = t_emit(fg, "pte");
    dd = t_open(p);
    assert_int_equal(di_read_virtual(dd, DI_CR3_KERNEL, T_VA_4K + 0x1000, b, 8, &err), DI_E_BAD_PTE);
    assert_non_null(strstr(err.message, "page-size bit"));
    di_close(dd);
    fg_free(fg);
}

/* A CR3 that points outside the dump or at garbage fails cleanly. */
static void test_bad_cr3(void **state)
{
    (void)state;
    const char *p = good(5);
    di_dump *dd = t_open(p);
    uint8_t b[8];
    di_error err = {0};
    assert_int_equal(di_read_virtual(dd, 0x7FFFFFFFF000ull, T_VA_4K, b, 8, &err), DI_E_NOT_IN_DUMP);
    assert_non_null(strstr(err.message, "pml4e"));
    di_close(dd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_tiny),     cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_signatures),         cmocka_unit_test(test_dump_types_refused),
        cmocka_unit_test(test_run_list_faults),    cmocka_unit_test(test_truncated_bodies),
        cmocka_unit_test(test_bitmap_faults),      cmocka_unit_test(test_rdmp_faults),
        cmocka_unit_test(test_bad_ptes),           cmocka_unit_test(test_bad_cr3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
