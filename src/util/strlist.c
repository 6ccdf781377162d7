#include "util/strlist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DI_STRLIST_DEFAULT_MAX 1000

int di_strlist_addf(di_strlist *l, const char *fmt, ...)
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
        l->cap = ncap;
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t len = strlen(buf) + 1;
    char *s = malloc(len);
    if (!s)
        return -1;
    memcpy(s, buf, len);
    l->items[l->count++] = s;
    return 0;
}

void di_strlist_free(di_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
