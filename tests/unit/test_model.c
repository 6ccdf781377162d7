/* SPDX-License-Identifier: MIT */
/* The kernel model end to end on generated worlds: what the report says when the KDBG is
 * encoded, when a waiter ring never closes, and that a healthy world reads completely;
 * process names from SeAuditProcessCreationInfo (and hostile ones); idle threads and Idle. */
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
#include "nt/nt_model.h"
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

static fg_dump *build_scenario(const char *text, const char *name)
{
    char err[256];
    fg_dump *d = fg_scenario_build(text, name, NULL, err, sizeof err);
    if (!d)
        fail_msg("scenario %s: %s", name, err);
    return d;
}

static fg_dump *build_world(void) { return build_scenario(world_text, "world"); }

static cJSON *report_with(const char *path, const di_report_options *opts, int *damaged)
{
    di_dump *dd = t_open(path);
    char *json;
    di_error err = {0};
    assert_int_equal(di_report_json(dd, opts, &json, &err), DI_OK);
    *damaged = di_is_damaged(dd);
    di_close(dd);
    cJSON *root = cJSON_Parse(json);
    di_free(json);
    assert_non_null(root);
    return root;
}

static cJSON *report_of(const char *path, int *damaged) { return report_with(path, NULL, damaged); }

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
    cJSON_ArrayForEach(w, at(root, "warnings")) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(w, "message");
        if (cJSON_IsString(m) && strstr(m->valuestring, needle))
            return 1;
    }
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

/* A resource with one exclusive and two shared waiters, in the waiter bookkeeping of build b. */
static fg_dump *build_waiters_world(unsigned b, int shared)
{
    char text[1200];
    snprintf(text, sizeof text,
             "type 6\n"
             "build %u\n"
             "world ticks=5000\n"
             "process System pid=4 ppid=0\n"
             "thread Owner pid=4 tid=0x1070\n"
             "thread X1 pid=4 tid=0x1074 wait_ticks=64\n"
             "thread S1 pid=4 tid=0x1078 wait_ticks=2\n"
             "thread S2 pid=4 tid=0x107c wait_ticks=3\n"
             "resource R exclusive owner=Owner:1 waiter=X1:exclusive%s va=0xffffc50f00300000\n"
             "resources_unheld 5\n",
             b, shared ? " waiter=S1:shared waiter=S2:shared" : "");
    return build_scenario(text, "waiters");
}

/* Every family of waiter bookkeeping gives the same waiters, each confirmed by its thread's
 * own WrResource wait; only how they were found differs. */
static void test_waiters_of_every_family(void **state)
{
    (void)state;
    static const struct {
        unsigned build;
        const char *via;
    } cases[] = {{10586, "event_wait_list"}, {14393, "event_wait_list"}, {15063, "event_wait_list"},
                 {17134, "event_wait_list"}, {17763, "waiter_ring"},     {19041, "waiter_ring"},
                 {22621, "waiter_ring"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fg_dump *d = build_waiters_world(cases[i].build, 1);
        int damaged;
        cJSON *r = report_of(t_emit(d, "waiters"), &damaged);
        assert_false(damaged);
        cJSON *res = at(r, "locks.resources.0");
        assert_int_equal(cJSON_GetArraySize(at(res, "waiters")), 3);
        int shared = 0;
        for (int k = 0; k < 3; k++) {
            char p[32];
            snprintf(p, sizeof p, "waiters.%d.confirmed", k);
            assert_true(cJSON_IsTrue(at(res, p)));
            snprintf(p, sizeof p, "waiters.%d.found_via", k);
            assert_string_equal(at(res, p)->valuestring, cases[i].via);
            snprintf(p, sizeof p, "waiters.%d.mode", k);
            shared += strcmp(at(res, p)->valuestring, "shared") == 0;
        }
        assert_int_equal(shared, 2);
        assert_false(cJSON_IsTrue(at(res, "damaged")));
        assert_int_equal(cJSON_GetArraySize(at(r, "warnings")), cases[i].build == 14393 ? 1 : 0);
        cJSON_Delete(r);
        fg_free(d);
    }
}

/* 10240's shared wait entries have no layout in the data: a resource with shared waiters has
 * unknown waiters (null and a warning), never an empty list. */
static void test_10240_shared_waiters_unknown(void **state)
{
    (void)state;
    fg_dump *d = build_waiters_world(10240, 0);
    const nt_profile *p = nt_profile_for_build(10240);
    uint64_t r = 0xffffc50f00300000ull;
    assert_int_equal(fg_write_u32(d, r + nt_field_get(p, NT_F_ERESOURCE_NUMBEROFSHAREDWAITERS)->offset, 1), FG_OK);
    int damaged;
    cJSON *rep = report_of(t_emit(d, "w10240"), &damaged);
    assert_true(cJSON_IsNull(at(rep, "locks.resources.0.waiters")));
    assert_true(any_warning(rep, "shared waiters are not decoded"));
    assert_true(cJSON_IsNull(at(rep, "locks.resources.0.owners.0.io_qos_priority_boosted")));
    cJSON_Delete(rep);
    fg_free(d);
}

/* 14393: the pool event's wait list lost the waiter (emptied). The thread still waits
 * (WrResource) on that event: it is listed as found through its own wait, not confirmed, and
 * the resource is damaged. */
static void test_waiter_found_through_its_wait(void **state)
{
    (void)state;
    fg_dump *d = build_waiters_world(14393, 0);
    const nt_profile *p = nt_profile_for_build(14393);
    uint64_t r = 0xffffc50f00300000ull, ev;
    assert_int_equal(fg_read(d, r + nt_field_get(p, NT_F_ERESOURCE_EXCLUSIVEWAITERS)->offset, &ev, 8), FG_OK);
    uint64_t head = ev + nt_field_get(p, NT_F_DISPATCHER_HEADER_WAITLISTHEAD)->offset;
    assert_int_equal(fg_write_u64(d, head, head), FG_OK);
    assert_int_equal(fg_write_u64(d, head + 8, head), FG_OK);
    int damaged;
    cJSON *rep = report_of(t_emit(d, "w14393"), &damaged);
    assert_true(damaged);
    cJSON *res = at(rep, "locks.resources.0");
    assert_int_equal(cJSON_GetArraySize(at(res, "waiters")), 1);
    assert_string_equal(at(res, "waiters.0.found_via")->valuestring, "thread_wait");
    assert_false(cJSON_IsTrue(at(res, "waiters.0.confirmed")));
    assert_true(cJSON_IsTrue(at(res, "damaged")));
    assert_true(any_warning(rep, "listed as found through its wait"));
    cJSON_Delete(rep);
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

/* An owner pointer whose memory no longer holds a thread while that memory is still on a
 * process's thread list: reused memory cannot be told from damage, so no orphan is claimed
 * on it; the report is partial (damaged) instead. */
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
    assert_true(damaged);
    cJSON *findings = at(root, "findings");
    cJSON *f;
    cJSON_ArrayForEach(f, findings)
        assert_string_not_equal(cJSON_GetObjectItem(f, "kind")->valuestring, "orphaned_lock");
    cJSON_Delete(root);
    fg_free(d);
}

/* ---- Process names: SeAuditProcessCreationInfo's image path, else ImageFileName ---- */

#define SEARCH_VA 0xffff8b0352a1c080ull
#define SEARCH_PID 5724
#define USER_VA 0x00007ff612340000ull
#define UNMAPPED_KVA 0xffff8b0400000000ull

/* Two processes with names longer than ImageFileName's 14 characters (one by its ID, one by
 * image=), System (no audit name), and 4 processors, one running a System thread. */
static const char names_text[] =
    "type 6\n"
    "build 19041\n"
    "processors 4\n"
    "bugcheck 0xE2 0 0 0 0\n"
    "world ticks=5000\n"
    "process System pid=4 ppid=0\n"
    "process SearchProtocolHost.exe pid=5724 ppid=4 create=100 va=0xffff8b0352a1c080\n"
    "process Defender pid=3000 ppid=4 image=MsMpEngineCoreService.exe\n"
    "thread Busy pid=4 tid=0x100\n"
    "thread SearchMain pid=5724 tid=0x104\n"
    "processor 2 current=Busy\n";

static fg_dump *build_names(void) { return build_scenario(names_text, "names"); }

static uint32_t off(nt_field_id id) { return nt_field_get(nt_profile_for_build(19041), id)->offset; }

static uint64_t read64(fg_dump *d, uint64_t va)
{
    uint64_t v = 0;
    assert_int_equal(fg_read(d, va, &v, 8), FG_OK); /* the generator runs little-endian hosts */
    return v;
}

/* Where SearchProtocolHost.exe's SeAuditProcessCreationInfo.ImageFileName is stored. */
static uint64_t search_audit_slot(void)
{
    return SEARCH_VA + off(NT_F_EPROCESS_SEAUDITPROCESSCREATIONINFO) + off(NT_F_SE_AUDIT_PROCESS_CREATION_INFO_IMAGEFILENAME);
}

/* Its UNICODE_STRING (OBJECT_NAME_INFORMATION.Name). */
static uint64_t search_name_string(fg_dump *d)
{
    uint64_t info = read64(d, search_audit_slot());
    assert_true(info >> 47 == 0x1FFFF);
    return info + off(NT_F_OBJECT_NAME_INFORMATION_NAME);
}

static cJSON *process_by_pid(cJSON *root, int pid)
{
    cJSON *p;
    cJSON_ArrayForEach(p, at(root, "processes")) if (at(p, "pid")->valueint == pid) return p;
    fail_msg("no process %d in the report", pid);
    return NULL;
}

static void assert_names(cJSON *root, int pid, const char *name, const char *short_name)
{
    cJSON *p = process_by_pid(root, pid);
    assert_string_equal(at(p, "name")->valuestring, name);
    assert_string_equal(at(p, "short_name")->valuestring, short_name);
}

static void test_long_process_names(void **state)
{
    (void)state;
    fg_dump *d = build_names();
    int damaged;
    cJSON *r = report_of(t_emit(d, "names"), &damaged);
    assert_false(damaged);
    assert_int_equal(cJSON_GetArraySize(at(r, "warnings")), 0);
    assert_names(r, SEARCH_PID, "SearchProtocolHost.exe", "SearchProtocol");
    assert_names(r, 3000, "MsMpEngineCoreService.exe", "MsMpEngineCore");
    assert_names(r, 4, "System", "System"); /* no audit name: ImageFileName, quietly */
    assert_string_equal(at(process_by_pid(r, SEARCH_PID), "found_via")->valuestring, "process_list");
    cJSON_Delete(r);
    fg_free(d);
}

/* One way to spoil the audit name, and what the report must then say. */
typedef struct audit_case {
    const char *what;
    void (*spoil)(fg_dump *d);
    int damaged;          /* a damage warning (page present, contents inconsistent) */
    const char *warning;  /* a warning must hold this; NULL: no warning at all */
} audit_case;

static void set_lengths(fg_dump *d, uint16_t len, uint16_t max)
{
    uint64_t us = search_name_string(d);
    assert_int_equal(fg_write_u16(d, us + off(NT_F_UNICODE_STRING_LENGTH), len), FG_OK);
    assert_int_equal(fg_write_u16(d, us + off(NT_F_UNICODE_STRING_MAXIMUMLENGTH), max), FG_OK);
}

static void set_buffer(fg_dump *d, uint64_t buf)
{
    assert_int_equal(fg_write_u64(d, search_name_string(d) + off(NT_F_UNICODE_STRING_BUFFER), buf), FG_OK);
}

static void length_above_maximum(fg_dump *d) { set_lengths(d, 0x80, 0x40); }
static void odd_length(fg_dump *d) { set_lengths(d, 0x4f, 0x80); }
static void huge_length(fg_dump *d) { set_lengths(d, 0xfffe, 0xfffe); }
static void empty_string(fg_dump *d) { set_lengths(d, 0, 0); }
static void buffer_in_user_space(fg_dump *d) { set_buffer(d, USER_VA); }
static void buffer_unmapped(fg_dump *d) { set_buffer(d, UNMAPPED_KVA); }
static void pointer_in_user_space(fg_dump *d) { assert_int_equal(fg_write_u64(d, search_audit_slot(), USER_VA), FG_OK); }
static void pointer_unmapped(fg_dump *d) { assert_int_equal(fg_write_u64(d, search_audit_slot(), UNMAPPED_KVA), FG_OK); }
static void pointer_noncanonical(fg_dump *d)
{
    assert_int_equal(fg_write_u64(d, search_audit_slot(), 0x0000800000000000ull), FG_OK);
}

/* A readable, well-formed string that is not this process's name: the file name's first
 * character changes, so it no longer begins with ImageFileName. */
static void other_name(fg_dump *d)
{
    uint64_t us = search_name_string(d);
    uint64_t buf = read64(d, us + off(NT_F_UNICODE_STRING_BUFFER));
    uint16_t len;
    assert_int_equal(fg_read(d, us + off(NT_F_UNICODE_STRING_LENGTH), &len, 2), FG_OK);
    size_t file = len / 2 - strlen("SearchProtocolHost.exe");
    assert_int_equal(fg_write_u16(d, buf + 2 * file, 'X'), FG_OK);
}

static const audit_case audit_cases[] = {
    {"Length > MaximumLength", length_above_maximum, 1, "above its MaximumLength"},
    {"odd Length", odd_length, 1, "odd Length"},
    {"huge Length", huge_length, 0, "more than the 2048 read"},
    {"empty string", empty_string, 0, NULL},
    {"Buffer in user space", buffer_in_user_space, 1, "Buffer outside kernel space"},
    {"Buffer on an unmapped page", buffer_unmapped, 0, NULL},
    {"pointer in user space", pointer_in_user_space, 0, NULL},
    {"pointer to an unmapped page", pointer_unmapped, 0, NULL},
    {"non-canonical pointer", pointer_noncanonical, 0, NULL},
    {"another file's name", other_name, 1, "does not end in a file name beginning with ImageFileName"},
};

static void test_hostile_audit_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof audit_cases / sizeof audit_cases[0]; i++) {
        const audit_case *c = &audit_cases[i];
        fg_dump *d = build_names();
        c->spoil(d);
        int damaged;
        cJSON *r = report_of(t_emit(d, "audit"), &damaged);
        if (damaged != c->damaged)
            fail_msg("%s: damaged is %d, expected %d", c->what, damaged, c->damaged);
        if (c->warning && !any_warning(r, c->warning))
            fail_msg("%s: no warning says \"%s\"", c->what, c->warning);
        if (!c->warning && cJSON_GetArraySize(at(r, "warnings")) != 0)
            fail_msg("%s: unexpected warning \"%s\"", c->what, at(r, "warnings.0")->valuestring);
        /* Nothing is invented: the name is ImageFileName; the other processes are untouched. */
        assert_names(r, SEARCH_PID, "SearchProtocol", "SearchProtocol");
        assert_names(r, 3000, "MsMpEngineCoreService.exe", "MsMpEngineCore");
        cJSON_Delete(r);
        fg_free(d);
    }
}

/* ---- Idle threads and the Idle process ---- */

static void test_idle_threads_of_every_processor(void **state)
{
    (void)state;
    fg_dump *d = build_names();
    di_report_options opts = {.all_threads = 1};
    int damaged;
    cJSON *r = report_with(t_emit(d, "idle"), &opts, &damaged);
    assert_false(damaged);
    cJSON *cpus = at(r, "processors");
    assert_int_equal(cJSON_GetArraySize(cpus), 4);
    for (int i = 0; i < 4; i++) {
        cJSON *cpu = cJSON_GetArrayItem(cpus, i);
        cJSON *idle = at(cpu, "idle_thread");
        assert_int_equal(at(idle, "tid")->valueint, 0);
        assert_string_equal(at(idle, "process_name")->valuestring, "Idle");
        /* The busy processor's idle thread is listed too, merely ready. */
        if (i == 2) {
            assert_int_equal(at(cpu, "current_thread.tid")->valueint, 0x100);
            assert_string_equal(at(idle, "state")->valuestring, "Ready");
        } else {
            assert_string_equal(at(cpu, "current_thread.address")->valuestring, at(idle, "address")->valuestring);
            assert_string_equal(at(idle, "state")->valuestring, "Running");
        }
        /* --all-threads lists it, under the Idle process. */
        int listed = 0;
        cJSON *t;
        cJSON_ArrayForEach(t, at(r, "threads.list")) if (strcmp(at(t, "address")->valuestring,
                                                                  at(idle, "address")->valuestring) == 0)
        {
            listed = 1;
            assert_int_equal(at(t, "pid")->valueint, 0);
            assert_string_equal(at(t, "process_name")->valuestring, "Idle");
        }
        assert_true(listed);
    }
    /* Busy, SearchMain and the four idle threads: all counted. */
    assert_int_equal(at(r, "threads.total")->valueint, 6);
    assert_int_equal(cJSON_GetArraySize(at(r, "threads.list")), 6);
    cJSON_Delete(r);
    fg_free(d);
}

static void test_idle_process_listed(void **state)
{
    (void)state;
    fg_dump *d = build_names();
    int damaged;
    cJSON *r = report_of(t_emit(d, "idleproc"), &damaged);
    assert_int_equal(cJSON_GetArraySize(at(r, "processes")), 4); /* three listed, and Idle */
    cJSON *idle = process_by_pid(r, 0);
    assert_string_equal(at(idle, "name")->valuestring, "Idle");
    assert_string_equal(at(idle, "short_name")->valuestring, "Idle");
    assert_string_equal(at(idle, "found_via")->valuestring, "idle_thread");
    assert_int_equal(at(idle, "threads_found")->valueint, 4);
    assert_string_equal(at(r, "processors.0.idle_thread.process_name")->valuestring, "Idle");
    cJSON_Delete(r);
    fg_free(d);
}

/* Thread lookups: through the address index, through a record search (a model built by
 * hand), and through position hints, right, wrong or out of range. */
static void test_thread_lookups(void **state)
{
    (void)state;
    nt_model m;
    memset(&m, 0, sizeof m);
    nt_limits_default(&m.ctx.limits);
    enum { N = 100 };
    m.threads = calloc(N, sizeof *m.threads);
    assert_non_null(m.threads);
    m.threads_cap = N;
    for (size_t i = 0; i < N; i++) /* out of order, with one address twice */
        m.threads[m.nthreads++].va = 0xffff800000000000ull + 0x1000ull * ((i * 37) % N);
    m.threads[N - 1].va = m.threads[0].va;
    nt_model_sort_threads(&m);
    assert_int_equal(m.nthreads, N - 1);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) { /* the same answers without the index */
            free(m.thread_vas);
            m.thread_vas = NULL;
            m.nthread_vas = 0;
        }
        for (size_t i = 0; i + 1 < N; i++) {
            uint64_t va = m.threads[i].va;
            assert_ptr_equal(nt_model_thread(&m, va), &m.threads[i]);
            assert_ptr_equal(nt_model_thread_at(&m, va, (uint32_t)i), &m.threads[i]);
            assert_ptr_equal(nt_model_thread_at(&m, va, (uint32_t)((i + 1) % (N - 1))), &m.threads[i]);
            assert_ptr_equal(nt_model_thread_at(&m, va, UINT32_MAX), &m.threads[i]);
            assert_null(nt_model_thread(&m, va + 8));
            assert_null(nt_model_thread_at(&m, va + 8, (uint32_t)i));
        }
    }
    nt_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_reads_completely),
        cmocka_unit_test(test_encoded_kdbg),
        cmocka_unit_test(test_waiters_of_every_family),
        cmocka_unit_test(test_10240_shared_waiters_unknown),
        cmocka_unit_test(test_waiter_found_through_its_wait),
        cmocka_unit_test(test_waiter_ring_that_never_closes),
        cmocka_unit_test(test_owner_memory_reused),
        cmocka_unit_test(test_long_process_names),
        cmocka_unit_test(test_hostile_audit_names),
        cmocka_unit_test(test_idle_threads_of_every_processor),
        cmocka_unit_test(test_idle_process_listed),
        cmocka_unit_test(test_thread_lookups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
