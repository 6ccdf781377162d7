/* SPDX-License-Identifier: MIT */
/* An append-only text buffer; on allocation failure it stops growing and remembers it. */
#ifndef DI_UTIL_STRBUF_H
#define DI_UTIL_STRBUF_H

#include <stddef.h>

#include "util/error.h"

typedef struct di_strbuf {
    char *s;
    size_t len, cap;
    int failed;
} di_strbuf;

void di_strbuf_addf(di_strbuf *b, const char *fmt, ...) DI_PRINTF(2, 3);
/* Append n bytes (kept NUL-terminated). */
void di_strbuf_add(di_strbuf *b, const char *p, size_t n);

#endif
