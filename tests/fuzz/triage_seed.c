/* SPDX-License-Identifier: MIT */
/* Writes the fuzz_triage seeds with the tests' own triage writer (tests/unit/support_triage.c):
 *   triage_seed OUT_DIR
 * triage-min.dmp is the minimal valid x64 triage dump; triage-noblob.dmp is the same without
 * its DumpBlob trailer. Small (about 28 KiB), so every execution is cheap. The real dumps in
 * ../shared are never used as seeds. */
#include <stdio.h>
#include <stdlib.h>

#include "support_triage.h"

static int write_seed(const char *dir, const char *name, const uint8_t *b, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "triage_seed: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    size_t len;
    uint8_t *b = tw_build(&len);
    if (!b)
        return 1;
    int bad = write_seed(argv[1], "triage-min.dmp", b, len);
    bad |= write_seed(argv[1], "triage-noblob.dmp", b, TW_SIZE_OF_DUMP);
    free(b);
    return bad;
}
