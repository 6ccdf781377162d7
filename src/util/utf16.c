/* SPDX-License-Identifier: MIT */
#include "util/utf16.h"

#include "util/le.h"

#define REPLACEMENT 0xFFFDu

/* Append code point cp as UTF-8 if it fits in cap (keeping room for the NUL). */
static int put(char *out, size_t cap, size_t *k, uint32_t cp)
{
    uint8_t b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (uint8_t)(0xC0 | cp >> 6);
        b[1] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (uint8_t)(0xE0 | cp >> 12);
        b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (uint8_t)(0xF0 | cp >> 18);
        b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        b[3] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (*k + n + 1 > cap)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[(*k)++] = (char)b[i];
    return 0;
}

size_t di_utf16le_to_utf8(const uint8_t *w, size_t units, char *out, size_t cap)
{
    size_t k = 0;
    if (!cap)
        return 0;
    for (size_t i = 0; i < units; i++) {
        uint32_t u = le16(w + 2 * i), cp = u;
        if (!u)
            break;
        if (u >= 0xD800 && u <= 0xDBFF) {
            uint32_t lo = i + 1 < units ? le16(w + 2 * (i + 1)) : 0;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            } else {
                cp = REPLACEMENT;
            }
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            cp = REPLACEMENT;
        } else if (u < 0x20 || u == 0x7F) {
            cp = REPLACEMENT; /* no control characters in names */
        }
        if (put(out, cap, &k, cp))
            break;
    }
    out[k] = '\0';
    return k;
}
