/* SPDX-License-Identifier: MIT */
#include "util/timefmt.h"

#include <stdio.h>

#define TICKS_PER_SEC 10000000ull
#define SECS_PER_DAY 86400ull
/* Days from 1601-01-01 to 1970-01-01. */
#define DAYS_1601_TO_1970 134774ll
/* 9999-12-31T23:59:59 as FILETIME seconds. */
#define MAX_FILETIME_SECS 265046774399ull

/* Civil date from days since 1970-01-01 (proleptic Gregorian, era arithmetic). */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = (long long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

int di_filetime_iso8601(uint64_t filetime, char *buf, size_t size)
{
    uint64_t secs = filetime / TICKS_PER_SEC;
    if (size)
        buf[0] = '\0';
    if (filetime == 0 || secs > MAX_FILETIME_SECS)
        return -1;
    unsigned ms = (unsigned)((filetime % TICKS_PER_SEC) / 10000);
    long long days = (long long)(secs / SECS_PER_DAY) - DAYS_1601_TO_1970;
    unsigned sod = (unsigned)(secs % SECS_PER_DAY);
    long long y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", y, m, d, sod / 3600, sod / 60 % 60, sod % 60, ms);
    return 0;
}

void di_duration_text(uint64_t units, char *buf, size_t size)
{
    uint64_t secs = units / TICKS_PER_SEC;
    unsigned ms = (unsigned)((units % TICKS_PER_SEC) / 10000);
    unsigned long long days = (unsigned long long)(secs / SECS_PER_DAY);
    unsigned sod = (unsigned)(secs % SECS_PER_DAY);
    if (days)
        snprintf(buf, size, "%llud %02u:%02u:%02u.%03u", days, sod / 3600, sod / 60 % 60, sod % 60, ms);
    else
        snprintf(buf, size, "%02u:%02u:%02u.%03u", sod / 3600, sod / 60 % 60, sod % 60, ms);
}
