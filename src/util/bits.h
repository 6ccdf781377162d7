/* SPDX-License-Identifier: MIT */
/* Bit counting without requiring compiler extensions (the builtin is used when present). */
#ifndef DI_UTIL_BITS_H
#define DI_UTIL_BITS_H

#include <stdint.h>

static inline int di_popcount64(uint64_t x)
{
    /* Dump bitmaps are mostly long runs: answer those without counting. */
    if (x == 0 || x == ~(uint64_t)0)
        return x ? 64 : 0;
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (int)((x * 0x0101010101010101ull) >> 56);
#endif
}

#endif
