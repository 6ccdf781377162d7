/* SPDX-License-Identifier: MIT */
/* Building error messages once, at the layer that knows the context. */
#ifndef DI_UTIL_ERROR_H
#define DI_UTIL_ERROR_H

#include <stddef.h>
#include <stdint.h>

#include "dumpinspect/dumpinspect.h"

#if defined(__GNUC__) || defined(__clang__)
#define DI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DI_PRINTF(a, b)
/* The n bytes at b as lowercase hex into out (cap bytes, truncated to fit), for messages
 * that show what a file holds. */
void di_hex_bytes(char *out, size_t cap, const uint8_t *b, size_t n);

#endif

/* Record st and a formatted message in err (which may be NULL); returns st. */
di_status di_fail(di_error *err, di_status st, const char *fmt, ...) DI_PRINTF(3, 4);

/* The n bytes at b as lowercase hex into out (cap bytes, truncated to fit), for messages
 * that show what a file holds. */
void di_hex_bytes(char *out, size_t cap, const uint8_t *b, size_t n);

#endif
