/* SPDX-License-Identifier: MIT */
/* The triage damage corpus: the minimal valid x64 triage dump of support_triage.c (written
 * by the test's own writer, not by the reader) damaged one way at a time -- sections outside
 * the file, past SizeOfDump or inside the header, overlapping sections, hostile counts and
 * string lengths, a missing TRGD tag, a short file, bad data blocks, a broken DumpBlob
 * trailer, a KDBG copy without its tag. Each case says how di_open must end: success with
 * di_is_damaged() and a warning holding a text, or failure with a status and message.
 * Every opened case then builds the JSON and text reports (the JSON must parse) and checks
 * that reads stay all-or-nothing; a watchdog turns a hang into a failure. The suite also
 * runs under ASan + UBSan. DI_TRIAGE_VERBOSE=1 prints each case's warnings. */
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
#include <cjson/cJSON.h>
#include <cmocka.h>

#include "dump/dmp_dump.h"
#include "io/io_file.h"
#include "support_dumps.h"
#include "support_os.h"
#include "support_triage.h"

#define WATCHDOG_SECONDS 30

/* ---- Damage: each changes the good image in place (and may shorten it) ---- */

typedef void (*damage_fn)(uint8_t *b, size_t *len);

static void tri32(uint8_t *b, size_t field, uint32_t v) { tw_put32(b, TW_TRIAGE + field, v); }
static void block_va(uint8_t *b, unsigned i, uint64_t va) { tw_put64(b, TW_BLOCKS + i * TW_BLOCK_ENTRY, va); }
static void block_off(uint8_t *b, unsigned i, uint32_t off) { tw_put32(b, TW_BLOCKS + i * TW_BLOCK_ENTRY + 8, off); }
static void block_size(uint8_t *b, unsigned i, uint32_t n) { tw_put32(b, TW_BLOCKS + i * TW_BLOCK_ENTRY + 12, n); }
/* The DUMP_STRING of driver 1 (faulty.sys): where driver 0's name ends. */
static size_t driver1_string(const uint8_t *b)
{
    return (size_t)b[TW_DRIVERS + TW_DRV_ENTRY] | (size_t)b[TW_DRIVERS + TW_DRV_ENTRY + 1] << 8;
}

static void none(uint8_t *b, size_t *len) { (void)b; (void)len; }
static void drivers_outside_file(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_DRIVERLIST, 0x100000); }
static void kdbg_past_size_of_dump(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_DEBUGGER, TW_SIZE_OF_DUMP + 4); }
static void stack_in_header(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_CALLSTACK, 0x1000); }
static void pool_overlaps_drivers(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_STRINGPOOL, TW_DRIVERS + 0x80); }
static void driver_count_max(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_DRIVER_COUNT, 0xFFFFFFFFu); }
static void blocks_count_max(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_BLOCKS_COUNT, 0xFFFFFFFFu); }
static void stack_size_max(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_CALLSTACK_SIZE, 0xFFFFFFFFu); }
static void string_len_odd(uint8_t *b, size_t *len) { (void)len; tw_put32(b, driver1_string(b), 7); }
static void string_len_huge(uint8_t *b, size_t *len) { (void)len; tw_put32(b, driver1_string(b), 0x7FFFFFFFu); }
static void string_len_max(uint8_t *b, size_t *len) { (void)len; tw_put32(b, driver1_string(b), 0xFFFFFFFFu); }
static void string_past_pool(uint8_t *b, size_t *len)
{
    (void)len;
    tw_put32(b, TW_DRIVERS + TW_DRV_ENTRY + TW_DRV_NAME_OFFSET, TW_POOL + TW_POOL_SIZE - 2);
}
static void string_outside_pool(uint8_t *b, size_t *len)
{
    (void)len;
    tw_put32(b, TW_DRIVERS + TW_DRV_ENTRY + TW_DRV_NAME_OFFSET, 0x100);
}
static void no_trgd(uint8_t *b, size_t *len) { (void)len; memcpy(b + TW_VALID, "XXXX", 4); }
static void valid_offset_max(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_VALID_OFFSET, 0xFFFFFFFFu); }
static void size_of_dump_past_file(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_SIZE_OF_DUMP, 0x100000); }
static void size_of_dump_zero(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_SIZE_OF_DUMP, 0); }
static void blocks_overlap(uint8_t *b, size_t *len) { (void)len; block_va(b, 1, TW_BLOCK0_VA + 0x800); }
static void block_wraps(uint8_t *b, size_t *len) { (void)len; block_va(b, 2, 0xFFFFFFFFFFFFF800ull); }
static void block_outside_file(uint8_t *b, size_t *len) { (void)len; block_off(b, 1, 0x100000); }
static void block_in_header(uint8_t *b, size_t *len) { (void)len; block_off(b, 1, 0x100); }
static void block_past_size_of_dump(uint8_t *b, size_t *len)
{
    (void)len;
    block_off(b, 2, TW_VALID - 0x800);  /* its 0x1000 bytes run past SizeOfDump into the trailer */
}
static void block_size_max(uint8_t *b, size_t *len) { (void)len; block_size(b, 1, 0xFFFFFFFFu); }
static void block_size_zero(uint8_t *b, size_t *len) { (void)len; block_size(b, 1, 0); }
static void truncated_triage_header(uint8_t *b, size_t *len) { (void)b; *len = TW_TRIAGE + 0x40; }
static void truncated_mid_sections(uint8_t *b, size_t *len) { (void)b; *len = TW_KDBG + 0x10; }
static void truncated_in_blocks(uint8_t *b, size_t *len) { (void)b; *len = TW_BLOCK_DATA + TW_BLOCK_SIZE + 0x800; }
static void block_past_eof_within_size(uint8_t *b, size_t *len)
{
    /* SizeOfDump claims more than the file holds, and block 2 lies between the two ends. */
    tri32(b, TW_T_SIZE_OF_DUMP, 0x100000);
    block_off(b, 2, (uint32_t)*len + 0x1000);
}
static void blob_size_past_eof(uint8_t *b, size_t *len) { (void)len; tw_put32(b, TW_BLOB_DATA_SIZE_AT, 0x7FFFFFF0u); }
static void blob_pads_max(uint8_t *b, size_t *len)
{
    (void)len;
    tw_put32(b, TW_BLOB + 0x18, 0xFFFFFFFFu);
    tw_put32(b, TW_BLOB + 0x1C, 0xFFFFFFFFu);
}
static void blob_file_header_huge(uint8_t *b, size_t *len) { (void)len; tw_put32(b, TW_BLOB_FILE + 8, 0xFFFFFFF0u); }
static void blob_header_cut(uint8_t *b, size_t *len) { (void)b; *len = TW_BLOB + 0x10; }
static void unloaded_count_max(uint8_t *b, size_t *len) { (void)len; tw_put64(b, TW_UNLOADED, UINT64_MAX); }
static void kdbg_untagged(uint8_t *b, size_t *len) { (void)len; memcpy(b + TW_KDBG + 0x10, "GBDK", 4); }
static void mm_size_huge(uint8_t *b, size_t *len) { (void)len; tw_put32(b, TW_MM + 4, 0xFFFFFFF0u); }
static void fields_fill(uint8_t *b, size_t *len) { (void)len; memcpy(b + TW_H_FIELDS, "PAGE", 4); }
static void flagged_offset_zero(uint8_t *b, size_t *len) { (void)len; tri32(b, TW_T_CALLSTACK, 0); }
static void attributes_fill(uint8_t *b, size_t *len) { (void)len; memcpy(b + TW_H_ATTRIBUTES, "PAGE", 4); }
/* A broken-driver entry (the driver the kernel blamed) in block 2's data: a copy of driver 1. */
static void broken_driver(uint8_t *b, size_t *len)
{
    (void)len;
    size_t at = TW_BLOCK_DATA + 2 * TW_BLOCK_SIZE;
    memcpy(b + at, b + TW_DRIVERS + TW_DRV_ENTRY, TW_DRV_ENTRY);
    tri32(b, 0x40, (uint32_t)at); /* BrokenDriverOffset */
    uint32_t fields = (uint32_t)b[TW_H_FIELDS] | (uint32_t)b[TW_H_FIELDS + 1] << 8;
    tw_put32(b, TW_H_FIELDS, fields | 0x80u); /* MiniDumpFields: BROKEN_DRIVER */
}
static void attributes_encrypted(uint8_t *b, size_t *len) { (void)len; tw_put32(b, TW_H_ATTRIBUTES, 0x100); }

/* ---- Checks run on an opened case ---- */

typedef void (*check_fn)(di_dump *d, const char *path);

static void expect_read(di_dump *d, uint64_t va, size_t len, di_status want, uint8_t fill)
{
    uint8_t buf[0x2000];
    assert_true(len <= sizeof buf);
    memset(buf, 0x5A, sizeof buf);
    di_error err = {0};
    di_status st = di_read_virtual(d, DI_CR3_KERNEL, va, buf, len, &err);
    if (st != want)
        fail_msg("read 0x%llx+%zu: %s (%s), expected %s", (unsigned long long)va, len, di_status_name(st),
                 err.message, di_status_name(want));
    if (st == DI_OK) {
        for (size_t i = 0; i < len; i++)
            if (buf[i] != fill)
                fail_msg("read 0x%llx+%zu: byte %zu is 0x%02x, expected 0x%02x", (unsigned long long)va, len, i,
                         buf[i], fill);
    } else {
        assert_int_equal(err.status, want);
        assert_true(strlen(err.message) > 0);
    }
}

/* The triage structures as the reader parsed them (internal view). */
static dmp_dump *open_internal(const char *path)
{
    io_file *io;
    dmp_dump *dmp;
    assert_int_equal(io_open(path, &io, NULL), DI_OK);
    assert_int_equal(dmp_open(io, &dmp, NULL), DI_OK);
    assert_non_null(dmp->triage);
    return dmp;
}

static void check_valid(di_dump *d, const char *path)
{
    /* Blocks 0 and 1 are adjacent: one read crosses them; block 2 ends at a gap. */
    uint8_t buf[0x20];
    di_error err = {0};
    assert_int_equal(di_read_virtual(d, DI_CR3_KERNEL, TW_BLOCK1_VA - 0x10, buf, sizeof buf, &err), DI_OK);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], TW_BLOCK_FILL(i < 0x10 ? 0 : 1));
    expect_read(d, TW_BLOCK2_VA, TW_BLOCK_SIZE, DI_OK, TW_BLOCK_FILL(2));
    expect_read(d, TW_BLOCK2_VA + TW_BLOCK_SIZE - 8, 16, DI_E_NOT_CAPTURED, 0);
    expect_read(d, TW_BLOCK1_VA + TW_BLOCK_SIZE, 1, DI_E_NOT_CAPTURED, 0);
    /* The saved stack and the KDBG copy are served at their VAs. */
    assert_int_equal(di_read_virtual(d, DI_CR3_KERNEL, TW_KDBG_VA + 0x10, buf, 4, &err), DI_OK);
    assert_memory_equal(buf, "KDBG", 4);
    uint64_t ret;
    assert_int_equal(di_read_virtual(d, DI_CR3_KERNEL, TW_TOP_OF_STACK + 8, &ret, 8, &err), DI_OK);
    assert_true(ret == TW_NT_BASE + 0x3F5A80);
    /* No page tables, no physical memory. */
    di_translation tr;
    assert_int_equal(di_translate(d, DI_CR3_KERNEL, TW_BLOCK0_VA, &tr, &err), DI_E_UNSUPPORTED);
    assert_int_equal(di_read_physical(d, 0x1000, buf, 8, &err), DI_E_UNSUPPORTED);

    dmp_dump *dmp = open_internal(path);
    const dmp_triage *t = dmp->triage;
    assert_true(t->valid_tag);
    assert_int_equal(t->nblocks, TW_NBLOCKS);
    assert_int_equal(t->ndrivers, 2);
    assert_string_equal(t->drivers[0].name, "ntoskrnl.exe");
    assert_string_equal(t->drivers[1].name, "faulty.sys");
    assert_string_equal(t->drivers[1].path, "\\SystemRoot\\System32\\drivers\\faulty.sys");
    assert_true(t->drivers[1].base == TW_DRV_BASE_VA);
    assert_int_equal(t->drivers[1].size, TW_DRV_SIZE_VAL);
    assert_int_equal(t->drivers[1].timestamp, TW_DRV_STAMP);
    assert_int_equal(t->nunloaded, 2);
    assert_string_equal(t->unloaded[0].name, "old1.sys");
    assert_string_equal(t->unloaded[1].name, "gone.sys");
    assert_true(t->have_blobs);
    assert_int_equal(t->nblobs, 1);
    assert_string_equal(t->blobs[0].text, "TestBlob");
    assert_int_equal(t->mm_size, TW_MM_SIZE);
    dmp_close(dmp);
}

static void check_block1_dropped(di_dump *d, const char *path)
{
    (void)path;
    expect_read(d, TW_BLOCK0_VA, TW_BLOCK_SIZE, DI_OK, TW_BLOCK_FILL(0));
    expect_read(d, TW_BLOCK1_VA, 8, DI_E_NOT_CAPTURED, 0);
    /* All-or-nothing: a read that starts in block 0 and runs into the dropped block fails. */
    expect_read(d, TW_BLOCK1_VA - 8, 16, DI_E_NOT_CAPTURED, 0);
    expect_read(d, TW_BLOCK2_VA, TW_BLOCK_SIZE, DI_OK, TW_BLOCK_FILL(2));
}

static void check_block2_dropped(di_dump *d, const char *path)
{
    (void)path;
    expect_read(d, TW_BLOCK2_VA, 8, DI_E_NOT_CAPTURED, 0);
    expect_read(d, 0xFFFFFFFFFFFFF800ull, 0x10, DI_E_NOT_CAPTURED, 0);
    expect_read(d, TW_BLOCK0_VA, TW_BLOCK_SIZE, DI_OK, TW_BLOCK_FILL(0));
    expect_read(d, TW_BLOCK1_VA, TW_BLOCK_SIZE, DI_OK, TW_BLOCK_FILL(1));
}

static void check_overlap_first_kept(di_dump *d, const char *path)
{
    (void)path;
    /* Block 1 now starts inside block 0: block 0 serves the shared addresses, and what only
     * block 1 claimed is not captured. */
    expect_read(d, TW_BLOCK0_VA + 0x800, 0x800, DI_OK, TW_BLOCK_FILL(0));
    expect_read(d, TW_BLOCK0_VA + TW_BLOCK_SIZE, 8, DI_E_NOT_CAPTURED, 0);
}

static void check_no_stack(di_dump *d, const char *path)
{
    (void)path;
    expect_read(d, TW_TOP_OF_STACK, 8, DI_E_NOT_CAPTURED, 0);
    expect_read(d, TW_BLOCK0_VA, 8, DI_OK, TW_BLOCK_FILL(0));
}

static void check_blocks_1_2_dropped(di_dump *d, const char *path)
{
    (void)path;
    expect_read(d, TW_BLOCK0_VA, TW_BLOCK_SIZE, DI_OK, TW_BLOCK_FILL(0));
    expect_read(d, TW_BLOCK1_VA, 8, DI_E_NOT_CAPTURED, 0);
    expect_read(d, TW_BLOCK1_VA + TW_BLOCK_SIZE - 8, 8, DI_E_NOT_CAPTURED, 0);
    expect_read(d, TW_BLOCK2_VA, 8, DI_E_NOT_CAPTURED, 0);
}

static void check_blocks_kept(di_dump *d, const char *path)
{
    (void)path;
    for (unsigned i = 0; i < TW_NBLOCKS; i++)
        expect_read(d, i == 2 ? TW_BLOCK2_VA : TW_BLOCK0_VA + i * TW_BLOCK_SIZE, TW_BLOCK_SIZE, DI_OK,
                    TW_BLOCK_FILL(i));
}

static void check_no_blocks(di_dump *d, const char *path)
{
    (void)path;
    expect_read(d, TW_BLOCK0_VA, 8, DI_E_NOT_CAPTURED, 0);
    expect_read(d, TW_BLOCK2_VA, 8, DI_E_NOT_CAPTURED, 0);
}

static void check_odd_name(di_dump *d, const char *path)
{
    (void)d;
    /* Length counts UTF-16 units, so 7 is a short name, not damage. */
    dmp_dump *dmp = open_internal(path);
    assert_int_equal(dmp->triage->ndrivers, 2);
    assert_string_equal(dmp->triage->drivers[1].path, "\\System");
    dmp_close(dmp);
}

static void check_broken_driver(di_dump *d, const char *path)
{
    (void)d;
    dmp_dump *dmp = open_internal(path);
    assert_true(dmp->triage->have_broken);
    assert_string_equal(dmp->triage->broken.name, dmp->triage->drivers[1].name);
    assert_true(dmp->triage->broken.base == TW_DRV_BASE_VA);
    dmp_close(dmp);
}

static void check_no_blobs(di_dump *d, const char *path)
{
    (void)d;
    dmp_dump *dmp = open_internal(path);
    assert_int_equal(dmp->triage->nblobs, 0);
    dmp_close(dmp);
}

static void check_unloaded_bounded(di_dump *d, const char *path)
{
    (void)d;
    dmp_dump *dmp = open_internal(path);
    assert_true(dmp->triage->unloaded_declared == UINT64_MAX);
    /* Only what the triage data holds is read; the first entries are the real ones. */
    assert_true(dmp->triage->nunloaded >= 2);
    assert_string_equal(dmp->triage->unloaded[0].name, "old1.sys");
    dmp_close(dmp);
}

/* ---- The table ---- */

typedef struct tcase {
    const char *name;
    damage_fn damage;
    di_status open_status;  /* DI_OK: the open must succeed */
    int damaged;            /* expected di_is_damaged() right after the open */
    const char *needle;     /* in some warning (open succeeds) or the error (it fails); NULL: none */
    check_fn check;
} tcase;

static const tcase cases[] = {
    {"valid", none, DI_OK, 0, NULL, check_valid},
    {"section-outside-file", drivers_outside_file, DI_OK, 1, "driver_list section (offset 0x100000", NULL},
    {"section-past-size-of-dump", kdbg_past_size_of_dump, DI_OK, 1, "debugger_data section", NULL},
    {"section-inside-header", stack_in_header, DI_OK, 1, "call_stack section (offset 0x1000", check_no_stack},
    {"sections-overlap", pool_overlaps_drivers, DI_OK, 1, "overlaps the string_pool section", NULL},
    {"driver-count-max", driver_count_max, DI_OK, 1, "driver_list section", NULL},
    {"blocks-count-max", blocks_count_max, DI_OK, 1, "data_blocks section", check_no_blocks},
    {"stack-size-max", stack_size_max, DI_OK, 1, "call_stack section", check_no_stack},
    {"string-length-odd", string_len_odd, DI_OK, 0, NULL, check_odd_name},
    {"string-length-huge", string_len_huge, DI_OK, 1, "does not fit in the string pool", NULL},
    {"string-length-max", string_len_max, DI_OK, 1, "does not fit in the string pool", NULL},
    {"string-at-pool-end", string_past_pool, DI_OK, 1, "does not fit in the string pool", NULL},
    {"string-outside-pool", string_outside_pool, DI_OK, 1, "its name at 0x100 does not fit", NULL},
    {"no-trgd", no_trgd, DI_OK, 1, "no \"TRGD\" validity tag", NULL},
    {"valid-offset-max", valid_offset_max, DI_OK, 1, "no \"TRGD\" validity tag at ValidOffset 0xffffffff", NULL},
    {"size-of-dump-past-file", size_of_dump_past_file, DI_OK, 1, "(SizeOfDump) but the file holds", NULL},
    {"size-of-dump-zero", size_of_dump_zero, DI_OK, 1, "smaller than the headers", check_blocks_kept},
    {"blocks-overlap", blocks_overlap, DI_OK, 1, "overlap others", check_overlap_first_kept},
    {"block-wraps", block_wraps, DI_OK, 1, "wrap the address space", check_block2_dropped},
    {"block-outside-file", block_outside_file, DI_OK, 1, "point outside the triage data", check_block1_dropped},
    {"block-in-header", block_in_header, DI_OK, 1, "point outside the triage data", check_block1_dropped},
    {"block-past-size-of-dump", block_past_size_of_dump, DI_OK, 1, "point outside the triage data",
     check_block2_dropped},
    {"block-size-max", block_size_max, DI_OK, 1, "point outside the triage data", check_block1_dropped},
    {"block-size-zero", block_size_zero, DI_OK, 0, NULL, check_block1_dropped},
    {"triage-header-truncated", truncated_triage_header, DI_E_FORMAT, 0, "truncated triage dump", NULL},
    {"truncated-mid-sections", truncated_mid_sections, DI_OK, 1, "truncated", check_no_blocks},
    {"truncated-in-blocks", truncated_in_blocks, DI_OK, 1, "point outside the triage data",
     check_blocks_1_2_dropped},
    {"block-past-eof-within-size-of-dump", block_past_eof_within_size, DI_OK, 1, "point outside the triage data",
     check_block2_dropped},
    {"blob-size-past-eof", blob_size_past_eof, DI_OK, 1, "more than the file holds", NULL},
    {"blob-pads-max", blob_pads_max, DI_OK, 1, "more than the file holds", NULL},
    {"blob-file-header-huge", blob_file_header_huge, DI_OK, 1, "secondary data header", check_no_blobs},
    {"blob-header-cut", blob_header_cut, DI_OK, 1, "ends inside a blob header", check_no_blobs},
    {"unloaded-count-max", unloaded_count_max, DI_OK, 1, "claims 18446744073709551615 entries",
     check_unloaded_bounded},
    {"kdbg-untagged", kdbg_untagged, DI_OK, 1, "has no \"KDBG\" tag", NULL},
    {"mm-size-huge", mm_size_huge, DI_OK, 1, "Mm information", NULL},
    {"fields-fill", fields_fill, DI_OK, 1, "MiniDumpFields holds the header fill", NULL},
    {"flagged-offset-zero", flagged_offset_zero, DI_OK, 1, "call_stack section valid but its offset is 0",
     check_no_stack},
    {"attributes-fill", attributes_fill, DI_OK, 0, NULL, NULL},
    {"broken-driver", broken_driver, DI_OK, 0, NULL, check_broken_driver},
    {"attributes-encrypted", attributes_encrypted, DI_E_UNSUPPORTED, 0, "encrypted", NULL},
};

#define NCASES (sizeof cases / sizeof cases[0])

static int has_warning(const di_dump *d, const char *needle)
{
    for (size_t i = 0; i < di_warning_count(d); i++)
        if (strstr(di_warning(d, i), needle))
            return 1;
    return 0;
}

static void build_reports(di_dump *d)
{
    char *json = NULL, *text = NULL;
    di_error err = {0};
    if (di_report_json(d, NULL, &json, &err) != DI_OK)
        fail_msg("di_report_json: %s", err.message);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    const cJSON *bc = cJSON_GetObjectItemCaseSensitive(doc, "bugcheck");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(bc, "code");
    assert_true(cJSON_IsString(code));
    assert_string_equal(code->valuestring, "0x1000007e");
    cJSON_Delete(doc);
    if (di_report_text(d, NULL, &text, &err) != DI_OK)
        fail_msg("di_report_text: %s", err.message);
    assert_true(strlen(text) > 0);
    di_free(json);
    di_free(text);
}

static void run_case(void **state)
{
    const tcase *c = *state;
    size_t len;
    uint8_t *img = tw_build(&len);
    assert_non_null(img);
    c->damage(img, &len);
    const char *path = t_path(c->name);
    t_write_file(path, img, len);
    free(img);
    t_watchdog(WATCHDOG_SECONDS);

    di_dump *d = NULL;
    di_error err = {0};
    di_status st = di_open(path, &d, &err);
    if (c->open_status != DI_OK) {
        if (st != c->open_status)
            fail_msg("%s: di_open gave %s (%s), expected %s", c->name, di_status_name(st), err.message,
                     di_status_name(c->open_status));
        assert_null(d);
        assert_int_equal(err.status, c->open_status);
        if (c->needle && !strstr(err.message, c->needle))
            fail_msg("%s: the error '%s' lacks '%s'", c->name, err.message, c->needle);
        assert_non_null(strstr(err.message, path));
        t_watchdog(0);
        return;
    }
    if (st != DI_OK)
        fail_msg("%s: di_open failed: %s", c->name, err.message);
    if (getenv("DI_TRIAGE_VERBOSE"))
        for (size_t i = 0; i < di_warning_count(d); i++)
            print_message("  [%s] %s\n", c->name, di_warning(d, i));
    if (!!di_is_damaged(d) != c->damaged)
        fail_msg("%s: di_is_damaged() is %d, expected %d", c->name, di_is_damaged(d), c->damaged);
    if (c->needle && !has_warning(d, c->needle))
        fail_msg("%s: no warning holds '%s' (%zu warnings)", c->name, c->needle, di_warning_count(d));
    if (c->check)
        c->check(d, path);
    build_reports(d);
    /* Building the model changes no verdict: the writer's kernel data is consistent.
     * Reads still behave afterwards. */
    if (!!di_is_damaged(d) != c->damaged)
        fail_msg("%s: after the report di_is_damaged() is %d", c->name, di_is_damaged(d));
    if (c->check)
        c->check(d, path);
    di_close(d);
    t_watchdog(0);
}

int main(void)
{
    struct CMUnitTest tests[NCASES];
    for (size_t i = 0; i < NCASES; i++)
        tests[i] = (struct CMUnitTest){.name = cases[i].name, .test_func = run_case,
                                       .initial_state = (void *)&cases[i]};
    return _cmocka_run_group_tests("test_triage_damage", tests, NCASES, NULL, NULL);
}
