/* SPDX-License-Identifier: MIT */
/* gen_kernels: turns ../shared/data/ntoskrnl-versions/ntoskrnl-file-versions.csv into the
 * table that identifies a kernel file by its PE TimeDateStamp and SizeOfImage,
 * src/nt/nt_kernel_versions.c.
 *
 *   gen_kernels OUT.c CSV
 *
 * Only rows of arch amd64 and file ntoskrnl.exe are kept: the data's other x64 file,
 * ntkrla57.exe (the 5-level-paging kernel), has its own stamps, and its README does not say
 * it serves the layouts this program reads. Rows are sorted by (stamp, size) for a binary
 * search. Two rows with one (stamp, size) and one sha256 are one file listed under two
 * versions: the lower version is kept. Two rows with one (stamp, size) and different files
 * would make the lookup a guess: both are dropped and the kernel stays "unknown".
 *
 * Standard C only, like gen_profiles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    unsigned long stamp, size;
    unsigned ver[4];
    char sha[72];
    int drop;
} row;

static _Noreturn void die(const char *file, long line, const char *what)
{
    if (line > 0)
        fprintf(stderr, "gen_kernels: %s:%ld: %s\n", file, line, what);
    else
        fprintf(stderr, "gen_kernels: %s: %s\n", file, what);
    exit(1);
}

/* Splits a CSV line in place into at most n fields (the data has no quoting). */
static int split(char *s, char **f, int n)
{
    int k = 0;
    f[k++] = s;
    for (; *s; s++)
        if (*s == ',') {
            *s = '\0';
            if (k == n)
                return -1;
            f[k++] = s + 1;
        }
    return k;
}

static int parse_hex(const char *s, unsigned long *out)
{
    char *end;
    if (strncmp(s, "0x", 2) != 0 || !s[2])
        return -1;
    *out = strtoul(s + 2, &end, 16);
    return *end == '\0' && *out <= 0xFFFFFFFFUL ? 0 : -1;
}

static int parse_version(const char *s, unsigned v[4])
{
    for (int i = 0; i < 4; i++) {
        char *end;
        unsigned long x;
        if (*s < '0' || *s > '9')
            return -1;
        x = strtoul(s, &end, 10);
        if (x > 0xFFFFUL || (i < 3 ? *end != '.' : *end != '\0'))
            return -1;
        v[i] = (unsigned)x;
        s = end + (i < 3);
    }
    return 0;
}

static int ver_cmp(const unsigned *a, const unsigned *b)
{
    for (int i = 0; i < 4; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static int row_cmp(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->stamp != b->stamp)
        return a->stamp < b->stamp ? -1 : 1;
    if (a->size != b->size)
        return a->size < b->size ? -1 : 1;
    return ver_cmp(a->ver, b->ver);
}

/* Whether path names a C source (the only thing a generator may write). */
static int ends_with_c(const char *path)
{
    size_t n = strlen(path);
    return n > 2 && path[n - 2] == '.' && path[n - 1] == 'c';
}

int main(int argc, char **argv)
{
    FILE *in, *out;
    char line[512];
    row *rows = NULL;
    size_t n = 0, cap = 0, kept = 0, i, j;
    long lineno = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: gen_kernels OUT.c ntoskrnl-file-versions.csv\n");
        return 2;
    }
    /* The output comes first: a data file given there would be overwritten. */
    if (!ends_with_c(argv[1])) {
        fprintf(stderr, "%s: the first argument is the OUTPUT .c file, not '%s'\n", argv[0], argv[1]);
        return 2;
    }
    if (!(in = fopen(argv[2], "rb")))
        die(argv[2], 0, "cannot open");
    while (fgets(line, sizeof line, in)) {
        char *f[6];
        size_t len = strlen(line);
        lineno++;
        if (len && line[len - 1] != '\n' && !feof(in))
            die(argv[2], lineno, "line too long");
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1) {
            if (strcmp(line, "arch,file,file_version,pe_timedatestamp,pe_sizeofimage,sha256") != 0)
                die(argv[2], lineno, "unexpected header; the columns changed");
            continue;
        }
        if (!len)
            continue;
        if (split(line, f, 6) != 6)
            die(argv[2], lineno, "expected 6 columns");
        if (strcmp(f[0], "amd64") != 0 || strcmp(f[1], "ntoskrnl.exe") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            if (!(rows = realloc(rows, cap * sizeof *rows)))
                die("(memory)", 0, "out of memory");
        }
        memset(&rows[n], 0, sizeof rows[n]);
        if (parse_version(f[2], rows[n].ver) || parse_hex(f[3], &rows[n].stamp) || parse_hex(f[4], &rows[n].size) ||
            strlen(f[5]) >= sizeof rows[n].sha)
            die(argv[2], lineno, "bad version, stamp, size or hash");
        strcpy(rows[n].sha, f[5]);
        n++;
    }
    fclose(in);
    if (!n)
        die(argv[2], 0, "no amd64 ntoskrnl.exe rows");
    qsort(rows, n, sizeof *rows, row_cmp);
    for (i = 0; i < n; i = j) {
        int same_file = 1;
        for (j = i + 1; j < n && rows[j].stamp == rows[i].stamp && rows[j].size == rows[i].size; j++) {
            same_file &= strcmp(rows[j].sha, rows[i].sha) == 0;
            rows[j].drop = 1; /* the lowest version (sorted first) stands for one file */
        }
        if (!same_file)
            rows[i].drop = 1;
    }
    if (!(out = fopen(argv[1], "wb")))
        die(argv[1], 0, "cannot create");
    fputs("/* SPDX-License-Identifier: MIT */\n", out);
    fprintf(out, "/* GENERATED FILE - DO NOT EDIT.\n"
                 " * Generated by gen_kernels (src/gen/gen_kernels.c) from ntoskrnl-file-versions.csv\n"
                 " * (../shared/data/ntoskrnl-versions): the amd64 ntoskrnl.exe rows, facts extracted from\n"
                 " * System Informer's kphlib/kphdyn.xml (github.com/winsiderss/systeminformer, MIT licence,\n"
                 " * (c) 2022 Winsider Seminars & Solutions, Inc.; see third_party/ntoskrnl-versions/NOTICE).\n"
                 " * The ctest gen_kernels_matches_shared regenerates it and fails when it is stale.\n"
                 " */\n"
                 "#include \"nt_kernel_versions.h\"\n\n"
                 "/* Sorted by (timestamp, size_of_image). */\n"
                 "const nt_kernel_version nt_kernel_versions[] = {\n");
    for (i = 0; i < n; i++) {
        if (rows[i].drop)
            continue;
        fprintf(out, "    { 0x%08lx, 0x%08lx, { %u, %u, %u, %u } },\n", rows[i].stamp, rows[i].size, rows[i].ver[0],
                rows[i].ver[1], rows[i].ver[2], rows[i].ver[3]);
        kept++;
    }
    fprintf(out, "};\n\nconst size_t nt_kernel_version_count = %lu;\n", (unsigned long)kept);
    if (ferror(out) || fclose(out) != 0) {
        remove(argv[1]);
        die(argv[1], 0, "write error");
    }
    free(rows);
    return 0;
}
