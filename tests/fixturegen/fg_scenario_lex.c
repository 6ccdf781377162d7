/* SPDX-License-Identifier: MIT */
/* Scenario lexing: tokens, numbers, GUIDs, and error messages that name file and line. */
#include "fg_scenario_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fg_sc_fail(fg_sc *sc, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(sc->err, sc->errlen, "%s:%u: %s", sc->name, sc->line, msg);
    return -1;
}

int fg_sc_u64(const char *s, uint64_t *v)
{
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    /* strtoull would accept signs and blanks: require a digit first */
    if (base == 16 ? !isxdigit((unsigned char)s[0]) : !isdigit((unsigned char)s[0]))
        return -1;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, base);
    if (errno != 0 || *end != '\0')
        return -1;
    *v = (uint64_t)x;
    return 0;
}

int fg_sc_u32(const char *s, uint32_t *v)
{
    uint64_t x;
    if (fg_sc_u64(s, &x) != 0 || x > UINT32_MAX)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

int fg_sc_u64_list(char *list, uint64_t *out, uint32_t max, uint32_t *n, const char **bad)
{
    *n = 0;
    for (char *s = list; *s != '\0';) {
        char *comma = strchr(s, ',');
        if (comma != NULL)
            *comma = '\0';
        if (*n == max)
            return -1;
        if (fg_sc_u64(s, &out[*n]) != 0) {
            *bad = s;
            return -2;
        }
        (*n)++;
        if (comma == NULL)
            break;
        s = comma + 1;
    }
    return 0;
}

char *fg_sc_token(char **p)
{
    char *s = *p;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0') {
        *p = s;
        return NULL;
    }
    char *t = s;
    while (*s != '\0' && !isspace((unsigned char)*s))
        s++;
    if (*s != '\0')
        *s++ = '\0';
    *p = s;
    return t;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int fg_sc_guid(const char *s, uint8_t g[16])
{
    static const int groups[5] = {8, 4, 4, 4, 12};
    uint8_t raw[16];
    int n = 0;
    for (int gi = 0; gi < 5; gi++) {
        for (int i = 0; i < groups[gi]; i += 2) {
            int hi = hex_digit((unsigned char)s[0]), lo = hi < 0 ? -1 : hex_digit((unsigned char)s[1]);
            if (lo < 0)
                return -1;
            raw[n++] = (uint8_t)(hi << 4 | lo);
            s += 2;
        }
        if (gi < 4 && *s++ != '-')
            return -1;
    }
    if (*s != '\0')
        return -1;
    static const int order[8] = {3, 2, 1, 0, 5, 4, 7, 6};
    for (int i = 0; i < 8; i++)
        g[i] = raw[order[i]];
    memcpy(g + 8, raw + 8, 8);
    return 0;
}
