/* SPDX-License-Identifier: MIT */
/* dumpinspect read: raw bytes of physical or virtual memory, all or nothing. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

#define CHUNK 0x10000u

static di_status read_at(di_dump *d, const cli_opts *o, uint64_t off, void *buf, size_t n, di_error *err)
{
    if (o->have_pa)
        return di_read_physical(d, o->pa + off, buf, n, err);
    return di_read_virtual(d, o->have_cr3 ? o->cr3 : DI_CR3_KERNEL, o->va + off, buf, n, err);
}

/* The lowest unreadable byte in [lo, hi] (hi known unreadable; one page): bytes stored
 * for a page are contiguous in the file, so what can be read is a prefix of the part. */
static di_status first_unreadable(di_dump *d, const cli_opts *o, uint64_t lo, uint64_t hi, di_error *err)
{
    uint8_t b;
    di_error probe = {0};
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (read_at(d, o, mid, &b, 1, &probe) == DI_OK)
            lo = mid + 1;
        else
            hi = mid;
    }
    return read_at(d, o, hi, &b, 1, err);
}

/* Touch the last needed byte of every page first, so nothing is written unless all of
 * it can be read (bytes within one stored page are contiguous in the file). A failure
 * names the lowest unreadable address of the range, not the byte probed. */
static di_status check_all(di_dump *d, const cli_opts *o, di_error *err)
{
    uint64_t base = o->have_pa ? o->pa : o->va;
    if (o->length && base > UINT64_MAX - (o->length - 1)) {
        err->status = DI_E_ARG;
        snprintf(err->message, sizeof err->message, "the range 0x%llx + %llu wraps past the top of the address space",
                 (unsigned long long)base, (unsigned long long)o->length);
        return DI_E_ARG;
    }
    uint64_t off = 0;
    while (off < o->length) {
        uint64_t page_end = ((base + off) | 0xFFF) - base + 1;
        uint64_t last = (page_end < o->length ? page_end : o->length) - 1;
        uint8_t b;
        di_status st = read_at(d, o, last, &b, 1, err);
        if (st != DI_OK)
            return first_unreadable(d, o, off, last, err);
        off = last + 1;
    }
    return DI_OK;
}

int cli_cmd_read(const cli_opts *o)
{
    int rc0;
    di_dump *d = cli_open_dump(o, &rc0);
    if (!d)
        return rc0;
    di_error err = {0};
    di_status st = check_all(d, o, &err);
    if (st != DI_OK) {
        cli_error(&err);
        di_close(d);
        return cli_exit_for(st);
    }
    unsigned char *buf = malloc(CHUNK);
    FILE *f = buf ? cli_open_output(o) : NULL;
    int rc = buf && f ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    for (uint64_t off = 0; rc == CLI_EXIT_OK && off < o->length;) {
        size_t n = o->length - off < CHUNK ? (size_t)(o->length - off) : CHUNK;
        st = read_at(d, o, off, buf, n, &err);
        if (st != DI_OK) {
            cli_error(&err);
            rc = cli_exit_for(st);
        } else if (fwrite(buf, 1, n, f) != n) {
            rc = CLI_EXIT_INTERNAL;
        }
        off += n;
    }
    if (f && cli_close_output(o, f) && rc == CLI_EXIT_OK)
        rc = CLI_EXIT_INTERNAL;
    free(buf);
    di_close(d);
    return rc;
}
