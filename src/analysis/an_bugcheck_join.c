/* SPDX-License-Identifier: MIT */
/* Bugcheck correlation: parameters that point at the model's threads, processes or
 * resources, joined to what the model knows about them; 0x13C decoded in full. */
#include <stdio.h>
#include <string.h>

#include "analysis/an_describe.h"
#include "analysis/an_findings.h"

#define BUGCHECK_INVALID_IO_BOOST_STATE 0x13Cu

static const char *boost_counter_name(uint64_t which)
{
    switch (which) {
    case 0: return "IoBoostCount";
    case 1: return "IoQoSBoostCount";
    case 2: return "IoQoSThrottleCount";
    default: return NULL;
    }
}

/* The thread's value of that counter; 0 when this build's ETHREAD has no such counter. */
static int boost_counter_value(const nt_thread *t, uint64_t which, uint32_t *v)
{
    *v = which == 0 ? t->io_boost_count : which == 1 ? t->io_qos_boost_count : t->io_qos_throttle_count;
    return which == 0 || !(t->absent & (which == 1 ? NT_THREAD_NO_IO_QOS_BOOST_COUNT : NT_THREAD_NO_IO_QOS_THROTTLE_COUNT));
}

/* Resources that thread va owns, as text: "0x... (exclusive, count 1)". */
static void owned_resources(const nt_model *m, uint64_t va, char *buf, size_t cap)
{
    size_t k = 0, n = 0;
    buf[0] = '\0';
    for (size_t r = 0; r < m->nresources && k < cap; r++) {
        const nt_resource *res = &m->resources[r];
        for (size_t o = 0; o < res->nowners && k < cap; o++)
            if (m->owners[res->first_owner + o].thread == va) {
                k += (size_t)snprintf(buf + k, cap - k, "%s0x%016llx", n++ ? ", " : "", (unsigned long long)res->va);
                break;
            }
    }
}

static void describe_0x13c(const nt_model *m, const uint64_t params[4], an_finding *f)
{
    const nt_thread *t = nt_model_thread(m, params[0]);
    const char *counter = boost_counter_name(params[2]);
    char who[128], owned[200];
    an_describe_thread(m, params[0], who, sizeof who);
    owned_resources(m, params[0], owned, sizeof owned);
    if (!t) {
        snprintf(f->summary, sizeof f->summary,
                 "INVALID_IO_BOOST_STATE: Arg1 0x%016llx is the thread being deleted with %s = %llu, but no valid "
                 "thread can be read there.",
                 (unsigned long long)params[0], counter ? counter : "an unknown counter", (unsigned long long)params[1]);
        return;
    }
    f->module = an_thread_module(m, t);
    char start[96];
    an_describe_address(m, t->win32_start_address ? t->win32_start_address : t->start_address, start, sizeof start);
    uint32_t actual = 0;
    int known = counter && boost_counter_value(t, params[2], &actual);
    snprintf(f->summary, sizeof f->summary,
             "INVALID_IO_BOOST_STATE: Arg1 is %s (started at %s, %s), deleted with %s = %llu%s; %s%s.",
             who, start, nt_thread_is_terminated(m, t) ? "terminated" : "not marked terminated",
             counter ? counter : "an unknown counter", (unsigned long long)params[1],
             !counter ? ""
             : !known ? " (this build's ETHREAD has no such counter)"
             : actual == params[1] ? " as its ETHREAD confirms"
                                   : " (its ETHREAD disagrees)",
             owned[0]                 ? "it still owns resource "
             : m->resources_complete  ? "it owns no listed resource"
             : m->resources_unavailable ? "this dump does not hold the resource list, so what it owns is unknown"
                                        : "the resource list could not be read completely, so what it owns is unknown",
             owned);
}

int an_correlate_bugcheck(const nt_model *m, uint32_t code, const uint64_t params[4], an_analysis *a)
{
    if (!m->ctx.prof)
        return 0; /* no kernel model: nothing to join the parameters to */
    for (int i = 0; i < 4; i++) {
        uint64_t v = params[i];
        an_param_ref *ref = &a->params[i];
        if (!v)
            continue;
        if (nt_model_thread(m, v))
            ref->kind = "thread";
        else if (nt_model_process(m, v))
            ref->kind = "process";
        else if (nt_model_resource(m, v))
            ref->kind = "resource";
        if (!ref->kind)
            continue;
        ref->va = v;
    }
    uint32_t base = code & ~0x10000000u;
    if (base == BUGCHECK_INVALID_IO_BOOST_STATE) {
        const char *counter = boost_counter_name(params[2]);
        const nt_thread *t = nt_model_thread(m, params[0]);
        snprintf(a->params[0].explanation, sizeof a->params[0].explanation,
                 "the ETHREAD being deleted while a boost count is not zero%s", t ? "" : " (not readable)");
        snprintf(a->params[1].explanation, sizeof a->params[1].explanation, "%s = %llu at deletion",
                 counter ? counter : "the counter", (unsigned long long)params[1]);
        if (counter)
            snprintf(a->params[2].explanation, sizeof a->params[2].explanation,
                     "which counter: %llu = %s (0 IoBoostCount, 1 IoQoSBoostCount, 2 IoQoSThrottleCount)",
                     (unsigned long long)params[2], counter);
        else
            snprintf(a->params[2].explanation, sizeof a->params[2].explanation,
                     "which counter: %llu is not a known counter (0, 1 or 2 expected)", (unsigned long long)params[2]);
        an_finding *f = an_add_finding(a, AN_BUGCHECK_CORRELATION, AN_SEV_HIGH);
        if (!f)
            return -1;
        f->param_index = 1;
        f->param_kind = "thread";
        f->param_va = params[0];
        describe_0x13c(m, params, f);
        return 0;
    }
    for (int i = 0; i < 4; i++) {
        if (!a->params[i].kind)
            continue;
        an_finding *f = an_add_finding(a, AN_BUGCHECK_CORRELATION, AN_SEV_INFO);
        if (!f)
            return -1;
        f->param_index = i + 1;
        f->param_kind = a->params[i].kind;
        f->param_va = a->params[i].va;
        char what[NT_PROCESS_NAME_MAX + 48]; /* "process NAME (PID)" */
        if (strcmp(f->param_kind, "thread") == 0) {
            an_describe_thread(m, f->param_va, what, sizeof what);
            f->module = an_thread_module(m, nt_model_thread(m, f->param_va));
        } else if (strcmp(f->param_kind, "process") == 0) {
            const nt_process *p = nt_model_process(m, f->param_va);
            snprintf(what, sizeof what, "process %s (%llu)", p->name, (unsigned long long)p->pid);
        } else {
            snprintf(what, sizeof what, "executive resource 0x%016llx", (unsigned long long)f->param_va);
        }
        snprintf(f->summary, sizeof f->summary, "Bugcheck Arg%d is %s.", i + 1, what);
    }
    return 0;
}
