/* SPDX-License-Identifier: MIT */
/* bench_crafted: the analysis and the findings' JSON on the crafted lock graphs that once
 * cost gigabytes or tens of seconds (one resource with 4096 owners x 4096 waiters, 1024
 * terminated owners x 1024 waiters, 33,000 ABBA pairs, 100,000 contended resources). Each case runs in its own process
 * (bench_crafted CASE) so peak RSS is the case's alone; prints one JSON line. */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* mincore, posix_fadvise (bench_os.h) */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_os.h"

#include "analysis/an_findings.h"
#include "nt/nt_model.h"
#include "report/rep_json.h"
#include "report/rep_model.h"
#include "util/md5.h"

#define KB 0xffff900000000000ull
#define DRV_BASE 0xfffff80533300000ull

typedef struct graph {
    nt_model m;
    di_strlist warnings;
} graph;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "bench_crafted: out of memory\n");
        exit(1);
    }
    return p;
}

static void init(graph *g, size_t threads, size_t resources, size_t owners, size_t waiters)
{
    memset(g, 0, sizeof *g);
    g->m.ctx.prof = nt_profile_for_build(19041);
    g->m.ctx.warnings = &g->warnings;
    g->m.processes_complete = g->m.threads_complete = g->m.resources_complete = 1;
    g->m.modules = xcalloc(1, sizeof *g->m.modules);
    g->m.nmodules = 1;
    g->m.modules[0] = (nt_module){.base = DRV_BASE, .size = 0x9000, .name = "crafted.sys"};
    g->m.threads = xcalloc(threads, sizeof *g->m.threads);
    g->m.resources = xcalloc(resources, sizeof *g->m.resources);
    g->m.owners = xcalloc(owners, sizeof *g->m.owners);
    g->m.waiters = xcalloc(waiters, sizeof *g->m.waiters);
}

/* Thread n; call in increasing n so the array stays sorted. */
static uint64_t thread(graph *g, size_t n, nt_enum_id state)
{
    nt_thread *t = &g->m.threads[g->m.nthreads++];
    t->va = KB + 0x1000ull * n;
    t->tid = 4 * n;
    t->state = nt_enum_value(g->m.ctx.prof, state);
    t->valid = t->on_list = 1;
    t->start_address = DRV_BASE + 0x100;
    if (state == NT_E_KTHREAD_STATE_WAITING)
        t->wait_reason = nt_enum_value(g->m.ctx.prof, NT_E_KWAIT_REASON_WRRESOURCE);
    g->m.nsorted = g->m.nthreads;
    return t->va;
}

static size_t resource(graph *g, int exclusive)
{
    nt_resource *r = &g->m.resources[g->m.nresources];
    r->va = KB + 0x40000000ull + 0x100ull * g->m.nresources;
    r->held = 1;
    r->validated = 1;
    r->exclusive = exclusive;
    r->first_owner = g->m.nowners;
    r->first_waiter = g->m.nwaiters;
    return g->m.nresources++;
}

static void owner(graph *g, size_t r, uint64_t t)
{
    g->m.owners[g->m.nowners++] = (nt_owner){.raw = t, .thread = t, .probe = NT_PROBE_THREAD, .count = 1};
    g->m.resources[r].nowners++;
}

static void waiter(graph *g, size_t r, uint64_t t)
{
    g->m.waiters[g->m.nwaiters++] = (nt_waiter){.thread = t, .exclusive = 1, .confirmed = 1};
    g->m.resources[r].nwaiters++;
}

/* One shared resource held by n owners in owner_state (Ready: live, so n^2 candidate
 * wait-for edges; Terminated: n orphans), with n confirmed waiters. */
static void build_one_resource(graph *g, size_t n, nt_enum_id owner_state)
{
    init(g, 2 * n, 1, n, n);
    for (size_t i = 0; i < n; i++)
        thread(g, 1 + i, owner_state);
    for (size_t i = 0; i < n; i++)
        thread(g, 1 + n + i, NT_E_KTHREAD_STATE_WAITING);
    size_t r = resource(g, 0);
    for (size_t i = 0; i < n; i++)
        owner(g, r, KB + 0x1000ull * (1 + i));
    for (size_t i = 0; i < n; i++)
        waiter(g, r, KB + 0x1000ull * (1 + n + i));
}

/* pairs ABBA deadlocks: 2 threads and 2 resources each. */
static void build_abba(graph *g, size_t pairs)
{
    init(g, 2 * pairs, 2 * pairs, 2 * pairs, 2 * pairs);
    for (size_t i = 0; i < 2 * pairs; i++)
        thread(g, 1 + i, NT_E_KTHREAD_STATE_WAITING);
    for (size_t p = 0; p < pairs; p++) {
        uint64_t a = KB + 0x1000ull * (1 + 2 * p), b = KB + 0x1000ull * (2 + 2 * p);
        size_t r1 = resource(g, 1);
        owner(g, r1, a);
        waiter(g, r1, b);
        size_t r2 = resource(g, 1);
        owner(g, r2, b);
        waiter(g, r2, a);
    }
}

/* n contended resources: each held exclusively by its own live (running) thread, with one
 * confirmed waiter of its own; the contention check's worst case once (it rescanned every
 * finding per resource). */
static void build_contended(graph *g, size_t n)
{
    init(g, 2 * n, n, n, n);
    for (size_t i = 0; i < 2 * n; i++)
        thread(g, 1 + i, i % 2 ? NT_E_KTHREAD_STATE_WAITING : NT_E_KTHREAD_STATE_RUNNING);
    for (size_t i = 0; i < n; i++) {
        size_t r = resource(g, 1);
        owner(g, r, KB + 0x1000ull * (1 + 2 * i));
        waiter(g, r, KB + 0x1000ull * (2 + 2 * i));
    }
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "";
    graph g;
    if (strcmp(which, "edges") == 0)
        build_one_resource(&g, 4096, NT_E_KTHREAD_STATE_READY);
    else if (strcmp(which, "orphans") == 0)
        build_one_resource(&g, 1024, NT_E_KTHREAD_STATE_TERMINATED);
    else if (strcmp(which, "abba") == 0)
        build_abba(&g, 33000);
    else if (strcmp(which, "contended") == 0)
        build_contended(&g, 100000);
    else {
        fprintf(stderr, "usage: bench_crafted edges|orphans|abba|contended\n");
        return 2;
    }
    nt_model_sort_threads(&g.m); /* as the model's build leaves it: sorted, with its address index, */
    nt_model_note_lock_threads(&g.m); /* and the lock threads' positions noted */
    double t0 = bench_now_ms();
    an_analysis a;
    uint64_t params[4] = {0};
    if (an_analyze(&g.m, 0xE2, params, &a) != 0) {
        fprintf(stderr, "bench_crafted: analysis failed\n");
        return 1;
    }
    double analysis_ms = bench_now_ms() - t0;
    /* The findings and lock sections as the report renders and prints them (streamed), the
     * costly part of the old orphan output; compact, to count their bytes. */
    rep_view v = {.m = &g.m, .base = &g.m, .a = &a, .defer = rep_deferrals_new()};
    cJSON *root = cJSON_CreateObject();
    char *json = NULL;
    if (!root || !v.defer || rep_add_findings(root, &v) || rep_add_model_sections(root, &v) ||
        rep_print_streamed(root, v.defer, 1, &json, NULL) != DI_OK) {
        fprintf(stderr, "bench_crafted: out of memory building the report\n");
        return 1;
    }
    double ms = bench_now_ms() - t0;
    /* The output's digest: a change that should not alter the findings can be checked. */
    uint8_t md5[16];
    char md5_hex[33];
    di_md5((const uint8_t *)json, strlen(json), md5);
    for (int i = 0; i < 16; i++)
        snprintf(md5_hex + 2 * i, 3, "%02x", md5[i]);
    printf("{\"case\": \"%s\", \"resources\": %zu, \"owners\": %zu, \"waiters\": %zu, \"findings\": %zu, "
           "\"findings_cut\": %d, \"edges_cut\": %d, \"warnings\": %zu, \"json_bytes\": %zu, \"analysis_ms\": %.1f, "
           "\"ms\": %.1f, "
           "\"json_md5\": \"%s\", \"peak_rss_kib\": %ld}\n",
           which, g.m.nresources, g.m.nowners, g.m.nwaiters, a.nfindings, a.findings_cut, a.edges_cut,
           g.warnings.count, json ? strlen(json) : 0, analysis_ms, ms, md5_hex, bench_peak_rss_kib());
    free(json);
    cJSON_Delete(root);
    rep_deferrals_free(v.defer);
    an_analysis_free(&a);
    nt_model_free(&g.m);
    di_strlist_free(&g.warnings);
    return 0;
}
