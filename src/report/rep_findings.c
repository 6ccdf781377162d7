/* SPDX-License-Identifier: MIT */
/* The analysis summary and the findings, each with structured evidence. */
#include <stdio.h>
#include <string.h>

#include "analysis/an_describe.h"
#include "report/rep_json.h"
#include "report/rep_model.h"

/* Waiters shown in one orphan finding's evidence. */
#define REP_EVIDENCE_WAITERS 16

static int orphan_evidence(cJSON *ev, const nt_model *m, const an_finding *f)
{
    const nt_resource *r = &m->resources[f->resource];
    const nt_owner *o = &m->owners[f->owner];
    rep_add_hex64(ev, "resource_address", r->va);
    cJSON_AddStringToObject(ev, "mode", r->exclusive ? "exclusive" : "shared");
    const nt_thread *t = nt_owner_thread(m, o);
    cJSON *owner = t ? rep_thread(m, t) : rep_thread_ref(m, o->thread);
    if (!owner || !cJSON_AddItemToObject(ev, "owner", owner))
        return -1;
    cJSON_AddStringToObject(ev, "owner_state", an_owner_state_name(f->owner_state));
    rep_add_uint(ev, "owner_count", o->count);
    rep_add_bool_or_null(ev, "owner_io_qos_priority_boosted", o->qos_boosted);
    /* Every orphan of one resource shares its waiters: each finding shows a bounded few, the
     * resource in `locks` lists them all. */
    rep_add_uint(ev, "waiters_total", r->nwaiters);
    return rep_add_waiters(ev, m, r, REP_EVIDENCE_WAITERS);
}

static int deadlock_evidence(cJSON *ev, const nt_model *m, const an_finding *f)
{
    cJSON *cycle = cJSON_AddArrayToObject(ev, "cycle");
    for (size_t i = 0; cycle && i < f->cycle_len; i++) {
        cJSON *e = rep_thread_ref(m, f->cycle_threads[i]);
        if (!e || !cJSON_AddItemToArray(cycle, e))
            return -1;
        const nt_thread *t = nt_model_thread(m, f->cycle_threads[i]);
        int64_t ms = t ? nt_model_wait_ms(m, t) : -1;
        rep_add_hex64(e, "waits_for", m->resources[f->cycle_resources[i]].va);
        rep_add_hex64(e, "held_by", f->cycle_threads[(i + 1) % f->cycle_len]);
        if (ms < 0)
            cJSON_AddNullToObject(e, "wait_ms");
        else
            rep_add_uint(e, "wait_ms", (uint64_t)ms);
        const nt_module *mod = an_thread_module(m, t);
        rep_add_str_or_null(e, "module", mod ? mod->name : NULL);
    }
    return cycle ? 0 : -1;
}

static int contention_evidence(cJSON *ev, const nt_model *m, const an_finding *f)
{
    cJSON *res = rep_resource(m, &m->resources[f->resource]);
    return res && cJSON_AddItemToObject(ev, "resource", res) ? 0 : -1;
}

static int fault_evidence(cJSON *ev, const rep_view *v)
{
    const an_fault *f = &v->a->fault;
    rep_add_code_address(ev, "instruction", v->base, f->address);
    cJSON_AddStringToObject(ev, "module", f->module->name);
    rep_add_hex32(ev, "offset", (uint32_t)(f->address - f->module->base));
    rep_add_str_or_null(ev, "source", f->address_source);
    if (f->address_param)
        rep_add_uint(ev, "parameter", (uint64_t)f->address_param);
    else
        cJSON_AddNullToObject(ev, "parameter");
    if (f->have_code)
        rep_add_hex32(ev, "exception_code", f->code);
    else
        cJSON_AddNullToObject(ev, "exception_code");
    rep_add_str_or_null(ev, "exception_name", f->have_code ? an_ntstatus_name(f->code) : NULL);
    rep_add_str_or_null(ev, "access_kind", f->access);
    cJSON_AddBoolToObject(ev, "os_module", f->os_module);
    return 0;
}

static int correlation_evidence(cJSON *ev, const nt_model *m, const an_finding *f)
{
    rep_add_uint(ev, "parameter", (uint64_t)f->param_index);
    rep_add_str_or_null(ev, "refers_to_kind", f->param_kind);
    rep_add_hex64(ev, "address", f->param_va);
    const nt_thread *t =
        m && f->param_kind && strcmp(f->param_kind, "thread") == 0 ? nt_model_thread(m, f->param_va) : NULL;
    if (t) {
        cJSON *th = rep_thread(m, t);
        if (!th || !cJSON_AddItemToObject(ev, "thread", th))
            return -1;
        cJSON *owned = cJSON_AddArrayToObject(ev, "owned_resources");
        for (size_t r = 0; owned && r < m->nresources; r++)
            for (size_t o = 0; o < m->resources[r].nowners; o++)
                if (m->owners[m->resources[r].first_owner + o].thread == t->va) {
                    char b[24];
                    snprintf(b, sizeof b, "0x%016llx", (unsigned long long)m->resources[r].va);
                    cJSON_AddItemToArray(owned, cJSON_CreateString(b));
                    break;
                }
    }
    return 0;
}

int rep_add_findings(cJSON *root, const rep_view *v)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "findings");
    if (!arr)
        return -1;
    for (size_t i = 0; v->base && v->a && i < v->a->nfindings; i++) {
        const an_finding *f = &v->a->findings[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o))
            return -1;
        cJSON_AddStringToObject(o, "kind", an_kind_name(f->kind));
        cJSON_AddStringToObject(o, "severity", an_severity_name(f->severity));
        cJSON_AddStringToObject(o, "summary", f->summary);
        rep_add_str_or_null(o, "module", f->module ? f->module->name : NULL);
        cJSON_AddStringToObject(o, "confidence", f->caveat ? "partial" : "full");
        rep_add_str_or_null(o, "caveat", f->caveat);
        cJSON *ev = cJSON_AddObjectToObject(o, "evidence");
        if (!ev)
            return -1;
        int rc = f->kind == AN_ORPHANED_LOCK    ? orphan_evidence(ev, v->m, f)
                 : f->kind == AN_DEADLOCK       ? deadlock_evidence(ev, v->m, f)
                 : f->kind == AN_CONTENTION     ? contention_evidence(ev, v->m, f)
                 : f->kind == AN_FAULTING_MODULE ? fault_evidence(ev, v)
                                                : correlation_evidence(ev, v->m, f);
        if (rc)
            return -1;
    }
    return 0;
}

int rep_add_analysis(cJSON *root, const rep_view *v)
{
    cJSON *o = cJSON_AddObjectToObject(root, "analysis");
    if (!o)
        return -1;
    const an_analysis *a = v->a;
    const an_finding *lead = a && a->nfindings ? &a->findings[0] : NULL;
    rep_add_str_or_null(o, "headline", lead ? lead->summary : NULL);
    rep_add_str_or_null(o, "highest_severity", lead ? an_severity_name(lead->severity) : NULL);
    if (a && a->suspect) {
        cJSON *s = cJSON_AddObjectToObject(o, "suspect_module");
        if (!s)
            return -1;
        cJSON_AddStringToObject(s, "name", a->suspect->name);
        rep_add_hex64(s, "base", a->suspect->base);
        rep_add_hex32(s, "timestamp", a->suspect->timestamp);
        rep_add_str_or_null(s, "reason", a->suspect_reason);
    } else {
        cJSON_AddNullToObject(o, "suspect_module");
    }
    rep_add_str_or_null(o, "bucket_id", a ? a->bucket : NULL);
    rep_add_str_or_null(o, "windbg_bucket", a && a->windbg_bucket[0] ? a->windbg_bucket : NULL);
    rep_add_str_or_null(o, "failure_id_hash", a && a->failure_id_hash[0] ? a->failure_id_hash : NULL);
    return 0;
}
