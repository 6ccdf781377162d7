/* SPDX-License-Identifier: MIT */
/* UTF-16LE from the dump to UTF-8 for the report: exact (surrogate pairs joined), with only
 * what cannot be text replaced — a lone surrogate becomes U+FFFD, control characters too —
 * so the JSON is always valid UTF-8. */
#ifndef DI_UTIL_UTF16_H
#define DI_UTIL_UTF16_H

#include <stddef.h>
#include <stdint.h>

/* Decode up to units UTF-16LE code units at w (stopping at a NUL unit) into out, at most
 * cap - 1 bytes and never a partial sequence, NUL-terminated. Returns the bytes written. */
size_t di_utf16le_to_utf8(const uint8_t *w, size_t units, char *out, size_t cap);

#endif
