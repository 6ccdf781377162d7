/* SPDX-License-Identifier: MIT */
/* Windows time values as text. */
#ifndef DI_UTIL_TIMEFMT_H
#define DI_UTIL_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* FILETIME (100 ns since 1601-01-01 UTC) as "YYYY-MM-DDTHH:MM:SS.mmmZ".
 * Returns 0, or -1 for 0 and values past year 9999 (then buf is ""). */
int di_filetime_iso8601(uint64_t filetime, char *buf, size_t size);

/* A duration in 100 ns units as "Dd HH:MM:SS.mmm" (days omitted when zero). */
void di_duration_text(uint64_t units_100ns, char *buf, size_t size);

#endif
