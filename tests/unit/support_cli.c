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
#include <sys/wait.h>
#include <cmocka.h>

#include "support_dumps.h"

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
    int rc = system(full);
    assert_true(rc != -1 && WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

int t_cli_run(const char *args, const char *out_path, const char *err_path)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "@CLI@ %s >'%s' 2>'%s'", args, out_path, err_path);
    return t_shell(cmd);
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
