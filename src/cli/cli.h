/* SPDX-License-Identifier: MIT */
/* The command line: a thin client of the public API. */
#ifndef DI_CLI_H
#define DI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "dumpinspect/dumpinspect.h"

/* Exit codes, documented in --help and man/dumpinspect.1. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_INTERNAL = 1,     /* out of memory, cannot write the output */
    CLI_EXIT_USAGE = 2,        /* bad command line */
    CLI_EXIT_IO = 3,           /* the dump cannot be opened or read */
    CLI_EXIT_CORRUPT = 4,      /* the dump is corrupt, or exceeds a limit */
    CLI_EXIT_UNSUPPORTED = 5,  /* a recognised kind of dump this tool does not read */
    CLI_EXIT_UNREADABLE = 6,   /* read/translate: the requested memory is not available */
    CLI_EXIT_PARTIAL = 7,      /* report written, but the dump is damaged (see warnings) */
    CLI_EXIT_FINDINGS = 8      /* report written; --fail-on threshold reached */
};

enum { CLI_FORMAT_JSON, CLI_FORMAT_TEXT, CLI_FORMAT_LINE };

typedef struct cli_opts {
    const char **dumps;  /* the operands; NULL stands for "-", standard input */
    size_t ndumps;
    const char *batch;   /* --batch DIR */
    const char *output;  /* -o; NULL or "-" for standard output */
    const char *member;  /* --member */
    int progress;        /* -1 when stderr is a terminal, 0 --no-progress, 1 --progress */
    int compact;
    int all_locks, all_threads, stacks;
    int format;          /* --format */
    int fail_on;         /* -1 = off, else a di_severity */
    int allow_partial;   /* a partial report exits 0, not 7 (--fail-on still trips 8) */
    di_limits limits;    /* --limit NAME=N */
    int have_pa, have_va, have_cr3, have_length;
    uint64_t pa, va, cr3, length;
} cli_opts;

/* What cli_parse found besides options: go on, or print help / the version. */
enum { CLI_PARSE_RUN = -1, CLI_PARSE_HELP = -2, CLI_PARSE_VERSION = -3 };
/* Parse argv[first..] for command ("report", "read", "translate"); returns CLI_PARSE_*, or
 * CLI_EXIT_USAGE after printing why. o->dumps is heap memory (free it). */
int cli_parse(int argc, char **argv, int first, const char *command, cli_opts *o);
int cli_parse_u64(const char *s, uint64_t *out);

/* Exit code for a failed library call. */
int cli_exit_for(di_status st);
/* Print "dumpinspect: message" to stderr. */
void cli_error(const di_error *err);
/* Open the output (-o or stdout), binary; NULL after printing a message. */
FILE *cli_open_output(const cli_opts *o);
int cli_close_output(const cli_opts *o, FILE *f);
/* The name a dump is shown by: its path, or "<stdin>" for NULL. */
const char *cli_dump_name(const char *path);
/* Open path (NULL: standard input) with o's limits, member and progress; on failure set
 * *err and return NULL. */
di_dump *cli_open(const cli_opts *o, const char *path, di_error *err);
/* Open o's only dump; on failure print why, set *rc to the exit code and return NULL. */
di_dump *cli_open_dump(const cli_opts *o, int *rc);
/* Write text (and a newline) to the output and release it; -1 after a message on failure. */
int cli_write_text(const cli_opts *o, char *text, int newline);

int cli_cmd_report(const cli_opts *o);
int cli_cmd_read(const cli_opts *o);
int cli_cmd_translate(const cli_opts *o);
int cli_cmd_batch(const cli_opts *o);
void cli_usage(FILE *f);
/* Windows: the command line as UTF-8 (from its UTF-16), standard streams binary and the
 * console printing UTF-8 (cli_windows.c); elsewhere nothing to do. */
void cli_platform_init(int *argc, char ***argv);

/* Progress on stderr while a delivery is unpacked (cli_progress.c). */
typedef struct cli_progress {
    int mode;          /* 0 off, 1 redrawn on a terminal line, 2 one line per step (forced, not a terminal) */
    const char *name;
    double start, last;
    size_t width;      /* of the line drawn last, to clear it */
    uint64_t bytes, done, total;
} cli_progress;
void cli_progress_start(cli_progress *p, const cli_opts *o, const char *name);
void cli_progress_update(void *ctx, uint64_t bytes, uint64_t done, uint64_t total);
void cli_progress_end(cli_progress *p);

/* The worse of two exit codes for a batch (see cli_report.c). */
int cli_worse_exit(int a, int b);

#define CLI_READ_MAX ((uint64_t)1 << 30)

#endif
