/* SPDX-License-Identifier: MIT */
/* The lock analysis on hand-built kernel models: orphans, deadlock cycles, contention,
 * bugcheck correlation, suspect module and bucket id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/an_findings.h"
#include "nt/nt_model.h"

#define KB 0xffff900000000000ull
#define DRV_BASE 0xfffff80533300000ull
#define NT_BASE 0xfffff80512000000ull

typedef struct world {
    nt_model m;
    size_t cap_threads;
} world;

static void init(world *w)
{
    memset(w, 0, sizeof *w);
    w->m.ctx.prof = nt_profile_for_build(19041);
    assert_non_null(w->m.ctx.prof);
    w->m.processes_complete = 1;
    w->m.threads_complete = 1;
    w->m.resources_complete = 1;
    w->m.clock.valid = 1;
    w->m.clock.tick_count = 1000;
    w->m.clock.tick_multiplier = 0x0FA00000; /* 15.625 ms */
    w->m.modules = calloc(2, sizeof *w->m.modules);
    w->m.nmodules = 2;
    w->m.modules[0] = (nt_module){.base = NT_BASE, .size = 0x1000000, .name = "ntoskrnl.exe"};
    w->m.modules[1] = (nt_module){.base = DRV_BASE, .size = 0x9000, .name = "baddrv.sys"};
    w->m.kernel.base = NT_BASE;
    w->m.processes = calloc(1, sizeof *w->m.processes);
    w->m.nprocesses = 1;
    w->m.processes[0] = (nt_process){.va = KB + 0x100000, .pid = 4, .name = "System"};
}

static uint64_t thread(world *w, unsigned n, int32_t state, uint32_t wait_ticks, uint64_t start)
{
    w->m.threads = realloc(w->m.threads, (w->m.nthreads + 1) * sizeof *w->m.threads);
    nt_thread *t = &w->m.threads[w->m.nthreads++];
    memset(t, 0, sizeof *t);
    t->va = KB + 0x1000ull * n;
    t->tid = 0x1000 + 4ull * n;
    t->pid = 4;
    t->process_va = KB + 0x100000;
    t->state = state;
    t->valid = 1;
    t->on_list = 1;
    t->start_address = start;
    t->win32_start_address = start;
    if (state == nt_enum_value(w->m.ctx.prof, NT_E_KTHREAD_STATE_WAITING)) {
        t->wait_reason = nt_enum_value(w->m.ctx.prof, NT_E_KWAIT_REASON_WRRESOURCE);
        t->wait_time = (uint32_t)w->m.clock.tick_count - wait_ticks;
    }
    nt_model_sort_threads(&w->m);
    return KB + 0x1000ull * n;
}

static size_t resource(world *w, unsigned n, int exclusive)
{
    w->m.resources = realloc(w->m.resources, (w->m.nresources + 1) * sizeof *w->m.resources);
    nt_resource *r = &w->m.resources[w->m.nresources];
    memset(r, 0, sizeof *r);
    r->va = KB + 0x800000 + 0x100ull * n;
    r->held = 1;
    r->validated = 1;
    r->exclusive = exclusive;
    r->first_owner = w->m.nowners;
    r->first_waiter = w->m.nwaiters;
    return w->m.nresources++;
}

/* Owners and waiters must be added right after their resource (contiguous ranges). */
static void owner(world *w, size_t r, uint64_t t, nt_probe probe)
{
    w->m.owners = realloc(w->m.owners, (w->m.nowners + 1) * sizeof *w->m.owners);
    w->m.owners[w->m.nowners++] = (nt_owner){.raw = t, .thread = t, .probe = probe, .count = 1};
    w->m.resources[r].nowners++;
}

static void waiter(world *w, size_t r, uint64_t t)
{
    w->m.waiters = realloc(w->m.waiters, (w->m.nwaiters + 1) * sizeof *w->m.waiters);
    w->m.waiters[w->m.nwaiters++] = (nt_waiter){.thread = t, .exclusive = 1, .confirmed = 1};
    w->m.resources[r].nwaiters++;
}

static int32_t st(world *w, nt_enum_id id) { return nt_enum_value(w->m.ctx.prof, id); }

static size_t count_kind(const an_analysis *a, an_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nfindings; i++)
        n += a->findings[i].kind == k;
    return n;
}

static void test_orphan_with_waiter(void **state)
{
    (void)state;
    world w;
    init(&w);
    uint64_t dead = thread(&w, 1, st(&w, NT_E_KTHREAD_STATE_TERMINATED), 0, DRV_BASE + 0x1530);
    size_t r = resource(&w, 1, 1);
    owner(&w, r, dead, NT_PROBE_THREAD);
    uint64_t waiting = thread(&w, 2, st(&w, NT_E_KTHREAD_STATE_WAITING), 64, NT_BASE + 0x2000);
    waiter(&w, r, waiting);
    an_analysis a;
    uint64_t params[4] = {dead, 1, 1, 0};
    assert_int_equal(an_analyze(&w.m, 0x13C, params, &a), 0);
    assert_int_equal(count_kind(&a, AN_ORPHANED_LOCK), 1);
    assert_int_equal(count_kind(&a, AN_CONTENTION), 0);
    const an_finding *f = &a.findings[0];
    assert_int_equal(f->kind, AN_ORPHANED_LOCK);
    assert_int_equal(f->severity, AN_SEV_CRITICAL);
    assert_int_equal(f->owner_state, AN_OWNER_TERMINATED);
    assert_int_equal(f->longest_wait_ms, 1000); /* 64 ticks of 15.625 ms */
    assert_non_null(strstr(f->summary, "has terminated"));
    assert_string_equal(a.suspect->name, "baddrv.sys");
    assert_string_equal(a.bucket, "0x13C_INVALID_IO_BOOST_STATE_orphaned_lock_baddrv.sys");
    assert_string_equal(a.params[0].kind, "thread");
    an_analysis_free(&a);
    nt_model_free(&w.m);
}

static void test_unreadable_owner_is_not_an_orphan(void **state)
{
    (void)state;
    world w;
    init(&w);
    size_t r = resource(&w, 1, 1);
    owner(&w, r, KB + 0x77000, NT_PROBE_UNREADABLE);
    an_analysis a;
    uint64_t params[4] = {0};
    assert_int_equal(an_analyze(&w.m, 0xE2, params, &a), 0);
    assert_int_equal(a.nfindings, 0);
    assert_null(a.suspect);
    assert_string_equal(a.bucket, "0xE2_MANUALLY_INITIATED_CRASH_unknown");
    an_analysis_free(&a);

    /* Memory that is no longer a thread is an orphan: the owner is gone. */
    w.m.owners[0].probe = NT_PROBE_NOT_THREAD;
    assert_int_equal(an_analyze(&w.m, 0xE2, params, &a), 0);
    assert_int_equal(count_kind(&a, AN_ORPHANED_LOCK), 1);
    assert_int_equal(a.findings[0].severity, AN_SEV_HIGH); /* nobody waits */
    assert_int_equal(a.findings[0].owner_state, AN_OWNER_NOT_A_THREAD);
    an_analysis_free(&a);
    nt_model_free(&w.m);
}

static void test_abba_deadlock(void **state)
{
    (void)state;
    world w;
    init(&w);
    int32_t waiting = st(&w, NT_E_KTHREAD_STATE_WAITING);
    uint64_t t1 = thread(&w, 5, waiting, 206, DRV_BASE + 0x100);
    uint64_t t2 = thread(&w, 3, waiting, 150, DRV_BASE + 0x200);
    size_t ra = resource(&w, 1, 1);
    owner(&w, ra, t1, NT_PROBE_THREAD);
    waiter(&w, ra, t2);
    size_t rb = resource(&w, 2, 1);
    owner(&w, rb, t2, NT_PROBE_THREAD);
    waiter(&w, rb, t1);
    an_analysis a;
    uint64_t params[4] = {0};
    assert_int_equal(an_analyze(&w.m, 0xE2, params, &a), 0);
    assert_int_equal(count_kind(&a, AN_DEADLOCK), 1);
    assert_int_equal(count_kind(&a, AN_CONTENTION), 0);
    const an_finding *f = &a.findings[0];
    assert_int_equal(f->cycle_len, 2);
    assert_int_equal(f->cycle_threads[0], t2); /* lowest address first */
    assert_int_equal(f->cycle_resources[0], ra);
    assert_int_equal(f->cycle_threads[1], t1);
    assert_int_equal(f->cycle_resources[1], rb);
    assert_int_equal(f->longest_wait_ms, 3218); /* 206 ticks */
    assert_string_equal(a.bucket, "0xE2_MANUALLY_INITIATED_CRASH_deadlock_baddrv.sys");
    an_analysis_free(&a);
    nt_model_free(&w.m);
}

static void test_three_way_cycle_reported_once(void **state)
{
    (void)state;
    world w;
    init(&w);
    int32_t waiting = st(&w, NT_E_KTHREAD_STATE_WAITING);
    uint64_t t[3];
    for (unsigned i = 0; i < 3; i++)
        t[i] = thread(&w, 10 + i, waiting, 5, NT_BASE + 0x10);
    for (unsigned i = 0; i < 3; i++) {
        size_t r = resource(&w, i, 1);
        owner(&w, r, t[i], NT_PROBE_THREAD);
        waiter(&w, r, t[(i + 2) % 3]);
    }
    an_analysis a;
    uint64_t params[4] = {0};
    assert_int_equal(an_analyze(&w.m, 0xE2, params, &a), 0);
    assert_int_equal(count_kind(&a, AN_DEADLOCK), 1);
    assert_int_equal(a.findings[0].cycle_len, 3);
    an_analysis_free(&a);
    nt_model_free(&w.m);
}

static void test_contention_ranked_by_wait(void **state)
{
    (void)state;
    world w;
    init(&w);
    int32_t waiting = st(&w, NT_E_KTHREAD_STATE_WAITING), running = st(&w, NT_E_KTHREAD_STATE_RUNNING);
    uint64_t o1 = thread(&w, 1, running, 0, NT_BASE), o2 = thread(&w, 2, running, 0, NT_BASE);
    uint64_t w1 = thread(&w, 3, waiting, 10, NT_BASE), w2 = thread(&w, 4, waiting, 640, NT_BASE);
    size_t r1 = resource(&w, 1, 0);
    owner(&w, r1, o1, NT_PROBE_THREAD);
    waiter(&w, r1, w1);
    size_t r2 = resource(&w, 2, 1);
    owner(&w, r2, o2, NT_PROBE_THREAD);
    waiter(&w, r2, w2);
    an_analysis a;
    uint64_t params[4] = {0};
    assert_int_equal(an_analyze(&w.m, 0xD1, params, &a), 0);
    assert_int_equal(count_kind(&a, AN_CONTENTION), 2);
    assert_int_equal(a.findings[0].resource, r2); /* 10 s wait: medium, first */
    assert_int_equal(a.findings[0].severity, AN_SEV_MEDIUM);
    assert_int_equal(a.findings[1].resource, r1);
    assert_int_equal(a.findings[1].severity, AN_SEV_LOW);
    an_analysis_free(&a);
    nt_model_free(&w.m);
}

static void test_suspect_from_instruction_parameter(void **state)
{
    (void)state;
    world w;
    init(&w);
    an_analysis a;
    uint64_t params[4] = {0x10, 2, 0, DRV_BASE + 0x42};
    assert_int_equal(an_analyze(&w.m, 0xD1, params, &a), 0);
    assert_string_equal(a.suspect->name, "baddrv.sys");
    assert_string_equal(a.bucket, "0xD1_DRIVER_IRQL_NOT_LESS_OR_EQUAL_faulting_module_baddrv.sys+0x42");
    an_analysis_free(&a);
    nt_model_free(&w.m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orphan_with_waiter),
        cmocka_unit_test(test_unreadable_owner_is_not_an_orphan),
        cmocka_unit_test(test_abba_deadlock),
        cmocka_unit_test(test_three_way_cycle_reported_once),
        cmocka_unit_test(test_contention_ranked_by_wait),
        cmocka_unit_test(test_suspect_from_instruction_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
