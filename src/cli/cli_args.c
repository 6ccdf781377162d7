#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse_u64(const char *s, uint64_t *out)
{
    /* strtoull would skip leading blanks and then accept a sign: " -1" is UINT64_MAX. */
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static int need_value(int argc, char **argv, int *i, const char *opt, const char **val)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "dumpinspect: %s needs a value\n", opt);
        return -1;
    }
    *val = argv[++*i];
    return 0;
}

static int number_opt(int argc, char **argv, int *i, const char *opt, uint64_t *out, int *have)
{
    const char *v;
    if (need_value(argc, argv, i, opt, &v))
        return -1;
    if (cli_parse_u64(v, out)) {
        fprintf(stderr, "dumpinspect: %s: '%s' is not a number (use decimal or 0x hex)\n", opt, v);
        return -1;
    }
    *have = 1;
    return 0;
}

/* A page-table root is a physical address: x64 has at most 52 physical address bits. The
 * low 12 bits (PCID) are allowed and ignored. UINT64_MAX would otherwise mean the
 * header's own CR3 to the library. */
#define CLI_CR3_MAX_BITS 52

static int cr3_opt(int argc, char **argv, int *i, cli_opts *o)
{
    if (number_opt(argc, argv, i, "--cr3", &o->cr3, &o->have_cr3))
        return -1;
    if (o->cr3 >> CLI_CR3_MAX_BITS) {
        fprintf(stderr,
                "dumpinspect: --cr3 %s is not an x64 page-table root: bits above bit %d are set, and physical "
                "addresses have at most %d bits\n",
                argv[*i], CLI_CR3_MAX_BITS - 1, CLI_CR3_MAX_BITS);
        return -1;
    }
    return 0;
}

static int limit_opt(int argc, char **argv, int *i, cli_opts *o)
{
    const char *v;
    if (need_value(argc, argv, i, "--limit", &v))
        return -1;
    const char *eq = strchr(v, '=');
    char name[64];
    uint64_t n;
    if (!eq || (size_t)(eq - v) >= sizeof name || cli_parse_u64(eq + 1, &n)) {
        fprintf(stderr, "dumpinspect: --limit takes NAME=NUMBER, not '%s'\n", v);
        return -1;
    }
    memcpy(name, v, (size_t)(eq - v));
    name[eq - v] = '\0';
    if (di_limits_set(&o->limits, name, n)) {
        fprintf(stderr, "dumpinspect: --limit %s: unknown limit or bad value (see --help)\n", v);
        return -1;
    }
    return 0;
}

static int format_opt(int argc, char **argv, int *i, cli_opts *o)
{
    const char *v;
    if (need_value(argc, argv, i, "--format", &v))
        return -1;
    if (strcmp(v, "json") == 0)
        o->text = 0;
    else if (strcmp(v, "text") == 0)
        o->text = 1;
    else {
        fprintf(stderr, "dumpinspect: --format takes json or text, not '%s'\n", v);
        return -1;
    }
    return 0;
}

static int fail_on_opt(int argc, char **argv, int *i, cli_opts *o)
{
    const char *v;
    if (need_value(argc, argv, i, "--fail-on", &v))
        return -1;
    o->fail_on = di_severity_parse(v);
    if (o->fail_on < 0) {
        fprintf(stderr, "dumpinspect: --fail-on takes info, low, medium, high or critical, not '%s'\n", v);
        return -1;
    }
    return 0;
}

int cli_parse(int argc, char **argv, int first, const char *command, cli_opts *o)
{
    int is_read = strcmp(command, "read") == 0, is_translate = strcmp(command, "translate") == 0;
    int is_report = strcmp(command, "report") == 0;
    o->fail_on = -1;
    di_limits_default(&o->limits);
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        int rc = 0;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
            rc = need_value(argc, argv, &i, a, &o->output);
        else if (strcmp(a, "--compact") == 0)
            o->compact = 1;
        else if (strcmp(a, "--limit") == 0)
            rc = limit_opt(argc, argv, &i, o);
        else if (is_report && strcmp(a, "--all-locks") == 0)
            o->all_locks = 1;
        else if (is_report && strcmp(a, "--all-threads") == 0)
            o->all_threads = 1;
        else if (is_report && strcmp(a, "--stacks") == 0)
            o->stacks = 1;
        else if (is_report && strcmp(a, "--format") == 0)
            rc = format_opt(argc, argv, &i, o);
        else if (is_report && strcmp(a, "--fail-on") == 0)
            rc = fail_on_opt(argc, argv, &i, o);
        else if ((is_read) && strcmp(a, "--pa") == 0)
            rc = number_opt(argc, argv, &i, a, &o->pa, &o->have_pa);
        else if ((is_read || is_translate) && strcmp(a, "--va") == 0)
            rc = number_opt(argc, argv, &i, a, &o->va, &o->have_va);
        else if ((is_read || is_translate) && strcmp(a, "--cr3") == 0)
            rc = cr3_opt(argc, argv, &i, o);
        else if (is_read && strcmp(a, "--length") == 0)
            rc = number_opt(argc, argv, &i, a, &o->length, &o->have_length);
        else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "dumpinspect: unknown option '%s' for %s (see --help)\n", a, command);
            return CLI_EXIT_USAGE;
        } else if (o->dump) {
            fprintf(stderr, "dumpinspect: more than one dump given ('%s' and '%s')\n", o->dump, a);
            return CLI_EXIT_USAGE;
        } else
            o->dump = a;
        if (rc)
            return CLI_EXIT_USAGE;
    }
    if (!o->dump) {
        fprintf(stderr, "dumpinspect: no dump file given (see --help)\n");
        return CLI_EXIT_USAGE;
    }
    if (is_read) {
        if (o->have_pa == o->have_va) {
            fprintf(stderr, "dumpinspect: read needs exactly one of --pa and --va\n");
            return CLI_EXIT_USAGE;
        }
        if (o->have_cr3 && o->have_pa) {
            fprintf(stderr, "dumpinspect: --cr3 only applies to --va\n");
            return CLI_EXIT_USAGE;
        }
        if (!o->have_length) {
            fprintf(stderr, "dumpinspect: read needs --length\n");
            return CLI_EXIT_USAGE;
        }
        if (o->length > CLI_READ_MAX) {
            fprintf(stderr, "dumpinspect: --length %llu exceeds the limit of %llu bytes\n",
                    (unsigned long long)o->length, (unsigned long long)CLI_READ_MAX);
            return CLI_EXIT_USAGE;
        }
    }
    if (is_translate && !o->have_va) {
        fprintf(stderr, "dumpinspect: translate needs --va\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}
