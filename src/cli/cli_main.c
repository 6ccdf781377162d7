#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_usage(FILE *f)
{
    fputs("usage: dumpinspect [-o FILE] [--compact] [--format json|text] [--all-locks] [--all-threads]\n"
          "                   [--stacks] [--fail-on SEVERITY] DUMP\n"
          "       dumpinspect read (--pa ADDR | --va ADDR [--cr3 ADDR]) --length N [-o FILE] DUMP\n"
          "       dumpinspect translate --va ADDR [--cr3 ADDR] [--compact] [-o FILE] DUMP\n"
          "       dumpinspect --help | --version\n"
          "\n"
          "Reads a Windows x64 kernel crash dump (PAGEDU64 types 1, 5, 6, 8, 9, 10; .gz accepted)\n"
          "and writes a JSON report: dump kind, system, bugcheck with its parameters explained and\n"
          "joined to kernel objects, findings (orphaned locks, deadlocks, contention), the suspect\n"
          "module and a bucket id, held executive resources with owners and waiters, threads,\n"
          "processes, modules, processors, and warnings.\n"
          "\n"
          "  -o, --output FILE  write to FILE instead of standard output\n"
          "  --compact          JSON on one line\n"
          "  --format FMT       json (default) or text: a one-screen summary\n"
          "  --all-locks        list every executive resource, not only held ones\n"
          "  --all-threads      list every thread, not only those in findings\n"
          "  --stacks           list every thread with its kernel stack (by default only the\n"
          "                     threads in findings, the crashing thread and each processor's\n"
          "                     current thread carry one)\n"
          "  --fail-on SEV      exit 8 when a finding of severity SEV or above exists\n"
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
          "  2  usage error\n"
          "  3  the dump cannot be opened or read, or is not a regular file\n"
          "  4  the dump is corrupt (or a .gz holds no dump) or exceeds a limit\n"
          "  5  unsupported kind of dump (32-bit, triage, summary, unknown type, ...)\n"
          "  6  read/translate: the requested memory is not available (not mapped,\n"
          "     not in the dump, past the end of the file, bad page-table entry, ...)\n"
          "  7  report written, but the dump is damaged (see its warnings)\n"
          "  8  report written, and a finding reached the --fail-on severity\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_usage(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("dumpinspect %s\n", DI_VERSION_STRING);
            return CLI_EXIT_OK;
        }
    }
    cli_opts o = {0};
    const char *cmd = argv[1];
    int first = 2;
    if (strcmp(cmd, "read") != 0 && strcmp(cmd, "translate") != 0) {
        cmd = "report";
        first = 1;
    }
    int rc = cli_parse(argc, argv, first, cmd, &o);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (strcmp(cmd, "read") == 0)
        return cli_cmd_read(&o);
    if (strcmp(cmd, "translate") == 0)
        return cli_cmd_translate(&o);
    return cli_cmd_report(&o);
}
