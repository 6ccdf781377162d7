/* SPDX-License-Identifier: MIT */
/* The command line, getopt_long style, by hand: --opt=value and --opt value, -o value and
 * -ovalue, "--" ends the options, "-" is an operand (standard input), options and operands
 * in any order. A value is taken as given even when it looks like an option (-o -x.json). */
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

enum { CMD_REPORT = 1, CMD_READ = 2, CMD_TRANSLATE = 4, CMD_ALL = 7 };

typedef enum opt_id {
    OPT_OUTPUT, OPT_COMPACT, OPT_LIMIT, OPT_MEMBER, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_ALL_LOCKS,
    OPT_ALL_THREADS, OPT_STACKS, OPT_FORMAT, OPT_FAIL_ON, OPT_ALLOW_PARTIAL, OPT_BATCH, OPT_PA, OPT_VA, OPT_CR3, OPT_LENGTH, OPT_HELP, OPT_VERSION
} opt_id;

typedef struct cli_option {
    const char *name; /* long name, without the dashes */
    char letter;      /* short name, or 0 */
    int has_value;
    unsigned cmds;
    opt_id id;
} cli_option;

static const cli_option options[] = {
    {"output", 'o', 1, CMD_ALL, OPT_OUTPUT},
    {"compact", 0, 0, CMD_ALL, OPT_COMPACT},
    {"limit", 0, 1, CMD_ALL, OPT_LIMIT},
    {"member", 0, 1, CMD_ALL, OPT_MEMBER},
    {"progress", 0, 0, CMD_ALL, OPT_PROGRESS},
    {"no-progress", 0, 0, CMD_ALL, OPT_NO_PROGRESS},
    {"all-locks", 0, 0, CMD_REPORT, OPT_ALL_LOCKS},
    {"all-threads", 0, 0, CMD_REPORT, OPT_ALL_THREADS},
    {"stacks", 0, 0, CMD_REPORT, OPT_STACKS},
    {"format", 0, 1, CMD_REPORT, OPT_FORMAT},
    {"fail-on", 0, 1, CMD_REPORT, OPT_FAIL_ON},
    {"allow-partial", 0, 0, CMD_REPORT, OPT_ALLOW_PARTIAL},
    {"batch", 0, 1, CMD_REPORT, OPT_BATCH},
    {"pa", 0, 1, CMD_READ, OPT_PA},
    {"va", 0, 1, CMD_READ | CMD_TRANSLATE, OPT_VA},
    {"cr3", 0, 1, CMD_READ | CMD_TRANSLATE, OPT_CR3},
    {"length", 0, 1, CMD_READ, OPT_LENGTH},
    {"help", 'h', 0, CMD_ALL, OPT_HELP},
    {"version", 0, 0, CMD_ALL, OPT_VERSION},
};

static int number_value(const char *opt, const char *v, uint64_t *out, int *have)
{
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

static int cr3_value(const char *v, cli_opts *o)
{
    if (number_value("--cr3", v, &o->cr3, &o->have_cr3))
        return -1;
    if (o->cr3 >> CLI_CR3_MAX_BITS) {
        fprintf(stderr,
                "dumpinspect: --cr3 %s is not an x64 page-table root: bits above bit %d are set, and physical "
                "addresses have at most %d bits\n",
                v, CLI_CR3_MAX_BITS - 1, CLI_CR3_MAX_BITS);
        return -1;
    }
    return 0;
}

static int limit_value(const char *v, cli_opts *o)
{
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

static int format_value(const char *v, cli_opts *o)
{
    if (strcmp(v, "json") == 0)
        o->format = CLI_FORMAT_JSON;
    else if (strcmp(v, "text") == 0)
        o->format = CLI_FORMAT_TEXT;
    else if (strcmp(v, "line") == 0)
        o->format = CLI_FORMAT_LINE;
    else {
        fprintf(stderr, "dumpinspect: --format takes json, text or line, not '%s'\n", v);
        return -1;
    }
    return 0;
}

static int fail_on_value(const char *v, cli_opts *o)
{
    o->fail_on = di_severity_parse(v);
    if (o->fail_on < 0) {
        fprintf(stderr, "dumpinspect: --fail-on takes info, low, medium, high or critical, not '%s'\n", v);
        return -1;
    }
    return 0;
}

/* Apply one option; returns a CLI_PARSE_* code or CLI_EXIT_USAGE. */
static int apply(const cli_option *opt, const char *v, cli_opts *o)
{
    int rc = 0;
    switch (opt->id) {
    case OPT_OUTPUT: o->output = v; break;
    case OPT_COMPACT: o->compact = 1; break;
    case OPT_LIMIT: rc = limit_value(v, o); break;
    case OPT_MEMBER: o->member = v; break;
    case OPT_PROGRESS: o->progress = 1; break;
    case OPT_NO_PROGRESS: o->progress = 0; break;
    case OPT_ALL_LOCKS: o->all_locks = 1; break;
    case OPT_ALL_THREADS: o->all_threads = 1; break;
    case OPT_STACKS: o->stacks = 1; break;
    case OPT_FORMAT: rc = format_value(v, o); break;
    case OPT_FAIL_ON: rc = fail_on_value(v, o); break;
    case OPT_ALLOW_PARTIAL: o->allow_partial = 1; break;
    case OPT_BATCH: o->batch = v; break;
    case OPT_PA: rc = number_value("--pa", v, &o->pa, &o->have_pa); break;
    case OPT_VA: rc = number_value("--va", v, &o->va, &o->have_va); break;
    case OPT_CR3: rc = cr3_value(v, o); break;
    case OPT_LENGTH: rc = number_value("--length", v, &o->length, &o->have_length); break;
    case OPT_HELP: return CLI_PARSE_HELP;
    case OPT_VERSION: return CLI_PARSE_VERSION;
    }
    return rc ? CLI_EXIT_USAGE : CLI_PARSE_RUN;
}

static const cli_option *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
            return &options[i];
    return NULL;
}

static const cli_option *find_short(char c)
{
    for (size_t i = 0; c && i < sizeof options / sizeof options[0]; i++)
        if (options[i].letter == c)
            return &options[i];
    return NULL;
}

static unsigned command_bit(const char *command)
{
    return strcmp(command, "read") == 0 ? CMD_READ : strcmp(command, "translate") == 0 ? CMD_TRANSLATE : CMD_REPORT;
}

/* One option word at argv[*i] (it starts with '-' and is not "-" or "--"). */
static int parse_option(int argc, char **argv, int *i, const char *command, cli_opts *o)
{
    const char *a = argv[*i];
    const cli_option *opt;
    const char *value = NULL; /* attached: --opt=value, -ovalue */
    if (a[1] == '-') {
        const char *eq = strchr(a + 2, '=');
        size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
        opt = find_long(a + 2, len);
        if (eq)
            value = eq + 1;
    } else {
        opt = find_short(a[1]);
        if (a[2])
            value = a + 2;
    }
    if (!opt || !(opt->cmds & command_bit(command)) || (!opt->has_value && value && a[1] != '-')) {
        fprintf(stderr, "dumpinspect: unknown option '%s' for %s (see --help)\n", a, command);
        return CLI_EXIT_USAGE;
    }
    if (!opt->has_value && value) {
        fprintf(stderr, "dumpinspect: --%s takes no value\n", opt->name);
        return CLI_EXIT_USAGE;
    }
    if (opt->has_value && !value) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "dumpinspect: %s needs a value\n", a);
            return CLI_EXIT_USAGE;
        }
        value = argv[++*i];
    }
    return apply(opt, value, o);
}

static int check_read(const cli_opts *o)
{
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
        fprintf(stderr, "dumpinspect: --length %llu exceeds the limit of %llu bytes\n", (unsigned long long)o->length,
                (unsigned long long)CLI_READ_MAX);
        return CLI_EXIT_USAGE;
    }
    return CLI_PARSE_RUN;
}

/* The operands make sense for the command and the options. */
static int check_operands(const char *command, cli_opts *o)
{
    unsigned cmd = command_bit(command);
    size_t stdin_uses = 0;
    for (size_t i = 0; i < o->ndumps; i++)
        stdin_uses += o->dumps[i] == NULL;
    if (stdin_uses > 1) {
        fprintf(stderr, "dumpinspect: standard input ('-') can be read only once\n");
        return CLI_EXIT_USAGE;
    }
    if (o->batch && o->ndumps) {
        fprintf(stderr, "dumpinspect: --batch DIR takes the dumps from DIR; give no dump files with it\n");
        return CLI_EXIT_USAGE;
    }
    if (!o->batch && o->ndumps == 0) {
        fprintf(stderr, "dumpinspect: no dump file given (see --help)\n");
        return CLI_EXIT_USAGE;
    }
    if (cmd != CMD_REPORT && o->ndumps > 1) {
        fprintf(stderr, "dumpinspect: more than one dump given ('%s' and '%s'); %s takes one\n",
                cli_dump_name(o->dumps[0]), cli_dump_name(o->dumps[1]), command);
        return CLI_EXIT_USAGE;
    }
    if ((o->batch || o->ndumps > 1) && o->format == CLI_FORMAT_TEXT) {
        fprintf(stderr, "dumpinspect: --format text shows one dump; use json (JSON Lines) or line for several\n");
        return CLI_EXIT_USAGE;
    }
    if (cmd == CMD_READ)
        return check_read(o);
    if (cmd == CMD_TRANSLATE && !o->have_va) {
        fprintf(stderr, "dumpinspect: translate needs --va\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_PARSE_RUN;
}

int cli_parse(int argc, char **argv, int first, const char *command, cli_opts *o)
{
    o->fail_on = -1;
    o->progress = -1;
    di_limits_default(&o->limits);
    o->dumps = calloc((size_t)(argc > 0 ? argc : 1), sizeof *o->dumps);
    if (!o->dumps) {
        fprintf(stderr, "dumpinspect: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    int options_end = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!options_end && strcmp(a, "--") == 0) {
            options_end = 1;
        } else if (!options_end && a[0] == '-' && a[1] != '\0') {
            int rc = parse_option(argc, argv, &i, command, o);
            if (rc != CLI_PARSE_RUN)
                return rc;
        } else {
            o->dumps[o->ndumps++] = strcmp(a, "-") == 0 ? NULL : a;
        }
    }
    return check_operands(command, o);
}
