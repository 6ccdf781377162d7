/* SPDX-License-Identifier: MIT */
/* The emitter writes exactly what printing the same tree with cJSON gives: every value kind,
 * escapes, numbers cJSON prints with and without "%d", empty and nested containers, skipped
 * elements, a subtree handed over whole; formatted and compact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/rep_emit.h"
#include "report/rep_json.h"

/* Element i of the sample list; every third is skipped (emits nothing). */
static int sample(void *ctx, size_t i, rep_emit *e)
{
    (void)ctx;
    if (i % 3 == 1)
        return 0;
    static const double numbers[] = {0, -1, 7, 2147483647.0, -2147483648.0, 2147483648.0, 1.5, -0.25, 1e17,
                                     123456789012345.0, 0.1, 4294967296.0};
    rep_em_object(e, NULL);
    rep_em_hex64(e, "address", 0xffffc50f00ad17d0ull + i);
    rep_em_hex16(e, "flag", (uint16_t)(0x80 + i));
    rep_em_string(e, "text", "quote \" backslash \\ tab \t newline \n bell \a \x1f done");
    rep_em_string(e, "none", NULL);
    rep_em_null(e, "null");
    rep_em_bool(e, "yes", 1);
    rep_em_bool(e, "no", 0);
    rep_em_uint(e, "count", i * 1000003u);
    rep_em_number(e, "number", numbers[i % (sizeof numbers / sizeof numbers[0])]);
    rep_em_object(e, "empty_object");
    rep_em_end(e);
    rep_em_array(e, "empty_array");
    rep_em_end(e);
    rep_em_array(e, "nested");
    for (size_t k = 0; k < i % 4; k++) {
        rep_em_object(e, NULL);
        rep_em_uint(e, "k", k);
        rep_em_array(e, "inner");
        rep_em_uint(e, NULL, k * 2);
        rep_em_string(e, NULL, "x");
        rep_em_end(e);
        rep_em_end(e);
    }
    rep_em_end(e);
    cJSON *sub = cJSON_CreateObject();
    cJSON_AddStringToObject(sub, "built", "as a tree");
    cJSON_AddItemToObject(sub, "list", cJSON_CreateIntArray((const int[]){1, 2, 3}, 3));
    rep_em_json(e, "subtree", sub);
    rep_em_end(e);
    return 0;
}

/* The document with the list built as a tree and printed by cJSON, and streamed. */
static void compare(size_t count, int compact)
{
    cJSON *tree = cJSON_CreateObject();
    cJSON_AddStringToObject(tree, "before", "a");
    rep_emit e;
    rep_emit_tree(&e, cJSON_AddArrayToObject(tree, "list"));
    for (size_t i = 0; i < count; i++)
        assert_int_equal(sample(NULL, i, &e), 0);
    assert_false(e.failed);
    cJSON_AddNumberToObject(tree, "after", 1);
    char *want = NULL;
    assert_int_equal(rep_print(tree, compact, &want, NULL), DI_OK);

    cJSON *shell = cJSON_CreateObject();
    rep_deferrals *d = rep_deferrals_new();
    cJSON_AddStringToObject(shell, "before", "a");
    assert_non_null(rep_add_deferred_emit_array(shell, "list", d, count, sample, NULL, NULL));
    cJSON_AddNumberToObject(shell, "after", 1);
    char *got = NULL;
    assert_int_equal(rep_print_streamed(shell, d, compact, &got, NULL), DI_OK);
    assert_string_equal(got, want);

    free(want);
    free(got);
    rep_deferrals_free(d);
    cJSON_Delete(tree);
    cJSON_Delete(shell);
}

static void test_formatted(void **state)
{
    (void)state;
    compare(13, 0);
}

static void test_compact(void **state)
{
    (void)state;
    compare(13, 1);
}

/* Lists with no element shown, and a first element that is skipped. */
static void test_empty_and_skipped(void **state)
{
    (void)state;
    compare(0, 0);
    compare(0, 1);
    compare(1, 0);
    compare(2, 1);
}

/* Nesting deeper than the emitter's frames fails instead of writing past them. */
static void test_too_deep(void **state)
{
    (void)state;
    cJSON *root = cJSON_CreateArray();
    rep_emit e;
    rep_emit_tree(&e, root);
    for (int i = 0; i < REP_EMIT_DEPTH + 2; i++)
        rep_em_array(&e, NULL);
    assert_true(e.failed);
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formatted),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_empty_and_skipped),
        cmocka_unit_test(test_too_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
