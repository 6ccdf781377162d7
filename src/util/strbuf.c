#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
        size_t need = n >= 0 ? b->len + (size_t)n + 1 : b->cap + 256;
        size_t ncap = b->cap ? b->cap * 2 : 1024;
        while (ncap < need)
            ncap *= 2;
        char *p = realloc(b->s, ncap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p;
        b->cap = ncap;
    }
}
