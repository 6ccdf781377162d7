/* SPDX-License-Identifier: MIT */
/* fuzz_triage: triage ("small memory", DumpType 4) dumps end to end. The input is opened
 * with di_open_memory; the triage sections the reader kept (data blocks, the saved stack,
 * the KDBG copy, the KPRCB/ETHREAD/EPROCESS copies) are looked up on a second, internal
 * open of the same bytes, and a few of their virtual addresses are read through the public
 * API: a range's first bytes, its last byte, a read running past its end, and an address
 * from the input's tail. Then the JSON and text reports are built.
 *
 * Beyond "no crash": kept data blocks are sorted, disjoint and inside the input; a read
 * inside a kept range succeeds and returns the input's bytes at the range's file offset; a
 * failed read says not_captured (or a wrap); the JSON parses. */
#include <string.h>

#include <cjson/cJSON.h>

#include "dump/dmp_dump.h"
#include "dumpinspect/dumpinspect.h"
#include "fuzz_common.h"
#include "io/io_file.h"

#define READ_MAX 64u
#define RANGES_READ 4u

/* exact: r serves every address it spans (a data block: blocks are disjoint and looked up
 * first), so its bytes are the input's; a copy's range may be shadowed by a block. */
static void check_region(di_dump *d, const uint8_t *data, size_t size, const dmp_vregion *r, int exact)
{
    FZ_CHECK(r->size > 0, "a kept range is not empty");
    FZ_CHECK(r->va + r->size > r->va || r->va + r->size == 0, "a kept range does not wrap");
    FZ_CHECK(r->file_off <= size && r->size <= size - r->file_off, "a kept range lies inside the input");
    uint8_t buf[READ_MAX + 16];
    di_error err;
    size_t n = r->size < READ_MAX ? (size_t)r->size : READ_MAX;
    di_status st = di_read_virtual(d, DI_CR3_KERNEL, r->va, buf, n, &err);
    FZ_CHECK(st == DI_OK, "the start of a kept range reads");
    if (st == DI_OK && exact)
        FZ_CHECK(memcmp(buf, data + r->file_off, n) == 0, "a data block returns the input's bytes");
    st = di_read_virtual(d, DI_CR3_KERNEL, r->va + r->size - 1, buf, 1, &err);
    FZ_CHECK(st == DI_OK, "the last byte of a kept range reads");
    if (st == DI_OK && exact)
        FZ_CHECK(buf[0] == data[r->file_off + r->size - 1], "the last byte is the input's");
    /* Past the end: another range may continue it; otherwise the whole read fails. */
    st = di_read_virtual(d, DI_CR3_KERNEL, r->va + r->size - 8, buf, 16, &err);
    FZ_CHECK(st == DI_OK || st == DI_E_NOT_CAPTURED || st == DI_E_NONCANONICAL,
             "a read past a range succeeds or is not captured");
    if (st != DI_OK)
        FZ_CHECK(err.status == st && err.message[0], "a failed read says why");
}

static void check_triage(di_dump *d, const uint8_t *data, size_t size)
{
    io_file *io;
    dmp_dump *dmp;
    if (io_open_memory(data, size, "fuzz.dmp", &io, NULL) != DI_OK)
        return;
    if (dmp_open(io, &dmp, NULL) != DI_OK)
        return;
    const dmp_triage *t = dmp->triage;
    if (t) {
        for (size_t i = 1; i < t->nblocks; i++)
            FZ_CHECK(t->blocks[i - 1].va + t->blocks[i - 1].size <= t->blocks[i].va,
                     "data blocks are sorted and disjoint");
        for (size_t i = 0; i < t->nblocks && i < RANGES_READ; i++)
            check_region(d, data, size, &t->blocks[t->nblocks - 1 - i], 1);
        for (size_t i = 0; i < t->nextra; i++)
            check_region(d, data, size, &t->extra[i], 0);
        FZ_CHECK(t->ndrivers <= t->drivers_declared, "no more drivers than declared");
        for (size_t i = 0; i < t->ndrivers; i++)
            FZ_CHECK(memchr(t->drivers[i].name, 0, sizeof t->drivers[i].name) != NULL, "driver names end");
        for (size_t i = 0; i < t->nblobs; i++)
            FZ_CHECK(t->blobs[i].offset <= size && t->blobs[i].size <= size - t->blobs[i].offset,
                     "blobs lie inside the input");
    }
    dmp_close(dmp);
    uint8_t buf[READ_MAX];
    di_error err;
    uint64_t va = fz_tail_u64(data, size, 0);
    size_t n = (size_t)(fz_tail_u64(data, size, 1) % READ_MAX) + 1;
    di_status st = di_read_virtual(d, DI_CR3_KERNEL, va, buf, n, &err);
    if (st != DI_OK)
        FZ_CHECK(err.status == st && err.message[0], "a failed read says why");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    di_dump *d;
    di_error err;
    if (di_open_memory(data, size, "fuzz.dmp", &d, &err) != DI_OK)
        return 0;
    check_triage(d, data, size);
    char *json = NULL, *text = NULL;
    di_report_options opt = {.compact = 1};
    if (di_report_json(d, &opt, &json, &err) == DI_OK) {
        cJSON *doc = cJSON_Parse(json);
        FZ_CHECK(doc != NULL, "the report is valid JSON");
        cJSON_Delete(doc);
    }
    if (di_report_text(d, &opt, &text, &err) == DI_OK)
        FZ_CHECK(strlen(text) > 0, "the text rendering says something");
    (void)di_is_damaged(d);
    di_free(json);
    di_free(text);
    di_close(d);
    return 0;
}
