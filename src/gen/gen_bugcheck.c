/* SPDX-License-Identifier: MIT */
/* gen_bugcheck: writes src/analysis/an_bugcheck_table.c from the shared reference data.
 *
 *   usage: gen_bugcheck OUT.c CODES.tsv PARAMS.md
 *
 * CODES.tsv (bugcheck-codes.tsv): a "code<TAB>name" header, then one code per line.
 * PARAMS.md (bugcheck-params.md): the "## Label summary" table (four argument labels per
 * code), one "### 0xNN NAME" section per labelled code (a "Meaning:" line and "- ArgN
 * `label`: text" bullets), and in "## Notes on the code table" a table of alias names.
 *
 * Everything is read and checked before OUT is written, and a malformed line stops the
 * program with "file:line: what is wrong". The output depends only on the contents of the
 * inputs (the banner names them by basename), so the build can regenerate it and compare
 * it byte for byte with the checked-in copy. Standard C library only: the generator must
 * build before, and independently of, the project. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "gen_bugcheck"
#define NARGS 4
#define MAX_LINE 4096   /* longest input line accepted, newline included */
#define MAX_CODES 8192  /* the reference has ~550 codes */
#define MAX_DOCS 512    /* ... ~40 of them documented */
#define MAX_ALIASES 512
#define MAX_LABEL 64
#define MAX_CELLS 16

/* ---------------------------------------------------------------- errors, memory */

static _Noreturn void die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, PROG ": ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static _Noreturn void die_at(const char *path, unsigned long line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, PROG ": %s:%lu: ", path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (!d)
        die("out of memory");
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *dup_str(const char *s)
{
    return dup_n(s, strlen(s));
}

/* Appends line to *text, separated by a newline; multi-line texts keep sub-items. */
static void append_line(char **text, const char *line)
{
    size_t old, add = strlen(line);
    char *t;

    if (!*text || !**text) {
        free(*text);
        *text = dup_str(line);
        return;
    }
    old = strlen(*text);
    t = realloc(*text, old + add + 2);
    if (!t)
        die("out of memory");
    t[old] = '\n';
    memcpy(t + old + 1, line, add + 1);
    *text = t;
}

/* ---------------------------------------------------------------- line reading */

typedef struct {
    const char *path;
    FILE *f;
    unsigned long line;
    char buf[MAX_LINE];
} reader;

static void reader_open(reader *r, const char *path)
{
    r->path = path;
    r->line = 0;
    r->f = fopen(path, "rb"); /* binary: CRLF copies of the data give the same output */
    if (!r->f)
        die("cannot open %s", path);
}

/* Reads the next line without its line ending; returns 0 at end of file. */
static int reader_next(reader *r)
{
    size_t n;

    if (!fgets(r->buf, (int)sizeof r->buf, r->f)) {
        if (ferror(r->f))
            die("%s: read error", r->path);
        return 0;
    }
    r->line++;
    n = strlen(r->buf);
    if (n > 0 && r->buf[n - 1] == '\n')
        r->buf[--n] = '\0';
    else if (!feof(r->f))
        die_at(r->path, r->line, "line longer than %d bytes", MAX_LINE - 2);
    if (n > 0 && r->buf[n - 1] == '\r')
        r->buf[--n] = '\0';
    return 1;
}

static void reader_close(reader *r)
{
    fclose(r->f);
    r->f = NULL;
}

/* ---------------------------------------------------------------- small parsers */

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses "0x" and 1..8 hex digits at s; returns the characters used, 0 if none. */
static size_t parse_hex32(const char *s, unsigned long *out)
{
    size_t i = 2;
    unsigned long v = 0;

    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return 0;
    while (hex_value(s[i]) >= 0) {
        if (i - 2 == 8)
            return 0;
        v = (v << 4) | (unsigned long)hex_value(s[i]);
        i++;
    }
    if (i == 2)
        return 0;
    *out = v;
    return i;
}

/* A whole string that is exactly one code. */
static int parse_code(const char *s, unsigned long *out)
{
    size_t n = parse_hex32(s, out);

    return n > 0 && s[n] == '\0';
}

/* Bug check names: upper-case C identifiers (the tool prints them and users grep them). */
static int is_name(const char *s)
{
    const char *p;

    if (!(*s >= 'A' && *s <= 'Z'))
        return 0;
    for (p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

/* Argument labels become JSON keys: snake_case. */
static int is_label(const char *s)
{
    const char *p;

    if (!*s)
        return 0;
    for (p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void trim_right(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *base_name(const char *path)
{
    const char *b = path, *p;

    for (p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

/* ---------------------------------------------------------------- the data */

typedef struct {
    unsigned long code;
    char *name;
    unsigned long line;
} name_row;

typedef struct {
    unsigned long code;
    const char *name;          /* from the TSV */
    char *labels[NARGS];
    unsigned long line;        /* of the label summary row */
    unsigned long section_line; /* of the "###" heading, 0 until seen */
    char *meaning;
    char *descs[NARGS];        /* NULL until the section describes the argument */
    char *notes;               /* bullets that describe no single argument */
} doc_row;

typedef struct {
    unsigned long code;
    char *alias;
    unsigned long line;
} alias_row;

static name_row g_names[MAX_CODES];
static size_t g_nnames;
static doc_row g_docs[MAX_DOCS];
static size_t g_ndocs;
static alias_row g_aliases[MAX_ALIASES];
static size_t g_naliases;

static const name_row *find_name(unsigned long code)
{
    size_t lo = 0, hi = g_nnames;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g_names[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g_nnames && g_names[lo].code == code ? &g_names[lo] : NULL;
}

static int name_is_listed(const char *name)
{
    size_t i;

    for (i = 0; i < g_nnames; i++)
        if (strcmp(g_names[i].name, name) == 0)
            return 1;
    return 0;
}

static doc_row *find_doc(unsigned long code)
{
    size_t i;

    for (i = 0; i < g_ndocs; i++)
        if (g_docs[i].code == code)
            return &g_docs[i];
    return NULL;
}

/* ---------------------------------------------------------------- bugcheck-codes.tsv */

static void parse_code_line(reader *r)
{
    char *tab = strchr(r->buf, '\t');
    unsigned long code;
    name_row *row;

    if (r->buf[0] == '\0')
        die_at(r->path, r->line, "blank line; expected 'code<TAB>name'");
    if (!tab || strchr(tab + 1, '\t'))
        die_at(r->path, r->line, "expected exactly two tab-separated fields 'code<TAB>name'");
    *tab = '\0';
    if (!parse_code(r->buf, &code))
        die_at(r->path, r->line, "bad code '%s': expected 0x and 1 to 8 hex digits", r->buf);
    if (!is_name(tab + 1))
        die_at(r->path, r->line, "bad name '%s': expected upper-case letters, digits and '_'",
               tab + 1);
    if (g_nnames == MAX_CODES)
        die_at(r->path, r->line, "more than %d codes", MAX_CODES);
    row = &g_names[g_nnames++];
    row->code = code;
    row->name = dup_str(tab + 1);
    row->line = r->line;
}

static int cmp_name_row(const void *a, const void *b)
{
    const name_row *x = a, *y = b;

    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static void parse_codes(const char *path)
{
    reader r;
    size_t i;

    reader_open(&r, path);
    if (!reader_next(&r) || strcmp(r.buf, "code\tname") != 0)
        die_at(path, 1, "expected the header line 'code<TAB>name'");
    while (reader_next(&r))
        parse_code_line(&r);
    reader_close(&r);
    if (g_nnames == 0)
        die("%s: no codes", path);
    /* Sorted here rather than trusted: the binary search at run time depends on it. */
    qsort(g_names, g_nnames, sizeof g_names[0], cmp_name_row);
    for (i = 1; i < g_nnames; i++)
        if (g_names[i].code == g_names[i - 1].code)
            die_at(path, g_names[i].line, "code 0x%08lX is listed twice (also at line %lu)",
                   g_names[i].code, g_names[i - 1].line);
}

/* ---------------------------------------------------------------- markdown tables */

/* Splits "| a | b |" in place into trimmed cells; returns the count, -1 if malformed. */
static int split_row(char *line, char *cells[MAX_CELLS])
{
    int n = 0;
    char *p = line + 1, *bar;

    trim_right(line);
    if (strlen(line) < 2 || line[0] != '|' || line[strlen(line) - 1] != '|')
        return -1;
    while ((bar = strchr(p, '|')) != NULL) {
        if (n == MAX_CELLS)
            return -1;
        *bar = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        trim_right(p);
        cells[n++] = p;
        p = bar + 1;
    }
    return n;
}

static int is_separator_row(char *cells[], int n)
{
    int i;
    const char *p;

    for (i = 0; i < n; i++) {
        if (!cells[i][0])
            return 0;
        for (p = cells[i]; *p; p++)
            if (*p != '-' && *p != ':')
                return 0;
    }
    return n > 0;
}

/* ---------------------------------------------------------------- bugcheck-params.md */

enum md_section { SEC_OTHER, SEC_LABELS, SEC_DETAILS, SEC_NOTES };

/* Where an indented sub-item line belongs. Items under a bullet about one argument
 * describe that argument (0x15F: "- Arg1 `subtype`:" then one item per subtype). Items
 * under a bullet about several arguments ("Arg2..Arg4 depend on it. Examples:") are
 * per-variant details spanning them: they become notes rather than being repeated in
 * three descriptions. Items under a note stay nested under it. */
enum attach_to { ATTACH_NONE, ATTACH_ARG, ATTACH_NOTES_TOP, ATTACH_NOTES_NESTED };

typedef struct {
    reader r;
    enum md_section sec;
    int seen_labels, seen_details;
    int table_rows;        /* rows of the current table so far: header, separator, data */
    int alias_table;       /* the current notes table lists aliases */
    doc_row *doc;          /* the current "###" section */
    enum attach_to attach;
    int attach_arg;        /* 0-based, for ATTACH_ARG */
} md_ctx;

static _Noreturn void md_die(const md_ctx *c, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, PROG ": %s:%lu: ", c->r.path, c->r.line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void parse_label_row(md_ctx *c)
{
    char *cells[MAX_CELLS];
    int n = split_row(c->r.buf, cells), i;
    unsigned long code;
    const name_row *nr;
    doc_row *d;

    if (n != 2 + NARGS)
        md_die(c, "label summary row: expected 6 cells '| Code | Name | Arg1 | Arg2 | Arg3 | "
                  "Arg4 |'");
    if (!parse_code(cells[0], &code))
        md_die(c, "label summary: bad code '%s'", cells[0]);
    nr = find_name(code);
    if (!nr)
        md_die(c, "label summary: code %s is not in the code table", cells[0]);
    if (strcmp(nr->name, cells[1]) != 0)
        md_die(c, "label summary: 0x%08lX is named %s here but %s in the code table", code,
               cells[1], nr->name);
    if (find_doc(code))
        md_die(c, "label summary: code %s is listed twice", cells[0]);
    if (g_ndocs == MAX_DOCS)
        md_die(c, "label summary: more than %d rows", MAX_DOCS);
    d = &g_docs[g_ndocs++];
    memset(d, 0, sizeof *d);
    d->code = code;
    d->name = nr->name;
    d->line = c->r.line;
    for (i = 0; i < NARGS; i++) {
        if (!is_label(cells[2 + i]) || strlen(cells[2 + i]) >= MAX_LABEL)
            md_die(c, "label summary: bad label '%s': expected snake_case", cells[2 + i]);
        d->labels[i] = dup_str(cells[2 + i]);
    }
}

static void on_label_line(md_ctx *c)
{
    static const char *const header[] = { "Code", "Name", "Arg1", "Arg2", "Arg3", "Arg4" };
    char *cells[MAX_CELLS];
    int n, i;

    if (c->r.buf[0] == '\0') {
        c->table_rows = 0;
        return;
    }
    if (c->r.buf[0] != '|')
        md_die(c, "unexpected text in the label summary: '%s'", c->r.buf);
    if (c->table_rows == 0) {
        n = split_row(c->r.buf, cells);
        for (i = 0; i < 6 && n == 6; i++)
            if (strcmp(cells[i], header[i]) != 0)
                break;
        if (i != 6)
            md_die(c, "label summary: expected the header '| Code | Name | Arg1 | Arg2 | "
                          "Arg3 | Arg4 |'");
    } else if (c->table_rows == 1) {
        n = split_row(c->r.buf, cells);
        if (!is_separator_row(cells, n))
            md_die(c, "label summary: expected the '|---|' row under the header");
    } else {
        parse_label_row(c);
    }
    c->table_rows++;
}

static int cmp_alias_row(const void *a, const void *b)
{
    const alias_row *x = a, *y = b;

    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    return strcmp(x->alias, y->alias);
}

static void parse_alias_row(md_ctx *c)
{
    char *cells[MAX_CELLS];
    int n = split_row(c->r.buf, cells);
    unsigned long code;
    const name_row *nr;
    size_t i;

    if (n < 3)
        md_die(c, "alias table: expected '| Code | Name used in TSV | Other name | ... |'");
    if (!parse_code(cells[0], &code))
        md_die(c, "alias table: bad code '%s'", cells[0]);
    nr = find_name(code);
    if (!nr)
        md_die(c, "alias table: code %s is not in the code table", cells[0]);
    if (strcmp(nr->name, cells[1]) != 0)
        md_die(c, "alias table: 0x%08lX is named %s here but %s in the code table", code,
               cells[1], nr->name);
    if (!is_name(cells[2]))
        md_die(c, "alias table: bad name '%s'", cells[2]);
    /* An alias that is also a listed name would make name lookups ambiguous. */
    if (name_is_listed(cells[2]))
        md_die(c, "alias table: %s is already the name of a code", cells[2]);
    for (i = 0; i < g_naliases; i++)
        if (strcmp(g_aliases[i].alias, cells[2]) == 0)
            md_die(c, "alias table: %s is listed twice", cells[2]);
    if (g_naliases == MAX_ALIASES)
        md_die(c, "alias table: more than %d rows", MAX_ALIASES);
    g_aliases[g_naliases].code = code;
    g_aliases[g_naliases].alias = dup_str(cells[2]);
    g_aliases[g_naliases].line = c->r.line;
    g_naliases++;
}

/* The notes are prose plus tables; only the alias table is data. */
static void on_notes_line(md_ctx *c)
{
    char *cells[MAX_CELLS];
    int n;

    if (c->r.buf[0] != '|') {
        c->table_rows = 0;
        return;
    }
    if (c->table_rows == 0) {
        n = split_row(c->r.buf, cells);
        c->alias_table = n >= 3 && strcmp(cells[0], "Code") == 0 &&
                         strcmp(cells[1], "Name used in TSV") == 0 &&
                         strcmp(cells[2], "Other name") == 0;
    } else if (c->table_rows > 1 && c->alias_table) {
        parse_alias_row(c);
    }
    c->table_rows++;
}

/* ---- "### 0xNN NAME" sections */

static void on_heading3(md_ctx *c)
{
    const char *p = c->r.buf + 4;
    unsigned long code;
    size_t n = parse_hex32(p, &code);
    const char *name, *end;
    size_t len;
    doc_row *d;

    if (n == 0 || p[n] != ' ')
        md_die(c, "expected '### 0xCODE NAME', got '%s'", c->r.buf);
    name = p + n + 1;
    end = strchr(name, ' ');
    /* A parenthesised remark may follow the name: "### 0x15F NAME (live dump)". */
    if (end && !(end[1] == '(' && end[strlen(end) - 1] == ')'))
        md_die(c, "expected '### 0xCODE NAME' with at most a '(remark)' after it, got '%s'",
               c->r.buf);
    d = find_doc(code);
    if (!d)
        md_die(c, "section '%s' is for a code that is not in the label summary", c->r.buf);
    len = end ? (size_t)(end - name) : strlen(name);
    if (strlen(d->name) != len || strncmp(d->name, name, len) != 0)
        md_die(c, "section names 0x%lX %.*s, but the code table says %s", code, (int)len,
               name, d->name);
    if (d->section_line)
        md_die(c, "second section for '%s' (the first is at line %lu)", c->r.buf,
               d->section_line);
    d->section_line = c->r.line;
    c->doc = d;
    c->attach = ATTACH_NONE;
}

/* One "ArgN[..ArgM | , ArgM...] [`label`]" clause of an argument bullet. */
typedef struct {
    int args[NARGS];       /* 0-based argument indexes, in order */
    int nargs;
    char label[MAX_LABEL]; /* "" when the clause names no label */
} clause;

/* "ArgN" with N in 1..4; returns the characters used, 0 if none. */
static size_t parse_arg(const char *s, int *index)
{
    if (!starts_with(s, "Arg") || s[3] < '1' || s[3] > '0' + NARGS || is_digit(s[4]))
        return 0;
    *index = s[3] - '1';
    return 4;
}

/* "Arg2", "Arg2..Arg4" or "Arg3, Arg4"; returns the characters used, 0 if none. */
static size_t parse_argspec(const char *s, clause *cl)
{
    size_t n = parse_arg(s, &cl->args[0]), m;
    int last, i;

    cl->nargs = n ? 1 : 0;
    if (!n)
        return 0;
    if (starts_with(s + n, "..") && (m = parse_arg(s + n + 2, &last)) != 0) {
        if (last <= cl->args[0])
            return 0;
        for (i = cl->args[0] + 1; i <= last; i++)
            cl->args[cl->nargs++] = i;
        return n + 2 + m;
    }
    while (starts_with(s + n, ", ") && (m = parse_arg(s + n + 2, &last)) != 0) {
        if (cl->nargs == NARGS)
            return 0;
        cl->args[cl->nargs++] = last;
        n += 2 + m;
    }
    return n;
}

/* " `label`" after an argspec; returns the characters used, 0 if absent. */
static size_t parse_label(const char *s, char label[MAX_LABEL])
{
    const char *end;

    if (!starts_with(s, " `"))
        return 0;
    end = strchr(s + 2, '`');
    if (!end || end == s + 2 || (size_t)(end - (s + 2)) >= MAX_LABEL)
        return 0;
    memcpy(label, s + 2, (size_t)(end - (s + 2)));
    label[end - (s + 2)] = '\0';
    return (size_t)(end + 1 - s);
}

/* A clause; with need_label, only one that carries a `label`. Returns 0 if none. */
static size_t parse_clause(const char *s, clause *cl, int need_label)
{
    size_t n = parse_argspec(s, cl), m;

    cl->label[0] = '\0';
    if (!n)
        return 0;
    m = parse_label(s + n, cl->label);
    if (!m && need_label)
        return 0;
    return n + m;
}

/* The label the clause gives its k-th argument: "subtype_data1..3" over Arg2..Arg4
 * stands for subtype_data1, subtype_data2, subtype_data3. */
static int expand_label(const clause *cl, int k, char *out, size_t cap)
{
    const char *dots = strstr(cl->label, "..");
    size_t stem;
    long first, last;
    char *end;

    if (!dots) {
        snprintf(out, cap, "%s", cl->label);
        return 1;
    }
    stem = (size_t)(dots - cl->label);
    while (stem > 0 && is_digit(cl->label[stem - 1]))
        stem--;
    if (cl->label + stem == dots) /* no number before ".." */
        return 0;
    first = strtol(cl->label + stem, &end, 10);
    if (end != dots || !is_digit(dots[2]))
        return 0;
    last = strtol(dots + 2, &end, 10);
    if (*end || last - first + 1 != cl->nargs)
        return 0;
    snprintf(out, cap, "%.*s%ld", (int)stem, cl->label, first + k);
    return 1;
}

/* A label written next to an argument must agree with the label summary. */
static void check_clause_labels(const md_ctx *c, const clause *cl)
{
    char want[MAX_LABEL + 24];
    int k;

    if (!cl->label[0])
        return;
    for (k = 0; k < cl->nargs; k++) {
        if (!expand_label(cl, k, want, sizeof want))
            md_die(c, "label `%s` does not fit the %d arguments it names",
                   cl->label, cl->nargs);
        if (strcmp(want, c->doc->labels[cl->args[k]]) != 0)
            md_die(c, "0x%lX Arg%d is `%s` here but `%s` in the label summary",
                   c->doc->code, cl->args[k] + 1, want, c->doc->labels[cl->args[k]]);
    }
}

/* Where the text of a clause ends: at ". " that starts another labelled clause. */
static const char *text_end(const char *s)
{
    const char *p;
    clause probe;

    for (p = s; *p; p++)
        if (p[0] == '.' && p[1] == ' ' && parse_clause(p + 2, &probe, 1))
            return p + 1;
    return p;
}

/* "(0 read, 1 write)." is the description "0 read, 1 write": the parentheses only
 * mark it as an aside after the label. */
static char *clean_text(const char *s, size_t n)
{
    size_t i, close = 0;
    int depth = 0;

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= 2 && s[0] == '(') {
        for (i = 0; i < n; i++) {
            depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
            if (depth == 0) {
                close = i;
                break;
            }
        }
        if (close && (close == n - 1 || (close == n - 2 && s[n - 1] == '.')))
            return dup_n(s + 1, close - 1);
    }
    return dup_n(s, n);
}

static void describe(md_ctx *c, const clause *group, int ngroup, const char *text, size_t n)
{
    int g, k, arg = 0, count = 0;

    for (g = 0; g < ngroup; g++) {
        for (k = 0; k < group[g].nargs; k++) {
            arg = group[g].args[k];
            if (c->doc->descs[arg])
                md_die(c, "0x%lX Arg%d is described twice", c->doc->code, arg + 1);
            c->doc->descs[arg] = clean_text(text, n);
            count++;
        }
    }
    c->attach = count == 1 ? ATTACH_ARG : ATTACH_NOTES_TOP;
    c->attach_arg = arg;
}

static void add_note(md_ctx *c, const char *line)
{
    append_line(&c->doc->notes, line);
    c->attach = ATTACH_NOTES_NESTED;
}

/* "Arg1 `a`: text. Arg2 `b` (aside). Arg3, Arg4 `reserved`." and the other shapes the
 * reference uses; see parse_bullet. Returns the rest of the line that is not about an
 * argument (a remark after a text-less clause), or NULL. */
static const char *parse_arg_groups(md_ctx *c, const char *p)
{
    clause group[NARGS];
    int ngroup, need_label = 1;
    size_t n;
    const char *end;

    while (*p) {
        ngroup = 0;
        n = parse_clause(p, &group[ngroup], need_label);
        if (!n)
            return p;
        /* "Arg3 `a` / Arg4 `b`: text" gives both the same text. */
        for (;;) {
            check_clause_labels(c, &group[ngroup]);
            p += n;
            ngroup++;
            if (ngroup == NARGS || !starts_with(p, " / "))
                break;
            n = parse_clause(p + 3, &group[ngroup], 1);
            if (!n)
                break;
            p += 3;
        }
        if (*p == '\0' || (p[0] == '.' && p[1] == '\0')) {
            describe(c, group, ngroup, "", 0);
            return NULL;
        }
        if (p[0] == '.' && p[1] == ' ') {
            /* "Arg1 `subtype`. <more>": no text; more clauses (a label is optional for
             * them: "Arg2..Arg4 depend on it.") or a remark follow. */
            describe(c, group, ngroup, "", 0);
            p += 2;
            need_label = 0;
            continue;
        }
        if (p[0] != ':' && p[0] != ' ')
            md_die(c, "unexpected text after an argument label: '%s'", p);
        if (p[0] == ':')
            p++;
        p = skip_spaces(p);
        end = text_end(p);
        describe(c, group, ngroup, p, (size_t)(end - p));
        p = skip_spaces(end);
        need_label = 1;
    }
    return NULL;
}

/* "- Labels: Arg1 `a`, Arg3 `b`, Arg4 `c`." repeats the summary; it is only checked. */
static void check_label_list(md_ctx *c, const char *p)
{
    clause cl;
    size_t n;

    for (;;) {
        n = parse_clause(p, &cl, 1);
        if (!n)
            md_die(c, "expected 'ArgN `label`' in the label list at '%s'", p);
        check_clause_labels(c, &cl);
        p += n;
        if (*p == '\0' || (p[0] == '.' && p[1] == '\0'))
            break;
        if (!starts_with(p, ", "))
            md_die(c, "expected ', ' or the end of the label list at '%s'", p);
        p += 2;
    }
    c->attach = ATTACH_NONE;
}

/* A "- " bullet of a section: about arguments when it starts with "ArgN `label`",
 * otherwise a note (per-variant details such as "- 0x3: Arg2 = ...") kept verbatim. */
static void parse_bullet(md_ctx *c)
{
    const char *text = c->r.buf + 2, *rest;
    clause probe;
    char *note;

    if (starts_with(text, "Labels: ")) {
        check_label_list(c, text + 8);
        return;
    }
    if (!parse_clause(text, &probe, 1)) {
        add_note(c, c->r.buf);
        return;
    }
    rest = parse_arg_groups(c, text);
    if (rest) {
        note = malloc(strlen(rest) + 3);
        if (!note)
            die("out of memory");
        sprintf(note, "- %s", rest);
        add_note(c, note);
        free(note);
    }
}

/* An indented line ("  - ..." or "  1. ...") continues the bullet above it. */
static void parse_subitem(md_ctx *c)
{
    const char *item = skip_spaces(c->r.buf);
    const char *p = item;

    while (is_digit(*p))
        p++;
    if (!(starts_with(item, "- ") || (p > item && starts_with(p, ". "))))
        md_die(c, "expected an indented '- ' or 'N. ' item, got '%s'", c->r.buf);
    if (c->attach == ATTACH_NONE)
        md_die(c, "indented item without a bullet above it: '%s'", c->r.buf);
    if (c->attach == ATTACH_NOTES_NESTED)
        append_line(&c->doc->notes, c->r.buf);
    else if (c->attach == ATTACH_NOTES_TOP)
        append_line(&c->doc->notes, item);
    else
        append_line(&c->doc->descs[c->attach_arg], item);
}

static void on_details_line(md_ctx *c)
{
    const char *line = c->r.buf;

    if (starts_with(line, "### ")) {
        on_heading3(c);
        return;
    }
    if (line[0] == '\0') {
        c->attach = ATTACH_NONE;
        return;
    }
    if (!c->doc)
        md_die(c, "text before the first '### 0xCODE NAME' section: '%s'", line);
    if (starts_with(line, "Meaning:")) {
        if (c->doc->meaning)
            md_die(c, "second 'Meaning:' line in the section for %s", c->doc->name);
        line = skip_spaces(line + 8);
        if (!*line)
            md_die(c, "empty 'Meaning:' line");
        c->doc->meaning = dup_str(line);
        c->attach = ATTACH_NONE;
    } else if (starts_with(line, "- ")) {
        parse_bullet(c);
    } else if (line[0] == ' ') {
        parse_subitem(c);
    } else {
        md_die(c, "unexpected line (expected 'Meaning: ...', '- ' bullets or indented "
                  "items): '%s'", line);
    }
}

static void on_heading2(md_ctx *c)
{
    const char *h = c->r.buf + 3;

    c->sec = SEC_OTHER;
    c->doc = NULL;
    c->table_rows = 0;
    c->attach = ATTACH_NONE;
    if (starts_with(h, "Label summary")) {
        if (c->seen_labels)
            md_die(c, "second '## Label summary' section");
        c->sec = SEC_LABELS;
        c->seen_labels = 1;
    } else if (starts_with(h, "Per-code details")) {
        if (!c->seen_labels)
            md_die(c, "'## Per-code details' comes before '## Label summary'");
        if (c->seen_details)
            md_die(c, "second '## Per-code details' section");
        c->sec = SEC_DETAILS;
        c->seen_details = 1;
    } else if (starts_with(h, "Notes on the code table")) {
        c->sec = SEC_NOTES;
    }
}

static void check_docs(const char *path)
{
    size_t i;

    for (i = 0; i < g_ndocs; i++) {
        if (!g_docs[i].section_line)
            die_at(path, g_docs[i].line, "0x%lX %s has labels but no '### 0x%lX' section",
                   g_docs[i].code, g_docs[i].name, g_docs[i].code);
        if (!g_docs[i].meaning)
            die_at(path, g_docs[i].section_line,
                   "the section for 0x%lX %s has no 'Meaning:' line", g_docs[i].code,
                   g_docs[i].name);
    }
}

static int cmp_doc_row(const void *a, const void *b)
{
    const doc_row *x = a, *y = b;

    return x->code < y->code ? -1 : x->code > y->code;
}

static void parse_params(const char *path)
{
    md_ctx c;

    memset(&c, 0, sizeof c);
    reader_open(&c.r, path);
    while (reader_next(&c.r)) {
        if (starts_with(c.r.buf, "## ") || starts_with(c.r.buf, "# ")) {
            if (c.r.buf[1] == '#')
                on_heading2(&c);
            else
                c.sec = SEC_OTHER;
            continue;
        }
        if (c.sec == SEC_LABELS)
            on_label_line(&c);
        else if (c.sec == SEC_DETAILS)
            on_details_line(&c);
        else if (c.sec == SEC_NOTES)
            on_notes_line(&c);
    }
    reader_close(&c.r);
    if (!c.seen_labels || !c.seen_details)
        die("%s: needs a '## Label summary' and a '## Per-code details' section", path);
    if (g_ndocs == 0)
        die("%s: the label summary has no rows", path);
    check_docs(path);
    qsort(g_docs, g_ndocs, sizeof g_docs[0], cmp_doc_row);
    qsort(g_aliases, g_naliases, sizeof g_aliases[0], cmp_alias_row);
}

/* ---------------------------------------------------------------- output */

/* Writes s as one or more adjacent C string literals, wrapped after spaces and newlines
 * so the table stays readable. Bytes outside printable ASCII become 3-digit octal
 * escapes (no following digit can extend them, and the source stays ASCII), and the
 * second '?' of "??" is escaped so no trigraph can form. */
static void emit_string(FILE *o, const char *s, const char *indent)
{
    const unsigned char *p = (const unsigned char *)s;
    int width = 0;

    fputc('"', o);
    for (; *p; p++) {
        if (*p == '"' || *p == '\\')
            width += fprintf(o, "\\%c", *p);
        else if (*p == '\n')
            width += fprintf(o, "\\n");
        else if (*p == '\t')
            width += fprintf(o, "\\t");
        else if (*p == '?' && p > (const unsigned char *)s && p[-1] == '?')
            width += fprintf(o, "\\?");
        else if (*p < 0x20 || *p > 0x7E)
            width += fprintf(o, "\\%03o", *p);
        else
            width += fprintf(o, "%c", *p);
        if (p[1] && (*p == '\n' || (*p == ' ' && width >= 64) || width >= 76)) {
            fprintf(o, "\"\n%s\"", indent);
            width = 0;
        }
    }
    fputc('"', o);
}

static void emit_banner(FILE *o, const char *codes, const char *params)
{
    fputs("/* SPDX-License-Identifier: MIT */\n", o);
    fprintf(o, "/* Generated by %s (src/gen/%s.c)\n * from %s and %s.\n", PROG, PROG,
            base_name(codes), base_name(params));
    fprintf(o, " * Do not edit by hand: change the reference data and run\n");
    fprintf(o, " *   %s an_bugcheck_table.c %s %s\n", PROG, base_name(codes),
            base_name(params));
    fprintf(o, " * The build test gen_bugcheck_matches_shared fails when this file is stale. "
               "*/\n\n");
    fprintf(o, "#include <stddef.h>\n\n#include \"analysis/an_bugcheck.h\"\n\n");
}

static void emit_names(FILE *o)
{
    size_t i;

    fprintf(o, "/* Every code in the code table, sorted by code. */\n");
    fprintf(o, "const an_bugcheck_name_row an_bugcheck_name_table[] = {\n");
    for (i = 0; i < g_nnames; i++) {
        fprintf(o, "    { 0x%08lXu, ", g_names[i].code);
        emit_string(o, g_names[i].name, "      ");
        fprintf(o, " },\n");
    }
    fprintf(o, "};\nconst size_t an_bugcheck_name_table_len = %lu;\n\n",
            (unsigned long)g_nnames);
}

/* ".field = "text"," on one line when it is short, else the text on its own lines;
 * NULL when there is no text, so the report can say null rather than "". */
static void emit_field(FILE *o, const char *field, const char *s)
{
    if (!s || !*s)
        fprintf(o, "        .%s = NULL,\n", field);
    else if (strlen(s) <= 56 && !strchr(s, '\n'))
        fprintf(o, "        .%s = ", field);
    else
        fprintf(o, "        .%s =\n            ", field);
    if (s && *s) {
        emit_string(o, s, "            ");
        fprintf(o, ",\n");
    }
}

static void emit_doc(FILE *o, const doc_row *d)
{
    int i;

    fprintf(o, "    {\n        .code = 0x%08lXu, /* %s */\n", d->code, d->name);
    emit_field(o, "meaning", d->meaning);
    fprintf(o, "        .labels = {\n");
    for (i = 0; i < NARGS; i++) {
        fprintf(o, "            ");
        emit_string(o, d->labels[i], "            ");
        fprintf(o, ",\n");
    }
    fprintf(o, "        },\n        .descriptions = {\n");
    for (i = 0; i < NARGS; i++) {
        if (!d->descs[i] || !*d->descs[i]) {
            fprintf(o, "            NULL,\n");
            continue;
        }
        fprintf(o, "            ");
        emit_string(o, d->descs[i], "            ");
        fprintf(o, ",\n");
    }
    fprintf(o, "        },\n");
    emit_field(o, "notes", d->notes);
    fprintf(o, "    },\n");
}

static void emit_docs(FILE *o)
{
    size_t i;

    fprintf(o, "/* The codes with documented arguments, sorted by code. */\n");
    fprintf(o, "const an_bugcheck_info an_bugcheck_info_table[] = {\n");
    for (i = 0; i < g_ndocs; i++)
        emit_doc(o, &g_docs[i]);
    fprintf(o, "};\nconst size_t an_bugcheck_info_table_len = %lu;\n\n",
            (unsigned long)g_ndocs);
}

static void emit_aliases(FILE *o)
{
    size_t i;

    fprintf(o, "/* Other names for listed codes, to accept as input; sorted by code. */\n");
    fprintf(o, "const an_bugcheck_alias_row an_bugcheck_alias_table[] = {\n");
    for (i = 0; i < g_naliases; i++) {
        fprintf(o, "    { 0x%08lXu, ", g_aliases[i].code);
        emit_string(o, g_aliases[i].alias, "      ");
        fprintf(o, " },\n");
    }
    if (g_naliases == 0) /* C has no empty arrays; the length says there are none */
        fprintf(o, "    { 0u, NULL },\n");
    fprintf(o, "};\nconst size_t an_bugcheck_alias_table_len = %lu;\n",
            (unsigned long)g_naliases);
}

static void write_output(const char *out, const char *codes, const char *params)
{
    FILE *o = fopen(out, "wb"); /* binary: "\n" line endings on every host */
    int bad;

    if (!o)
        die("cannot create %s", out);
    emit_banner(o, codes, params);
    emit_names(o);
    emit_docs(o);
    emit_aliases(o);
    bad = ferror(o);
    if (fclose(o) != 0 || bad) {
        remove(out);
        die("error writing %s", out);
    }
}

/* Whether path names a C source (the only thing a generator may write). */
static int ends_with_c(const char *path)
{
    size_t n = strlen(path);
    return n > 2 && path[n - 2] == '.' && path[n - 1] == 'c';
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s OUT.c CODES.tsv PARAMS.md\n", PROG);
        return 1;
    }
    /* The output comes first: a data file given there would be overwritten. */
    if (!ends_with_c(argv[1])) {
        fprintf(stderr, "%s: the first argument is the OUTPUT .c file, not '%s'\n", argv[0], argv[1]);
        return 2;
    }
    parse_codes(argv[2]);
    parse_params(argv[3]);
    write_output(argv[1], argv[2], argv[3]);
    return 0;
}
