/* SPDX-License-Identifier: MIT */
/* Writes a triage dump (DumpType 4, dump-format.md 2.3): DUMP_HEADER64, then sections copied out
 * of the dump's virtual memory, in the order and with the packing of the real Windows 10 x64
 * triage dump (shared/data/real-dumps):
 *
 *   0x0000  DUMP_HEADER64 (0x2000; CONTEXT at 0x348 and EXCEPTION_RECORD64 at 0xF00 are the
 *           TRIAGE ContextOffset / ExceptionOffset)
 *   0x2000  TRIAGE_DUMP64 (0x80)
 *   0x2080  DUMP_MM_STORAGE64 (0x50: Version 1, Size 0x50, counters 0)
 *   0x20D0  unloaded drivers: u64 count, count x 0x38
 *           then, each starting where the previous ends (8-aligned, as every size here is):
 *           KPRCB copy (sizeof KPRCB), EPROCESS copy, ETHREAD copy, call stack
 *           [TopOfStack, +SizeOfCallStack), KDDEBUGGER_DATA64 copy, driver list (0x90 each),
 *           string pool (DUMP_STRINGs, each 8-aligned), TRIAGE_DATA_BLOCK array (16 each)
 *           followed by the blocks' bytes packed without alignment,
 *   ValidOffset (8-aligned)  u32 "TRGD"; SizeOfDump = ValidOffset + 4
 *   then, only if blobs were declared, the secondary data: "DumpBlob", u32 0x10,
 *   u32 0xF0000000 | build, and per blob a 0x20-byte header {HeaderSize 0x20, GUID, DataSize,
 *   PrePad, PostPad} + PrePad + data + PostPad (PostPad rounds the blob to 8 bytes).
 *
 * Every offset is absolute. The whole file is assembled in memory (a triage dump is small). */
#include "fg_internal.h"
#include "fg_le.h"

#include <stdlib.h>
#include <string.h>

/* TRIAGE_DUMP64, at file 0x2000 */
#define TRIAGE_AT 0x2000u
#define TRIAGE_SIZE 0x80u
#define T_SIZE_OF_DUMP 0x04
#define T_VALID_OFFSET 0x08
#define T_CONTEXT 0x0C
#define T_EXCEPTION 0x10
#define T_MM 0x14
#define T_UNLOADED 0x18
#define T_PRCB 0x1C
#define T_PROCESS 0x20
#define T_THREAD 0x24
#define T_CALL_STACK 0x28
#define T_CALL_STACK_SIZE 0x2C
#define T_DRIVER_LIST 0x30
#define T_DRIVER_COUNT 0x34
#define T_STRING_POOL 0x38
#define T_STRING_POOL_SIZE 0x3C
#define T_BROKEN_DRIVER 0x40
#define T_OPTIONS 0x44
#define T_TOP_OF_STACK 0x48
#define T_DEBUGGER_DATA 0x70
#define T_DEBUGGER_DATA_SIZE 0x74
#define T_DATA_BLOCKS 0x78
#define T_DATA_BLOCKS_COUNT 0x7C
#define TRIAGE_OPTIONS_ALL 0xFFFFFFFFu
#define H_CONTEXT_AT 0x348u
#define H_EXCEPTION_AT 0xF00u

/* MiniDumpFields: CONTEXT..BROKEN_DRIVER (0xFF), DEBUGGER_DATA, DATA_BLOCKS */
#define FIELDS_BASIC 0x0FFu
#define FIELDS_DEBUGGER_DATA 0x400u
#define FIELDS_DATA_BLOCKS 0x800u

/* DUMP_MM_STORAGE64 */
#define MM_SIZE 0x50u
#define MM_VERSION 1u

/* DUMP_UNLOADED_DRIVERS64 entry: UNICODE_STRING64 Name, WCHAR DriverName[12], Start, End */
#define UNL_ENTRY 0x38u
#define UNL_LENGTH 0x00
#define UNL_MAX_LENGTH 0x02
#define UNL_CHARS 0x10
#define UNL_NCHARS 12u
#define UNL_START 0x28
#define UNL_END 0x30

/* DUMP_DRIVER_ENTRY64: name offset, pad, then an LDR entry in the triage writer's layout */
#define DRV_ENTRY 0x90u
#define DRV_NAME_OFFSET 0x00
#define DRV_DLL_BASE 0x38
#define DRV_SIZE_OF_IMAGE 0x48
#define DRV_CHECKSUM 0x80
#define DRV_TIMESTAMP 0x88

#define BLOCK_ENTRY 16u
#define VALID_TAG "TRGD"
#define STACK_MAX 0x3000u

/* Secondary data */
#define BLOB_MAGIC "DumpBlob"
#define BLOB_FILE_HEADER 0x10u
#define BLOB_HEADER 0x20u
#define BLOB_BUILD_FLAGS 0xF0000000u

typedef struct tlayout {
    uint32_t mm, unl, prcb, proc, thr, stack, stack_size, kdbg, kdbg_size, drv, pool, pool_size;
    uint32_t blocks, block_data, valid, size_of_dump;
    uint64_t file_size;
    fg_tblock *blk;
    size_t n_blk;
} tlayout;

static uint64_t align8(uint64_t v)
{
    return (v + 7) & ~7ull;
}

static uint32_t string_bytes(const char *s)
{
    return (uint32_t)align8(4 + 2 * (strlen(s) + 1));
}

/* Bytes of [lo, lo+want) that can be read from the start. */
static uint32_t readable_prefix(const fg_dump *d, uint64_t lo, uint32_t want)
{
    uint32_t got = 0;
    uint8_t b;
    while (got < want && fg_read(d, lo + got, &b, 1) == FG_OK) {
        uint64_t page_end = ((lo + got) | (FG_PAGE - 1)) + 1;
        uint64_t step = page_end - (lo + got);
        got = step >= want - got ? want : got + (uint32_t)step;
    }
    return got;
}

static int plan(fg_dump *d, tlayout *T)
{
    const fg_triage *t = &d->triage;
    const fg_triage_core *c = &t->core;
    uint64_t span = c->stack_hi - c->stack_lo;
    T->stack_size = readable_prefix(d, c->stack_lo, span > STACK_MAX ? STACK_MAX : (uint32_t)span);
    T->kdbg_size = c->kdbg_va != 0 ? c->kdbg_size : 0;
    if (fg_triage_blocks_final(d, &T->blk, &T->n_blk) != FG_OK)
        return FG_E_NOMEM;
    uint64_t at = TRIAGE_AT + TRIAGE_SIZE, pool = 0, data = 0;
    T->mm = (uint32_t)at;
    at += MM_SIZE;
    T->unl = (uint32_t)at;
    at = align8(at + 8 + (uint64_t)t->n_unl * UNL_ENTRY);
    T->prcb = (uint32_t)at;
    at = align8(at + c->prcb_size);
    T->proc = (uint32_t)at;
    at = align8(at + c->process_size);
    T->thr = (uint32_t)at;
    at = align8(at + c->thread_size);
    T->stack = (uint32_t)at;
    at = align8(at + T->stack_size);
    T->kdbg = T->kdbg_size ? (uint32_t)at : 0;
    at = align8(at + T->kdbg_size);
    T->drv = (uint32_t)at;
    at += (uint64_t)t->n_drv * DRV_ENTRY;
    T->pool = (uint32_t)at;
    for (size_t i = 0; i < t->n_drv; i++)
        pool += string_bytes(t->drv[i].path);
    T->pool_size = (uint32_t)pool;
    at += pool;
    T->blocks = (uint32_t)at;
    at += (uint64_t)T->n_blk * BLOCK_ENTRY;
    T->block_data = (uint32_t)at;
    for (size_t i = 0; i < T->n_blk; i++)
        data += T->blk[i].size;
    T->valid = (uint32_t)align8(at + data);
    uint64_t size_of_dump = align8(at + data) + 4;
    uint64_t trailer = 0;
    if (t->n_blob > 0) {
        trailer = BLOB_FILE_HEADER;
        for (size_t i = 0; i < t->n_blob; i++)
            trailer += BLOB_HEADER + align8(t->blob[i].size);
    }
    if (size_of_dump + trailer > 0xFFFFFFFFull)
        return fg_fail(d, FG_E_LIMIT, "triage dump larger than 4 GiB");
    T->size_of_dump = (uint32_t)size_of_dump;
    T->file_size = size_of_dump + trailer;
    return FG_OK;
}

static int copy_va(fg_dump *d, uint8_t *dst, uint64_t va, uint32_t len, const char *what)
{
    if (len > 0 && fg_read(d, va, dst, len) != FG_OK)
        return fg_fail(d, FG_E_NOTINDUMP, "triage: the %s at 0x%llx (0x%x bytes) cannot be read",
                       what, (unsigned long long)va, len);
    return FG_OK;
}

static void put_utf16(uint8_t *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fg_put16(p + 2 * i, (uint8_t)s[i]);
}

static void write_lists(const fg_dump *d, const tlayout *T, uint8_t *f)
{
    const fg_triage *t = &d->triage;
    fg_put32(f + T->mm, MM_VERSION);
    fg_put32(f + T->mm + 4, MM_SIZE);
    fg_put64(f + T->unl, t->n_unl);
    for (size_t i = 0; i < t->n_unl; i++) {
        uint8_t *e = f + T->unl + 8 + i * UNL_ENTRY;
        size_t len = strlen(t->unl[i].name);
        uint16_t bytes = len > 0x7FFF ? 0xFFFE : (uint16_t)(2 * len);
        fg_put16(e + UNL_LENGTH, bytes);
        fg_put16(e + UNL_MAX_LENGTH, bytes);
        put_utf16(e + UNL_CHARS, t->unl[i].name, len < UNL_NCHARS ? len : UNL_NCHARS);
        fg_put64(e + UNL_START, t->unl[i].start);
        fg_put64(e + UNL_END, t->unl[i].end);
    }
    uint32_t name = T->pool;
    for (size_t i = 0; i < t->n_drv; i++) {
        const fg_tdriver *dv = &t->drv[i];
        uint8_t *e = f + T->drv + i * DRV_ENTRY;
        fg_put32(e + DRV_NAME_OFFSET, name);
        fg_put64(e + DRV_DLL_BASE, dv->base);
        fg_put32(e + DRV_SIZE_OF_IMAGE, dv->size);
        fg_put32(e + DRV_CHECKSUM, dv->checksum);
        fg_put32(e + DRV_TIMESTAMP, dv->timestamp);
        size_t len = strlen(dv->path);
        fg_put32(f + name, (uint32_t)len);
        put_utf16(f + name + 4, dv->path, len); /* the NUL and the padding stay zero */
        name += string_bytes(dv->path);
    }
}

static int write_blocks(fg_dump *d, const tlayout *T, uint8_t *f)
{
    uint32_t at = T->block_data;
    for (size_t i = 0; i < T->n_blk; i++) {
        uint8_t *e = f + T->blocks + i * BLOCK_ENTRY;
        uint32_t size = (uint32_t)T->blk[i].size;
        fg_put64(e, T->blk[i].va);
        fg_put32(e + 8, at);
        fg_put32(e + 12, size);
        if (copy_va(d, f + at, T->blk[i].va, size, "data block") != FG_OK)
            return FG_E_NOTINDUMP;
        at += size;
    }
    memcpy(f + T->valid, VALID_TAG, 4);
    return FG_OK;
}

static void write_trailer(const fg_dump *d, const tlayout *T, uint8_t *f)
{
    const fg_triage *t = &d->triage;
    if (t->n_blob == 0)
        return;
    uint8_t *p = f + T->size_of_dump;
    memcpy(p, BLOB_MAGIC, 8);
    fg_put32(p + 8, BLOB_FILE_HEADER);
    fg_put32(p + 12, BLOB_BUILD_FLAGS | d->cfg.build);
    p += BLOB_FILE_HEADER;
    for (size_t i = 0; i < t->n_blob; i++) {
        const fg_tblob *b = &t->blob[i];
        uint32_t post = (uint32_t)(align8(b->size) - b->size);
        fg_put32(p, BLOB_HEADER);
        memcpy(p + 4, b->guid, 16);
        fg_put32(p + 0x14, b->size);
        fg_put32(p + 0x18, 0); /* PrePad */
        fg_put32(p + 0x1C, post);
        memcpy(p + BLOB_HEADER, b->data, b->size);
        p += BLOB_HEADER + b->size + post;
    }
}

static void write_triage_header(const fg_dump *d, const tlayout *T, uint8_t *f)
{
    const fg_triage *t = &d->triage;
    uint8_t *h = f + TRIAGE_AT;
    fg_put32(h + T_SIZE_OF_DUMP, T->size_of_dump);
    fg_put32(h + T_VALID_OFFSET, T->valid);
    fg_put32(h + T_CONTEXT, H_CONTEXT_AT);
    fg_put32(h + T_EXCEPTION, H_EXCEPTION_AT);
    fg_put32(h + T_MM, T->mm);
    fg_put32(h + T_UNLOADED, T->unl);
    fg_put32(h + T_PRCB, T->prcb);
    fg_put32(h + T_PROCESS, T->proc);
    fg_put32(h + T_THREAD, T->thr);
    fg_put32(h + T_CALL_STACK, T->stack);
    fg_put32(h + T_CALL_STACK_SIZE, T->stack_size);
    fg_put32(h + T_DRIVER_LIST, T->drv);
    fg_put32(h + T_DRIVER_COUNT, (uint32_t)t->n_drv);
    fg_put32(h + T_STRING_POOL, T->pool);
    fg_put32(h + T_STRING_POOL_SIZE, T->pool_size);
    fg_put32(h + T_BROKEN_DRIVER, 0);
    fg_put32(h + T_OPTIONS, TRIAGE_OPTIONS_ALL);
    fg_put64(h + T_TOP_OF_STACK, t->core.stack_lo);
    fg_put32(h + T_DEBUGGER_DATA, T->kdbg);
    fg_put32(h + T_DEBUGGER_DATA_SIZE, T->kdbg_size);
    fg_put32(h + T_DATA_BLOCKS, T->n_blk ? T->blocks : 0);
    fg_put32(h + T_DATA_BLOCKS_COUNT, (uint32_t)T->n_blk);
}

static int fill(fg_dump *d, const tlayout *T, fg_layout *L, uint8_t *f)
{
    const fg_triage_core *c = &d->triage.core;
    L->file_size = T->size_of_dump; /* RequiredDumpSpace: the triage dump, not the trailer */
    L->minidump_fields = FIELDS_BASIC | (T->kdbg_size ? FIELDS_DEBUGGER_DATA : 0) |
                         (T->n_blk ? FIELDS_DATA_BLOCKS : 0);
    fg_header_build(d, L, f);
    write_triage_header(d, T, f);
    write_lists(d, T, f);
    write_trailer(d, T, f);
    if (copy_va(d, f + T->prcb, c->prcb_va, c->prcb_size, "KPRCB") != FG_OK ||
        copy_va(d, f + T->proc, c->process_va, c->process_size, "EPROCESS") != FG_OK ||
        copy_va(d, f + T->thr, c->thread_va, c->thread_size, "ETHREAD") != FG_OK ||
        copy_va(d, f + T->stack, c->stack_lo, T->stack_size, "stack") != FG_OK ||
        copy_va(d, f + T->kdbg, c->kdbg_va, T->kdbg_size, "KDBG") != FG_OK)
        return FG_E_NOTINDUMP;
    return write_blocks(d, T, f);
}

int fg_triage_emit(fg_dump *d, const char *path, const char *manifest_path)
{
    if (!d->triage.has_core)
        return fg_fail(d, FG_E_ARG, "a triage dump (type 4) is written from a kernel world: "
                                    "add a world line");
    tlayout T;
    fg_layout L;
    memset(&T, 0, sizeof(T));
    memset(&L, 0, sizeof(L));
    int rc = plan(d, &T);
    uint8_t *f = rc == FG_OK ? calloc(1, (size_t)T.file_size) : NULL;
    if (rc == FG_OK && f == NULL)
        rc = fg_fail(d, FG_E_NOMEM, "out of memory");
    if (rc == FG_OK)
        rc = fill(d, &T, &L, f);
    if (rc == FG_OK) {
        fg_file *out = fg_os_create(path, T.file_size, d->err, sizeof(d->err));
        rc = out == NULL ? FG_E_IO
                         : fg_os_pwrite(out, f, (size_t)T.file_size, 0, d->err, sizeof(d->err));
        char cerr[128];
        if (out != NULL && fg_os_close(out, cerr, sizeof(cerr)) != FG_OK && rc == FG_OK)
            rc = fg_fail(d, FG_E_IO, "%s", cerr);
    }
    L.file_size = T.file_size;
    if (rc == FG_OK && manifest_path != NULL)
        rc = fg_manifest_write(d, &L, manifest_path);
    free(f);
    free(T.blk);
    return rc;
}
