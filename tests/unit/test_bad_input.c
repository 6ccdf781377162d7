/* SPDX-License-Identifier: MIT */
/* Every kind of bad input gets a clear message naming the file and the fault, the right
 * status, and no crash, hang or unbounded allocation. */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <archive.h>
#include <cmocka.h>

#include "dump/dmp_layout.h"
#include "support_dumps.h"
#include "support_os.h"

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
    /* CAB deliveries are read now; eight bytes are a damaged one. */
    t_expect_open_fails(p, DI_E_FORMAT, "the CAB archive is damaged");
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

/* Anything but a regular file is refused before it is opened for reading: open() on a FIFO
 * would wait for a writer forever (the test's TIMEOUT catches a hang). */
static void test_not_regular_files(void **state)
{
    (void)state;
    const char *dir = t_path("dir");
    assert_int_equal(t_mkdir(dir), 0);
    t_expect_open_fails(dir, DI_E_IO, "is a directory, not a dump file");
#ifdef _WIN32
    print_message("on Windows: no FIFO or symlink cases (not in a Windows file system)\n");
    t_expect_open_fails("NUL", DI_E_IO, "is a character device, not a dump file");
#else
    const char *fifo = t_path("fifo");
    assert_int_equal(t_mkfifo(fifo), 0);
    t_expect_open_fails(fifo, DI_E_IO, "is a FIFO, not a dump file");
    const char *link = t_path("link");
    char target[512];
    snprintf(target, sizeof target, "%s", strrchr(fifo, '/') + 1);
    assert_int_equal(t_symlink(target, link), 0);
    t_expect_open_fails(link, DI_E_IO, "is a FIFO, not a dump file"); /* symlinks are followed */
    t_expect_open_fails("/dev/null", DI_E_IO, "is a character device, not a dump file");
#endif
}

/* A gzip delivery of a dump opens and reads the same bytes, also as two members. The
 * standard world maps a 1 GiB page; this one stays small enough to compress quickly. */
static void test_gzip_dump_opens(void **state)
{
    (void)state;
    fg_config cfg;
    fg_config_default(&cfg);
    cfg.dump_type = 6;
    fg_dump *fg = fg_new(&cfg);
    assert_non_null(fg);
    assert_int_equal(fg_map(fg, T_VA_4K, 4, FG_4K), FG_OK);
    assert_int_equal(fg_write(fg, T_VA_4K + 0x1000 - 8, "crosses a page", 14), FG_OK);
    const char *p = t_emit(fg, "small");
    fg_free(fg);
    uint8_t want[64], got[64];
    di_error err = {0};
    di_dump *dd = t_open(p);
    assert_int_equal(di_read_virtual(dd, DI_CR3_KERNEL, T_VA_4K + 0x1000 - 8, want, sizeof want, &err), DI_OK);
    di_close(dd);
    const char *gzs[] = {t_gzip_file(p, 0), t_gzip_file(p, 0x3000)};
    for (size_t i = 0; i < 2; i++) {
        dd = t_open(gzs[i]);
        assert_int_equal(di_read_virtual(dd, DI_CR3_KERNEL, T_VA_4K + 0x1000 - 8, got, sizeof got, &err), DI_OK);
        assert_memory_equal(got, want, sizeof want);
        di_close(dd);
    }
    /* A damaged stream is refused as such. */
    t_truncate(gzs[0], t_file_size(gzs[0]) / 2);
    t_expect_open_fails(gzs[0], DI_E_FORMAT, "truncated");
    /* Kinds the reader refuses by name are still refused by name inside a .gz. */
    p = t_path("mdmp");
    t_write_file(p, "MDMP\x93\xa7\0\0", 8);
    t_expect_open_fails(t_gzip_file(p, 0), DI_E_UNSUPPORTED, "minidump");
    p = t_path("page");
    t_write_file(p, "PAGE", 4);
    t_expect_open_fails(t_gzip_file(p, 0), DI_E_FORMAT, "truncated header");
}

/* 100 MiB of zeros in about 100 KiB: refused on its first decompressed chunk, before the
 * temporary file is written. A spool_bytes limit of 1 MiB tells the two apart: spooling
 * first would fail with limit_exceeded once the second chunk arrived. */
#define BOMB_BYTES ((uint64_t)100 << 20)

static void test_gzip_bomb(void **state)
{
    (void)state;
    const char *p = t_gzip_zeros(NULL, 0, BOMB_BYTES);
    assert_true(t_file_size(p) < BOMB_BYTES / 500);
    t_expect_open_fails(p, DI_E_FORMAT, "gzip-compressed, but what it holds is not a Windows kernel crash dump");
    t_expect_open_fails(p, DI_E_FORMAT, "first decompressed bytes 0000000000000000");
    di_limits l;
    di_limits_default(&l);
    assert_int_equal(di_limits_set(&l, "spool_bytes", 1u << 20), 0);
    t_expect_open_with_fails(p, &l, DI_E_FORMAT, "not a Windows kernel crash dump");
    /* Content that starts like a dump is spooled, and spool_bytes still bounds it. */
    p = t_gzip_zeros("PAGEDU64", 8, BOMB_BYTES);
    assert_int_equal(di_limits_set(&l, "spool_bytes", 4u << 20), 0);
    t_expect_open_with_fails(p, &l, DI_E_LIMIT, "decompresses to more than 4194304 bytes");
}

/* A build whose libarchive lacks a decompressor (one built without liblzma, libzstd or
 * libbz2) refuses that delivery by name, as unsupported; a build that has it finds the same
 * 8 bytes corrupt. */
static void test_missing_decompressors(void **state)
{
    (void)state;
    const char *details = archive_version_details();
    static const struct {
        const char *magic, *library, *kind;
    } kinds[] = {{"\xfd" "7zXZ\0\0\x04", "liblzma", "xz stream"},
                 {"\x28\xb5\x2f\xfd\x20\x00\x00\x00", "libzstd", "zstd stream"},
                 {"BZh91AY&", "bz2lib", "bzip2 stream"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const char *p = t_path("packed");
        t_write_file(p, kinds[i].magic, 8);
        if (strstr(details, kinds[i].library)) {
            t_expect_open_fails(p, DI_E_FORMAT, "");
        } else {
            print_message("this build's libarchive (%s) has no %s\n", details, kinds[i].library);
            char needle[80];
            snprintf(needle, sizeof needle, "this build's libarchive cannot read a %s", kinds[i].kind);
            t_expect_open_fails(p, DI_E_UNSUPPORTED, needle);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_tiny),     cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_signatures),         cmocka_unit_test(test_dump_types_refused),
        cmocka_unit_test(test_run_list_faults),    cmocka_unit_test(test_truncated_bodies),
        cmocka_unit_test(test_bitmap_faults),      cmocka_unit_test(test_rdmp_faults),
        cmocka_unit_test(test_bad_ptes),           cmocka_unit_test(test_bad_cr3),
        cmocka_unit_test(test_not_regular_files),  cmocka_unit_test(test_gzip_dump_opens),
        cmocka_unit_test(test_gzip_bomb),          cmocka_unit_test(test_missing_decompressors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
