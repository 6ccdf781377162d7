/* SPDX-License-Identifier: MIT */
/* An opened 64-bit kernel dump: its header, where its physical pages are, and the
 * damage noticed while opening it. */
#ifndef DI_DUMP_DUMP_H
#define DI_DUMP_DUMP_H

#include <stdint.h>

#include "dump/dmp_layout.h"
#include "dump/dmp_physmap.h"
#include "dump/dmp_triage.h"
#include "io/io_file.h"
#include "util/strlist.h"

/* Bounds on what the dump's metadata may make us hold. */
typedef struct dmp_limits {
    uint64_t bitmap_bytes;
    uint32_t ranges;
} dmp_limits;

typedef struct dmp_dump {
    io_file *io;                 /* owned */
    uint8_t hdr[DMP_HDR_SIZE];   /* the raw DUMP_HEADER64 */
    uint32_t dump_type;
    uint32_t machine;            /* MachineImageType: DMP_MACHINE_X64 or (triage only) DMP_MACHINE_ARM64 */
    dmp_triage *triage;          /* DumpType 4 only: its sections and virtual ranges */
    char layout_signature[5];    /* "SDMP", "FDMP", "RDMP" or "" for run lists */
    dmp_physmap pm;
    uint64_t stored_pages_in_file; /* pages whose bytes the file really holds */
    di_strlist warnings;
    int damaged;                 /* a warning says the file is truncated or inconsistent */
    dmp_limits limits;
} dmp_dump;

/* Nonzero when the first n bytes of a file are ones dmp_open recognises, as a dump it reads
 * or one it refuses by name (32-bit, minidump, CAB), or the start of a truncated one:
 * compressed deliveries are sniffed with this before they are decompressed. */
int dmp_signature_known(const uint8_t *head, size_t n);

/* Parse the header and physical map. Takes ownership of io (closed on failure too). */
di_status dmp_open(io_file *io, dmp_dump **out, di_error *err);
/* The same with explicit bounds (NULL = defaults). */
di_status dmp_open_limited(io_file *io, const dmp_limits *limits, dmp_dump **out, di_error *err);
void dmp_limits_default(dmp_limits *l);
void dmp_close(dmp_dump *d);

const char *dmp_path(const dmp_dump *d);

/* Read len bytes of physical memory; all-or-nothing. */
di_status dmp_read_phys(dmp_dump *d, uint64_t pa, void *buf, size_t len, di_error *err);

/* Read whole pages pfns[i] into bufs[i] as one batch (io_pread_batch); ok[i] says which
 * arrived. Pages not in the dump or past a truncated end are simply not ok: callers that
 * need one read it with dmp_read_phys, which says why it cannot. */
void dmp_read_pages(dmp_dump *d, const uint64_t *pfns, uint8_t *const *bufs, int *ok, size_t n);

/* Whether the page holding pa is captured (its bytes may still lie past a truncated end). */
int dmp_page_present(const dmp_dump *d, uint64_t pfn);

/* DUMP_TYPES names ("BITMAP_KERNEL") and what they mean, for any value. */
const char *dmp_type_name(uint32_t type);
const char *dmp_type_description(uint32_t type);

/* Format-specific parsers, called by dmp_open once the header is read. */
di_status dmp_parse_runs(dmp_dump *d, di_error *err);
di_status dmp_parse_bitmap(dmp_dump *d, di_error *err);
di_status dmp_parse_rdmp(dmp_dump *d, di_error *err);

/* Record a damage warning (the report is then partial). */
void dmp_warn_damage(dmp_dump *d, const char *fmt, ...) DI_PRINTF(2, 3);

#endif
