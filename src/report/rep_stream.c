/* SPDX-License-Identifier: MIT */
/* Printing the report without holding its whole tree: the tree is built with its big lists
 * (locks, threads, processes, modules) left empty and registered as deferred; the printer
 * walks the tree and, at a deferred list, builds, prints and frees one element at a time.
 * Memory then stays flat in the number of resources and threads listed.
 *
 * The bytes are exactly cJSON's: leaves (strings, numbers, literals) are printed by cJSON
 * itself, and the structure follows cJSON's layout — formatted output puts each object
 * member on its own line indented with one tab per nesting level (arrays count as a
 * level), "key":<TAB>value, and prints array elements inline, separated by ", ". */
#include <stdlib.h>
#include <string.h>

#include "report/rep_emit.h"
#include "report/rep_json.h"
#include "util/error.h"
#include "util/strbuf.h"

#define REP_MAX_DEFERRED 8

typedef struct deferred {
    const cJSON *array;         /* the empty array in the tree that stands for the list */
    size_t count;
    rep_element_fn fn;          /* builds element i as a tree, or (when NULL) */
    rep_emit_fn emit;           /* emits element i */
    void *ctx;
    void (*free_ctx)(void *); /* releases ctx with the deferrals, or NULL */
} deferred;

struct rep_deferrals {
    deferred d[REP_MAX_DEFERRED];
    size_t n;
};

typedef rep_out out;

static void drain(out *o)
{
    if (o->sink && o->b.len && !o->b.failed) {
        if (o->sink(o->sink_ctx, o->b.s, o->b.len) != 0) {
            o->sink_failed = 1;
            o->b.failed = 1; /* stop printing */
        }
        o->b.len = 0;
    }
}

#define put rep_out_put

void rep_out_put_slow(out *o, const char *p, size_t n)
{
    di_strbuf_add(&o->b, p, n);
    if (o->sink && o->b.len >= REP_SINK_CHUNK)
        drain(o);
}

static void put_str(out *o, const char *p) { put(o, p, strlen(p)); }

static void put_tabs(out *o, int n)
{
    static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    while (n > 0) {
        int k = n < 16 ? n : 16;
        put(o, tabs, (size_t)k);
        n -= k;
    }
}

/* A string as cJSON escapes it: quote, backslash, \b \f \n \r \t, other bytes below 0x20 as
 * \u00xx; every other byte as is (the report's strings are UTF-8 already). Written here
 * rather than through cJSON_Print, which allocates per value: the big lists are mostly
 * strings. */
static void put_string(out *o, const char *str)
{
    static const char hex[] = "0123456789abcdef";
    put(o, "\"", 1);
    const char *run = str;
    for (const char *p = str; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(o, run, (size_t)(p - run));
        run = p + 1;
        char esc[6] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        put(o, esc, n);
    }
    put(o, run, strlen(run));
    put(o, "\"", 1);
}

/* A number cJSON prints with "%d": integral and within int's range (its valueint is then
 * exact). Digits written here; anything else goes to cJSON, whose format is its own. */
static int put_int(out *o, double d)
{
    if (!(d >= -2147483648.0 && d <= 2147483647.0) || d != (double)(long long)d)
        return 0;
    long long v = (long long)d;
    char buf[16], *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    put(o, p, (size_t)(buf + sizeof buf - p));
    return 1;
}

/* A leaf as cJSON prints it: strings, literals and int-sized integers here, other numbers
 * by cJSON itself (its number format is its own). */
static void put_leaf(out *o, const cJSON *item)
{
    if (cJSON_IsString(item) && item->valuestring) {
        put_string(o, item->valuestring);
        return;
    }
    if (cJSON_IsNull(item)) {
        put_str(o, "null");
        return;
    }
    if (cJSON_IsBool(item)) {
        put_str(o, cJSON_IsTrue(item) ? "true" : "false");
        return;
    }
    if (cJSON_IsNumber(item) && put_int(o, item->valuedouble))
        return;
    char *t = cJSON_PrintUnformatted(item);
    if (!t) {
        o->b.failed = 1;
        return;
    }
    put_str(o, t);
    cJSON_free(t);
}

/* A key: the same escaping as a string leaf. */
static void put_key(out *o, const char *key) { put_string(o, key); }

static const deferred *deferred_of(const out *o, const cJSON *item)
{
    for (size_t i = 0; o->defer && i < o->defer->n; i++)
        if (o->defer->d[i].array == item)
            return &o->defer->d[i];
    return NULL;
}

static void put_value(out *o, const cJSON *item, int depth);

/* depth: the indentation of the object's members (cJSON's nesting counter inside it). */
static void put_object(out *o, const cJSON *item, int depth)
{
    put(o, "{", 1);
    if (!o->compact)
        put(o, "\n", 1);
    for (const cJSON *c = item->child; c && !o->b.failed; c = c->next) {
        if (!o->compact)
            put_tabs(o, depth);
        put_key(o, c->string ? c->string : "");
        put(o, ":", 1);
        if (!o->compact)
            put(o, "\t", 1);
        put_value(o, c, depth + 1);
        if (c->next)
            put(o, ",", 1);
        if (!o->compact)
            put(o, "\n", 1);
    }
    if (!o->compact)
        put_tabs(o, depth - 1);
    put(o, "}", 1);
}

static void put_separator(out *o, int *first)
{
    if (!*first) {
        put(o, ",", 1);
        if (!o->compact)
            put(o, " ", 1);
    }
    *first = 0;
}

static void put_array(out *o, const cJSON *item, int depth)
{
    put(o, "[", 1);
    int first = 1;
    const deferred *d = deferred_of(o, item);
    if (d && d->emit) {
        for (size_t i = 0; i < d->count && !o->b.failed; i++) {
            rep_emit e;
            rep_emit_text(&e, o, depth, first);
            if (d->emit(d->ctx, i, &e) != 0 || e.failed) {
                o->b.failed = 1;
                break;
            }
            first = first && rep_emit_count(&e) == 0;
        }
    } else if (d) {
        for (size_t i = 0; i < d->count && !o->b.failed; i++) {
            cJSON *e = NULL;
            if (d->fn(d->ctx, i, &e) != 0) {
                o->b.failed = 1;
                break;
            }
            if (!e)
                continue; /* not shown */
            put_separator(o, &first);
            put_value(o, e, depth + 1);
            cJSON_Delete(e);
        }
    } else {
        for (const cJSON *c = item->child; c && !o->b.failed; c = c->next) {
            put_separator(o, &first);
            put_value(o, c, depth + 1); /* cJSON counts an array as a level */
        }
    }
    put(o, "]", 1);
}

static void put_value(out *o, const cJSON *item, int depth)
{
    if (cJSON_IsObject(item))
        put_object(o, item, depth);
    else if (cJSON_IsArray(item))
        put_array(o, item, depth);
    else
        put_leaf(o, item);
}

void rep_out_tabs(rep_out *o, int n) { put_tabs(o, n); }
void rep_out_string(rep_out *o, const char *s) { put_string(o, s); }
void rep_out_value(rep_out *o, const cJSON *item, int depth) { put_value(o, item, depth); }

void rep_out_number(rep_out *o, double v)
{
    if (put_int(o, v))
        return;
    cJSON *n = cJSON_CreateNumber(v);
    if (!n) {
        o->b.failed = 1;
        return;
    }
    put_leaf(o, n);
    cJSON_Delete(n);
}

rep_deferrals *rep_deferrals_new(void) { return calloc(1, sizeof(rep_deferrals)); }

void rep_deferrals_free(rep_deferrals *d)
{
    for (size_t i = 0; d && i < d->n; i++)
        if (d->d[i].free_ctx)
            d->d[i].free_ctx(d->d[i].ctx);
    free(d);
}

static cJSON *add_deferred(cJSON *obj, const char *key, rep_deferrals *d, deferred list)
{
    cJSON *arr = d && d->n < REP_MAX_DEFERRED ? cJSON_AddArrayToObject(obj, key) : NULL;
    if (arr) {
        list.array = arr;
        d->d[d->n++] = list;
    } else if (list.free_ctx) {
        list.free_ctx(list.ctx);
    }
    return arr;
}

cJSON *rep_add_deferred_array(cJSON *obj, const char *key, rep_deferrals *d, size_t count, rep_element_fn fn,
                              void *ctx, void (*free_ctx)(void *))
{
    return add_deferred(obj, key, d, (deferred){.count = count, .fn = fn, .ctx = ctx, .free_ctx = free_ctx});
}

cJSON *rep_add_deferred_emit_array(cJSON *obj, const char *key, rep_deferrals *d, size_t count, rep_emit_fn emit,
                                   void *ctx, void (*free_ctx)(void *))
{
    return add_deferred(obj, key, d, (deferred){.count = count, .emit = emit, .ctx = ctx, .free_ctx = free_ctx});
}

di_status rep_print_streamed(const cJSON *root, const rep_deferrals *d, int compact, char **out_text, di_error *err)
{
    out o = {.compact = compact, .defer = d};
    put_value(&o, root, 1);
    di_strbuf_add(&o.b, "", 0); /* the fast path of put leaves the text unterminated */
    if (o.b.failed || !o.b.s) {
        free(o.b.s);
        return di_fail(err, DI_E_NOMEM, "out of memory while printing the report");
    }
    *out_text = o.b.s;
    return DI_OK;
}

di_status rep_print_to(const cJSON *root, const rep_deferrals *d, int compact, rep_sink_fn sink, void *ctx,
                       di_error *err)
{
    out o = {.compact = compact, .defer = d, .sink = sink, .sink_ctx = ctx};
    put_value(&o, root, 1);
    drain(&o);
    int failed = o.b.failed, sink_failed = o.sink_failed;
    free(o.b.s);
    if (sink_failed)
        return di_fail(err, DI_E_IO, "the report could not be written");
    if (failed)
        return di_fail(err, DI_E_NOMEM, "out of memory while printing the report");
    return DI_OK;
}
