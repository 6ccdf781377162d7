/* dumpinspect DUMP: the JSON report. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_cmd_report(const cli_opts *o)
{
    di_error err = {0};
    di_dump *d;
    di_status st = di_open(o->dump, &d, &err);
    if (st != DI_OK) {
        cli_error(&err);
        return cli_exit_for(st);
    }
    di_report_options ro = {.compact = o->compact, .all_locks = o->all_locks, .all_threads = o->all_threads};
    char *json;
    st = o->text ? di_report_text(d, &ro, &json, &err) : di_report_json(d, &ro, &json, &err);
    int damaged = di_is_damaged(d);
    int worst = di_max_severity(d);
    for (size_t i = 0; i < di_warning_count(d); i++)
        fprintf(stderr, "dumpinspect: warning: %s\n", di_warning(d, i));
    di_close(d);
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
    if (!o->text)
        fputc('\n', f);
    di_free(json);
    if (cli_close_output(o, f))
        return CLI_EXIT_INTERNAL;
    if (o->fail_on >= 0 && worst >= o->fail_on)
        return CLI_EXIT_FINDINGS;
    return damaged ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
}
