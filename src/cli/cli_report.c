/* SPDX-License-Identifier: MIT */
/* dumpinspect DUMP: the report, JSON or text; with several dumps (or --batch DIR) one JSON
 * line or one summary line per dump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_warnings(const di_dump *d)
{
    for (size_t i = 0; i < di_warning_count(d); i++)
        fprintf(stderr, "dumpinspect: warning: %s\n", di_warning(d, i));
}

/* What the report's facts mean for the exit code. */
static int report_exit(const cli_opts *o, int damaged, int worst)
{
    if (o->fail_on >= 0 && worst >= o->fail_on)
        return CLI_EXIT_FINDINGS;
    return damaged && !o->allow_partial ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
}

static int file_write(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

/* The JSON report goes out as it is printed: memory stays flat however large it is. */
static di_status write_json(const cli_opts *o, di_dump *d, const di_report_options *ro, di_error *err, int *io_failed)
{
    FILE *f = cli_open_output(o);
    if (!f) {
        *io_failed = 1;
        return DI_OK;
    }
    di_status st = di_report_json_write(d, ro, file_write, f, err);
    if (st == DI_OK)
        fputc('\n', f);
    *io_failed = cli_close_output(o, f) != 0 || st == DI_E_IO;
    return st == DI_E_IO ? DI_OK : st;
}

int cli_cmd_report(const cli_opts *o)
{
    if (o->batch || o->ndumps > 1 || o->format == CLI_FORMAT_LINE)
        return cli_cmd_batch(o);
    int rc;
    di_dump *d = cli_open_dump(o, &rc);
    if (!d)
        return rc;
    di_error err = {0};
    di_report_options ro = {.compact = o->compact, .all_locks = o->all_locks, .all_threads = o->all_threads,
                            .stacks = o->stacks};
    char *out = NULL;
    int text = o->format == CLI_FORMAT_TEXT, io_failed = 0;
    di_status st = text ? di_report_text(d, &ro, &out, &err) : write_json(o, d, &ro, &err, &io_failed);
    int damaged = di_is_damaged(d);
    int worst = di_max_severity(d);
    print_warnings(d);
    di_close(d);
    if (st != DI_OK) {
        di_free(out);
        cli_error(&err);
        return cli_exit_for(st);
    }
    if (text && cli_write_text(o, out, 0))
        return CLI_EXIT_INTERNAL;
    if (io_failed)
        return CLI_EXIT_INTERNAL;
    return report_exit(o, damaged, worst);
}

/* The worst of several dumps' exit codes: a dump that could not be reported at all (1 to 5,
 * lowest first: internal, usage, cannot read, corrupt, unsupported) outranks a written
 * report that tripped --fail-on (8), which outranks a partial report (7), then success. */
static int exit_rank(int code)
{
    static const int order[] = {CLI_EXIT_INTERNAL, CLI_EXIT_USAGE,    CLI_EXIT_IO,      CLI_EXIT_CORRUPT,
                                CLI_EXIT_UNSUPPORTED, CLI_EXIT_UNREADABLE, CLI_EXIT_FINDINGS, CLI_EXIT_PARTIAL};
    size_t n = sizeof order / sizeof order[0];
    for (size_t i = 0; i < n; i++)
        if (order[i] == code)
            return (int)(n - i);
    return 0;
}

int cli_worse_exit(int a, int b) { return exit_rank(b) > exit_rank(a) ? b : a; }

/* Tabs and line breaks would split a summary line's fields. */
static void put_field(FILE *f, const char *s)
{
    char *clean = di_utf8_clean(s);
    for (const char *p = clean ? clean : "?"; *p; p++)
        fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, f);
    di_free(clean);
}

static void line_error(FILE *f, const char *name, const di_error *err)
{
    put_field(f, name);
    fputs("\t-\terror\t", f);
    put_field(f, err->message);
    fputc('\n', f);
}

static void json_error(FILE *f, const char *name, const di_error *err, int code)
{
    char *file = di_json_quote(name), *msg = di_json_quote(err->message);
    fprintf(f, "{\"file\":%s,\"error\":{\"status\":\"%s\",\"message\":%s},\"exit\":%d}\n", file ? file : "null",
            di_status_name(err->status), msg ? msg : "null", code);
    di_free(file);
    di_free(msg);
}

/* A JSON Lines record as it is printed, counting what reached the output. */
typedef struct line_sink {
    FILE *f;
    uint64_t written;
} line_sink;

static int line_write(void *ctx, const char *data, size_t len)
{
    line_sink *s = ctx;
    s->written += len;
    return fwrite(data, 1, len, s->f) == len ? 0 : -1;
}

/* One dump's line; returns its exit code. The JSON record is written as it is printed, so a
 * dump with a million resources listed costs no more memory than the default report. */
static int batch_one(const cli_opts *o, const char *path, FILE *f)
{
    const char *name = cli_dump_name(path);
    di_error err = {0};
    di_dump *d = cli_open(o, path, &err);
    di_status st = d ? DI_OK : err.status;
    di_summary sum;
    line_sink sink = {.f = f};
    if (d && o->format == CLI_FORMAT_LINE) {
        st = di_report_summary(d, &sum, &err);
    } else if (d) {
        di_report_options ro = {.compact = 1, .all_locks = o->all_locks, .all_threads = o->all_threads,
                                .stacks = o->stacks};
        st = di_report_json_write(d, &ro, line_write, &sink, &err);
        if (st != DI_OK && sink.written)
            fputc('\n', f); /* the cut record ends here; the error record follows on its own line */
    }
    int rc = st == DI_OK ? report_exit(o, di_is_damaged(d), di_max_severity(d)) : cli_exit_for(st);
    if (d) {
        print_warnings(d);
        di_close(d);
    }
    if (st != DI_OK) {
        fprintf(stderr, "dumpinspect: %s\n", err.message);
        if (o->format == CLI_FORMAT_LINE)
            line_error(f, name, &err);
        else
            json_error(f, name, &err, rc);
    } else if (o->format == CLI_FORMAT_LINE) {
        const char *sev = di_severity_name(sum.max_severity);
        put_field(f, name);
        fprintf(f, "\t%s\t%s\t", sum.bucket, sev ? sev : "none");
        put_field(f, sum.headline);
        fputc('\n', f);
    } else {
        fputc('\n', f);
    }
    fflush(f);
    return rc;
}

int cli_cmd_batch(const cli_opts *o)
{
    char **listed = NULL;
    size_t nlisted = 0;
    if (o->batch) {
        di_error err = {0};
        if (di_list_dir(o->batch, &listed, &nlisted, &err) != DI_OK) {
            cli_error(&err);
            return cli_exit_for(err.status);
        }
    }
    FILE *f = cli_open_output(o);
    if (!f) {
        di_free_list(listed, nlisted);
        return CLI_EXIT_INTERNAL;
    }
    int worst = CLI_EXIT_OK;
    size_t n = o->batch ? nlisted : o->ndumps;
    for (size_t i = 0; i < n; i++)
        worst = cli_worse_exit(worst, batch_one(o, o->batch ? listed[i] : o->dumps[i], f));
    di_free_list(listed, nlisted);
    if (cli_close_output(o, f))
        worst = cli_worse_exit(worst, CLI_EXIT_INTERNAL);
    return worst;
}
