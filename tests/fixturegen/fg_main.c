/* SPDX-License-Identifier: MIT */
/* fixturegen command line.
 *   fixturegen SCENARIO OUT.dmp [--manifest OUT.manifest] [--type N] [--sparse-gib G]
 *   fixturegen --type N [--sparse-gib G] [--manifest OUT.manifest] OUT.dmp
 * The second form builds a small built-in world (every mapping kind; with --sparse-gib also a
 * 2 MiB-page direct map of all physical memory at 0xffffe00000000000).
 * Exit codes: 0 written, 1 generation or I/O failure, 2 usage or scenario error. */
#include "fg.h"
#include "fg_scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char quick_world[] =
    "bugcheck 0xE2 0 0 0 0\n"
    "comment fixturegen quick dump\n"
    "map 4k 0xfffff80500000000 16\n"
    "map 2m 0xfffff80600000000 2\n"
    "map 1g 0xfffff80a00000000 1\n"
    "map transition 0xfffff80700000000 2\n"
    "map prototype 0xfffff80700010000 1\n"
    "map notpresent 0xfffff80700020000 1\n"
    "map absent 0xfffff80700030000 1\n"
    "write 0xfffff80500000ff8 hex:00112233445566778899aabbccddeeff\n"
    "write 0xfffff80500001010 text:hello world\n";

static const char quick_direct[] = "direct 0xffffe00000000000 2m\n";

static int usage(const char *msg)
{
    if (msg != NULL)
        fprintf(stderr, "fixturegen: %s\n", msg);
    fprintf(stderr,
            "usage: fixturegen SCENARIO OUT.dmp [--manifest OUT.manifest] [--type N] "
            "[--sparse-gib G]\n"
            "       fixturegen --type N [--sparse-gib G] [--manifest OUT.manifest] OUT.dmp\n");
    return 2;
}

static int parse_number(const char *s, unsigned long long max, unsigned long long *v)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    *v = strtoull(s, &end, 0);
    return *end == '\0' && *v <= max ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    const char *manifest = NULL;
    int npos = 0;
    fg_scenario_opts opts = {0, 0, 0};
    for (int i = 1; i < argc; i++) {
        unsigned long long v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(NULL);
            return 0;
        } else if (strcmp(argv[i], "--manifest") == 0 && i + 1 < argc) {
            manifest = argv[++i];
        } else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) {
            if (parse_number(argv[++i], 10, &v) != 0 || !(v == 1 || v == 4 || v == 5 || v == 6 || v >= 8))
                return usage("--type wants 1, 4, 5, 6, 8, 9 or 10 (4 needs a world)");
            opts.dump_type = (uint32_t)v;
        } else if (strcmp(argv[i], "--sparse-gib") == 0 && i + 1 < argc) {
            if (parse_number(argv[++i], 65536, &v) != 0)
                return usage("--sparse-gib wants a number of GiB (at most 65536)");
            opts.has_sparse = 1;
            opts.sparse_bytes = (uint64_t)v << 30;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage("unknown option or missing value");
        } else if (npos < 2) {
            pos[npos++] = argv[i];
        } else {
            return usage("too many arguments");
        }
    }
    if (npos == 0 || (npos == 1 && opts.dump_type == 0))
        return usage(npos == 0 ? "no output file" : "give a SCENARIO or --type N");

    char err[512];
    fg_dump *d;
    const char *out = pos[npos - 1];
    if (npos == 2) {
        d = fg_scenario_build_file(pos[0], &opts, err, sizeof(err));
    } else {
        char text[sizeof(quick_world) + sizeof(quick_direct)];
        strcpy(text, quick_world);
        if (opts.has_sparse && opts.sparse_bytes != 0)
            strcat(text, quick_direct);
        d = fg_scenario_build(text, "<built-in>", &opts, err, sizeof(err));
    }
    if (d == NULL) {
        fprintf(stderr, "fixturegen: %s\n", err);
        return 2;
    }
    int rc = fg_emit(d, out, manifest);
    if (rc != FG_OK)
        fprintf(stderr, "fixturegen: %s: %s\n", out, fg_error(d));
    fg_free(d);
    return rc == FG_OK ? 0 : 1;
}
