/* SPDX-License-Identifier: MIT */
/* Threads' kernel stacks in the report: the `stack` key of a thread (JSON) and the knL-style
 * listing (text). Stacks are walked while the report is printed, one thread at a time, so
 * memory stays flat however many threads are listed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rep_json.h"
#include "report/rep_model.h"

/* "module+0xoff" or, when the frame's function is a named export, "module!Name+0xoff". */
void rep_frame_symbol(const uw_frame *f, char *out, size_t cap)
{
    if (!f->module) {
        snprintf(out, cap, "0x%016llx", (unsigned long long)f->ip);
        return;
    }
    if (f->name[0] && f->function && f->ip >= f->function)
        snprintf(out, cap, "%s!%s+0x%llx", f->module->name, f->name, (unsigned long long)(f->ip - f->function));
    else
        snprintf(out, cap, "%s+0x%llx", f->module->name, (unsigned long long)(f->ip - f->module->base));
}

static cJSON *frame_json(const uw_frame *f)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    rep_add_hex64(o, "child_sp", f->sp);
    rep_add_hex64(o, "address", f->ip);
    if (f->ret)
        rep_add_hex64(o, "return_address", f->ret);
    else
        cJSON_AddNullToObject(o, "return_address");
    if (f->module) {
        char sym[NT_NAME_MAX + 24];
        snprintf(sym, sizeof sym, "%s+0x%llx", f->module->name, (unsigned long long)(f->ip - f->module->base));
        cJSON_AddStringToObject(o, "symbol", sym);
        cJSON_AddStringToObject(o, "module", f->module->name);
    } else {
        cJSON_AddNullToObject(o, "symbol");
        cJSON_AddNullToObject(o, "module");
    }
    if (f->function)
        rep_add_hex64(o, "function", f->function);
    else
        cJSON_AddNullToObject(o, "function");
    rep_add_str_or_null(o, "function_name", f->name[0] ? f->name : NULL);
    cJSON_AddStringToObject(o, "trust", uw_trust_name(f->trust));
    return o;
}

static int walk_json(cJSON *o, const an_walk *w)
{
    cJSON_AddStringToObject(o, "start", w->start);
    if (w->start_va)
        rep_add_hex64(o, "start_record", w->start_va);
    else
        cJSON_AddNullToObject(o, "start_record");
    if (w->stack.base) {
        rep_add_hex64(o, "stack_limit", w->stack.limit);
        rep_add_hex64(o, "stack_base", w->stack.base);
    } else {
        cJSON_AddNullToObject(o, "stack_limit");
        cJSON_AddNullToObject(o, "stack_base");
    }
    cJSON *frames = cJSON_AddArrayToObject(o, "frames");
    for (size_t i = 0; frames && i < w->stack.n; i++) {
        cJSON *f = frame_json(&w->stack.frames[i]);
        if (!f || !cJSON_AddItemToArray(frames, f)) {
            cJSON_Delete(f);
            return -1;
        }
    }
    cJSON_AddStringToObject(o, "end", uw_end_name(w->stack.end));
    return frames ? 0 : -1;
}

int rep_thread_matters(const rep_view *v, const nt_thread *t, int in_findings)
{
    if (in_findings || (v->stacker && v->stacker->crash_thread == t->va))
        return 1;
    for (size_t i = 0; v->m && i < v->m->nprocessors; i++)
        if (v->m->processors[i].current_thread == t->va)
            return 1;
    return 0;
}

int rep_thread_wants_stack(const rep_view *v, const nt_thread *t, int matters)
{
    return v->stacker && t && (matters || v->all_stacks);
}

an_thread_stacks *rep_walk_thread(const rep_view *v, const nt_thread *t)
{
    an_thread_stacks *ts = malloc(sizeof *ts);
    if (ts)
        an_walk_thread(v->stacker, t, ts);
    return ts;
}

int rep_add_stack(cJSON *o, const rep_view *v, const nt_thread *t, int matters)
{
    if (!rep_thread_wants_stack(v, t, matters))
        return cJSON_AddNullToObject(o, "stack") ? 0 : -1;
    an_thread_stacks *ts = rep_walk_thread(v, t);
    cJSON *s = ts ? cJSON_AddObjectToObject(o, "stack") : NULL;
    int rc = s && ts->n ? walk_json(s, &ts->walk[0]) : -1;
    if (!rc) {
        /* The walk restarted at the fault's CONTEXT or trap frame, as .cxr / .trap would. */
        cJSON *r = ts->n > 1 ? cJSON_AddObjectToObject(s, "restarted") : cJSON_AddNullToObject(s, "restarted");
        rc = !r || (ts->n > 1 && walk_json(r, &ts->walk[1])) ? -1 : 0;
    }
    free(ts);
    return rc;
}
