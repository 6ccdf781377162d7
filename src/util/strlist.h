/* A growable list of owned strings (warnings, notes). Bounded: past max entries the
 * list records that it dropped some instead of growing without limit. */
#ifndef DI_UTIL_STRLIST_H
#define DI_UTIL_STRLIST_H

#include <stddef.h>

#include "util/error.h"

typedef struct di_strlist {
    char **items;
    size_t count;
    size_t cap;
    size_t max;      /* 0 = default bound */
    size_t dropped;  /* entries refused once max was reached */
} di_strlist;

/* Append a formatted string; returns 0, or -1 when out of memory or full. */
int di_strlist_addf(di_strlist *l, const char *fmt, ...) DI_PRINTF(2, 3);
void di_strlist_free(di_strlist *l);

#endif
