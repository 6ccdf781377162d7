/* SPDX-License-Identifier: MIT */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

di_status di_fail(di_error *err, di_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->status = st;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return st;
}

const char *di_status_name(di_status st)
{
    switch (st) {
    case DI_OK: return "ok";
    case DI_E_ARG: return "bad_argument";
    case DI_E_NOMEM: return "out_of_memory";
    case DI_E_IO: return "io_error";
    case DI_E_FORMAT: return "corrupt_dump";
    case DI_E_UNSUPPORTED: return "unsupported";
    case DI_E_LIMIT: return "limit_exceeded";
    case DI_E_NONCANONICAL: return "non_canonical";
    case DI_E_NOT_MAPPED: return "not_mapped";
    case DI_E_PROTOTYPE: return "prototype_pte";
    case DI_E_BAD_PTE: return "bad_pte";
    case DI_E_NOT_IN_DUMP: return "not_in_dump";
    case DI_E_OUT_OF_FILE: return "out_of_file";
    case DI_E_NOT_CAPTURED: return "not_captured";
    }
    return "unknown";
}

void di_hex_bytes(char *out, size_t cap, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t k = 0;
    for (size_t i = 0; i < n && k + 2 < cap; i++) {
        out[k++] = digits[b[i] >> 4];
        out[k++] = digits[b[i] & 15];
    }
    if (cap)
        out[k] = '\0';
}
