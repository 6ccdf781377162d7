/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_usage(FILE *f)
{
    fputs("usage: dumpinspect [report] [-o FILE] [--compact] [--format json|text|line] [--all-locks]\n"
          "                   [--all-threads] [--stacks] [--fail-on SEVERITY] [--member NAME] DUMP...\n"
          "       dumpinspect [report] --batch DIR [OPTIONS]\n"
          "       dumpinspect read (--pa ADDR | --va ADDR [--cr3 ADDR]) --length N [-o FILE] DUMP\n"
          "       dumpinspect translate --va ADDR [--cr3 ADDR] [--compact] [-o FILE] DUMP\n"
          "       dumpinspect --help | --version\n"
          "\n"
          "Reads a Windows x64 kernel crash dump (PAGEDU64 types 1, 5, 6, 8, 9, 10), also delivered\n"
          "compressed (gzip, xz, zstd, bzip2), in a zip or CAB archive, or on standard input ('-'),\n"
          "and writes a JSON report: dump kind, system, bugcheck with its parameters explained and\n"
          "joined to kernel objects, findings (orphaned locks, deadlocks, contention), the suspect\n"
          "module and a bucket id, held executive resources with owners and waiters, threads,\n"
          "processes, modules, processors, and warnings.\n"
          "\n"
          "  -o, --output FILE  write to FILE instead of standard output ('-': standard output)\n"
          "  --compact          JSON on one line\n"
          "  --format FMT       json (default), text (a one-screen summary) or line (one line per\n"
          "                     dump: file, bucket, highest severity, headline, tab-separated)\n"
          "  --batch DIR        report every regular file in DIR, sorted by name, one line each\n"
          "  --member NAME      the dump to read from a zip or CAB archive holding several\n"
          "  --progress, --no-progress\n"
          "                     show (or hide) progress on stderr while unpacking; the default\n"
          "                     shows it when stderr is a terminal\n"
          "  --all-locks        list every executive resource, not only held ones\n"
          "  --all-threads      list every thread, not only those in findings\n"
          "  --stacks           list every thread with its kernel stack (by default only the\n"
          "                     threads in findings, the crashing thread and each processor's\n"
          "                     current thread carry one)\n"
          "  --fail-on SEV      exit 8 when a finding of severity SEV or above exists\n"
          "  --allow-partial    exit 0 instead of 7 when the report is partial (damage or a limit)\n"
          "                     (info, low, medium, high, critical)\n"
          "  --limit NAME=N     raise (or lower) a bound on the work a dump can cause; repeatable.\n"
          "                     A bound that cuts work short leaves a warning. Names, defaults:\n",
          f);
    di_limits l;
    di_limits_default(&l);
    for (const char *const *n = di_limits_names(); *n; n++)
        fprintf(f, "                       %-22s %llu\n", *n, (unsigned long long)di_limits_get(&l, *n));
    fputs("\n"
          "  --pa / --va ADDR   physical or virtual start address (decimal or 0x hex)\n"
          "  --cr3 ADDR         page-table root for --va (default: the header's DirectoryTableBase);\n"
          "                     a physical address (at most 52 bits), PCID bits ignored\n"
          "  --length N         bytes to read (at most 1 GiB)\n"
          "\n"
          "Exit codes:\n"
          "  0  success\n"
          "  1  internal error (out of memory, cannot write the output)\n"
          "  2  usage error (also: an archive holding several dumps and no --member)\n"
          "  3  the dump cannot be opened or read, or is not a regular file\n"
          "  4  the dump is corrupt (or a compressed file holds no dump) or exceeds a limit\n"
          "  5  unsupported kind of dump (32-bit, minidump, unknown type, ...), or an archive\n"
          "     with no .dmp member\n"
          "  6  read/translate: the requested memory is not available (not mapped,\n"
          "     not in the dump, past the end of the file, bad page-table entry, ...)\n"
          "  7  report written, but the dump is damaged (see its warnings)\n"
          "  8  report written, and a finding reached the --fail-on severity\n"
          "With several dumps the exit code is the worst of theirs: 1, 2, 3, 4, 5, 6, then 8, then 7,\n"
          "then 0.\n",
          f);
}

static int short_usage(void)
{
    fputs("usage: dumpinspect [report|read|translate] [OPTIONS] DUMP...  (dumpinspect --help for more)\n", stderr);
    return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    cli_platform_init(&argc, &argv);
    if (argc < 2)
        return short_usage();
    cli_opts o = {0};
    const char *cmd = argv[1];
    int first = 2;
    if (strcmp(cmd, "read") != 0 && strcmp(cmd, "translate") != 0 && strcmp(cmd, "report") != 0) {
        cmd = "report";
        first = 1;
    }
    int rc = cli_parse(argc, argv, first, cmd, &o);
    if (rc == CLI_PARSE_HELP) {
        cli_usage(stdout);
        rc = CLI_EXIT_OK;
    } else if (rc == CLI_PARSE_VERSION) {
        printf("dumpinspect %s\n%s\n", DI_VERSION_STRING, di_dependency_versions());
        rc = CLI_EXIT_OK;
    } else if (rc == CLI_PARSE_RUN) {
        rc = strcmp(cmd, "read") == 0        ? cli_cmd_read(&o)
             : strcmp(cmd, "translate") == 0 ? cli_cmd_translate(&o)
                                             : cli_cmd_report(&o);
    }
    free(o.dumps);
    return rc;
}
