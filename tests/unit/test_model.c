/* The kernel model end to end on generated worlds: what the report says when the KDBG is
 * encoded, when a waiter ring never closes, and that a healthy world reads completely. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <cmocka.h>

#include "fg_scenario.h"
#include "nt/nt_profile.h"
#include "support_dumps.h"

/* A small world: System with a terminated owner and two waiters on one resource. */
static const char world_text[] =
    "type 6\n"
    "build 19041\n"
    "bugcheck 0x13C @Owner 1 1 0\n"
    "world ticks=5000\n"
    "module baddrv.sys base=0xfffff80533300000 size=0x9000\n"
    "process System pid=4 ppid=0\n"
    "thread Owner pid=4 tid=0x1070 terminated start=baddrv.sys+0x1530 qos_boost=1\n"
    "thread W1 pid=4 tid=0x1074 wait_ticks=64 start=baddrv.sys+0x1610\n"
    "thread W2 pid=4 tid=0x1078 wait_ticks=2 start=baddrv.sys+0x1610\n"
    "resource R exclusive owner=Owner:1:qos waiter=W1:exclusive waiter=W2:exclusive va=0xffffc50f00300000\n"
    "resources_unheld 20\n";

static fg_dump *build_world(void)
{
    char err[256];
    fg_dump *d = fg_scenario_build(world_text, "world", NULL, err, sizeof err);
    if (!d)
        fail_msg("scenario: %s", err);
    return d;
}

static cJSON *report_of(const char *path, int *damaged)
{
    di_dump *dd = t_open(path);
    char *json;
    di_error err = {0};
    assert_int_equal(di_report_json(dd, NULL, &json, &err), DI_OK);
    *damaged = di_is_damaged(dd);
    di_close(dd);
    cJSON *root = cJSON_Parse(json);
    di_free(json);
    assert_non_null(root);
    return root;
}

static cJSON *at(cJSON *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && o; tok = strtok(NULL, "."))
        o = (tok[0] >= '0' && tok[0] <= '9') ? cJSON_GetArrayItem(o, atoi(tok)) : cJSON_GetObjectItemCaseSensitive(o, tok);
    if (!o)
        fail_msg("no %s in the report", path);
    return o;
}

static int any_warning(cJSON *root, const char *needle)
{
    cJSON *w;
    cJSON_ArrayForEach(w, at(root, "warnings")) if (strstr(w->valuestring, needle)) return 1;
    return 0;
}

static void test_world_reads_completely(void **state)
{
    (void)state;
    fg_dump *d = build_world();
    int damaged;
    cJSON *r = report_of(t_emit(d, "model"), &damaged);
    assert_false(damaged);
    assert_string_equal(at(r, "kernel.kdbg.state")->valuestring, "ok");
    assert_string_equal(at(r, "kernel.image.pdb_name")->valuestring, "ntkrnlmp.pdb");
    assert_int_equal(at(r, "locks.resources_total")->valueint, 21);
    assert_int_equal(at(r, "locks.resources_held")->valueint, 1);
    assert_true(cJSON_IsTrue(at(r, "locks.list_complete")));
    cJSON *res = at(r, "locks.resources.0");
    assert_string_equal(at(res, "mode")->valuestring, "exclusive");
    assert_int_equal(cJSON_GetArraySize(at(res, "waiters")), 2);
    assert_true(cJSON_IsTrue(at(res, "waiters.0.confirmed")));
    assert_int_equal(at(res, "waiters.0.wait_ms")->valueint, 1000); /* 64 ticks */
    assert_string_equal(at(r, "findings.0.kind")->valuestring, "orphaned_lock");
    assert_string_equal(at(r, "findings.0.evidence.owner_state")->valuestring, "terminated");
    assert_string_equal(at(r, "analysis.bucket_id")->valuestring, "0x13C_INVALID_IO_BOOST_STATE_orphaned_lock_baddrv.sys");
    assert_string_equal(at(r, "bugcheck.parameters.0.refers_to.kind")->valuestring, "thread");
    assert_int_equal(cJSON_GetArraySize(at(r, "warnings")), 0);
    cJSON_Delete(r);
    fg_free(d);
}

/* An encoded (or wrong) KDBG: said clearly; processes still come from the header's list
 * heads; resources cannot be found without ExpSystemResourcesList. */
static void test_encoded_kdbg(void **state)
{
    (void)state;
    fg_dump *d = build_world();
    uint64_t kdbg = fg_config_of(d)->kdbg_va;
    assert_int_equal(fg_write_u32(d, kdbg + 0x10, 0x9c3b51e7u), FG_OK);
    int damaged;
    cJSON *r = report_of(t_emit(d, "kdbg"), &damaged);
    assert_string_equal(at(r, "kernel.kdbg.state")->valuestring, "encoded");
    assert_true(any_warning(r, "encoded"));
    assert_true(cJSON_GetArraySize(at(r, "processes")) >= 1);
    assert_int_equal(at(r, "locks.resources_total")->valueint, 0);
    cJSON_Delete(r);
    fg_free(d);
}

/* The second waiter's Flink points at itself: the ring never comes back to its first
 * entry. The walk stops at its bound and says so; the resource is marked damaged. */
static void test_waiter_ring_that_never_closes(void **state)
{
    (void)state;
    fg_dump *d = build_world();
    const nt_profile *p = nt_profile_for_build(19041);
    uint64_t r = 0xffffc50f00300000ull, first, second;
    assert_int_equal(fg_read(d, r + nt_field_get(p, NT_F_ERESOURCE_EXCLUSIVEWAITERS)->offset, &first, 8), FG_OK);
    assert_int_equal(fg_read(d, first, &second, 8), FG_OK);
    assert_true(second != first);
    assert_int_equal(fg_write_u64(d, second, second), FG_OK);
    int damaged;
    cJSON *root = report_of(t_emit(d, "ring"), &damaged);
    assert_true(damaged);
    assert_true(any_warning(root, "loops back"));
    assert_true(cJSON_IsTrue(at(root, "locks.resources.0.damaged")));
    /* What was read is still reported: the orphan and its first waiter. */
    assert_string_equal(at(root, "findings.0.kind")->valuestring, "orphaned_lock");
    cJSON_Delete(root);
    fg_free(d);
}

/* An owner pointer whose memory holds no thread (freed and reused): the lock is orphaned
 * and the report says the owner is not a thread. */
static void test_owner_memory_reused(void **state)
{
    (void)state;
    fg_dump *d = build_world();
    const nt_profile *p = nt_profile_for_build(19041);
    uint64_t r = 0xffffc50f00300000ull, owner;
    uint32_t oe = nt_field_get(p, NT_F_ERESOURCE_OWNERENTRY)->offset;
    assert_int_equal(fg_read(d, r + oe, &owner, 8), FG_OK);
    assert_int_equal(fg_write_u8(d, owner, 0x16), FG_OK); /* DISPATCHER_HEADER.Type: no longer 6 */
    int damaged;
    cJSON *root = report_of(t_emit(d, "reuse"), &damaged);
    assert_string_equal(at(root, "findings.0.kind")->valuestring, "orphaned_lock");
    assert_string_equal(at(root, "findings.0.evidence.owner_state")->valuestring, "not_a_thread");
    cJSON_Delete(root);
    fg_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_reads_completely),
        cmocka_unit_test(test_encoded_kdbg),
        cmocka_unit_test(test_waiter_ring_that_never_closes),
        cmocka_unit_test(test_owner_memory_reused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
