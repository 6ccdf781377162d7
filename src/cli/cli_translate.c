/* SPDX-License-Identifier: MIT */
/* dumpinspect translate: the page walk for one virtual address, as JSON. */
#include <stdio.h>

#include "cli.h"

int cli_cmd_translate(const cli_opts *o)
{
    int rc;
    di_dump *d = cli_open_dump(o, &rc);
    if (!d)
        return rc;
    di_translation t;
    di_error err = {0}, werr = {0};
    di_status walk = di_translate(d, o->have_cr3 ? o->cr3 : DI_CR3_KERNEL, o->va, &t, &werr);
    di_close(d);
    char *json;
    di_status st = di_translation_json(&t, o->compact, &json, &err);
    if (st != DI_OK) {
        cli_error(&err);
        return cli_exit_for(st);
    }
    if (cli_write_text(o, json, 1))
        return CLI_EXIT_INTERNAL;
    if (walk != DI_OK) {
        cli_error(&werr);
        return cli_exit_for(walk);
    }
    return CLI_EXIT_OK;
}
