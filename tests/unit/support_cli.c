/* SPDX-License-Identifier: MIT */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "support_cli.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support_dumps.h"
#include "support_os.h"

const char *t_cli(void)
{
    const char *c = getenv("DI_CLI");
    if (!c)
        fail_msg("DI_CLI is not set (run through ctest)");
    return c;
}

int t_shell(const char *cmd)
{
    char full[8192];
    size_t o = 0;
    const char *cli = t_cli();
    for (const char *p = cmd; *p && o + strlen(cli) + 3 < sizeof full;) {
        if (strncmp(p, "@CLI@", 5) == 0) {
            o += (size_t)snprintf(full + o, sizeof full - o, "'%s'", cli);
            p += 5;
        } else {
            full[o++] = *p++;
        }
    }
    full[o] = '\0';
    return t_system(full);
}

/* Split args as a POSIX shell would for the subset the tests use: words separated by blanks,
 * '...' literal, "..." with \" and \\, and "< FILE" for standard input. Anything else a
 * shell would interpret is a mistake here (that test wants t_shell). */
static void split_args(const char *args, char *buf, const char **argv, size_t max, const char **in)
{
    size_t n = 0;
    char *o = buf;
    const char *p = args;
    *in = NULL;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        int redirect = *p == '<';
        if (redirect) {
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
        }
        char *word = o;
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '\'') {
                const char *end = strchr(p + 1, '\'');
                if (!end)
                    fail_msg("unterminated ' in: %s", args);
                memcpy(o, p + 1, (size_t)(end - p - 1));
                o += end - p - 1;
                p = end + 1;
            } else if (*p == '"') {
                for (p++; *p && *p != '"'; p++) {
                    if (*p == '$' || *p == '`')
                        fail_msg("shell expansion in: %s (use t_shell)", args);
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                        p++;
                    *o++ = *p;
                }
                if (*p++ != '"')
                    fail_msg("unterminated \" in: %s", args);
            } else if (strchr("|&;<>()$`\\*?", *p)) {
                fail_msg("shell syntax in: %s (use t_shell)", args);
            } else {
                *o++ = *p++;
            }
        }
        *o++ = '\0';
        if (redirect)
            *in = word;
        else if (n + 1 < max)
            argv[n++] = word;
        else
            fail_msg("too many arguments: %s", args);
    }
    argv[n] = NULL;
}

int t_cli_run(const char *args, const char *out_path, const char *err_path)
{
    char *buf = malloc(strlen(args) + 1);
    assert_non_null(buf);
    const char *argv[64], *in;
    argv[0] = t_cli();
    split_args(args, buf, argv + 1, 63, &in);
    int rc = t_spawn(argv, in, out_path, err_path);
    free(buf);
    assert_true(rc >= 0);
    return rc;
}

void t_cli_expect(const char *args, int code, const char *stderr_needle)
{
    int rc = t_cli_run(args, "scratch/cli.out", "scratch/cli.err");
    char *err = t_slurp("scratch/cli.err", NULL);
    if (rc != code)
        fail_msg("dumpinspect %s: exit %d, expected %d; stderr: %s", args, rc, code, err);
    if (stderr_needle && !strstr(err, stderr_needle))
        fail_msg("dumpinspect %s: stderr lacks '%s': %s", args, stderr_needle, err);
    free(err);
}
