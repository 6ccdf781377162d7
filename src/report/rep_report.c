/* SPDX-License-Identifier: MIT */
#include "report/rep_report.h"

#include <stdio.h>
#include <string.h>

#include "report/rep_header.h"
#include "report/rep_json.h"
#include "util/error.h"
#include "util/path.h"

static int add_warning(cJSON *w, di_wcode code, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(w, o))
        return -1;
    cJSON_AddStringToObject(o, "code", di_wcode_name(code));
    cJSON_AddStringToObject(o, "message", message);
    return 0;
}

static int add_strings(cJSON *w, const di_strlist *l)
{
    for (size_t i = 0; l && i < l->count; i++)
        if (add_warning(w, (di_wcode)l->codes[i], l->items[i]))
            return -1;
    if (l && l->dropped) {
        char b[96];
        snprintf(b, sizeof b, "%zu further warnings were dropped", l->dropped);
        if (add_warning(w, DI_W_LIMIT, b))
            return -1;
    }
    return 0;
}

static int add_warnings(cJSON *root, const dmp_dump *d, const di_strlist *model_warnings)
{
    cJSON *w = cJSON_AddArrayToObject(root, "warnings");
    if (!w || add_strings(w, &d->warnings) || add_strings(w, model_warnings))
        return -1;
    return 0;
}

static int add_model_parts(cJSON *root, const rep_view *v)
{
    cJSON *kernel = cJSON_GetObjectItemCaseSensitive(root, "kernel");
    cJSON *bugcheck = cJSON_GetObjectItemCaseSensitive(root, "bugcheck");
    if (rep_add_kernel_model(kernel, v))
        return -1;
    if (rep_add_bugcheck_joins(bugcheck, v) || rep_add_fault(root, v) || rep_add_crash(root, v) ||
        rep_add_analysis(root, v) || rep_add_findings(root, v) || rep_add_model_sections(root, v) ||
        rep_add_triage(root, v))
        return -1;
    return 0;
}

/* Build the tree (big lists deferred) and print it to a string (out) or to sink. */
static di_status emit(const dmp_dump *d, const rep_view *view, const di_strlist *model_warnings, int compact,
                      char **out, rep_sink_fn sink, void *ctx, di_error *err)
{
    /* The big lists are built while printing, one element at a time (rep_stream.c). */
    rep_view streamed = *view;
    const rep_view *v = &streamed;
    streamed.defer = rep_deferrals_new();
    cJSON *root = streamed.defer ? cJSON_CreateObject() : NULL;
    if (!root) {
        rep_deferrals_free(streamed.defer);
        return di_fail(err, DI_E_NOMEM, "out of memory building the report");
    }
    int bad = !rep_add_uint(root, "schema_version", REP_SCHEMA_VERSION);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    bad |= !tool || !cJSON_AddStringToObject(tool, "name", "dumpinspect") ||
           !cJSON_AddStringToObject(tool, "version", DI_VERSION_STRING);
    cJSON *file = cJSON_AddObjectToObject(root, "file");
    bad |= !file || !cJSON_AddStringToObject(file, "name", di_base_name(dmp_path(d)));
    /* False when damage or a limit cut the work short: the report may lack a finding. */
    const nt_ctx *mc = v->base ? &v->base->ctx : NULL;
    bad |= !cJSON_AddBoolToObject(root, "complete", !d->damaged && !(mc && (mc->damaged || mc->limited)));
    const char *kfv = v->base && v->base->ident.known ? v->base->ident.text : NULL;
    bad |= rep_add_header_sections(root, d, kfv) != 0;
    bad |= bad || add_model_parts(root, v) != 0;
    bad |= add_warnings(root, d, model_warnings) != 0;
    di_status st = bad   ? di_fail(err, DI_E_NOMEM, "out of memory building the report")
                   : out ? rep_print_streamed(root, streamed.defer, compact, out, err)
                         : rep_print_to(root, streamed.defer, compact, sink, ctx, err);
    cJSON_Delete(root);
    rep_deferrals_free(streamed.defer);
    return st;
}

di_status rep_build_report(const dmp_dump *d, const rep_view *v, const di_strlist *model_warnings, int compact,
                           char **out, di_error *err)
{
    return emit(d, v, model_warnings, compact, out, NULL, NULL, err);
}

di_status rep_write_report(const dmp_dump *d, const rep_view *v, const di_strlist *model_warnings, int compact,
                           rep_sink_fn sink, void *ctx, di_error *err)
{
    return emit(d, v, model_warnings, compact, NULL, sink, ctx, err);
}

di_status rep_translation(const di_translation *t, int compact, char **out, di_error *err)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return di_fail(err, DI_E_NOMEM, "out of memory");
    rep_add_hex64(root, "va", t->va);
    rep_add_hex64(root, "cr3", t->cr3);
    cJSON_AddStringToObject(root, "status", di_status_name(t->status));
    cJSON *steps = cJSON_AddArrayToObject(root, "walk");
    for (unsigned i = 0; steps && i < t->nsteps; i++) {
        cJSON *s = cJSON_CreateObject();
        if (!s || !cJSON_AddItemToArray(steps, s))
            break;
        cJSON_AddStringToObject(s, "level", t->steps[i].level);
        rep_add_hex64(s, "entry_address", t->steps[i].entry_pa);
        if (t->steps[i].read_ok)
            rep_add_hex64(s, "entry", t->steps[i].entry);
        else
            cJSON_AddNullToObject(s, "entry");
    }
    int has_pa = t->status == DI_OK || t->status == DI_E_NOT_IN_DUMP || t->status == DI_E_OUT_OF_FILE;
    /* The same keys whether or not the walk reached a page: null when it did not. */
    if (has_pa) {
        rep_add_hex64(root, "pa", t->pa);
        rep_add_uint(root, "page_size", t->page_size);
        cJSON_AddBoolToObject(root, "transition", t->transition);
        cJSON_AddBoolToObject(root, "in_dump", t->in_dump);
    } else {
        cJSON_AddNullToObject(root, "pa");
        cJSON_AddNullToObject(root, "page_size");
        cJSON_AddNullToObject(root, "transition");
        cJSON_AddNullToObject(root, "in_dump");
    }
    di_status st = rep_print(root, compact, out, err);
    cJSON_Delete(root);
    return st;
}
