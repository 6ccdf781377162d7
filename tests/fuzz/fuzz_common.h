/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz targets: the libFuzzer entry point's prototype, numbers taken from the
 * input's tail, and a check that turns a broken invariant into a crash libFuzzer keeps.
 *
 * Every target treats its whole input as a dump. Targets that need more numbers (addresses,
 * lengths) take them from the last bytes of the input: for a real dump those bytes are page
 * data, so mutating them steers the reads without breaking the dump's structure. */
#ifndef DI_FUZZ_COMMON_H
#define DI_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The i-th little-endian u64 counted back from the end of the input (i = 0 is the last 8
 * bytes); 0 when the input is too short. */
static inline uint64_t fz_tail_u64(const uint8_t *data, size_t size, size_t i)
{
    if (size < 8 * (i + 1))
        return 0;
    const uint8_t *p = data + size - 8 * (i + 1);
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = (v << 8) | p[k];
    return v;
}

/* Make x a canonical x64 address by sign-extending bit 47. */
static inline uint64_t fz_canonical(uint64_t x)
{
    x &= 0x0000FFFFFFFFFFFFull;
    return (x & 0x0000800000000000ull) ? (x | 0xFFFF000000000000ull) : x;
}

/* A broken invariant is a bug even when nothing crashed: abort so libFuzzer saves the input. */
#define FZ_CHECK(cond, what)                                                                 \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

#endif
