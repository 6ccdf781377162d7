/* SPDX-License-Identifier: MIT */
/* Bug check names and argument documentation, as generated from the shared reference. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "analysis/an_bugcheck.h"

/* bugcheck-codes.tsv has 542 data rows and no code twice (0xAD and 0x400000AD share a
 * name but are two codes), so every row is one name. */
#define REFERENCE_ROWS 542
/* bugcheck-params.md documents 40 codes. */
#define REFERENCE_DOCUMENTED 40

static const an_bugcheck_info *must_info(uint32_t code)
{
    const an_bugcheck_info *info = an_bugcheck_info(code);

    assert_non_null(info);
    return info;
}

static void test_known_names(void **state)
{
    (void)state;
    assert_string_equal(an_bugcheck_name(0xD1), "DRIVER_IRQL_NOT_LESS_OR_EQUAL");
    assert_string_equal(an_bugcheck_name(0x13C), "INVALID_IO_BOOST_STATE");
    assert_string_equal(an_bugcheck_name(0xE2), "MANUALLY_INITIATED_CRASH");
    assert_string_equal(an_bugcheck_name(0x0A), "IRQL_NOT_LESS_OR_EQUAL");
    /* First and last rows of the TSV. */
    assert_string_equal(an_bugcheck_name(0x00000001), "APC_INDEX_MISMATCH");
    assert_string_equal(an_bugcheck_name(0xDEADDEAD), "MANUALLY_INITIATED_CRASH1");
    /* Both forms of 0xAD are listed. */
    assert_string_equal(an_bugcheck_name(0xAD), "VIDEO_DRIVER_DEBUG_REPORT_REQUEST");
    assert_string_equal(an_bugcheck_name(0x400000AD), "VIDEO_DRIVER_DEBUG_REPORT_REQUEST");
}

static void test_unknown_codes(void **state)
{
    (void)state;
    assert_null(an_bugcheck_name(0));
    assert_null(an_bugcheck_name(0xFFFFFFFFu));
    assert_null(an_bugcheck_name(0xCEADDEAD));
    /* Excluded by the reference: a flag and message strings, not bug checks. */
    assert_null(an_bugcheck_name(0x80000000u));
    assert_null(an_bugcheck_name(0x40010001u));
    /* A code that is named but has no documented arguments. */
    assert_null(an_bugcheck_info(0xE2));
    assert_null(an_bugcheck_info(0));
    assert_null(an_bugcheck_info(0xFFFFFFFFu));
}

static void test_counts(void **state)
{
    (void)state;
    assert_int_equal(an_bugcheck_name_count(), REFERENCE_ROWS);
    assert_int_equal(an_bugcheck_name_table_len, REFERENCE_ROWS);
    assert_int_equal(an_bugcheck_info_table_len, REFERENCE_DOCUMENTED);
}

static void test_tables_strictly_sorted(void **state)
{
    size_t i;

    (void)state;
    for (i = 1; i < an_bugcheck_name_table_len; i++)
        assert_true(an_bugcheck_name_table[i - 1].code < an_bugcheck_name_table[i].code);
    for (i = 1; i < an_bugcheck_info_table_len; i++)
        assert_true(an_bugcheck_info_table[i - 1].code < an_bugcheck_info_table[i].code);
    /* Every lookup through the binary search finds its own row. */
    for (i = 0; i < an_bugcheck_name_table_len; i++)
        assert_ptr_equal(an_bugcheck_name(an_bugcheck_name_table[i].code),
                         an_bugcheck_name_table[i].name);
    for (i = 0; i < an_bugcheck_info_table_len; i++)
        assert_ptr_equal(an_bugcheck_info(an_bugcheck_info_table[i].code),
                         &an_bugcheck_info_table[i]);
}

static void test_infos_complete(void **state)
{
    size_t i;
    int a;

    (void)state;
    for (i = 0; i < an_bugcheck_info_table_len; i++) {
        const an_bugcheck_info *info = &an_bugcheck_info_table[i];

        assert_non_null(an_bugcheck_name(info->code));
        assert_non_null(info->meaning);
        assert_true(info->meaning[0] != '\0');
        /* Absent text is NULL, never "", so the report can say null. */
        assert_true(info->notes == NULL || info->notes[0] != '\0');
        for (a = 0; a < AN_BUGCHECK_NARGS; a++) {
            assert_non_null(info->labels[a]);
            assert_true(info->labels[a][0] != '\0');
            assert_true(info->descriptions[a] == NULL || info->descriptions[a][0] != '\0');
        }
    }
}

static void test_invalid_io_boost_state(void **state)
{
    const an_bugcheck_info *info = must_info(0x13C);

    (void)state;
    assert_int_equal(info->code, 0x13C);
    assert_string_equal(info->labels[0], "thread");
    assert_string_equal(info->labels[1], "boost_state");
    assert_string_equal(info->labels[2], "reserved");
    assert_string_equal(info->labels[3], "reserved");
    assert_string_equal(info->meaning,
                        "a thread exited while its I/O priority boost bookkeeping was not zero.");
    assert_string_equal(info->descriptions[0], "the thread with the bad boost state.");
    assert_string_equal(info->descriptions[1], "its current boost state or throttle count.");
    /* "- Arg3, Arg4 `reserved`." gives them no text. */
    assert_null(info->descriptions[2]);
    assert_null(info->descriptions[3]);
    assert_null(info->notes);
}

static void test_driver_irql(void **state)
{
    const an_bugcheck_info *info = must_info(0xD1);

    (void)state;
    assert_string_equal(info->labels[0], "referenced_address");
    assert_string_equal(info->labels[1], "irql");
    assert_string_equal(info->labels[2], "access_type");
    assert_string_equal(info->labels[3], "instruction_address");
    /* "Arg3 `access_type` (0 read, 1 write, 2 or 8 execute)." on a shared line. */
    assert_string_equal(info->descriptions[2], "0 read, 1 write, 2 or 8 execute");
    assert_null(info->descriptions[0]);
}

static void test_m_variants(void **state)
{
    (void)state;
    /* The TSV lists the _M names itself. */
    assert_string_equal(an_bugcheck_name(0x1000007E), "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M");
    assert_string_equal(an_bugcheck_name(0x1000008E), "KERNEL_MODE_EXCEPTION_NOT_HANDLED_M");
    /* ... and they share the base code's arguments. */
    assert_ptr_equal(an_bugcheck_info(0x1000007E), must_info(0x7E));
    assert_ptr_equal(an_bugcheck_info(0x10000050), must_info(0x50));
    assert_ptr_equal(an_bugcheck_info(0x100000EA), must_info(0xEA));
    assert_string_equal(an_bugcheck_info(0x1000007F)->labels[0], "trap_number");
    /* Listed variant of an undocumented base: a name but no arguments. */
    assert_non_null(an_bugcheck_name(0x100000D6));
    assert_null(an_bugcheck_info(0x100000D6));
    /* No name is made up for variants the reference does not list. */
    assert_null(an_bugcheck_name(0x1000000A));
    assert_null(an_bugcheck_info(0x1000000A));
    /* 0xDEADDEAD has the bit set but is no variant. */
    assert_null(an_bugcheck_info(0xDEADDEAD));
}

static void test_description_shapes(void **state)
{
    const an_bugcheck_info *info;

    (void)state;
    /* "Arg1 `exception_code`. Arg2 ... Arg3 `exception_record` (address; use `.exr`)." */
    info = must_info(0x7E);
    assert_null(info->descriptions[0]);
    assert_string_equal(info->descriptions[2], "address; use `.exr`");
    assert_string_equal(info->descriptions[3], "address; use `.cxr`");
    /* "Arg3 `subtype_data1` / Arg4 `subtype_data2`: text" gives both the text. */
    info = must_info(0x19);
    assert_string_equal(info->descriptions[2], info->descriptions[3]);
    assert_non_null(strstr(info->descriptions[2], "depend on the subtype"));
    /* "Arg2..Arg4 `subtype_data1..3`: text" */
    info = must_info(0x1A);
    assert_string_equal(info->labels[3], "subtype_data3");
    assert_string_equal(info->descriptions[1], info->descriptions[3]);
    /* Items under "- Arg1 `subtype`:" describe Arg1. */
    info = must_info(0x15F);
    assert_non_null(strstr(info->descriptions[0], "- 0x1 DRIPS watchdog: "));
    /* Bullets that describe variants rather than one argument become notes. */
    info = must_info(0x12B);
    assert_null(info->descriptions[0]);
    assert_non_null(strstr(info->notes, "(memory manager case)"));
    info = must_info(0x9F);
    assert_non_null(strstr(info->notes, "- 0x3 (the usual one): Arg2 = PDO"));
    info = must_info(0x7A);
    assert_non_null(strstr(info->descriptions[1], "I/O status of the failed read"));
    assert_non_null(strstr(info->notes, "three layouts:\n  1. Arg1 is 1, 2 or 3"));
    assert_string_equal(info->labels[0], "lock_type_or_pte");
}

static void test_text_survives_escaping(void **state)
{
    (void)state;
    assert_non_null(strstr(must_info(0x1E)->descriptions[3], "\"parameter 0\""));
    /* U+2013 EN DASH, kept as UTF-8. */
    assert_non_null(strstr(must_info(0xC4)->descriptions[0], "0x00\xE2\x80\x93" "0x140"));
    assert_non_null(strstr(must_info(0x3B)->descriptions[2], "(use `.cxr`)"));
}

static void test_names_and_aliases(void **state)
{
    uint32_t code = 0;

    (void)state;
    assert_true(an_bugcheck_code_from_name("INVALID_IO_BOOST_STATE", &code));
    assert_int_equal(code, 0x13C);
    assert_true(an_bugcheck_code_from_name("THREAD_STUCK_IN_DEVICE_DRIVER_M", &code));
    assert_int_equal(code, 0x100000EA);
    /* The lower of the two codes named VIDEO_DRIVER_DEBUG_REPORT_REQUEST. */
    assert_true(an_bugcheck_code_from_name("VIDEO_DRIVER_DEBUG_REPORT_REQUEST", &code));
    assert_int_equal(code, 0xAD);
    /* Aliases from the notes of bugcheck-params.md. */
    assert_true(an_bugcheck_code_from_name("VOLMGRX_INTERNAL_ERROR", &code));
    assert_int_equal(code, 0x58);
    assert_string_equal(an_bugcheck_name(code), "FTDISK_INTERNAL_ERROR");
    assert_true(an_bugcheck_code_from_name("STATUS_SYSTEM_PROCESS_TERMINATED", &code));
    assert_int_equal(code, 0xC000021A);
    code = 7;
    assert_false(an_bugcheck_code_from_name("NOT_A_BUG_CHECK", &code));
    assert_false(an_bugcheck_code_from_name("invalid_io_boost_state", &code));
    assert_false(an_bugcheck_code_from_name(NULL, &code));
    assert_int_equal(code, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_names),
        cmocka_unit_test(test_unknown_codes),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_tables_strictly_sorted),
        cmocka_unit_test(test_infos_complete),
        cmocka_unit_test(test_invalid_io_boost_state),
        cmocka_unit_test(test_driver_irql),
        cmocka_unit_test(test_m_variants),
        cmocka_unit_test(test_description_shapes),
        cmocka_unit_test(test_text_survives_escaping),
        cmocka_unit_test(test_names_and_aliases),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
