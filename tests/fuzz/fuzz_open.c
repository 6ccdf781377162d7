/* SPDX-License-Identifier: MIT */
/* fuzz_open: the header and dump-type checks and the physical map parsers (run list,
 * bitmap with its rank index, RDMP range table), through the public di_open_memory. */
#include <string.h>

#include "dumpinspect/dumpinspect.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    di_dump *d = NULL;
    di_error err;
    di_status st = di_open_memory(data, size, "fuzz.dmp", &d, &err);
    if (st != DI_OK) {
        FZ_CHECK(d == NULL, "a failed open leaves no dump");
        FZ_CHECK(err.status == st, "the error records the status it returns");
        FZ_CHECK(memchr(err.message, '\0', sizeof err.message) != NULL, "the message is terminated");
        return 0;
    }
    /* Warnings are part of what the open produced: touch every byte of each. */
    size_t n = di_warning_count(d);
    for (size_t i = 0; i < n; i++) {
        const char *w = di_warning(d, i);
        FZ_CHECK(w != NULL, "every counted warning exists");
        (void)strlen(w);
    }
    FZ_CHECK(di_warning(d, n) == NULL, "no warning past the count");
    (void)di_is_damaged(d);
    (void)di_kernel_cr3(d);
    di_close(d);
    return 0;
}
