/* SPDX-License-Identifier: MIT */
/* The public API: a thin facade over the layers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/an_bugcheck.h"
#include "analysis/an_findings.h"
#include "dump/dmp_dump.h"
#include "api/di_dump.h"
#include "nt/nt_model.h"
#include "io/io_file.h"
#include "mm/mm_space.h"
#include "report/rep_report.h"
#include "util/error.h"
#include "util/le.h"


/* Parse the dump on an opened byte source; takes ownership of io. */
static di_status open_on(io_file *io, const di_limits *limits, di_dump **out, di_error *err)
{
    di_dump *d = calloc(1, sizeof *d);
    if (!d) {
        di_status st = di_fail(err, DI_E_NOMEM, "%s: out of memory", io_path(io));
        io_close(io);
        return st;
    }
    if (limits)
        d->limits = *limits;
    else
        di_limits_default(&d->limits);
    dmp_limits dl = {.bitmap_bytes = d->limits.bitmap_bytes, .ranges = d->limits.ranges};
    di_status st = dmp_open_limited(io, &dl, &d->dmp, err);
    if (st == DI_OK)
        st = mm_space_init(&d->mm, d->dmp, err);
    if (st != DI_OK) {
        di_close(d);
        return st;
    }
    *out = d;
    return DI_OK;
}

di_status di_open(const char *path, di_dump **out, di_error *err)
{
    return di_open_with(path, NULL, out, err);
}

di_status di_open_with(const char *path, const di_limits *limits, di_dump **out, di_error *err)
{
    if (!path || !out)
        return di_fail(err, DI_E_ARG, "di_open: no path given");
    di_open_options o = {.limits = limits};
    return di_open_ex(path, &o, out, err);
}

di_status di_open_ex(const char *path, const di_open_options *opts, di_dump **out, di_error *err)
{
    if (!out)
        return di_fail(err, DI_E_ARG, "di_open_ex: no output given");
    *out = NULL;
    di_open_options none = {0};
    if (!opts)
        opts = &none;
    di_limits def;
    const di_limits *limits = opts->limits;
    if (!limits) {
        di_limits_default(&def);
        limits = &def;
    }
    io_open_opts io_opts = {.spool_max = limits->spool_bytes,
                            .sniff = dmp_signature_known,
                            .member = opts->member,
                            .progress = opts->progress,
                            .progress_ctx = opts->progress_ctx};
    io_file *io;
    di_status st = io_open_ex(path, &io_opts, &io, err);
    if (st != DI_OK)
        return st;
    return open_on(io, limits, out, err);
}

di_status di_open_memory(const void *data, size_t len, const char *name, di_dump **out, di_error *err)
{
    if (!out || (!data && len))
        return di_fail(err, DI_E_ARG, "di_open_memory: bad arguments");
    *out = NULL;
    io_file *io;
    di_status st = io_open_memory(data, len, name, &io, err);
    if (st != DI_OK)
        return st;
    return open_on(io, NULL, out, err);
}

void di_close(di_dump *d)
{
    if (!d)
        return;
    if (d->analysed) {
        an_analysis_free(&d->analysis);
        nt_model_free(&d->model);
    }
    di_strlist_free(&d->model_warnings);
    mm_space_free(&d->mm);
    dmp_close(d->dmp);
    free(d);
}

size_t di_warning_count(const di_dump *d) { return d->dmp->warnings.count + d->model_warnings.count; }
const char *di_warning(const di_dump *d, size_t i)
{
    if (i < d->dmp->warnings.count)
        return d->dmp->warnings.items[i];
    i -= d->dmp->warnings.count;
    return i < d->model_warnings.count ? d->model_warnings.items[i] : NULL;
}

const char *di_warning_code(const di_dump *d, size_t i)
{
    if (i < d->dmp->warnings.count)
        return di_wcode_name((di_wcode)d->dmp->warnings.codes[i]);
    i -= d->dmp->warnings.count;
    return i < d->model_warnings.count ? di_wcode_name((di_wcode)d->model_warnings.codes[i]) : NULL;
}
/* Damage or a limit that cut work short: either could hide or invent a finding, so a
 * report built then is partial. */
int di_is_damaged(const di_dump *d)
{
    return d->dmp->damaged || (d->analysed && (d->model.ctx.damaged || d->model.ctx.limited));
}

uint64_t di_kernel_cr3(const di_dump *d)
{
    return le64(d->dmp->hdr + DMP_HDR_DIRECTORY_TABLE_BASE) & ~0xFFFull;
}

static uint64_t pick_cr3(const di_dump *d, uint64_t cr3)
{
    return cr3 == DI_CR3_KERNEL ? di_kernel_cr3(d) : cr3;
}

di_status di_read_physical(di_dump *d, uint64_t pa, void *buf, size_t len, di_error *err)
{
    if (!d || (!buf && len))
        return di_fail(err, DI_E_ARG, "di_read_physical: bad arguments");
    return mm_read_phys(&d->mm, pa, buf, len, err);
}

di_status di_read_virtual(di_dump *d, uint64_t cr3, uint64_t va, void *buf, size_t len, di_error *err)
{
    if (!d || (!buf && len))
        return di_fail(err, DI_E_ARG, "di_read_virtual: bad arguments");
    /* A caller's read wants its own bytes, not a walk's neighbours: no read-ahead. */
    int ahead = d->mm.read_ahead;
    d->mm.read_ahead = 0;
    di_status st = mm_read_virtual(&d->mm, pick_cr3(d, cr3), va, buf, len, err);
    d->mm.read_ahead = ahead;
    return st;
}

di_status di_translate(di_dump *d, uint64_t cr3, uint64_t va, di_translation *out, di_error *err)
{
    if (!d || !out)
        return di_fail(err, DI_E_ARG, "di_translate: bad arguments");
    return mm_translate(&d->mm, pick_cr3(d, cr3), va, out, err);
}

static di_status analyse_model(di_dump *d, di_error *err)
{
    const di_limits *l = &d->limits;
    nt_limits nl = {.list_steps = l->list_steps,
                    .processes = l->processes,
                    .threads = l->threads,
                    .modules = l->modules,
                    .resources = l->resources,
                    .owners_per_resource = l->owners_per_resource,
                    .waiters_per_resource = l->waiters_per_resource,
                    .lock_entries = l->lock_entries,
                    .model_bytes = l->model_bytes,
                    .total_steps = l->total_steps};
    di_status st = nt_model_build(&d->model, &d->mm, d->dmp, &nl, &d->model_warnings);
    if (st != DI_OK) {
        nt_model_free(&d->model);
        return di_fail(err, st, "%s: out of memory building the kernel model", dmp_path(d->dmp));
    }
    uint64_t params[4];
    uint32_t code = le32(d->dmp->hdr + DMP_HDR_BUGCHECK_CODE);
    const an_bugcheck_info *info = an_bugcheck_info(code);
    for (int i = 0; i < 4; i++) {
        params[i] = le64(d->dmp->hdr + DMP_HDR_BUGCHECK_PARAM1 + 8 * i);
        /* A parameter documented as a thread is read even when no list reaches it (0x13C's
         * thread is being deleted). */
        if (d->model.ctx.prof && info && info->labels[i] && strcmp(info->labels[i], "thread") == 0 &&
            nt_model_add_thread(&d->model, params[i], NULL) != DI_OK) {
            nt_model_free(&d->model);
            return di_fail(err, DI_E_NOMEM, "%s: out of memory building the kernel model", dmp_path(d->dmp));
        }
    }
    nt_model_sort_threads(&d->model);
    if (an_analyze(&d->model, code, params, &d->analysis)) {
        nt_model_free(&d->model);
        return di_fail(err, DI_E_NOMEM, "%s: out of memory analysing the dump", dmp_path(d->dmp));
    }
    d->analysed = 1;
    return DI_OK;
}

static di_status analyse(di_dump *d, di_error *err)
{
    if (d->analysed)
        return DI_OK;
    /* The page budget bounds the model's reads, not the caller's own reads. */
    d->mm.page_budget = d->mm.page_reads + d->limits.pages_read;
    d->mm.budget_hit = 0;
    di_status st = analyse_model(d, err);
    d->mm.page_budget = 0;
    return st;
}

static rep_view view_of(const di_dump *d, const di_report_options *opt)
{
    rep_view v = {.m = d->model.ctx.prof ? &d->model : NULL, .base = &d->model, .dmp = d->dmp, .a = &d->analysis,
                  .stacker = d->model.ctx.prof ? d->analysis.stacker : NULL};
    if (opt) {
        v.all_locks = opt->all_locks;
        v.all_threads = opt->all_threads || opt->stacks;
        v.all_stacks = opt->stacks;
    }
    return v;
}

di_status di_report_json(di_dump *d, const di_report_options *opt, char **json_out, di_error *err)
{
    if (!d || !json_out)
        return di_fail(err, DI_E_ARG, "di_report_json: bad arguments");
    di_status st = analyse(d, err);
    if (st != DI_OK)
        return st;
    rep_view v = view_of(d, opt);
    return rep_build_report(d->dmp, &v, &d->model_warnings, opt ? opt->compact : 0, json_out, err);
}

di_status di_report_summary(di_dump *d, di_summary *out, di_error *err)
{
    if (!d || !out)
        return di_fail(err, DI_E_ARG, "di_report_summary: bad arguments");
    di_status st = analyse(d, err);
    if (st != DI_OK)
        return st;
    memset(out, 0, sizeof *out);
    snprintf(out->bucket, sizeof out->bucket, "%s", d->analysis.bucket);
    out->max_severity = di_max_severity(d);
    const an_finding *top = NULL;
    for (size_t i = 0; i < d->analysis.nfindings; i++)
        if (!top || d->analysis.findings[i].severity > top->severity)
            top = &d->analysis.findings[i];
    uint32_t code = le32(d->dmp->hdr + DMP_HDR_BUGCHECK_CODE);
    const char *name = an_bugcheck_name(code);
    if (top)
        snprintf(out->headline, sizeof out->headline, "%s", top->summary);
    else
        snprintf(out->headline, sizeof out->headline, "bugcheck 0x%X %s", (unsigned)code, name ? name : "(unknown)");
    return DI_OK;
}

const char *di_severity_name(int severity)
{
    return severity >= DI_SEV_INFO && severity <= DI_SEV_CRITICAL ? an_severity_name((an_severity)severity) : NULL;
}

di_status di_report_json_write(di_dump *d, const di_report_options *opt, di_write_fn write, void *ctx, di_error *err)
{
    if (!d || !write)
        return di_fail(err, DI_E_ARG, "di_report_json_write: bad arguments");
    di_status st = analyse(d, err);
    if (st != DI_OK)
        return st;
    rep_view v = view_of(d, opt);
    return rep_write_report(d->dmp, &v, &d->model_warnings, opt ? opt->compact : 0, write, ctx, err);
}

di_status di_report_text(di_dump *d, const di_report_options *opt, char **text_out, di_error *err)
{
    if (!d || !text_out)
        return di_fail(err, DI_E_ARG, "di_report_text: bad arguments");
    di_status st = analyse(d, err);
    if (st != DI_OK)
        return st;
    rep_view v = view_of(d, opt);
    return rep_build_text(d->dmp, &v, &d->model_warnings, text_out, err);
}

int di_severity_parse(const char *name) { return name ? an_severity_parse(name) : -1; }

int di_max_severity(const di_dump *d)
{
    int best = -1;
    for (size_t i = 0; d->analysed && i < d->analysis.nfindings; i++)
        if ((int)d->analysis.findings[i].severity > best)
            best = (int)d->analysis.findings[i].severity;
    return best;
}

di_status di_translation_json(const di_translation *t, int compact, char **json_out, di_error *err)
{
    if (!t || !json_out)
        return di_fail(err, DI_E_ARG, "di_translation_json: bad arguments");
    return rep_translation(t, compact, json_out, err);
}

void di_free(void *p) { free(p); }

const char *di_version(void) { return DI_VERSION_STRING; }

void di_get_io_stats(const di_dump *d, di_io_stats *out)
{
    out->pages_read = d->mm.page_reads;
    out->cache_hits = d->mm.cache_hits;
    out->file_reads = io_read_count(d->dmp->io);
    out->read_batches = io_batch_count(d->dmp->io);
    out->pages_read_ahead = d->mm.ahead_pages;
    out->read_ahead_used = d->mm.ahead_used;
}

void di_simulate_read_latency(di_dump *d, unsigned usec) { io_set_latency(d->dmp->io, usec); }
void di_set_read_ahead(di_dump *d, int on) { d->mm.read_ahead = on != 0; }
