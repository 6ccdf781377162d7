/* SPDX-License-Identifier: MIT */
/* Report sections that come from the dump header alone: dump, system, bugcheck,
 * context, exception, kernel. */
#ifndef DI_REPORT_HEADER_H
#define DI_REPORT_HEADER_H

#include <cjson/cJSON.h>

#include "dump/dmp_dump.h"

/* Add the header sections to root in report order; kernel_file_version ("10.0.19041.804") is
 * the identified ntoskrnl file or NULL. Returns 0 or -1 (out of memory). */
int rep_add_header_sections(cJSON *root, const dmp_dump *d, const char *kernel_file_version);

#endif
