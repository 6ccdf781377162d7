/* SPDX-License-Identifier: MIT */
/* The byte every fresh generator data page holds before anything is written over it. A pure
 * function of the physical address, so a test can recompute what the reader must return for any
 * byte it knows the PA of (from the manifest) without keeping a copy of the dump. */
#ifndef FG_PATTERN_H
#define FG_PATTERN_H

#include <stddef.h>
#include <stdint.h>

static inline uint8_t fg_pattern_byte(uint64_t pa)
{
    /* Mix the PFN and the in-page offset so neighbouring pages and offsets differ, and a reader
     * that lands on the wrong page or offset reads visibly wrong bytes. */
    uint32_t x = (uint32_t)(pa >> 12) * 0x9E3779B1u + (uint32_t)(pa & 0xFFFu) * 0x85EBCA77u;
    x ^= x >> 15;
    x *= 0x2C1B3C6Du;
    x ^= x >> 13;
    return (uint8_t)(x >> 24);
}

static inline void fg_pattern_fill(uint8_t *buf, uint64_t pa, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = fg_pattern_byte(pa + i);
}

#endif
