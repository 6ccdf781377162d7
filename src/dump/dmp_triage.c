/* SPDX-License-Identifier: MIT */
/* TRIAGE_DUMP64: the header after DUMP_HEADER64, and where each section lies. Sections are
 * checked against the file and against each other before anything reads them; a section
 * that does not fit is dropped with a damage warning, never read past its bounds. */
#include <stdlib.h>
#include <string.h>

#include "dump/dmp_dump.h"
#include "dump/dmp_triage.h"
#include "util/error.h"
#include "util/le.h"

/* Sizes of the copies whose length the header does not state are taken from the gap to the
 * next section; no real KPRCB/EPROCESS/ETHREAD is larger than this. */
#define TRI_MAX_COPY_BYTES  0x40000u
#define TRI_EXCEPTION_BYTES 0x98u
#define TRI_MM_MAX_BYTES    0x1000u

const char *dmp_tsec_name(dmp_tsec s)
{
    static const char *const names[DMP_TS__COUNT] = {
        "context", "exception", "mm", "unloaded_drivers", "prcb", "process", "thread", "call_stack",
        "driver_list", "string_pool", "broken_driver", "data_page", "debugger_data", "data_blocks"};
    return (unsigned)s < DMP_TS__COUNT ? names[s] : "unknown";
}

const char *dmp_vsource_name(dmp_vsource s)
{
    switch (s) {
    case DMP_VS_BLOCK: return "data_block";
    case DMP_VS_STACK: return "call_stack";
    case DMP_VS_DEBUGGER: return "debugger_data";
    case DMP_VS_PRCB: return "prcb";
    case DMP_VS_THREAD: return "thread";
    case DMP_VS_PROCESS: return "process";
    case DMP_VS_DATAPAGE: return "data_page";
    }
    return "unknown";
}

void dmp_triage_free(dmp_triage *t)
{
    if (!t)
        return;
    free(t->blocks);
    free(t->drivers);
    free(t->unloaded);
    free(t->blobs);
    free(t);
}

/* The MiniDumpFields bit that marks each section valid (0: none of its own). */
static uint32_t section_flag(dmp_tsec s)
{
    static const uint32_t flags[DMP_TS__COUNT] = {
        DMP_TRI_F_CONTEXT, DMP_TRI_F_EXCEPTION, DMP_TRI_F_MMINFO, 0, DMP_TRI_F_PRCB, DMP_TRI_F_PROCESS,
        DMP_TRI_F_THREAD, DMP_TRI_F_STACK, DMP_TRI_F_DRIVER_LIST, DMP_TRI_F_DRIVER_LIST, DMP_TRI_F_BROKEN_DRIVER,
        DMP_TRI_F_DATAPAGE, DMP_TRI_F_DEBUGGER_DATA, DMP_TRI_F_DATA_BLOCKS};
    return flags[s];
}

/* Header field holding each section's offset. */
static uint32_t offset_field(dmp_tsec s)
{
    static const uint32_t fields[DMP_TS__COUNT] = {
        DMP_TRI_CONTEXT_OFFSET, DMP_TRI_EXCEPTION_OFFSET, DMP_TRI_MM_OFFSET, DMP_TRI_UNLOADED_OFFSET,
        DMP_TRI_PRCB_OFFSET, DMP_TRI_PROCESS_OFFSET, DMP_TRI_THREAD_OFFSET, DMP_TRI_CALLSTACK_OFFSET,
        DMP_TRI_DRIVERLIST_OFFSET, DMP_TRI_STRINGPOOL_OFFSET, DMP_TRI_BROKEN_OFFSET, DMP_TRI_DATAPAGE_OFFSET,
        DMP_TRI_DEBUGGER_OFFSET, DMP_TRI_BLOCKS_OFFSET};
    return fields[s];
}

/* Bytes from off to the next section (or the end of the triage data): the copy's extent. */
static uint64_t extent_of(const dmp_triage *t, uint64_t off, uint64_t end)
{
    uint64_t next = end;
    for (int s = 0; s < DMP_TS__COUNT; s++) {
        uint64_t o = t->sec[s].offset;
        if (o > off && o < next)
            next = o;
    }
    if (t->valid_offset > off && t->valid_offset < next)
        next = t->valid_offset;
    uint64_t n = next > off ? next - off : 0;
    return n < TRI_MAX_COPY_BYTES ? n : TRI_MAX_COPY_BYTES;
}

/* The size each section claims (before checking it fits). */
static uint64_t claimed_size(dmp_dump *d, dmp_tsec s, uint64_t end)
{
    dmp_triage *t = d->triage;
    const uint8_t *h = t->hdr;
    uint64_t off = t->sec[s].offset;
    switch (s) {
    case DMP_TS_CONTEXT: return d->machine == DMP_MACHINE_ARM64 ? DMP_A64_CTX_SIZE : DMP_CTX_SIZE;
    case DMP_TS_EXCEPTION: return TRI_EXCEPTION_BYTES;
    case DMP_TS_MM: return 8; /* widened to its own Size once read */
    case DMP_TS_UNLOADED: return 8;  /* the count; entries are checked as they are read */
    case DMP_TS_PRCB:
    case DMP_TS_PROCESS:
    case DMP_TS_THREAD:
    case DMP_TS_BROKEN: return extent_of(t, off, end);
    case DMP_TS_STACK: return le32(h + DMP_TRI_CALLSTACK_SIZE);
    case DMP_TS_DRIVERS: return (uint64_t)le32(h + DMP_TRI_DRIVER_COUNT) * DMP_TRI_DRV_SIZE;
    case DMP_TS_STRINGS: return le32(h + DMP_TRI_STRINGPOOL_SIZE);
    case DMP_TS_DATAPAGE: return le32(h + DMP_TRI_DATAPAGE_SIZE);
    case DMP_TS_DEBUGGER: return le32(h + DMP_TRI_DEBUGGER_SIZE);
    case DMP_TS_BLOCKS: return (uint64_t)le32(h + DMP_TRI_BLOCKS_COUNT) * DMP_TRI_BLOCK_SIZE;
    case DMP_TS__COUNT: break;
    }
    return 0;
}

/* Place every section and check it lies inside the triage data. */
static void place_sections(dmp_dump *d, uint64_t end)
{
    dmp_triage *t = d->triage;
    for (int s = 0; s < DMP_TS__COUNT; s++) {
        dmp_tsection *sec = &t->sec[s];
        sec->offset = le32(t->hdr + offset_field((dmp_tsec)s));
        uint32_t flag = section_flag((dmp_tsec)s);
        sec->flagged = flag && (t->fields & flag);
    }
    for (int s = 0; s < DMP_TS__COUNT; s++) {
        dmp_tsection *sec = &t->sec[s];
        const char *name = dmp_tsec_name((dmp_tsec)s);
        if (!sec->offset) {
            if (sec->flagged && s != DMP_TS_BROKEN)
                dmp_warn_damage(d, "%s: MiniDumpFields marks the triage %s section valid but its offset is 0",
                                dmp_path(d), name);
            continue;
        }
        /* Only the context and exception records may sit inside DUMP_HEADER64. */
        uint64_t lowest = s == DMP_TS_CONTEXT || s == DMP_TS_EXCEPTION ? DMP_HDR_CONTEXT : DMP_TRI_HDR + DMP_TRI_HDR_SIZE;
        uint64_t size = claimed_size(d, (dmp_tsec)s, end);
        if (sec->offset < lowest || sec->offset >= end || size > end - sec->offset) {
            dmp_warn_damage(d, "%s: the triage %s section (offset 0x%llx, %llu bytes) lies outside the triage data "
                               "(0x%llx bytes); it is not read",
                            dmp_path(d), name, (unsigned long long)sec->offset, (unsigned long long)size,
                            (unsigned long long)end);
            continue;
        }
        sec->size = size;
        /* Without its MiniDumpFields bit a section is not believed, except the ones whose
         * contents validate themselves (Mm info and unloaded drivers carry their sizes). */
        sec->usable = sec->flagged || s == DMP_TS_MM || s == DMP_TS_UNLOADED || s == DMP_TS_STRINGS;
    }
}

static void read_mm_info(dmp_dump *d, uint64_t end)
{
    dmp_triage *t = d->triage;
    dmp_tsection *sec = &t->sec[DMP_TS_MM];
    uint8_t b[8];
    if (!sec->usable || io_pread(d->io, sec->offset, b, sizeof b, NULL) != DI_OK) {
        sec->usable = 0;
        return;
    }
    uint32_t version = le32(b + DMP_TRI_MM_VERSION), size = le32(b + DMP_TRI_MM_SIZE);
    if (size < 8 || size > TRI_MM_MAX_BYTES || size > end - sec->offset) {
        if (sec->flagged)
            dmp_warn_damage(d, "%s: the triage Mm information at 0x%llx claims %u bytes; it is not read", dmp_path(d),
                            (unsigned long long)sec->offset, size);
        sec->usable = 0;
        return;
    }
    t->mm_version = version;
    t->mm_size = size;
    sec->size = size;
}

/* Sections that overlap each other cannot all be what they claim. */
static void check_overlaps(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    for (int a = 0; a < DMP_TS__COUNT; a++)
        for (int b = a + 1; b < DMP_TS__COUNT; b++) {
            const dmp_tsection *x = &t->sec[a], *y = &t->sec[b];
            if (!x->usable || !y->usable || !x->size || !y->size)
                continue;
            if (x->offset < y->offset + y->size && y->offset < x->offset + x->size)
                dmp_warn_damage(d, "%s: the triage %s section (0x%llx, %llu bytes) overlaps the %s section "
                                   "(0x%llx, %llu bytes)",
                                dmp_path(d), dmp_tsec_name((dmp_tsec)a), (unsigned long long)x->offset,
                                (unsigned long long)x->size, dmp_tsec_name((dmp_tsec)b), (unsigned long long)y->offset,
                                (unsigned long long)y->size);
        }
}

/* SizeOfDump and the TRGD tag say whether the writer finished. */
static uint64_t check_extent(dmp_dump *d)
{
    dmp_triage *t = d->triage;
    uint64_t fsize = io_size(d->io);
    uint64_t end = t->size_of_dump;
    if (end < DMP_TRI_HDR + DMP_TRI_HDR_SIZE) {
        dmp_warn_damage(d, "%s: the triage header's SizeOfDump 0x%x is smaller than the headers; using the file size",
                        dmp_path(d), t->size_of_dump);
        end = fsize;
    } else if (end > fsize) {
        dmp_warn_damage(d, "%s: the triage dump claims %u bytes (SizeOfDump) but the file holds %llu: it is truncated",
                        dmp_path(d), t->size_of_dump, (unsigned long long)fsize);
        end = fsize;
    }
    uint8_t tag[4];
    if (t->valid_offset + 4ull <= fsize && io_pread(d->io, t->valid_offset, tag, 4, NULL) == DI_OK &&
        le32(tag) == DMP_TRI_VALID_TAG)
        t->valid_tag = 1;
    else
        dmp_warn_damage(d, "%s: no \"TRGD\" validity tag at ValidOffset 0x%x: the triage dump may not have been "
                           "written completely",
                        dmp_path(d), t->valid_offset);
    return end;
}

di_status dmp_parse_triage(dmp_dump *d, di_error *err)
{
    uint64_t fsize = io_size(d->io);
    if (fsize < DMP_TRI_HDR + DMP_TRI_HDR_SIZE)
        return di_fail(err, DI_E_FORMAT, "%s: truncated triage dump: the file holds %llu bytes, the triage header "
                                         "needs %u",
                       dmp_path(d), (unsigned long long)fsize, DMP_TRI_HDR + DMP_TRI_HDR_SIZE);
    dmp_triage *t = calloc(1, sizeof *t);
    if (!t)
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", dmp_path(d));
    d->triage = t;
    di_status st = io_pread(d->io, DMP_TRI_HDR, t->hdr, sizeof t->hdr, err);
    if (st != DI_OK)
        return st;
    uint32_t fields = le32(d->hdr + DMP_HDR_MINI_DUMP_FIELDS);
    if (fields == DMP_FILL32) {
        dmp_warn_damage(d, "%s: MiniDumpFields holds the header fill: no triage section is marked valid", dmp_path(d));
        fields = 0;
    }
    t->fields = fields;
    t->size_of_dump = le32(t->hdr + DMP_TRI_SIZE_OF_DUMP);
    t->valid_offset = le32(t->hdr + DMP_TRI_VALID_OFFSET);
    t->top_of_stack = le64(t->hdr + DMP_TRI_TOP_OF_STACK);
    uint64_t end = check_extent(d);
    t->data_end = end;
    place_sections(d, end);
    read_mm_info(d, end);
    check_overlaps(d);
    dmp_triage_read_lists(d);
    dmp_triage_read_blocks(d);
    dmp_triage_read_blobs(d);
    return DI_OK;
}
