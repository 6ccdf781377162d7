#include <stdio.h>

#include "cli.h"

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

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

FILE *cli_open_output(const cli_opts *o, int binary)
{
    if (!o->output) {
#ifdef _WIN32
        if (binary)
            _setmode(_fileno(stdout), _O_BINARY);
#endif
        return stdout;
    }
    FILE *f = fopen(o->output, binary ? "wb" : "w");
    if (!f)
        perror(o->output);
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
        fprintf(stderr, "dumpinspect: cannot write %s\n", o->output ? o->output : "standard output");
    return bad ? -1 : 0;
}

di_dump *cli_open_dump(const cli_opts *o, int *rc)
{
    di_error err = {0};
    di_dump *d;
    di_status st = di_open_with(o->dump, &o->limits, &d, &err);
    if (st != DI_OK) {
        cli_error(&err);
        *rc = cli_exit_for(st);
        return NULL;
    }
    *rc = CLI_EXIT_OK;
    return d;
}

int cli_write_text(const cli_opts *o, char *text, int newline)
{
    FILE *f = cli_open_output(o, 0);
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
