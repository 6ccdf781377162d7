/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_exit_for(di_status st)
{
    switch (st) {
    case DI_OK: return CLI_EXIT_OK;
    case DI_E_ARG: return CLI_EXIT_USAGE;
    case DI_E_NOMEM: return CLI_EXIT_INTERNAL;
    case DI_E_IO: return CLI_EXIT_IO;
    case DI_E_FORMAT:
    case DI_E_LIMIT: return CLI_EXIT_CORRUPT;
    case DI_E_UNSUPPORTED: return CLI_EXIT_UNSUPPORTED;
    case DI_E_NONCANONICAL:
    case DI_E_NOT_MAPPED:
    case DI_E_PROTOTYPE:
    case DI_E_BAD_PTE:
    case DI_E_NOT_IN_DUMP:
    case DI_E_OUT_OF_FILE:
    case DI_E_NOT_CAPTURED: return CLI_EXIT_UNREADABLE;
    }
    return CLI_EXIT_INTERNAL;
}

void cli_error(const di_error *err)
{
    fprintf(stderr, "dumpinspect: %s\n", err->message);
}

/* -o - is standard output too. */
static int to_stdout(const cli_opts *o) { return !o->output || strcmp(o->output, "-") == 0; }

/* Binary always (standard output is set binary in main): "\n" on every system, so a report
 * is the same bytes wherever it is written. */
FILE *cli_open_output(const cli_opts *o)
{
    if (to_stdout(o))
        return stdout;
    FILE *f = di_fopen_write(o->output);
    if (!f)
        fprintf(stderr, "dumpinspect: cannot create %s: %s\n", o->output, strerror(errno));
    return f;
}

int cli_close_output(const cli_opts *o, FILE *f)
{
    int bad = ferror(f) != 0;
    if (f == stdout)
        bad |= fflush(f) != 0;
    else
        bad |= fclose(f) != 0;
    if (bad)
        fprintf(stderr, "dumpinspect: cannot write %s\n", to_stdout(o) ? "standard output" : o->output);
    return bad ? -1 : 0;
}

const char *cli_dump_name(const char *path) { return path ? path : "<stdin>"; }

di_dump *cli_open(const cli_opts *o, const char *path, di_error *err)
{
    cli_progress p;
    cli_progress_start(&p, o, cli_dump_name(path));
    di_open_options oo = {.limits = &o->limits,
                          .member = o->member,
                          .progress = p.mode ? cli_progress_update : NULL,
                          .progress_ctx = &p};
    di_dump *d = NULL;
    di_status st = di_open_ex(path, &oo, &d, err);
    cli_progress_end(&p);
    if (st != DI_OK)
        err->status = st;
    return d;
}

di_dump *cli_open_dump(const cli_opts *o, int *rc)
{
    di_error err = {0};
    di_dump *d = cli_open(o, o->dumps[0], &err);
    if (!d) {
        cli_error(&err);
        *rc = cli_exit_for(err.status);
        return NULL;
    }
    *rc = CLI_EXIT_OK;
    return d;
}

int cli_write_text(const cli_opts *o, char *text, int newline)
{
    FILE *f = cli_open_output(o);
    if (f) {
        fputs(text, f);
        if (newline)
            fputc('\n', f);
    }
    di_free(text);
    if (!f || cli_close_output(o, f))
        return -1;
    return 0;
}
