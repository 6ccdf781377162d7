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

typedef struct cli_opts {
    const char *dump;
    const char *output;  /* -o */
    int compact;
    int all_locks, all_threads, stacks;
    int text;            /* --format text */
    int fail_on;         /* -1 = off, else a di_severity */
    di_limits limits;    /* --limit NAME=N */
    int have_pa, have_va, have_cr3, have_length;
    uint64_t pa, va, cr3, length;
} cli_opts;

/* Parse argv[first..]; returns CLI_EXIT_OK or CLI_EXIT_USAGE (message printed). */
int cli_parse(int argc, char **argv, int first, const char *command, cli_opts *o);
int cli_parse_u64(const char *s, uint64_t *out);

/* Exit code for a failed library call. */
int cli_exit_for(di_status st);
/* Print "dumpinspect: message" to stderr. */
void cli_error(const di_error *err);
/* Open the output (-o or stdout); NULL after printing a message. */
FILE *cli_open_output(const cli_opts *o, int binary);
int cli_close_output(const cli_opts *o, FILE *f);
/* Open o->dump; on failure print why, set *rc to the exit code and return NULL. */
di_dump *cli_open_dump(const cli_opts *o, int *rc);
/* Write text (and a newline) to the output and release it; -1 after a message on failure. */
int cli_write_text(const cli_opts *o, char *text, int newline);

int cli_cmd_report(const cli_opts *o);
int cli_cmd_read(const cli_opts *o);
int cli_cmd_translate(const cli_opts *o);
void cli_usage(FILE *f);

#define CLI_READ_MAX ((uint64_t)1 << 30)

#endif
