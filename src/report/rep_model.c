/* SPDX-License-Identifier: MIT */
#include "report/rep_model.h"
#include "util/le.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/an_describe.h"
#include "report/rep_json.h"
#include "util/timefmt.h"

static void add_time(cJSON *o, const char *key, uint64_t ft)
{
    char t[40];
    rep_add_str_or_null(o, key, ft && di_filetime_iso8601(ft, t, sizeof t) == 0 ? t : NULL);
}

void rep_add_code_address(cJSON *o, const char *key, const nt_model *m, uint64_t addr)
{
    cJSON *a = cJSON_AddObjectToObject(o, key);
    if (!a)
        return;
    rep_add_hex64(a, "address", addr);
    const nt_module *mod = addr ? nt_model_module_at(m, addr) : NULL;
    if (mod) {
        char sym[NT_NAME_MAX + 24];
        snprintf(sym, sizeof sym, "%s+0x%llx", mod->name, (unsigned long long)(addr - mod->base));
        cJSON_AddStringToObject(a, "symbol", sym);
        cJSON_AddStringToObject(a, "module", mod->name);
    } else {
        cJSON_AddNullToObject(a, "symbol");
        cJSON_AddNullToObject(a, "module");
    }
}

static void add_ms_or_null(cJSON *o, const char *key, int64_t ms)
{
    if (ms < 0)
        cJSON_AddNullToObject(o, key);
    else
        rep_add_uint(o, key, (uint64_t)ms);
}

static int64_t ticks_ms(const nt_model *m, uint32_t ticks)
{
    return m->clock.valid ? (int64_t)(((uint64_t)ticks * m->clock.tick_multiplier) >> 24) : -1;
}

cJSON *rep_thread(const nt_model *m, const nt_thread *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    const nt_profile *p = m->ctx.prof;
    const nt_process *proc = nt_model_process(m, t->process_va);
    rep_add_hex64(o, "address", t->va);
    rep_add_uint(o, "tid", t->tid);
    rep_add_uint(o, "pid", t->pid);
    rep_add_str_or_null(o, "process_name", proc ? proc->name : NULL);
    rep_add_str_or_null(o, "state", nt_enum_name(p, NT_EK_KTHREAD_STATE, t->state));
    rep_add_str_or_null(o, "wait_reason", nt_enum_name(p, NT_EK_KWAIT_REASON, t->wait_reason));
    rep_add_str_or_null(o, "wait_mode", nt_enum_name(p, NT_EK_MODE, t->wait_mode));
    add_ms_or_null(o, "wait_ms", nt_model_wait_ms(m, t));
    if (t->wait_object)
        rep_add_hex64(o, "wait_object", t->wait_object);
    else
        cJSON_AddNullToObject(o, "wait_object");
    cJSON_AddBoolToObject(o, "terminated", nt_thread_is_terminated(m, t));
    cJSON_AddBoolToObject(o, "terminated_flag", t->terminated_flag);
    cJSON_AddBoolToObject(o, "system_thread", t->system_thread);
    cJSON_AddBoolToObject(o, "on_thread_list", t->on_list);
    rep_add_code_address(o, "start_address", m, t->start_address);
    rep_add_code_address(o, "win32_start_address", m, t->win32_start_address);
    add_time(o, "create_time", t->create_time);
    add_time(o, "exit_time", t->exit_time);
    rep_add_uint(o, "kernel_time_ticks", t->kernel_time);
    add_ms_or_null(o, "kernel_time_ms", ticks_ms(m, t->kernel_time));
    rep_add_uint(o, "user_time_ticks", t->user_time);
    add_ms_or_null(o, "user_time_ms", ticks_ms(m, t->user_time));
    rep_add_uint(o, "context_switches", t->context_switches);
    rep_add_uint(o, "io_boost_count", t->io_boost_count);
    rep_add_uint_or_null(o, "io_qos_boost_count", t->io_qos_boost_count,
                         !(t->absent & NT_THREAD_NO_IO_QOS_BOOST_COUNT));
    rep_add_uint_or_null(o, "io_qos_throttle_count", t->io_qos_throttle_count,
                         !(t->absent & NT_THREAD_NO_IO_QOS_THROTTLE_COUNT));
    return o;
}

cJSON *rep_thread_ref(const nt_model *m, uint64_t va)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    const nt_thread *t = nt_model_thread(m, va);
    rep_add_hex64(o, "address", va);
    if (!t) {
        cJSON_AddNullToObject(o, "tid");
        cJSON_AddNullToObject(o, "process_name");
        cJSON_AddNullToObject(o, "state");
        return o;
    }
    const nt_process *proc = nt_model_process(m, t->process_va);
    rep_add_uint(o, "tid", t->tid);
    rep_add_str_or_null(o, "process_name", proc ? proc->name : NULL);
    rep_add_str_or_null(o, "state", nt_enum_name(m->ctx.prof, NT_EK_KTHREAD_STATE, t->state));
    return o;
}

int rep_add_waiters(cJSON *o, const nt_model *m, const nt_resource *r, size_t max)
{
    if (r->waiters_unknown) /* unknown, not none: the model's warning says why */
        return cJSON_AddNullToObject(o, "waiters") ? 0 : -1;
    cJSON *arr = cJSON_AddArrayToObject(o, "waiters");
    for (size_t i = 0; arr && i < r->nwaiters && i < max; i++) {
        const nt_waiter *w = &m->waiters[r->first_waiter + i];
        cJSON *e = rep_thread_ref(m, w->thread);
        if (!e || !cJSON_AddItemToArray(arr, e))
            return -1;
        cJSON_AddStringToObject(e, "mode", w->exclusive ? "exclusive" : "shared");
        const nt_thread *t = nt_model_thread(m, w->thread);
        add_ms_or_null(e, "wait_ms", t ? nt_model_wait_ms(m, t) : -1);
        rep_add_hex64(e, "wait_entry", w->entry);
        cJSON_AddStringToObject(e, "found_via", w->found_via == NT_WAITER_FROM_RING             ? "waiter_ring"
                                                : w->found_via == NT_WAITER_FROM_EVENT_WAIT_LIST ? "event_wait_list"
                                                                                                 : "thread_wait");
        cJSON_AddBoolToObject(e, "confirmed", w->confirmed);
    }
    return arr ? 0 : -1;
}

cJSON *rep_resource(const nt_model *m, const nt_resource *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    rep_add_hex64(o, "address", r->va);
    cJSON_AddStringToObject(o, "mode", !r->held ? "free" : r->exclusive ? "exclusive" : "shared");
    rep_add_hex16(o, "flag", r->flag);
    cJSON_AddBoolToObject(o, "fast_resource", r->fast);
    cJSON_AddNumberToObject(o, "active_count", r->active_count);
    rep_add_uint(o, "active_entries", r->active_entries);
    rep_add_uint(o, "contention_count", r->contention_count);
    rep_add_uint(o, "shared_waiters_count", r->shared_waiters_count);
    rep_add_uint(o, "exclusive_waiters_count", r->exclusive_waiters_count);
    cJSON *owners = cJSON_AddArrayToObject(o, "owners");
    for (size_t i = 0; owners && i < r->nowners; i++) {
        const nt_owner *ow = &m->owners[r->first_owner + i];
        cJSON *e = ow->thread ? rep_thread_ref(m, ow->thread) : cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(owners, e))
            return o;
        if (!ow->thread)
            rep_add_hex64(e, "owner_cookie", ow->raw);
        rep_add_uint(e, "count", ow->count);
        cJSON_AddStringToObject(e, "owner_state", an_owner_state_name(an_owner_state_of(m, ow)));
        cJSON_AddBoolToObject(e, "io_priority_boosted", ow->io_boosted);
        rep_add_bool_or_null(e, "io_qos_priority_boosted", ow->qos_boosted);
    }
    rep_add_waiters(o, m, r, SIZE_MAX);
    cJSON_AddBoolToObject(o, "damaged", r->damaged);
    return o;
}

/* Null for each key of an object the dump does not describe. */
static void add_nulls(cJSON *o, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cJSON_AddNullToObject(o, keys[i]);
}

static int add_kdbg(cJSON *kernel, const nt_model *m)
{
    static const char *const when_ok[] = {"size", "exp_system_resources_list", "ki_processor_block",
                                          "offsets_checked"};
    cJSON *k = cJSON_AddObjectToObject(kernel, "kdbg");
    if (!k)
        return -1;
    rep_add_hex64(k, "address", m->kdbg.va);
    cJSON_AddStringToObject(k, "state", nt_kdbg_state_name(m->kdbg.state));
    if (m->kdbg.state != NT_KDBG_OK) {
        add_nulls(k, when_ok, sizeof when_ok / sizeof when_ok[0]);
        return 0;
    }
    rep_add_hex32(k, "size", m->kdbg.size);
    rep_add_hex64(k, "exp_system_resources_list", m->kdbg.exp_system_resources_list);
    rep_add_hex64(k, "ki_processor_block", m->kdbg.ki_processor_block);
    rep_add_uint(k, "offsets_checked", m->kdbg_offsets_checked);
    return 0;
}

static int add_image(cJSON *kernel, const nt_model *m)
{
    static const char *const pe[] = {"size", "timestamp", "checksum"};
    static const char *const pdb[] = {"pdb_name", "pdb_guid", "pdb_age"};
    cJSON *img = cJSON_AddObjectToObject(kernel, "image");
    if (!img)
        return -1;
    rep_add_hex64(img, "base", m->kernel.base);
    if (m->kernel.have_image || (m->triage && m->kernel.size)) {
        rep_add_hex32(img, "size", m->kernel.size);
        rep_add_hex32(img, "timestamp", m->kernel.timestamp);
        rep_add_hex32(img, "checksum", m->kernel.checksum);
    } else {
        add_nulls(img, pe, sizeof pe / sizeof pe[0]);
    }
    if (!m->kernel.have_codeview) {
        add_nulls(img, pdb, sizeof pdb / sizeof pdb[0]);
        return 0;
    }
    char guid[40];
    rep_guid_text(m->kernel.guid, guid);
    cJSON_AddStringToObject(img, "pdb_name", m->kernel.pdb_name);
    cJSON_AddStringToObject(img, "pdb_guid", guid);
    rep_add_uint(img, "pdb_age", m->kernel.age);
    return 0;
}

static int add_clock(cJSON *kernel, const nt_model *m)
{
    static const char *const when_valid[] = {"tick_count", "tick_count_multiplier", "tick_us",
                                             "time_zone_bias_minutes", "nt_build_number"};
    cJSON *clk = cJSON_AddObjectToObject(kernel, "clock");
    if (!clk)
        return -1;
    cJSON_AddBoolToObject(clk, "valid", m->clock.valid);
    if (!m->clock.valid) {
        add_nulls(clk, when_valid, sizeof when_valid / sizeof when_valid[0]);
        return 0;
    }
    rep_add_uint(clk, "tick_count", m->clock.tick_count);
    rep_add_hex32(clk, "tick_count_multiplier", m->clock.tick_multiplier);
    rep_add_uint(clk, "tick_us", ((uint64_t)1000 * m->clock.tick_multiplier) >> 24);
    cJSON_AddNumberToObject(clk, "time_zone_bias_minutes", (double)(m->clock.time_zone_bias / 600000000));
    rep_add_uint(clk, "nt_build_number", m->clock.nt_build_number & 0xFFFF);
    return 0;
}

/* kernel.profile, kdbg, image, clock: the same keys whatever the dump (null when unknown). */
int rep_add_kernel_model(cJSON *kernel, const rep_view *v)
{
    const nt_model *m = v ? v->m : NULL;
    if (!m || !m->ctx.prof) {
        static const char *const parts[] = {"profile", "kdbg", "image", "clock"};
        add_nulls(kernel, parts, sizeof parts / sizeof parts[0]);
        return 0;
    }
    rep_add_str_or_null(kernel, "profile", m->ctx.prof->version);
    return add_kdbg(kernel, m) || add_image(kernel, m) || add_clock(kernel, m) ? -1 : 0;
}

int rep_add_bugcheck_joins(cJSON *bugcheck, const rep_view *v)
{
    cJSON *params = cJSON_GetObjectItemCaseSensitive(bugcheck, "parameters");
    for (int i = 0; i < 4; i++) {
        cJSON *p = cJSON_GetArrayItem(params, i);
        if (!p)
            return -1;
        const an_param_ref *ref = v->a ? &v->a->params[i] : NULL;
        rep_add_str_or_null(p, "explanation", ref && ref->explanation[0] ? ref->explanation : NULL);
        if (!ref || !ref->kind) {
            /* A value inside a loaded module's image: code (a faulting IP) or its data. */
            uint64_t val = v->dmp ? le64(v->dmp->hdr + DMP_HDR_BUGCHECK_PARAM1 + 8 * i) : 0;
            const nt_module *mod = v->base && nt_is_kernel_va(val) ? nt_model_module_at(v->base, val) : NULL;
            if (!mod) {
                cJSON_AddNullToObject(p, "refers_to");
                continue;
            }
            cJSON *r = cJSON_AddObjectToObject(p, "refers_to");
            if (!r)
                return -1;
            cJSON_AddStringToObject(r, "kind", "module");
            rep_add_hex64(r, "address", val);
            cJSON_AddStringToObject(r, "module", mod->name);
            rep_add_hex32(r, "offset", (uint32_t)(val - mod->base));
            continue;
        }
        cJSON *r = cJSON_AddObjectToObject(p, "refers_to");
        if (!r)
            return -1;
        cJSON_AddStringToObject(r, "kind", ref->kind);
        rep_add_hex64(r, "address", ref->va);
        if (strcmp(ref->kind, "thread") == 0) {
            const nt_thread *t = nt_model_thread(v->m, ref->va);
            rep_add_uint(r, "tid", t->tid);
        } else if (strcmp(ref->kind, "process") == 0) {
            const nt_process *pr = nt_model_process(v->m, ref->va);
            rep_add_uint(r, "pid", pr->pid);
            cJSON_AddStringToObject(r, "name", pr->name);
            cJSON_AddStringToObject(r, "short_name", pr->short_name);
        }
    }
    return 0;
}
