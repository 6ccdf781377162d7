/* SPDX-License-Identifier: MIT */
/* MD5 against RFC 1321's test suite, and WinDbg's FAILURE_ID_HASH against the value WinDbg
 * printed for the motivating 0x13C dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/an_findings.h"
#include "util/md5.h"

static void hex(const uint8_t d[16], char out[33])
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void test_md5_rfc1321(void **state)
{
    (void)state;
    static const struct { const char *in, *md5; } v[] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t d[16];
        char h[33];
        di_md5((const uint8_t *)v[i].in, strlen(v[i].in), d);
        hex(d, h);
        assert_string_equal(h, v[i].md5);
    }
}

static void test_failure_id_hash(void **state)
{
    (void)state;
    char id[37];
    assert_int_equal(an_failure_id_hash("0x13C_nt!PspThreadDelete", id), 0);
    assert_string_equal(id, "6fe88179-1572-f8e2-aeff-cd9c600ecf3a");
    /* Case does not matter: the bucket is lower-cased first. */
    assert_int_equal(an_failure_id_hash("0x13c_NT!pspthreaddelete", id), 0);
    assert_string_equal(id, "6fe88179-1572-f8e2-aeff-cd9c600ecf3a");
    assert_int_equal(an_failure_id_hash("", id), -1);
    assert_int_equal(an_failure_id_hash("0x13C_caf\xc3\xa9!x", id), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md5_rfc1321),
        cmocka_unit_test(test_failure_id_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
