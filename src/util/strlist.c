/* SPDX-License-Identifier: MIT */
#include "util/strlist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DI_STRLIST_DEFAULT_MAX 1000

const char *di_wcode_name(di_wcode code)
{
    static const char *const names[] = {"note",     "file_damage", "kernel_damage", "limit",    "no_profile",
                                        "profile_mismatch", "kdbg", "missing_data", "mismatch", "incomplete"};
    return (unsigned)code < sizeof names / sizeof names[0] ? names[code] : "note";
}

static int add(di_strlist *l, di_wcode code, const char *fmt, va_list ap)
{
    size_t max = l->max ? l->max : DI_STRLIST_DEFAULT_MAX;
    if (l->count >= max) {
        l->dropped++;
        return -1;
    }
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        char **n = realloc(l->items, ncap * sizeof *n);
        if (!n)
            return -1;
        l->items = n;
        unsigned char *c = realloc(l->codes, ncap);
        if (!c)
            return -1;
        l->codes = c;
        l->cap = ncap;
    }
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t len = strlen(buf) + 1;
    char *s = malloc(len);
    if (!s)
        return -1;
    memcpy(s, buf, len);
    l->codes[l->count] = (unsigned char)code;
    l->items[l->count++] = s;
    return 0;
}

int di_strlist_addf(di_strlist *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = add(l, DI_W_NOTE, fmt, ap);
    va_end(ap);
    return rc;
}

int di_strlist_add_code(di_strlist *l, di_wcode code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = add(l, code, fmt, ap);
    va_end(ap);
    return rc;
}

void di_strlist_free(di_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    free(l->codes);
    memset(l, 0, sizeof *l);
}
