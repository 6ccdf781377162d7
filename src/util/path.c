/* SPDX-License-Identifier: MIT */
#include "util/path.h"

#include <string.h>

const char *di_base_name(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    return b;
}

void di_base_name_copy(const char *path, char *out, size_t cap)
{
    const char *b = di_base_name(path);
    size_t n = strlen(b);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}
