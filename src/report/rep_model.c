/* SPDX-License-Identifier: MIT */
#include "report/rep_model.h"
#include "util/le.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/an_describe.h"
#include "report/rep_emit.h"
#include "report/rep_json.h"
#include "util/timefmt.h"

static void em_time(rep_emit *e, const char *key, uint64_t ft)
{
    char t[40];
    rep_em_string(e, key, ft && di_filetime_iso8601(ft, t, sizeof t) == 0 ? t : NULL);
}

void rep_em_code_address(rep_emit *e, const char *key, const nt_model *m, uint64_t addr)
{
    rep_em_object(e, key);
    rep_em_hex64(e, "address", addr);
    const nt_module *mod = addr ? nt_model_module_at(m, addr) : NULL;
    if (mod) {
        char sym[NT_NAME_MAX + 24];
        snprintf(sym, sizeof sym, "%s+0x%llx", mod->name, (unsigned long long)(addr - mod->base));
        rep_em_string(e, "symbol", sym);
        rep_em_string(e, "module", mod->name);
    } else {
        rep_em_null(e, "symbol");
        rep_em_null(e, "module");
    }
    rep_em_end(e);
}

void rep_add_code_address(cJSON *o, const char *key, const nt_model *m, uint64_t addr)
{
    rep_emit e;
    rep_emit_tree(&e, o);
    rep_em_code_address(&e, key, m, addr);
}

static void em_ms_or_null(rep_emit *e, const char *key, int64_t ms)
{
    if (ms < 0)
        rep_em_null(e, key);
    else
        rep_em_uint(e, key, (uint64_t)ms);
}

static int64_t ticks_ms(const nt_model *m, uint32_t ticks)
{
    return m->clock.valid ? (int64_t)(((uint64_t)ticks * m->clock.tick_multiplier) >> 24) : -1;
}

/* The thread's members, inside an object the caller opened. */
void rep_em_thread_members(rep_emit *e, const nt_model *m, const nt_thread *t)
{
    const nt_profile *p = m->ctx.prof;
    const nt_process *proc = nt_model_process(m, t->process_va);
    rep_em_hex64(e, "address", t->va);
    rep_em_uint(e, "tid", t->tid);
    rep_em_uint(e, "pid", t->pid);
    rep_em_string(e, "process_name", proc ? proc->name : NULL);
    rep_em_string(e, "state", nt_enum_name(p, NT_EK_KTHREAD_STATE, t->state));
    rep_em_string(e, "wait_reason", nt_enum_name(p, NT_EK_KWAIT_REASON, t->wait_reason));
    rep_em_string(e, "wait_mode", nt_enum_name(p, NT_EK_MODE, t->wait_mode));
    em_ms_or_null(e, "wait_ms", nt_model_wait_ms(m, t));
    if (t->wait_object)
        rep_em_hex64(e, "wait_object", t->wait_object);
    else
        rep_em_null(e, "wait_object");
    rep_em_bool(e, "terminated", nt_thread_is_terminated(m, t));
    rep_em_bool(e, "terminated_flag", t->terminated_flag);
    rep_em_bool(e, "system_thread", t->system_thread);
    rep_em_bool(e, "on_thread_list", t->on_list);
    rep_em_code_address(e, "start_address", m, t->start_address);
    rep_em_code_address(e, "win32_start_address", m, t->win32_start_address);
    em_time(e, "create_time", t->create_time);
    em_time(e, "exit_time", t->exit_time);
    rep_em_uint(e, "kernel_time_ticks", t->kernel_time);
    em_ms_or_null(e, "kernel_time_ms", ticks_ms(m, t->kernel_time));
    rep_em_uint(e, "user_time_ticks", t->user_time);
    em_ms_or_null(e, "user_time_ms", ticks_ms(m, t->user_time));
    rep_em_uint(e, "context_switches", t->context_switches);
    rep_em_uint(e, "io_boost_count", t->io_boost_count);
    if (t->absent & NT_THREAD_NO_IO_QOS_BOOST_COUNT)
        rep_em_null(e, "io_qos_boost_count");
    else
        rep_em_uint(e, "io_qos_boost_count", t->io_qos_boost_count);
    if (t->absent & NT_THREAD_NO_IO_QOS_THROTTLE_COUNT)
        rep_em_null(e, "io_qos_throttle_count");
    else
        rep_em_uint(e, "io_qos_throttle_count", t->io_qos_throttle_count);
}

/* What an emitter built into a holder array, taken out as one tree (NULL on failure). */
static cJSON *take_one(cJSON *holder, const rep_emit *e)
{
    cJSON *item = !e->failed && holder ? cJSON_DetachItemFromArray(holder, 0) : NULL;
    cJSON_Delete(holder);
    return item;
}

cJSON *rep_thread(const nt_model *m, const nt_thread *t)
{
    cJSON *holder = cJSON_CreateArray();
    rep_emit e;
    rep_emit_tree(&e, holder);
    rep_em_object(&e, NULL);
    rep_em_thread_members(&e, m, t);
    rep_em_end(&e);
    return take_one(holder, &e);
}

/* A thread reference's members: address plus tid, process name and state when known. */
static void em_thread_ref_members(rep_emit *e, const nt_model *m, uint64_t va)
{
    const nt_thread *t = nt_model_thread(m, va);
    rep_em_hex64(e, "address", va);
    if (!t) {
        rep_em_null(e, "tid");
        rep_em_null(e, "process_name");
        rep_em_null(e, "state");
        return;
    }
    const nt_process *proc = nt_model_process(m, t->process_va);
    rep_em_uint(e, "tid", t->tid);
    rep_em_string(e, "process_name", proc ? proc->name : NULL);
    rep_em_string(e, "state", nt_enum_name(m->ctx.prof, NT_EK_KTHREAD_STATE, t->state));
}

cJSON *rep_thread_ref(const nt_model *m, uint64_t va)
{
    cJSON *holder = cJSON_CreateArray();
    rep_emit e;
    rep_emit_tree(&e, holder);
    rep_em_object(&e, NULL);
    em_thread_ref_members(&e, m, va);
    rep_em_end(&e);
    return take_one(holder, &e);
}

static void em_waiters(rep_emit *e, const nt_model *m, const nt_resource *r, size_t max)
{
    if (r->waiters_unknown) { /* unknown, not none: the model's warning says why */
        rep_em_null(e, "waiters");
        return;
    }
    rep_em_array(e, "waiters");
    for (size_t i = 0; i < r->nwaiters && i < max && !e->failed; i++) {
        const nt_waiter *w = &m->waiters[r->first_waiter + i];
        rep_em_object(e, NULL);
        em_thread_ref_members(e, m, w->thread);
        rep_em_string(e, "mode", w->exclusive ? "exclusive" : "shared");
        const nt_thread *t = nt_waiter_thread(m, w);
        em_ms_or_null(e, "wait_ms", t ? nt_model_wait_ms(m, t) : -1);
        rep_em_hex64(e, "wait_entry", w->entry);
        rep_em_string(e, "found_via", w->found_via == NT_WAITER_FROM_RING               ? "waiter_ring"
                                      : w->found_via == NT_WAITER_FROM_EVENT_WAIT_LIST ? "event_wait_list"
                                                                                        : "thread_wait");
        rep_em_bool(e, "confirmed", w->confirmed);
        rep_em_end(e);
    }
    rep_em_end(e);
}

int rep_add_waiters(cJSON *o, const nt_model *m, const nt_resource *r, size_t max)
{
    rep_emit e;
    rep_emit_tree(&e, o);
    em_waiters(&e, m, r, max);
    return e.failed ? -1 : 0;
}

void rep_em_resource(rep_emit *e, const nt_model *m, const nt_resource *r)
{
    rep_em_object(e, NULL);
    rep_em_hex64(e, "address", r->va);
    rep_em_string(e, "mode", !r->held ? "free" : r->exclusive ? "exclusive" : "shared");
    rep_em_hex16(e, "flag", r->flag);
    rep_em_bool(e, "fast_resource", r->fast);
    rep_em_number(e, "active_count", r->active_count);
    rep_em_uint(e, "active_entries", r->active_entries);
    rep_em_uint(e, "contention_count", r->contention_count);
    rep_em_uint(e, "shared_waiters_count", r->shared_waiters_count);
    rep_em_uint(e, "exclusive_waiters_count", r->exclusive_waiters_count);
    rep_em_array(e, "owners");
    for (size_t i = 0; i < r->nowners && !e->failed; i++) {
        const nt_owner *ow = &m->owners[r->first_owner + i];
        rep_em_object(e, NULL);
        if (ow->thread)
            em_thread_ref_members(e, m, ow->thread);
        else
            rep_em_hex64(e, "owner_cookie", ow->raw);
        rep_em_uint(e, "count", ow->count);
        rep_em_string(e, "owner_state", an_owner_state_name(an_owner_state_of(m, ow)));
        rep_em_bool(e, "io_priority_boosted", ow->io_boosted);
        if (ow->qos_boosted < 0)
            rep_em_null(e, "io_qos_priority_boosted");
        else
            rep_em_bool(e, "io_qos_priority_boosted", ow->qos_boosted);
        rep_em_end(e);
    }
    rep_em_end(e);
    em_waiters(e, m, r, SIZE_MAX);
    rep_em_bool(e, "damaged", r->damaged);
    rep_em_end(e);
}

cJSON *rep_resource(const nt_model *m, const nt_resource *r)
{
    cJSON *holder = cJSON_CreateArray();
    rep_emit e;
    rep_emit_tree(&e, holder);
    rep_em_resource(&e, m, r);
    return take_one(holder, &e);
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
