/* SPDX-License-Identifier: MIT */
/* Names from the dump reach the JSON as exact UTF-8: surrogate pairs joined, lone
 * surrogates and control characters replaced, never a sequence cut in half. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/utf16.h"

static size_t enc(const uint16_t *u, size_t n, uint8_t *w)
{
    for (size_t i = 0; i < n; i++) {
        w[2 * i] = (uint8_t)u[i];
        w[2 * i + 1] = (uint8_t)(u[i] >> 8);
    }
    return n;
}

static void check(const uint16_t *u, size_t n, size_t cap, const char *want)
{
    uint8_t w[64];
    char out[64];
    enc(u, n, w);
    size_t k = di_utf16le_to_utf8(w, n, out, cap);
    assert_string_equal(out, want);
    assert_int_equal(k, strlen(want));
}

static void test_exact(void **state)
{
    (void)state;
    static const uint16_t ascii[] = {'n', 't', '.', 's', 'y', 's'};
    check(ascii, 6, 64, "nt.sys");
    static const uint16_t latin[] = {'c', 'a', 'f', 0xE9};                /* café */
    check(latin, 4, 64, "caf\xC3\xA9");
    static const uint16_t cyr[] = {0x0414, 0x0440, 0x0430};              /* Дра */
    check(cyr, 3, 64, "\xD0\x94\xD1\x80\xD0\xB0");
    static const uint16_t cjk[] = {0x65E5, 0x672C};                      /* 日本 */
    check(cjk, 2, 64, "\xE6\x97\xA5\xE6\x9C\xAC");
    static const uint16_t pair[] = {'a', 0xD83D, 0xDE00, 'b'};           /* a😀b */
    check(pair, 4, 64, "a\xF0\x9F\x98\x80" "b");
    static const uint16_t nul[] = {'a', 0, 'b'};
    check(nul, 3, 64, "a");
}

static void test_replacements(void **state)
{
    (void)state;
    static const uint16_t lone_high[] = {0xD800, 'x'};
    check(lone_high, 2, 64, "\xEF\xBF\xBDx");
    static const uint16_t lone_low[] = {'x', 0xDC00};
    check(lone_low, 2, 64, "x\xEF\xBF\xBD");
    static const uint16_t high_at_end[] = {'x', 0xDBFF};
    check(high_at_end, 2, 64, "x\xEF\xBF\xBD");
    static const uint16_t ctrl[] = {'a', 0x0A, 0x1B, 0x7F};
    check(ctrl, 4, 64, "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void test_truncation(void **state)
{
    (void)state;
    static const uint16_t cjk[] = {0x65E5, 0x672C};
    check(cjk, 2, 6, "\xE6\x97\xA5");  /* 5 bytes of room: the second character does not fit */
    check(cjk, 2, 7, "\xE6\x97\xA5\xE6\x9C\xAC");
    check(cjk, 2, 1, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_replacements),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
