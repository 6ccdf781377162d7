/* dumpinspect translate: the page walk for one virtual address, as JSON. */
#include <stdio.h>

#include "cli.h"

int cli_cmd_translate(const cli_opts *o)
{
    di_error err = {0};
    di_dump *d;
    di_status st = di_open(o->dump, &d, &err);
    if (st != DI_OK) {
        cli_error(&err);
        return cli_exit_for(st);
    }
    di_translation t;
    di_error werr = {0};
    di_status walk = di_translate(d, o->have_cr3 ? o->cr3 : DI_CR3_KERNEL, o->va, &t, &werr);
    di_close(d);
    char *json;
    st = di_translation_json(&t, o->compact, &json, &err);
    if (st != DI_OK) {
        cli_error(&err);
        return cli_exit_for(st);
    }
    FILE *f = cli_open_output(o, 0);
    if (!f) {
        di_free(json);
        return CLI_EXIT_INTERNAL;
    }
    fputs(json, f);
    fputc('\n', f);
    di_free(json);
    if (cli_close_output(o, f))
        return CLI_EXIT_INTERNAL;
    if (walk != DI_OK) {
        cli_error(&werr);
        return cli_exit_for(walk);
    }
    return CLI_EXIT_OK;
}
