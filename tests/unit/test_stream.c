/* SPDX-License-Identifier: MIT */
/* The streamed report printer writes exactly cJSON's bytes (formatted and compact), also
 * when a list is built element by element while printing or handed to a writer in chunks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dumpinspect/dumpinspect.h"
#include "report/rep_json.h"

/* A tree with every shape the report uses: nested objects and arrays, arrays of objects,
 * empty containers, escapes, numbers, literals. */
static cJSON *sample(void)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "n", 42);
    cJSON_AddNumberToObject(root, "big", 9007199254740991.0);
    cJSON_AddNumberToObject(root, "neg", -420);
    cJSON_AddStringToObject(root, "s", "tab\there \"quoted\" back\\slash \x01 caf\xc3\xa9");
    char ctl[40];
    for (int i = 0; i < 31; i++)
        ctl[i] = (char)(i + 1); /* every control byte cJSON escapes */
    ctl[31] = 0x7F;
    ctl[32] = '\0';
    cJSON_AddStringToObject(root, "controls", ctl);
    cJSON_AddNullToObject(root, "nothing");
    cJSON_AddTrueToObject(root, "yes");
    cJSON_AddObjectToObject(root, "empty_object");
    cJSON_AddArrayToObject(root, "empty_array");
    cJSON *o = cJSON_AddObjectToObject(root, "nested");
    cJSON *arr = cJSON_AddArrayToObject(o, "list");
    for (int i = 0; i < 3; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "i", i);
        cJSON *inner = cJSON_AddArrayToObject(e, "inner");
        cJSON_AddItemToArray(inner, cJSON_CreateString("x"));
        cJSON_AddItemToArray(inner, cJSON_CreateNumber(i * 1.5));
        cJSON_AddItemToArray(inner, cJSON_CreateObject());
        cJSON_AddItemToArray(arr, e);
    }
    cJSON *strings = cJSON_AddArrayToObject(o, "strings");
    cJSON_AddItemToArray(strings, cJSON_CreateString("a"));
    cJSON_AddItemToArray(strings, cJSON_CreateString("b"));
    return root;
}

static void test_same_bytes_as_cjson(void **state)
{
    (void)state;
    cJSON *root = sample();
    for (int compact = 0; compact < 2; compact++) {
        char *want = compact ? cJSON_PrintUnformatted(root) : cJSON_Print(root);
        char *got = NULL;
        assert_int_equal(rep_print_streamed(root, NULL, compact, &got, NULL), DI_OK);
        assert_string_equal(got, want);
        free(got);
        cJSON_free(want);
    }
    cJSON_Delete(root);
}

/* Element i of the deferred list: the same objects sample() puts in nested.list, with
 * element 1 skipped to show that a list may leave elements out. */
static int element(void *ctx, size_t i, cJSON **out)
{
    int *built = ctx;
    if (i == 1)
        return 0;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddNumberToObject(e, "i", (double)i);
    cJSON *inner = cJSON_AddArrayToObject(e, "inner");
    cJSON_AddItemToArray(inner, cJSON_CreateString("x"));
    cJSON_AddItemToArray(inner, cJSON_CreateNumber((double)i * 1.5));
    cJSON_AddItemToArray(inner, cJSON_CreateObject());
    (*built)++;
    *out = e;
    return 0;
}

static void test_deferred_list(void **state)
{
    (void)state;
    /* Reference: the full tree without element 1. */
    cJSON *full = sample();
    cJSON *list = cJSON_GetObjectItem(cJSON_GetObjectItem(full, "nested"), "list");
    cJSON_DeleteItemFromArray(list, 1);
    for (int compact = 0; compact < 2; compact++) {
        cJSON *root = sample();
        cJSON *nested = cJSON_GetObjectItem(root, "nested");
        cJSON_DeleteItemFromObject(nested, "list");
        rep_deferrals *d = rep_deferrals_new();
        int built = 0;
        assert_non_null(rep_add_deferred_array(nested, "list", d, 3, element, &built, NULL));
        /* The deferred list must stay where the full one was: move "strings" after it. */
        cJSON *strings = cJSON_DetachItemFromObject(nested, "strings");
        cJSON_AddItemToObject(nested, "strings", strings);
        char *got = NULL;
        assert_int_equal(rep_print_streamed(root, d, compact, &got, NULL), DI_OK);
        char *want = compact ? cJSON_PrintUnformatted(full) : cJSON_Print(full);
        assert_string_equal(got, want);
        assert_int_equal(built, 2);
        free(got);
        cJSON_free(want);
        rep_deferrals_free(d);
        cJSON_Delete(root);
    }
    cJSON_Delete(full);
}

static int failing(void *ctx, size_t i, cJSON **out)
{
    (void)ctx;
    (void)i;
    *out = NULL;
    return -1;
}

static void free_counter(void *ctx) { (*(int *)ctx)++; }

/* A list whose element cannot be built fails the print cleanly; contexts are released. */
static void test_failure_and_ownership(void **state)
{
    (void)state;
    cJSON *root = cJSON_CreateObject();
    rep_deferrals *d = rep_deferrals_new();
    int freed = 0;
    assert_non_null(rep_add_deferred_array(root, "list", d, 5, failing, &freed, free_counter));
    char *got = NULL;
    di_error err;
    assert_int_equal(rep_print_streamed(root, d, 0, &got, &err), DI_E_NOMEM);
    assert_null(got);
    rep_deferrals_free(d);
    assert_int_equal(freed, 1);
    cJSON_Delete(root);
}

typedef struct collect {
    char *buf;
    size_t len, cap, calls;
    size_t fail_after;          /* 0: never fail */
} collect;

static int collect_write(void *ctx, const char *data, size_t len)
{
    collect *c = ctx;
    c->calls++;
    if (c->fail_after && c->calls > c->fail_after)
        return -1;
    if (c->len + len + 1 > c->cap) {
        c->cap = (c->len + len + 1) * 2;
        c->buf = realloc(c->buf, c->cap);
        assert_non_null(c->buf);
    }
    memcpy(c->buf + c->len, data, len);
    c->len += len;
    c->buf[c->len] = '\0';
    return 0;
}

/* di_report_json_write hands out the same bytes as di_report_json, in chunks; a writer
 * that fails stops the report with DI_E_IO. */
static void test_report_json_write(void **state)
{
    (void)state;
    const char *demo = DI_SOURCE_DIR "/fixtures/demo.dmp.gz";
    for (int all = 0; all < 2; all++) {
        di_report_options ro = {.all_locks = all, .all_threads = all};
        di_dump *d;
        di_error err;
        assert_int_equal(di_open(demo, &d, &err), DI_OK);
        char *want = NULL;
        assert_int_equal(di_report_json(d, &ro, &want, &err), DI_OK);
        collect c = {0};
        assert_int_equal(di_report_json_write(d, &ro, collect_write, &c, &err), DI_OK);
        assert_string_equal(c.buf, want);
        if (all)
            assert_true(c.calls > 1); /* the 3,000 free resources take several chunks */
        collect broken = {.fail_after = 1};
        assert_int_equal(di_report_json_write(d, &ro, collect_write, &broken, &err), all ? DI_E_IO : DI_OK);
        free(c.buf);
        free(broken.buf);
        di_free(want);
        di_close(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_as_cjson),
        cmocka_unit_test(test_deferred_list),
        cmocka_unit_test(test_failure_and_ownership),
        cmocka_unit_test(test_report_json_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
