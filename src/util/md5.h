/* SPDX-License-Identifier: MIT */
/* MD5 (RFC 1321), only for WinDbg's FAILURE_ID_HASH: a bucket identifier, not security. */
#ifndef DI_UTIL_MD5_H
#define DI_UTIL_MD5_H

#include <stddef.h>
#include <stdint.h>

void di_md5(const uint8_t *data, size_t len, uint8_t digest[16]);

#endif
