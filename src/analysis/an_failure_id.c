/* SPDX-License-Identifier: MIT */
/* WinDbg's FAILURE_ID_HASH for a failure bucket in WinDbg's own form ("0x13C_nt!PspThreadDelete"):
 * the MD5 of "km:" + the lower-cased bucket as UTF-16LE, shown as a GUID (first three fields
 * little-endian), as WinDbg and WER print it. Joining on it needs the exact bucket string,
 * so it is only computed when dumpinspect can name the failure the way WinDbg does. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/an_findings.h"
#include "util/md5.h"

#define FAILURE_ID_MAX_BUCKET 512

int an_failure_id_hash(const char *bucket, char out[37])
{
    static const char prefix[] = "km:";
    size_t n = strlen(bucket), total = sizeof prefix - 1 + n;
    if (!n || n > FAILURE_ID_MAX_BUCKET)
        return -1;
    uint8_t u16[2 * (sizeof prefix - 1 + FAILURE_ID_MAX_BUCKET)];
    for (size_t i = 0; i < total; i++) {
        unsigned char ch = (unsigned char)(i < sizeof prefix - 1 ? prefix[i] : bucket[i - (sizeof prefix - 1)]);
        if (ch >= 0x80)
            return -1; /* WinDbg buckets are ASCII */
        u16[2 * i] = (uint8_t)tolower(ch);
        u16[2 * i + 1] = 0;
    }
    uint8_t h[16];
    di_md5(u16, 2 * total, h);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[3], h[2], h[1], h[0],
             h[5], h[4], h[7], h[6], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]);
    return 0;
}
