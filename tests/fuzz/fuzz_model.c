/* SPDX-License-Identifier: MIT */
/* fuzz_model: the kernel model walkers (KDBG, clock, kernel image, modules, processes,
 * threads, processors, executive resources with owners and waiter rings) and the analysis
 * over them, wired as src/api/di_api.c wires them (keep the two in step), with the default
 * limits and no page budget: the walkers must stay bounded by their own limits. Then the
 * model's own invariants: threads sorted and unique (lookups are binary searches), owner and
 * waiter slices inside their arrays, every count within its limit, findings pointing at real
 * model entries, and every finding's claim backed by the model (no orphan without proof, no
 * deadlock edge that is not confirmed both ways), bounded findings. */
#include <string.h>

#include "analysis/an_bugcheck.h"
#include "analysis/an_findings.h"
#include "dump/dmp_dump.h"
#include "fuzz_common.h"
#include "io/io_file.h"
#include "mm/mm_space.h"
#include "nt/nt_model.h"
#include "util/le.h"

static void check_model(const nt_model *m)
{
    const nt_limits *l = &m->ctx.limits;
    FZ_CHECK(m->nprocesses <= l->processes, "processes within the limit");
    FZ_CHECK(m->nthreads <= l->threads, "threads within the limit");
    FZ_CHECK(m->nmodules <= l->modules, "modules within the limit");
    FZ_CHECK(m->nresources <= l->resources, "resources within the limit");
    for (size_t i = 1; i < m->nthreads; i++)
        FZ_CHECK(m->threads[i - 1].va < m->threads[i].va, "threads sorted by address, no duplicates");
    for (size_t i = 0; i < m->nresources; i++) {
        const nt_resource *r = &m->resources[i];
        FZ_CHECK(r->first_owner <= m->nowners && r->nowners <= m->nowners - r->first_owner,
                 "a resource's owners lie inside the owner array");
        FZ_CHECK(r->first_waiter <= m->nwaiters && r->nwaiters <= m->nwaiters - r->first_waiter,
                 "a resource's waiters lie inside the waiter array");
        FZ_CHECK(r->nowners <= l->owners_per_resource, "owners within the limit");
        FZ_CHECK(r->nwaiters <= l->waiters_per_resource, "waiters within the limit");
    }
    for (size_t i = 0; i < m->nmodules; i++) {
        FZ_CHECK(memchr(m->modules[i].name, '\0', sizeof m->modules[i].name) != NULL, "module names terminated");
        FZ_CHECK(memchr(m->modules[i].path, '\0', sizeof m->modules[i].path) != NULL, "module paths terminated");
    }
    for (size_t i = 0; i < m->nprocesses; i++)
        FZ_CHECK(memchr(m->processes[i].name, '\0', sizeof m->processes[i].name) != NULL,
                 "process names terminated");
}

/* Whether thread t is a confirmed waiter of resource r / an owner of r that is a thread. */
static int confirmed_waiter(const nt_model *m, size_t r, uint64_t t)
{
    const nt_resource *res = &m->resources[r];
    for (size_t i = 0; i < res->nwaiters; i++)
        if (m->waiters[res->first_waiter + i].thread == t && m->waiters[res->first_waiter + i].confirmed)
            return 1;
    return 0;
}

static int thread_owner(const nt_model *m, size_t r, uint64_t t)
{
    const nt_resource *res = &m->resources[r];
    for (size_t i = 0; i < res->nowners; i++)
        if (m->owners[res->first_owner + i].thread == t && m->owners[res->first_owner + i].probe == NT_PROBE_THREAD)
            return 1;
    return 0;
}

/* Claims need evidence: what each finding asserts is checked against the model itself. */
static void check_evidence(const nt_model *m, const an_finding *f)
{
    if (f->kind == AN_ORPHANED_LOCK) {
        const nt_owner *o = &m->owners[f->owner];
        const nt_thread *t = nt_model_thread(m, o->thread);
        FZ_CHECK(f->owner_state != AN_OWNER_LIVE && f->owner_state != AN_OWNER_UNKNOWN, "an orphan claims a state");
        if (f->owner_state == AN_OWNER_TERMINATED)
            FZ_CHECK(t && nt_thread_is_terminated(m, t), "a terminated owner is a terminated thread record");
        else
            FZ_CHECK(m->threads_complete && m->resources[f->resource].validated && !m->resources[f->resource].damaged,
                     "an owner proven gone rests on complete lists and a resource read whole");
    }
    if (f->kind == AN_DEADLOCK)
        for (size_t k = 0; k < f->cycle_len; k++) {
            size_t r = f->cycle_resources[k];
            FZ_CHECK(confirmed_waiter(m, r, f->cycle_threads[k]), "every cycle edge starts at a confirmed waiter");
            FZ_CHECK(thread_owner(m, r, f->cycle_threads[(k + 1) % f->cycle_len]),
                     "every cycle edge ends at an owner that is a thread");
        }
}

static void check_analysis(const nt_model *m, const an_analysis *a)
{
    FZ_CHECK(a->nfindings <= AN_MAX_FINDINGS, "findings within their bound");
    FZ_CHECK(a->nscan <= AN_MAX_SCAN_FRAMES, "scanned frames within their bound");
    for (size_t i = 0; i < a->nfindings; i++) {
        const an_finding *f = &a->findings[i];
        FZ_CHECK(memchr(f->summary, '\0', sizeof f->summary) != NULL, "summaries terminated");
        if (f->kind == AN_ORPHANED_LOCK || f->kind == AN_CONTENTION)
            FZ_CHECK(f->resource < m->nresources, "a lock finding names a model resource");
        if (f->kind == AN_ORPHANED_LOCK)
            FZ_CHECK(f->owner < m->nowners, "an orphan finding names a model owner");
        if (f->kind == AN_DEADLOCK) {
            FZ_CHECK(f->cycle_len <= AN_MAX_CYCLE, "cycles fit their array");
            for (size_t k = 0; k < f->cycle_len; k++)
                FZ_CHECK(f->cycle_resources[k] < m->nresources, "a cycle names model resources");
        }
        check_evidence(m, f);
        if (f->module)
            FZ_CHECK(f->module >= m->modules && f->module < m->modules + m->nmodules,
                     "a finding's module is a model module");
    }
    if (a->suspect)
        FZ_CHECK(a->suspect >= m->modules && a->suspect < m->modules + m->nmodules, "the suspect is a model module");
    FZ_CHECK(memchr(a->bucket, '\0', sizeof a->bucket) != NULL, "the bucket id is terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    io_file *io;
    di_error err;
    if (io_open_memory(data, size, "fuzz.dmp", &io, &err) != DI_OK)
        return 0;
    dmp_dump *d;
    if (dmp_open(io, &d, &err) != DI_OK)
        return 0;
    mm_space mm;
    if (mm_space_init(&mm, d, &err) != DI_OK) {
        dmp_close(d);
        return 0;
    }
    di_strlist warnings = {0};
    nt_model m;
    if (nt_model_build(&m, &mm, d, NULL, &warnings) == DI_OK && m.ctx.prof) {
        /* As di_api.c: bugcheck parameters documented as threads join the model. */
        uint32_t code = le32(d->hdr + DMP_HDR_BUGCHECK_CODE);
        const an_bugcheck_info *info = an_bugcheck_info(code);
        uint64_t params[4];
        int ok = 1;
        for (int i = 0; i < 4; i++) {
            params[i] = le64(d->hdr + DMP_HDR_BUGCHECK_PARAM1 + 8 * i);
            if (info && info->labels[i] && strcmp(info->labels[i], "thread") == 0 &&
                nt_model_add_thread(&m, params[i], NULL) != DI_OK)
                ok = 0;
        }
        nt_model_sort_threads(&m); /* added threads are appended; lookups need them sorted */
        if (ok) {
            check_model(&m);
            an_analysis a;
            if (an_analyze(&m, code, params, &a) == 0)
                check_analysis(&m, &a);
            an_analysis_free(&a); /* also what a failed analysis built before it failed */
        }
    }
    nt_model_free(&m);
    di_strlist_free(&warnings);
    mm_space_free(&mm);
    dmp_close(d);
    return 0;
}
