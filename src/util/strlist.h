/* SPDX-License-Identifier: MIT */
/* A growable list of owned strings (warnings, notes). Bounded: past max entries the
 * list records that it dropped some instead of growing without limit. */
#ifndef DI_UTIL_STRLIST_H
#define DI_UTIL_STRLIST_H

#include <stddef.h>

#include "util/error.h"

/* What a warning is about (the report's warnings[].code; man dumpinspect-report(5)). */
typedef enum di_wcode {
    DI_W_NOTE,              /* anything else worth knowing */
    DI_W_FILE_DAMAGE,       /* the dump file is truncated or inconsistent */
    DI_W_KERNEL_DAMAGE,     /* kernel data in the dump is inconsistent (lists, objects) */
    DI_W_LIMIT,             /* a bound (--limit or the analysis's own) cut the work short */
    DI_W_NO_PROFILE,        /* no offset profile applies: kernel structures are not decoded */
    DI_W_PROFILE_MISMATCH,  /* the dump's KDBG contradicts the offset profile */
    DI_W_KDBG,              /* the KDBG is absent, unreadable or encoded */
    DI_W_MISSING_DATA,      /* something the report would use is not in the dump */
    DI_W_MISMATCH,          /* two sources in the dump disagree (build numbers, list heads) */
    DI_W_INCOMPLETE         /* findings may be missing because data was not read whole */
} di_wcode;

/* The code's name in the report ("kernel_damage"). */
const char *di_wcode_name(di_wcode code);

typedef struct di_strlist {
    char **items;
    unsigned char *codes;   /* di_wcode of each item */
    size_t count;
    size_t cap;
    size_t max;      /* 0 = default bound */
    size_t dropped;  /* entries refused once max was reached */
} di_strlist;

/* Append a formatted string (code DI_W_NOTE); returns 0, or -1 when out of memory or full. */
int di_strlist_addf(di_strlist *l, const char *fmt, ...) DI_PRINTF(2, 3);
/* The same with a code. */
int di_strlist_add_code(di_strlist *l, di_wcode code, const char *fmt, ...) DI_PRINTF(3, 4);
void di_strlist_free(di_strlist *l);

#endif
