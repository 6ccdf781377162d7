/* SPDX-License-Identifier: MIT */
/* The model's inventory sections: locks, threads, processes, modules, processors. */
#include <stdio.h>
#include <stdlib.h>

#include "report/rep_json.h"
#include "report/rep_emit.h"
#include "report/rep_model.h"
#include "util/timefmt.h"

/* A small set of thread addresses: those the findings involve. */
typedef struct va_set {
    uint64_t *v;
    size_t n, cap;
} va_set;

static int set_add(va_set *s, uint64_t va)
{
    if (!va)
        return 0;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 32;
        uint64_t *n = realloc(s->v, ncap * sizeof *n);
        if (!n)
            return -1;
        s->v = n;
        s->cap = ncap;
    }
    s->v[s->n++] = va;
    return 0;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Needs set_sort first. */
static int set_has(const va_set *s, uint64_t va)
{
    return s->n && bsearch(&va, s->v, s->n, sizeof *s->v, u64_cmp) != NULL;
}

static void set_sort(va_set *s)
{
    if (s->n)
        qsort(s->v, s->n, sizeof *s->v, u64_cmp);
}

static int add_resource_threads(va_set *s, const nt_model *m, const nt_resource *r)
{
    for (size_t i = 0; i < r->nowners; i++)
        if (set_add(s, m->owners[r->first_owner + i].thread))
            return -1;
    for (size_t i = 0; i < r->nwaiters; i++)
        if (set_add(s, m->waiters[r->first_waiter + i].thread))
            return -1;
    return 0;
}

static int finding_threads(va_set *s, const rep_view *v)
{
    for (size_t i = 0; v->a && i < v->a->nfindings; i++) {
        const an_finding *f = &v->a->findings[i];
        int rc = 0;
        if (f->kind == AN_ORPHANED_LOCK || f->kind == AN_CONTENTION)
            rc = add_resource_threads(s, v->m, &v->m->resources[f->resource]);
        for (size_t k = 0; !rc && k < f->cycle_len; k++)
            rc = set_add(s, f->cycle_threads[k]);
        if (!rc && f->kind == AN_BUGCHECK_CORRELATION && f->param_kind)
            rc = set_add(s, f->param_va);
        if (rc)
            return -1;
    }
    return 0;
}

/* A list in the report: deferred (built element by element while printing) when the view
 * streams, else built here. fn gives element i or NULL to skip it. */
static int add_list(cJSON *o, const char *key, const rep_view *v, size_t count, rep_element_fn fn, void *ctx,
                    void (*free_ctx)(void *))
{
    if (v->defer)
        return rep_add_deferred_array(o, key, v->defer, count, fn, ctx, free_ctx) ? 0 : -1;
    cJSON *arr = cJSON_AddArrayToObject(o, key);
    int rc = arr ? 0 : -1;
    for (size_t i = 0; !rc && i < count; i++) {
        cJSON *e = NULL;
        rc = fn(ctx, i, &e);
        if (!rc && e && !cJSON_AddItemToArray(arr, e)) {
            cJSON_Delete(e);
            rc = -1;
        }
    }
    if (free_ctx)
        free_ctx(ctx);
    return rc;
}

/* The same for a list whose elements are emitted (rep_emit.h): printed without a tree when
 * the view streams. */
static int add_emitted_list(cJSON *o, const char *key, const rep_view *v, size_t count, rep_emit_fn fn, void *ctx,
                            void (*free_ctx)(void *))
{
    if (v->defer)
        return rep_add_deferred_emit_array(o, key, v->defer, count, fn, ctx, free_ctx) ? 0 : -1;
    rep_emit e;
    rep_emit_tree(&e, cJSON_AddArrayToObject(o, key));
    for (size_t i = 0; !e.failed && i < count; i++)
        if (fn(ctx, i, &e) != 0)
            e.failed = 1;
    if (free_ctx)
        free_ctx(ctx);
    return e.failed ? -1 : 0;
}

static int lock_element(void *ctx, size_t i, rep_emit *e)
{
    const rep_view *v = ctx;
    const nt_resource *r = &v->m->resources[i];
    if (v->all_locks || r->held)
        rep_em_resource(e, v->m, r);
    return 0;
}

static int add_locks(cJSON *root, const rep_view *v)
{
    const nt_model *m = v->m;
    size_t held = 0;
    for (size_t i = 0; i < m->nresources; i++)
        held += m->resources[i].held != 0;
    if (m->resources_unavailable) {
        /* Not read at all: unknown, which is not the same as none. */
        cJSON *o = cJSON_AddObjectToObject(root, "locks");
        if (!o)
            return -1;
        cJSON_AddNullToObject(o, "resources_total");
        cJSON_AddNullToObject(o, "resources_held");
        cJSON_AddFalseToObject(o, "list_complete");
        cJSON_AddStringToObject(o, "shown", "unavailable");
        cJSON_AddStringToObject(o, "unavailable_reason", m->resources_unavailable);
        cJSON_AddNullToObject(o, "resources");
        return 0;
    }
    cJSON *o = cJSON_AddObjectToObject(root, "locks");
    if (!o)
        return -1;
    rep_add_uint(o, "resources_total", m->nresources);
    rep_add_uint(o, "resources_held", held);
    cJSON_AddBoolToObject(o, "list_complete", m->resources_complete);
    cJSON_AddStringToObject(o, "shown", v->all_locks ? "all" : "held");
    return add_emitted_list(o, "resources", v, m->nresources, lock_element, (void *)v, NULL);
}

typedef struct thread_list {
    const rep_view *v;
    va_set shown;               /* threads in findings, sorted (unless all are shown) */
} thread_list;

static void free_thread_list(void *ctx)
{
    thread_list *t = ctx;
    free(t->shown.v);
    free(t);
}

static int thread_element(void *ctx, size_t i, rep_emit *e)
{
    const thread_list *t = ctx;
    const nt_model *m = t->v->m;
    const nt_thread *th = &m->threads[i];
    int in_findings = set_has(&t->shown, th->va);
    if (!t->v->all_threads && !in_findings)
        return 0;
    rep_em_object(e, NULL);
    rep_em_thread_members(e, m, th);
    /* The stack is built as a tree (rep_stack.c) and handed over whole. */
    cJSON *holder = cJSON_CreateObject();
    if (!holder || rep_add_stack(holder, t->v, th, rep_thread_matters(t->v, th, in_findings))) {
        cJSON_Delete(holder);
        return -1;
    }
    rep_em_json(e, "stack", cJSON_DetachItemFromObject(holder, "stack"));
    cJSON_Delete(holder);
    rep_em_end(e);
    return e->failed ? -1 : 0;
}

static int add_threads(cJSON *root, const rep_view *v)
{
    const nt_model *m = v->m;
    thread_list *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    t->v = v;
    if (finding_threads(&t->shown, v)) {
        free_thread_list(t);
        return -1;
    }
    set_sort(&t->shown);
    cJSON *o = cJSON_AddObjectToObject(root, "threads");
    if (!o) {
        free_thread_list(t);
        return -1;
    }
    rep_add_uint(o, "total", m->nthreads);
    cJSON_AddStringToObject(o, "shown", v->all_threads ? "all" : "in_findings");
    return add_emitted_list(o, "list", v, m->nthreads, thread_element, t, free_thread_list);
}

static int process_element(void *ctx, size_t i, cJSON **out)
{
    const nt_model *m = ctx;
    const nt_process *p = &m->processes[i];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    char t[40];
    rep_add_hex64(o, "address", p->va);
    rep_add_uint(o, "pid", p->pid);
    rep_add_uint(o, "parent_pid", p->parent_pid);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "short_name", p->short_name);
    cJSON_AddStringToObject(o, "found_via", p->source == NT_PROCESS_FROM_IDLE_THREAD   ? "idle_thread"
                                            : p->source == NT_PROCESS_FROM_TRIAGE_COPY ? "triage_copy"
                                                                                       : "process_list");
    rep_add_str_or_null(o, "create_time", di_filetime_iso8601(p->create_time, t, sizeof t) == 0 ? t : NULL);
    rep_add_str_or_null(o, "exit_time", di_filetime_iso8601(p->exit_time, t, sizeof t) == 0 ? t : NULL);
    cJSON_AddBoolToObject(o, "exiting", p->exiting);
    cJSON_AddBoolToObject(o, "deleted", p->deleted);
    rep_add_uint(o, "active_threads", p->active_threads);
    rep_add_uint(o, "threads_found", p->threads_found);
    *out = o;
    return 0;
}

static int add_processes(cJSON *root, const rep_view *v)
{
    return add_list(root, "processes", v, v->m->nprocesses, process_element, (void *)v->m, NULL);
}

static int module_element(void *ctx, size_t i, cJSON **out)
{
    const nt_model *m = ctx;
    const nt_module *mod = &m->modules[i];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    cJSON_AddStringToObject(o, "name", mod->name);
    cJSON_AddStringToObject(o, "path", mod->path);
    rep_add_hex64(o, "base", mod->base);
    rep_add_hex32(o, "size", mod->size);
    rep_add_hex32(o, "timestamp", mod->timestamp);
    rep_add_hex32(o, "checksum", mod->checksum);
    *out = o;
    return 0;
}

static int add_modules(cJSON *root, const rep_view *v, const nt_model *m)
{
    return add_list(root, "modules", v, m->nmodules, module_element, (void *)m, NULL);
}

static int add_processors(cJSON *root, const rep_view *v)
{
    const nt_model *m = v->m;
    cJSON *arr = cJSON_AddArrayToObject(root, "processors");
    for (size_t i = 0; arr && i < m->nprocessors; i++) {
        const nt_processor *p = &m->processors[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o))
            return -1;
        rep_add_uint(o, "index", p->index);
        rep_add_hex64(o, "prcb", p->prcb);
        cJSON *t = rep_thread_ref(m, p->current_thread);
        if (!t || !cJSON_AddItemToObject(o, "current_thread", t))
            return -1;
        const nt_thread *th = nt_model_thread(m, p->current_thread);
        if ((th ? rep_add_stack(t, v, th, 1) : !cJSON_AddNullToObject(t, "stack")) != 0)
            return -1;
        t = rep_thread_ref(m, p->idle_thread);
        if (!t || !cJSON_AddItemToObject(o, "idle_thread", t))
            return -1;
    }
    return arr ? 0 : -1;
}

/* Which lists were read whole: null for a list not read at all. A list that could not be
 * read is null in the report, never empty; one read in part is listed, and false here. */
static int add_lists_complete(cJSON *root, const rep_view *v, int procs, int mods, int cpus)
{
    const nt_model *m = v->m;
    cJSON *o = cJSON_AddObjectToObject(root, "lists_complete");
    if (!o)
        return -1;
    if (procs) {
        cJSON_AddBoolToObject(o, "processes", m->processes_complete);
        cJSON_AddBoolToObject(o, "threads", m->threads_complete);
    } else {
        cJSON_AddNullToObject(o, "processes");
        cJSON_AddNullToObject(o, "threads");
    }
    if (mods)
        cJSON_AddBoolToObject(o, "modules", (m ? m : v->base)->modules_complete);
    else
        cJSON_AddNullToObject(o, "modules");
    if (m && !m->resources_unavailable)
        cJSON_AddBoolToObject(o, "resources", m->resources_complete);
    else
        cJSON_AddNullToObject(o, "resources");
    if (cpus)
        cJSON_AddBoolToObject(o, "processors", m->nprocessors > 0);
    else
        cJSON_AddNullToObject(o, "processors");
    return 0;
}

int rep_add_model_sections(cJSON *root, const rep_view *v)
{
    const nt_model *m = v->m;
    /* A list is read when the dump gives its head (or, in a triage dump, its copies). */
    int procs = m && (m->ps_active_process_head || m->triage);
    int mods = m ? m->ps_loaded_module_list || m->triage : v->base && v->base->triage;
    int cpus = m && (m->kdbg.state == NT_KDBG_OK || m->triage);
    if (!m) {
        cJSON_AddNullToObject(root, "locks");
        cJSON_AddNullToObject(root, "threads");
        cJSON_AddNullToObject(root, "processes");
        /* A triage dump's driver list needs no offset profile. */
        if (mods ? add_modules(root, v, v->base) : !cJSON_AddNullToObject(root, "modules"))
            return -1;
        cJSON_AddNullToObject(root, "processors");
        return add_lists_complete(root, v, 0, mods, 0);
    }
    if (add_locks(root, v) || (procs ? add_threads(root, v) : !cJSON_AddNullToObject(root, "threads")) ||
        (procs ? add_processes(root, v) : !cJSON_AddNullToObject(root, "processes")) ||
        (mods ? add_modules(root, v, m) : !cJSON_AddNullToObject(root, "modules")) ||
        (cpus ? add_processors(root, v) : !cJSON_AddNullToObject(root, "processors")))
        return -1;
    return add_lists_complete(root, v, procs, mods, cpus);
}
