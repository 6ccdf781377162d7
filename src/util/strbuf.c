/* SPDX-License-Identifier: MIT */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for need more bytes and a NUL; 0, or -1 (failed) when memory runs out. */
static int reserve(di_strbuf *b, size_t need)
{
    if (b->failed)
        return -1;
    if (b->len + need < b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap * 2 : 1024;
    while (ncap <= b->len + need)
        ncap *= 2;
    char *p = realloc(b->s, ncap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->s = p;
    b->cap = ncap;
    return 0;
}

void di_strbuf_add(di_strbuf *b, const char *p, size_t n)
{
    if (reserve(b, n))
        return;
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void di_strbuf_addf(di_strbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = b->cap > b->len ? vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap) : -1;
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        if (reserve(b, n >= 0 ? (size_t)n + 1 : b->cap - b->len + 256))
            return;
    }
}
