/* SPDX-License-Identifier: MIT */
/* The lock analysis on crafted models that once invented findings or blew up: claims need
 * evidence (no deadlock from unconfirmed waiters, spliced rings or non-threads; no orphan
 * from unproven owners) and cost stays bounded (edges, findings, evidence) for inputs a
 * few hundred KB of dump can describe. Models are built in bulk, sorted once. */
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

typedef struct world {
    nt_model m;
    di_strlist warnings;
    size_t threads_cap, res_cap, owners_cap, waiters_cap;
} world;

static void init(world *w)
{
    memset(w, 0, sizeof *w);
    w->m.ctx.prof = nt_profile_for_build(19041);
    assert_non_null(w->m.ctx.prof);
    w->m.ctx.warnings = &w->warnings;
    w->m.processes_complete = 1;
    w->m.threads_complete = 1;
    w->m.resources_complete = 1;
    w->m.modules = calloc(1, sizeof *w->m.modules);
    w->m.nmodules = 1;
    w->m.modules[0] = (nt_module){.base = DRV_BASE, .size = 0x9000, .name = "baddrv.sys"};
}

static void done(world *w)
{
    nt_model_free(&w->m);
    di_strlist_free(&w->warnings);
}

static int32_t st(world *w, nt_enum_id id) { return nt_enum_value(w->m.ctx.prof, id); }

/* Thread n (addresses increase with n, so adding in order keeps them sorted). */
static uint64_t thread(world *w, size_t n, int32_t state)
{
    if (w->m.nthreads == w->threads_cap) {
        w->threads_cap = w->threads_cap ? 2 * w->threads_cap : 64;
        w->m.threads = realloc(w->m.threads, w->threads_cap * sizeof *w->m.threads);
        assert_non_null(w->m.threads);
    }
    nt_thread *t = &w->m.threads[w->m.nthreads++];
    memset(t, 0, sizeof *t);
    t->va = KB + 0x1000ull * n;
    t->tid = 4 * n;
    t->state = state;
    t->valid = 1;
    t->on_list = 1;
    t->start_address = DRV_BASE + 0x100;
    if (state == st(w, NT_E_KTHREAD_STATE_WAITING))
        t->wait_reason = st(w, NT_E_KWAIT_REASON_WRRESOURCE);
    w->m.nsorted = w->m.nthreads;
    return t->va;
}

static size_t resource(world *w, size_t n)
{
    if (w->m.nresources == w->res_cap) {
        w->res_cap = w->res_cap ? 2 * w->res_cap : 64;
        w->m.resources = realloc(w->m.resources, w->res_cap * sizeof *w->m.resources);
        assert_non_null(w->m.resources);
    }
    nt_resource *r = &w->m.resources[w->m.nresources];
    memset(r, 0, sizeof *r);
    r->va = KB + 0x40000000ull + 0x100ull * n;
    r->held = 1;
    r->validated = 1;
    r->exclusive = 1;
    r->first_owner = w->m.nowners;
    r->first_waiter = w->m.nwaiters;
    return w->m.nresources++;
}

/* Owners and waiters are added right after their resource (contiguous slices). */
static void owner(world *w, size_t r, uint64_t t, nt_probe probe)
{
    if (w->m.nowners == w->owners_cap) {
        w->owners_cap = w->owners_cap ? 2 * w->owners_cap : 64;
        w->m.owners = realloc(w->m.owners, w->owners_cap * sizeof *w->m.owners);
        assert_non_null(w->m.owners);
    }
    w->m.owners[w->m.nowners++] = (nt_owner){.raw = t, .thread = t, .probe = probe, .count = 1};
    w->m.resources[r].nowners++;
}

static void waiter(world *w, size_t r, uint64_t t, int confirmed)
{
    if (w->m.nwaiters == w->waiters_cap) {
        w->waiters_cap = w->waiters_cap ? 2 * w->waiters_cap : 64;
        w->m.waiters = realloc(w->m.waiters, w->waiters_cap * sizeof *w->m.waiters);
        assert_non_null(w->m.waiters);
    }
    w->m.waiters[w->m.nwaiters++] = (nt_waiter){.thread = t, .exclusive = 1, .confirmed = confirmed};
    w->m.resources[r].nwaiters++;
}

static size_t count_kind(const an_analysis *a, an_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nfindings; i++)
        n += a->findings[i].kind == k;
    return n;
}

static int warned(const world *w, const char *text)
{
    for (size_t i = 0; i < w->warnings.count; i++)
        if (strstr(w->warnings.items[i], text))
            return 1;
    return 0;
}

static void analyse(world *w, an_analysis *a)
{
    uint64_t params[4] = {0};
    assert_int_equal(an_analyze(&w->m, 0xE2, params, a), 0);
}

/* ABBA whose "waiters" are running: the rings say wait, the threads do not. No deadlock. */
static void test_abba_without_waiting_threads(void **state)
{
    (void)state;
    world w;
    init(&w);
    int32_t running = st(&w, NT_E_KTHREAD_STATE_RUNNING);
    uint64_t a = thread(&w, 1, running), b = thread(&w, 2, running);
    size_t r1 = resource(&w, 1);
    owner(&w, r1, a, NT_PROBE_THREAD);
    waiter(&w, r1, b, 0);
    size_t r2 = resource(&w, 2);
    owner(&w, r2, b, NT_PROBE_THREAD);
    waiter(&w, r2, a, 0);
    an_analysis an;
    analyse(&w, &an);
    assert_int_equal(count_kind(&an, AN_DEADLOCK), 0);
    an_analysis_free(&an);
    done(&w);
}

/* A one-pointer ring splice lists thread B under both resources: B proves nothing about
 * either, so no 2-thread cycle is invented, and the report says why. */
static void test_spliced_ring_invents_no_cycle(void **state)
{
    (void)state;
    world w;
    init(&w);
    int32_t waiting = st(&w, NT_E_KTHREAD_STATE_WAITING);
    uint64_t a = thread(&w, 1, waiting), b = thread(&w, 2, waiting);
    size_t r1 = resource(&w, 1);
    owner(&w, r1, a, NT_PROBE_THREAD);
    waiter(&w, r1, b, 1);
    size_t r2 = resource(&w, 2);
    owner(&w, r2, b, NT_PROBE_THREAD);
    waiter(&w, r2, b, 1); /* the splice: B's entry also in r2's ring */
    waiter(&w, r2, a, 1);
    an_analysis an;
    analyse(&w, &an);
    assert_int_equal(count_kind(&an, AN_DEADLOCK), 0);
    assert_int_equal(an.ambiguous_waiters, 1);
    assert_true(warned(&w, "waiters of more than one resource"));
    assert_true(w.m.ctx.damaged);
    an_analysis_free(&an);
    done(&w);
}

/* A real ABBA is still found, and an owner that is not a thread never closes a cycle. */
static void test_true_abba_and_non_thread_owner(void **state)
{
    (void)state;
    world w;
    init(&w);
    int32_t waiting = st(&w, NT_E_KTHREAD_STATE_WAITING);
    uint64_t a = thread(&w, 1, waiting), b = thread(&w, 2, waiting), c = thread(&w, 3, waiting);
    size_t r1 = resource(&w, 1);
    owner(&w, r1, a, NT_PROBE_THREAD);
    waiter(&w, r1, b, 1);
    size_t r2 = resource(&w, 2);
    owner(&w, r2, b, NT_PROBE_THREAD);
    waiter(&w, r2, a, 1);
    size_t r3 = resource(&w, 3);
    owner(&w, r3, KB + 0x77000, NT_PROBE_NOT_THREAD); /* a module entry, say */
    waiter(&w, r3, c, 1);
    an_analysis an;
    analyse(&w, &an);
    assert_int_equal(count_kind(&an, AN_DEADLOCK), 1);
    assert_null(an.findings[0].caveat);
    an_analysis_free(&an);
    done(&w);
}

/* An owner that is not a thread is an orphan only with complete, undamaged thread lists and
 * a resource read whole; otherwise nothing is claimed. */
static void test_not_a_thread_needs_complete_lists(void **state)
{
    (void)state;
    for (int variant = 0; variant < 4; variant++) {
        world w;
        init(&w);
        size_t r = resource(&w, 1);
        owner(&w, r, KB + 0x77000, NT_PROBE_NOT_THREAD);
        if (variant == 1)
            w.m.threads_complete = 0;
        else if (variant == 2)
            w.m.resources[r].damaged = 1;
        else if (variant == 3)
            w.m.ctx.limited = 1;
        an_analysis an;
        analyse(&w, &an);
        assert_int_equal(count_kind(&an, AN_ORPHANED_LOCK), variant == 0 ? 1 : 0);
        an_analysis_free(&an);
        done(&w);
    }
}

/* One thread in 1024 owner slots of one resource with 1024 waiters: one finding. */
static void test_one_orphan_per_owner_thread(void **state)
{
    (void)state;
    world w;
    init(&w);
    uint64_t dead = thread(&w, 1, st(&w, NT_E_KTHREAD_STATE_TERMINATED));
    int32_t waiting = st(&w, NT_E_KTHREAD_STATE_WAITING);
    uint64_t waiters[1024];
    for (size_t i = 0; i < 1024; i++)
        waiters[i] = thread(&w, 10 + i, waiting);
    size_t r = resource(&w, 1);
    w.m.resources[r].exclusive = 0;
    for (size_t i = 0; i < 1024; i++)
        owner(&w, r, dead, NT_PROBE_THREAD);
    for (size_t i = 0; i < 1024; i++)
        waiter(&w, r, waiters[i], 1);
    an_analysis an;
    analyse(&w, &an);
    assert_int_equal(count_kind(&an, AN_ORPHANED_LOCK), 1);
    an_analysis_free(&an);
    done(&w);
}

/* 4096 live owners x 4096 confirmed waiters on one resource: 16.7 M candidate edges. The
 * graph stops at its bound with a warning and the report is partial; nothing is invented. */
static void test_edge_bound(void **state)
{
    (void)state;
    world w;
    init(&w);
    int32_t running = st(&w, NT_E_KTHREAD_STATE_RUNNING), waiting = st(&w, NT_E_KTHREAD_STATE_WAITING);
    for (size_t i = 0; i < 4096; i++)
        thread(&w, 1 + i, running);
    for (size_t i = 0; i < 4096; i++)
        thread(&w, 5000 + i, waiting);
    size_t r = resource(&w, 1);
    w.m.resources[r].exclusive = 0;
    for (size_t i = 0; i < 4096; i++)
        owner(&w, r, KB + 0x1000ull * (1 + i), NT_PROBE_THREAD);
    for (size_t i = 0; i < 4096; i++)
        waiter(&w, r, KB + 0x1000ull * (5000 + i), 1);
    an_analysis an;
    analyse(&w, &an);
    assert_true(an.edges_cut);
    assert_int_equal(count_kind(&an, AN_DEADLOCK), 0);
    assert_int_equal(count_kind(&an, AN_CONTENTION), 1);
    assert_true(warned(&w, "wait-for graph has more than"));
    assert_true(w.m.ctx.limited);
    an_analysis_free(&an);
    done(&w);
}

/* 33,000 ABBA pairs (66,000 threads): findings stop at their bound with a warning, and the
 * contention pass no longer rescans every finding per resource. */
static void test_findings_bound(void **state)
{
    (void)state;
    world w;
    init(&w);
    int32_t waiting = st(&w, NT_E_KTHREAD_STATE_WAITING);
    const size_t pairs = 33000;
    for (size_t i = 0; i < 2 * pairs; i++)
        thread(&w, 1 + i, waiting);
    for (size_t p = 0; p < pairs; p++) {
        uint64_t a = KB + 0x1000ull * (1 + 2 * p), b = KB + 0x1000ull * (2 + 2 * p);
        size_t r1 = resource(&w, 2 * p);
        owner(&w, r1, a, NT_PROBE_THREAD);
        waiter(&w, r1, b, 1);
        size_t r2 = resource(&w, 2 * p + 1);
        owner(&w, r2, b, NT_PROBE_THREAD);
        waiter(&w, r2, a, 1);
    }
    an_analysis an;
    analyse(&w, &an);
    assert_int_equal(an.nfindings, AN_MAX_FINDINGS);
    assert_true(an.findings_cut);
    assert_true(warned(&w, "findings; the rest are not listed"));
    assert_true(w.m.ctx.limited);
    an_analysis_free(&an);
    done(&w);
}

/* An incomplete resource list puts a caveat on every lock finding and a warning that
 * findings may be missing. */
static void test_partial_list_caveat(void **state)
{
    (void)state;
    world w;
    init(&w);
    w.m.resources_complete = 0;
    w.m.exp_system_resources_list = KB + 0x123450;
    uint64_t dead = thread(&w, 1, st(&w, NT_E_KTHREAD_STATE_TERMINATED));
    size_t r = resource(&w, 1);
    owner(&w, r, dead, NT_PROBE_THREAD);
    an_analysis an;
    analyse(&w, &an);
    assert_int_equal(count_kind(&an, AN_ORPHANED_LOCK), 1);
    assert_non_null(an.findings[0].caveat);
    assert_true(warned(&w, "lock findings may be incomplete"));
    an_analysis_free(&an);
    done(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abba_without_waiting_threads),
        cmocka_unit_test(test_spliced_ring_invents_no_cycle),
        cmocka_unit_test(test_true_abba_and_non_thread_owner),
        cmocka_unit_test(test_not_a_thread_needs_complete_lists),
        cmocka_unit_test(test_one_orphan_per_owner_thread),
        cmocka_unit_test(test_edge_bound),
        cmocka_unit_test(test_findings_bound),
        cmocka_unit_test(test_partial_list_caveat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
