/* SPDX-License-Identifier: MIT */
/* A saved stack without unwind data (a triage dump holds no module images) is scanned:
 * every aligned value that falls inside a loaded module is a candidate return address.
 * Stale values are found too, so each candidate is marked as a scan result, never as a
 * frame the tool proved. */
#include <stdlib.h>

#include "analysis/an_findings.h"
#include "util/le.h"

#define SCAN_CHUNK 0x1000u
/* Saved stacks are a few pages; a hostile size is cut here. */
#define SCAN_MAX_BYTES (1u << 20)

int an_scan_stack(nt_model *m, uint64_t va, uint64_t size, an_analysis *a)
{
    if (size > SCAN_MAX_BYTES)
        size = SCAN_MAX_BYTES;
    va = (va + 7) & ~7ull;
    size &= ~7ull;
    size_t cap = 0;
    uint8_t buf[SCAN_CHUNK];
    for (uint64_t done = 0; done < size; done += SCAN_CHUNK) {
        size_t n = size - done < SCAN_CHUNK ? (size_t)(size - done) : SCAN_CHUNK;
        if (nt_read(&m->ctx, va + done, buf, n) != DI_OK)
            return 0; /* the range was checked when the dump was opened; nothing more to find */
        for (size_t i = 0; i + 8 <= n; i += 8) {
            uint64_t v = le64(buf + i);
            const nt_module *mod = nt_is_kernel_va(v) ? nt_model_module_at(m, v) : NULL;
            if (!mod)
                continue;
            if (a->nscan >= AN_MAX_SCAN_FRAMES) {
                a->scan_truncated = 1;
                return 0;
            }
            if (a->nscan == cap) {
                size_t ncap = cap ? cap * 2 : 64;
                an_frame *nf = realloc(a->scan, ncap * sizeof *nf);
                if (!nf)
                    return -1;
                a->scan = nf;
                cap = ncap;
            }
            a->scan[a->nscan++] = (an_frame){.sp = va + done + i, .address = v, .module = mod};
        }
    }
    return 0;
}
