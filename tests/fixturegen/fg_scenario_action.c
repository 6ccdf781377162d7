/* SPDX-License-Identifier: MIT */
/* Scenario actions, run in file order after the header keys:
 *   map KIND VA [COUNT]          KIND = 4k 2m 1g transition prototype notpresent absent
 *   direct VA KIND [PA BYTES]    window onto physical memory; without PA BYTES: all sparse memory
 *   write VA DATA                DATA = hex:00ff.. | text:rest of line | u8:N | u16:N | u32:N |
 *                                       u64:N | zero:LEN | fill:BYTE:LEN */
#include "fg_scenario_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int fg_sc_map(fg_sc *sc, fg_dump *d, char *rest)
{
    char *kind_s = fg_sc_token(&rest), *va_s = fg_sc_token(&rest), *n_s = fg_sc_token(&rest);
    fg_kind kind;
    uint64_t va, n = 1;
    if (kind_s == NULL || va_s == NULL || fg_sc_token(&rest) != NULL)
        return fg_sc_fail(sc, "map: expected KIND VA [COUNT]");
    if (fg_kind_parse(kind_s, &kind) != 0)
        return fg_sc_fail(sc, "map: unknown kind '%s' (4k 2m 1g transition prototype notpresent "
                              "absent)", kind_s);
    if (fg_sc_u64(va_s, &va) != 0)
        return fg_sc_fail(sc, "map: bad VA '%s'", va_s);
    if (n_s != NULL && (fg_sc_u64(n_s, &n) != 0 || n == 0))
        return fg_sc_fail(sc, "map: bad count '%s'", n_s);
    if (fg_map(d, va, n, kind) != FG_OK)
        return fg_sc_fail(sc, "map: %s", fg_error(d));
    return 0;
}

int fg_sc_direct(fg_sc *sc, fg_dump *d, char *rest)
{
    char *va_s = fg_sc_token(&rest), *kind_s = fg_sc_token(&rest);
    char *pa_s = fg_sc_token(&rest), *bytes_s = fg_sc_token(&rest);
    fg_kind kind;
    uint64_t va, pa = 0, bytes = fg_config_of(d)->sparse_phys_bytes;
    if (va_s == NULL || kind_s == NULL || (pa_s != NULL && bytes_s == NULL) ||
        fg_sc_token(&rest) != NULL)
        return fg_sc_fail(sc, "direct: expected VA KIND [PA BYTES]");
    if (fg_sc_u64(va_s, &va) != 0)
        return fg_sc_fail(sc, "direct: bad VA '%s'", va_s);
    if (fg_kind_parse(kind_s, &kind) != 0)
        return fg_sc_fail(sc, "direct: unknown kind '%s' (4k 2m 1g)", kind_s);
    if (pa_s != NULL && (fg_sc_u64(pa_s, &pa) != 0 || fg_sc_u64(bytes_s, &bytes) != 0))
        return fg_sc_fail(sc, "direct: bad PA or BYTES");
    if (bytes == 0)
        return fg_sc_fail(sc, "direct: PA and BYTES are required without sparse_gib");
    if (fg_map_direct(d, va, pa, bytes, kind) != FG_OK)
        return fg_sc_fail(sc, "direct: %s", fg_error(d));
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes hex digits (blanks ignored) into a new buffer. */
static uint8_t *decode_hex(fg_sc *sc, const char *s, size_t *len)
{
    uint8_t *out = malloc(strlen(s) / 2 + 1);
    size_t n = 0;
    int hi = -1;
    if (out == NULL) {
        fg_sc_fail(sc, "out of memory");
        return NULL;
    }
    for (; *s != '\0'; s++) {
        if (isspace((unsigned char)*s))
            continue;
        int v = hexval((unsigned char)*s);
        if (v < 0) {
            free(out);
            fg_sc_fail(sc, "write: bad hex digit '%c'", *s);
            return NULL;
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0 || n == 0) {
        free(out);
        fg_sc_fail(sc, "write: hex data needs an even, nonzero number of digits");
        return NULL;
    }
    *len = n;
    return out;
}

static int write_int(fg_sc *sc, fg_dump *d, uint64_t va, unsigned bytes, const char *num)
{
    uint64_t v;
    if (fg_sc_u64(num, &v) != 0 || (bytes < 8 && v >> (8 * bytes) != 0))
        return fg_sc_fail(sc, "write: '%s' is not a %u-byte number", num, bytes);
    int rc = bytes == 1   ? fg_write_u8(d, va, (uint8_t)v)
             : bytes == 2 ? fg_write_u16(d, va, (uint16_t)v)
             : bytes == 4 ? fg_write_u32(d, va, (uint32_t)v)
                          : fg_write_u64(d, va, v);
    return rc == FG_OK ? 0 : fg_sc_fail(sc, "write: %s", fg_error(d));
}

static int write_fill(fg_sc *sc, fg_dump *d, uint64_t va, const char *byte_s, const char *len_s)
{
    uint64_t b, n;
    if (fg_sc_u64(byte_s, &b) != 0 || b > 0xFF || fg_sc_u64(len_s, &n) != 0 || n == 0 ||
        n > (1u << 30))
        return fg_sc_fail(sc, "write: expected fill:BYTE:LEN / zero:LEN");
    if (fg_fill(d, va, (uint8_t)b, (size_t)n) != FG_OK)
        return fg_sc_fail(sc, "write: %s", fg_error(d));
    return 0;
}

int fg_sc_write(fg_sc *sc, fg_dump *d, char *rest)
{
    char *va_s = fg_sc_token(&rest);
    uint64_t va;
    if (va_s == NULL || *rest == '\0')
        return fg_sc_fail(sc, "write: expected VA DATA");
    if (fg_sc_u64(va_s, &va) != 0)
        return fg_sc_fail(sc, "write: bad VA '%s'", va_s);
    while (isspace((unsigned char)*rest))
        rest++;
    if (strncmp(rest, "text:", 5) == 0) {
        size_t n = strlen(rest + 5);
        if (n == 0)
            return fg_sc_fail(sc, "write: empty text");
        if (fg_write(d, va, rest + 5, n) != FG_OK)
            return fg_sc_fail(sc, "write: %s", fg_error(d));
        return 0;
    }
    if (strncmp(rest, "hex:", 4) == 0) {
        size_t n;
        uint8_t *buf = decode_hex(sc, rest + 4, &n);
        if (buf == NULL)
            return -1;
        int rc = fg_write(d, va, buf, n);
        free(buf);
        return rc == FG_OK ? 0 : fg_sc_fail(sc, "write: %s", fg_error(d));
    }
    static const struct { const char *prefix; unsigned bytes; } ints[] = {
        {"u8:", 1}, {"u16:", 2}, {"u32:", 4}, {"u64:", 8},
    };
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        size_t pl = strlen(ints[i].prefix);
        if (strncmp(rest, ints[i].prefix, pl) == 0)
            return write_int(sc, d, va, ints[i].bytes, rest + pl);
    }
    if (strncmp(rest, "zero:", 5) == 0)
        return write_fill(sc, d, va, "0", rest + 5);
    if (strncmp(rest, "fill:", 5) == 0) {
        char *colon = strchr(rest + 5, ':');
        if (colon == NULL)
            return fg_sc_fail(sc, "write: expected fill:BYTE:LEN");
        *colon = '\0';
        return write_fill(sc, d, va, rest + 5, colon + 1);
    }
    return fg_sc_fail(sc, "write: unknown data form (hex: text: u8: u16: u32: u64: zero: fill:)");
}
