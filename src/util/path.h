/* SPDX-License-Identifier: MIT */
/* File names inside Windows paths from the dump ("\SystemRoot\system32\ntoskrnl.exe"). */
#ifndef DI_UTIL_PATH_H
#define DI_UTIL_PATH_H

#include <stddef.h>

/* The last component of path (after the last '\' or '/'); path itself when it has none. */
const char *di_base_name(const char *path);
/* The same copied into out (cap bytes, cut to fit, NUL-terminated). */
void di_base_name_copy(const char *path, char *out, size_t cap);

#endif
