/* SPDX-License-Identifier: MIT */
/* Building error messages once, at the layer that knows the context. */
#ifndef DI_UTIL_ERROR_H
#define DI_UTIL_ERROR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h> /* on mingw-w64: __MINGW_PRINTF_FORMAT */

#include "dumpinspect/dumpinspect.h"

/* Format checking against the printf that runs: on mingw-w64 the build selects the C99
 * printf (__USE_MINGW_ANSI_STDIO, so %zu and %llu work whatever the C runtime), which gcc
 * checks as gnu_printf; plain "printf" would mean msvcrt's there. */
#if defined(__MINGW_PRINTF_FORMAT)
#define DI_PRINTF(a, b) __attribute__((format(__MINGW_PRINTF_FORMAT, a, b)))
#elif defined(__GNUC__) || defined(__clang__)
#define DI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DI_PRINTF(a, b)
#endif

/* Record st and a formatted message in err (which may be NULL); returns st. */
di_status di_fail(di_error *err, di_status st, const char *fmt, ...) DI_PRINTF(3, 4);

/* The n bytes at b as lowercase hex into out (cap bytes, truncated to fit), for messages
 * that show what a file holds. */
void di_hex_bytes(char *out, size_t cap, const uint8_t *b, size_t n);

#endif
