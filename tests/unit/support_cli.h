/* SPDX-License-Identifier: MIT */
/* Test support: run the command-line program (DI_CLI), directly or through the shell. */
#ifndef DI_TEST_SUPPORT_CLI_H
#define DI_TEST_SUPPORT_CLI_H

/* The program's path (fails the test when DI_CLI is not set). */
const char *t_cli(void);
/* Run the CLI with args (quoted like shell words; "< FILE" redirects standard input; no other
 * shell syntax) without a shell, so on Windows too; stdout to out_path, stderr to err_path;
 * returns the exit code. */
int t_cli_run(const char *args, const char *out_path, const char *err_path);
/* Run with args, stdout to scratch/cli.out and stderr to scratch/cli.err; fail unless the exit
 * code is code and (when given) stderr contains stderr_needle. */
void t_cli_expect(const char *args, int code, const char *stderr_needle);
/* Run a POSIX shell command line; returns its exit code. "@CLI@" in cmd stands for the
 * program. On Windows there is no such shell: the calling test is skipped, saying so. */
int t_shell(const char *cmd);

#endif
