/* dumpinspect DUMP: the report, JSON or text. */
#include <stdio.h>

#include "cli.h"

int cli_cmd_report(const cli_opts *o)
{
    int rc;
    di_dump *d = cli_open_dump(o, &rc);
    if (!d)
        return rc;
    di_error err = {0};
    di_report_options ro = {.compact = o->compact, .all_locks = o->all_locks, .all_threads = o->all_threads,
                            .stacks = o->stacks};
    char *out;
    di_status st = o->text ? di_report_text(d, &ro, &out, &err) : di_report_json(d, &ro, &out, &err);
    int damaged = di_is_damaged(d);
    int worst = di_max_severity(d);
    for (size_t i = 0; i < di_warning_count(d); i++)
        fprintf(stderr, "dumpinspect: warning: %s\n", di_warning(d, i));
    di_close(d);
    if (st != DI_OK) {
        cli_error(&err);
        return cli_exit_for(st);
    }
    if (cli_write_text(o, out, !o->text))
        return CLI_EXIT_INTERNAL;
    if (o->fail_on >= 0 && worst >= o->fail_on)
        return CLI_EXIT_FINDINGS;
    return damaged ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
}
