/* SPDX-License-Identifier: MIT */
/* File and member names as shown in messages and the report. */
#ifndef DI_IO_NAME_H
#define DI_IO_NAME_H

/* A heap copy of s that is valid UTF-8: each byte that does not belong to a well-formed
 * sequence (overlong forms, surrogates and code points past U+10FFFF included) becomes
 * U+FFFD. NULL when out of memory. */
char *io_display_name(const char *s);

#endif
