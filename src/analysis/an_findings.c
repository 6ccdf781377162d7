/* SPDX-License-Identifier: MIT */
#include "analysis/an_findings.h"

#include <stdlib.h>
#include <string.h>

const char *an_kind_name(an_kind k)
{
    switch (k) {
    case AN_DEADLOCK: return "deadlock";
    case AN_ORPHANED_LOCK: return "orphaned_lock";
    case AN_CONTENTION: return "contention";
    case AN_BUGCHECK_CORRELATION: return "bugcheck_correlation";
    case AN_FAULTING_MODULE: return "faulting_module";
    }
    return "?";
}

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};

const char *an_severity_name(an_severity s)
{
    return (unsigned)s < sizeof sev_names / sizeof sev_names[0] ? sev_names[s] : "?";
}

int an_severity_parse(const char *s)
{
    for (int i = 0; i < (int)(sizeof sev_names / sizeof sev_names[0]); i++)
        if (strcmp(s, sev_names[i]) == 0)
            return i;
    return -1;
}

const char *an_owner_state_name(an_owner_state s)
{
    switch (s) {
    case AN_OWNER_LIVE: return "live";
    case AN_OWNER_TERMINATED: return "terminated";
    case AN_OWNER_OFF_LIST: return "not_on_any_thread_list";
    case AN_OWNER_NOT_A_THREAD: return "not_a_thread";
    case AN_OWNER_UNKNOWN: return "unknown";
    }
    return "?";
}

an_owner_state an_owner_state_of(const nt_model *m, const nt_owner *o)
{
    if (o->probe == NT_PROBE_NOT_THREAD)
        return AN_OWNER_NOT_A_THREAD;
    const nt_thread *t = o->thread ? nt_owner_thread(m, o) : NULL;
    if (!t)
        return AN_OWNER_UNKNOWN;
    if (nt_thread_is_terminated(m, t))
        return AN_OWNER_TERMINATED;
    /* "On no list" is only a fact when the lists were walked completely. */
    if (!t->on_list && m->threads_complete && !m->ctx.damaged && !m->ctx.limited)
        return AN_OWNER_OFF_LIST;
    return AN_OWNER_LIVE;
}

static int is_kernel_module(const nt_model *m, const nt_module *mod)
{
    return mod && (mod->base == m->kernel.base || strcmp(mod->name, "ntoskrnl.exe") == 0 ||
                   strcmp(mod->name, "ntkrnlmp.exe") == 0);
}

const nt_module *an_thread_module(const nt_model *m, const nt_thread *t)
{
    if (!t)
        return NULL;
    const nt_module *w = nt_model_module_at(m, t->win32_start_address);
    const nt_module *s = nt_model_module_at(m, t->start_address);
    /* A driver start routine says more than the kernel's thread-start thunk. */
    if (w && !is_kernel_module(m, w))
        return w;
    if (s && !is_kernel_module(m, s))
        return s;
    return w ? w : s;
}

an_finding *an_add_finding(an_analysis *a, an_kind kind, an_severity sev)
{
    if (a->nfindings >= AN_MAX_FINDINGS) {
        a->findings_cut = 1;
        return NULL;
    }
    if (a->nfindings == a->findings_cap) {
        size_t ncap = a->findings_cap ? a->findings_cap * 2 : 16;
        an_finding *n = realloc(a->findings, ncap * sizeof *n);
        if (!n)
            return NULL;
        a->findings = n;
        a->findings_cap = ncap;
    }
    an_finding *f = &a->findings[a->nfindings++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->severity = sev;
    f->longest_wait_ms = -1;
    return f;
}

int an_pass_failed(const an_analysis *a) { return a->findings_cut ? 0 : -1; }

const char *an_lock_caveat(const nt_model *m, const nt_resource *r)
{
    if (r && r->damaged)
        return "the resource's owners or waiters could not all be read";
    if (!m->resources_complete)
        return "the executive resource list was not read completely";
    if (m->ctx.damaged)
        return "other kernel data in this dump is damaged";
    if (m->ctx.limited)
        return "a limit cut the reading of kernel data short";
    return NULL;
}

/* Warnings for what the analysis itself could not do, and for damage that may hide
 * findings: a report with them is partial (exit status 7). */
static void warn_cuts(nt_model *m, const an_analysis *a)
{
    nt_ctx *c = &m->ctx;
    if (a->findings_cut) {
        nt_warn_code(c, DI_W_LIMIT, "more than %u findings; the rest are not listed", AN_MAX_FINDINGS);
        c->limited = 1;
    }
    if (a->edges_cut) {
        nt_warn_code(c, DI_W_LIMIT, "the wait-for graph has more than %u edges; deadlocks among the rest are not searched for",
                AN_MAX_EDGES);
        c->limited = 1;
    }
    if (a->ambiguous_waiters)
        nt_damage(c, "%zu threads (first 0x%016llx) are listed as waiters of more than one resource; they are left "
                     "out of the wait-for graph",
                  a->ambiguous_waiters, (unsigned long long)a->first_ambiguous);
    if (c->prof && !m->resources_complete && !m->resources_unavailable && m->exp_system_resources_list)
        nt_warn_code(c, DI_W_INCOMPLETE, "the executive resource list was not read completely: lock findings may be incomplete");
}

static int finding_cmp(const void *x, const void *y)
{
    const an_finding *a = x, *b = y;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->longest_wait_ms != b->longest_wait_ms)
        return a->longest_wait_ms > b->longest_wait_ms ? -1 : 1;
    if (a->resource != b->resource)
        return a->resource < b->resource ? -1 : 1;
    return a->param_index - b->param_index;
}

int an_analyze(nt_model *m, uint32_t bugcheck, const uint64_t params[4], an_analysis *out)
{
    memset(out, 0, sizeof *out);
    an_read_fault(m, bugcheck, params, &out->fault);
    if (m->ctx.mm) {
        out->stacker = malloc(sizeof *out->stacker);
        if (!out->stacker || an_stacker_init(out->stacker, m, &out->fault)) {
            free(out->stacker);
            out->stacker = NULL;
            return -1;
        }
    }
    if ((m->saved_stack_size && an_scan_stack(m, m->saved_stack_va, m->saved_stack_size, out)) ||
        an_find_deadlocks(m, out) || an_find_orphans(m, out) || an_find_contention(m, out) ||
        an_correlate_bugcheck(m, bugcheck, params, out) || an_find_faulting_module(m, bugcheck, params, out)) {
        an_analysis_free(out);
        return -1;
    }
    if (out->nfindings)
        qsort(out->findings, out->nfindings, sizeof *out->findings, finding_cmp);
    an_choose_suspect(m, bugcheck, out);
    warn_cuts(m, out);
    return 0;
}

void an_analysis_free(an_analysis *a)
{
    free(a->findings);
    free(a->scan);
    if (a->stacker)
        an_stacker_free(a->stacker);
    free(a->stacker);
    memset(a, 0, sizeof *a);
}
