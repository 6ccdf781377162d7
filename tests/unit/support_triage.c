/* SPDX-License-Identifier: MIT */
/* The minimal x64 triage dump writer (support_triage.h says what it writes). Offsets come
 * from dump-format.md, written out here; nothing from src/ is used. */
#include "support_triage.h"

#include <stdlib.h>
#include <string.h>

/* DUMP_HEADER64 fields written once, here only. */
#define H_VALID_DUMP   0x004u
#define H_MAJOR        0x008u
#define H_MINOR        0x00Cu
#define H_DTB          0x010u
#define H_PFN_DB       0x018u
#define H_MODULES      0x020u
#define H_PROCESSES    0x028u
#define H_NPROCS       0x034u
#define H_PARAM1       0x040u
#define H_VERSION_USER 0x060u
#define H_KDBG         0x080u
#define H_REQUIRED     0xFA0u
#define H_SYSTEM_TIME  0xFA8u
#define H_UPTIME       0x1030u
#define H_SECONDARY    0x103Cu
#define H_PRODUCT      0x1040u
#define H_SUITE        0x1044u
#define H_WRITER       0x1048u
#define HEADER_SIZE    0x2000u

/* x64 CONTEXT and EXCEPTION_RECORD64 fields. */
#define CTX_FLAGS   0x30u
#define CTX_MXCSR   0x34u
#define CTX_CS      0x38u
#define CTX_SS      0x42u
#define CTX_EFLAGS  0x44u
#define CTX_RSP     0x98u
#define CTX_RBP     0xA0u
#define CTX_RIP     0xF8u
#define CTX_MXCSR2  0x118u
#define CTX_SIZE    0x4D0u
#define EXR_CODE    0x00u
#define EXR_ADDRESS 0x10u
#define EXR_NPARAMS 0x18u
#define EXR_INFO    0x20u

/* MiniDumpFields: context, exception, stack, driver list, Mm info, debugger data, data blocks. */
#define FIELDS (0x001u | 0x002u | 0x020u | 0x040u | 0x100u | 0x400u | 0x800u)

void tw_put16(uint8_t *b, size_t off, uint16_t v)
{
    b[off] = (uint8_t)v;
    b[off + 1] = (uint8_t)(v >> 8);
}

void tw_put32(uint8_t *b, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

void tw_put64(uint8_t *b, size_t off, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

/* A DUMP_STRING (u32 length in UTF-16 units, the text, a NUL) at off; returns its size
 * rounded up to 8, where the next one starts. */
static size_t put_dump_string(uint8_t *b, size_t off, const char *s)
{
    size_t n = strlen(s);
    tw_put32(b, off, (uint32_t)n);
    for (size_t i = 0; i <= n; i++)
        tw_put16(b, off + 4 + 2 * i, (uint16_t)(unsigned char)s[i]);
    return (4 + 2 * (n + 1) + 7) & ~(size_t)7;
}

static void put_context(uint8_t *b, size_t off, uint64_t rip, uint64_t rsp)
{
    tw_put32(b, off + CTX_FLAGS, 0x0010001Fu);
    tw_put32(b, off + CTX_MXCSR, 0x1F80u);
    tw_put32(b, off + CTX_MXCSR2, 0x1F80u);
    tw_put16(b, off + CTX_CS, 0x10);
    tw_put16(b, off + CTX_SS, 0x18);
    tw_put32(b, off + CTX_EFLAGS, 0x00010246u);
    tw_put64(b, off + CTX_RSP, rsp);
    tw_put64(b, off + CTX_RBP, rsp + 0x80);
    tw_put64(b, off + CTX_RIP, rip);
}

static void put_exception(uint8_t *b, size_t off, uint64_t address)
{
    tw_put32(b, off + EXR_CODE, 0xC0000005u);
    tw_put64(b, off + EXR_ADDRESS, address);
    tw_put32(b, off + EXR_NPARAMS, 2);
    tw_put64(b, off + EXR_INFO, 1);                      /* a write */
    tw_put64(b, off + EXR_INFO + 8, 0xFFFFF80600000010ull); /* to an uncaptured address */
}

static void put_header(uint8_t *b)
{
    for (size_t i = 0; i < HEADER_SIZE; i += 4)
        memcpy(b + i, "PAGE", 4);
    memcpy(b + H_VALID_DUMP, "DU64", 4);
    tw_put32(b, H_MAJOR, 0xF);
    tw_put32(b, H_MINOR, 19041);
    tw_put64(b, H_DTB, 0x1AD000);
    tw_put64(b, H_PFN_DB, 0xFFFFFA8000000000ull);
    tw_put64(b, H_MODULES, TW_KDBG_VA + 0x10000);
    tw_put64(b, H_PROCESSES, TW_KDBG_VA + 0x20000);
    tw_put32(b, TW_H_MACHINE, 0x8664);
    tw_put32(b, H_NPROCS, 1);
    tw_put32(b, TW_H_BUGCHECK, TW_BUGCHECK);
    tw_put32(b, TW_H_BUGCHECK + 4, 0);
    tw_put64(b, H_PARAM1, 0xFFFFFFFFC0000005ull);
    tw_put64(b, H_PARAM1 + 8, TW_FAULT_IP);
    tw_put64(b, H_PARAM1 + 16, TW_EXR_VA);
    tw_put64(b, H_PARAM1 + 24, TW_CXR_VA);
    memset(b + H_VERSION_USER, 0, 32);
    tw_put64(b, H_KDBG, TW_KDBG_VA);
    memset(b + TW_H_CONTEXT, 0, CTX_SIZE);
    put_context(b, TW_H_CONTEXT, TW_FAULT_IP, TW_TOP_OF_STACK + 0x900);
    memset(b + TW_H_EXCEPTION, 0, 0x98);
    put_exception(b, TW_H_EXCEPTION, TW_FAULT_IP);
    tw_put32(b, TW_H_DUMP_TYPE, 4);
    tw_put32(b, TW_H_DUMP_TYPE + 4, 0);
    tw_put64(b, H_REQUIRED, TW_FILE_SIZE);
    tw_put64(b, H_SYSTEM_TIME, 0x01D707F1A1B2C3D4ull);
    tw_put64(b, H_UPTIME, 37470000);
    tw_put32(b, TW_H_FIELDS, FIELDS);
    tw_put32(b, H_SECONDARY, 0);
    tw_put32(b, H_PRODUCT, 1);
    tw_put32(b, H_SUITE, 0x110);
    tw_put32(b, H_WRITER, 0);
    tw_put32(b, TW_H_ATTRIBUTES, 0);
}

static void put_triage_header(uint8_t *b)
{
    uint8_t *t = b + TW_TRIAGE;
    tw_put32(t, 0x00, 0);
    tw_put32(t, TW_T_SIZE_OF_DUMP, TW_SIZE_OF_DUMP);
    tw_put32(t, TW_T_VALID_OFFSET, TW_VALID);
    tw_put32(t, TW_T_CONTEXT, TW_H_CONTEXT);
    tw_put32(t, TW_T_EXCEPTION, TW_H_EXCEPTION);
    tw_put32(t, TW_T_MM, TW_MM);
    tw_put32(t, TW_T_UNLOADED, TW_UNLOADED);
    tw_put32(t, TW_T_CALLSTACK, TW_STACK);
    tw_put32(t, TW_T_CALLSTACK_SIZE, TW_STACK_SIZE);
    tw_put32(t, TW_T_DRIVERLIST, TW_DRIVERS);
    tw_put32(t, TW_T_DRIVER_COUNT, 2);
    tw_put32(t, TW_T_STRINGPOOL, TW_POOL);
    tw_put32(t, TW_T_STRINGPOOL_SIZE, TW_POOL_SIZE);
    tw_put32(t, TW_T_OPTIONS, 0xFFFFFFFFu);
    tw_put64(t, TW_T_TOP_OF_STACK, TW_TOP_OF_STACK);
    tw_put32(t, TW_T_DEBUGGER, TW_KDBG);
    tw_put32(t, TW_T_DEBUGGER_SIZE, TW_KDBG_SIZE);
    tw_put32(t, TW_T_BLOCKS, TW_BLOCKS);
    tw_put32(t, TW_T_BLOCKS_COUNT, TW_NBLOCKS);
}

static void put_unloaded(uint8_t *b)
{
    static const char *const names[2] = {"old1.sys", "gone.sys"};
    tw_put64(b, TW_UNLOADED, 2);
    for (size_t i = 0; i < 2; i++) {
        size_t e = TW_UNLOADED + 8 + i * TW_UNL_ENTRY;
        size_t n = strlen(names[i]);
        tw_put16(b, e, (uint16_t)(2 * n));        /* UNICODE_STRING64 Length (bytes) */
        tw_put16(b, e + 2, (uint16_t)(2 * n + 2));
        tw_put64(b, e + 8, 0xFFFFC00000001000ull); /* Buffer: freed pool, never read */
        for (size_t k = 0; k < n; k++)
            tw_put16(b, e + 0x10 + 2 * k, (uint16_t)names[i][k]);
        tw_put64(b, e + 0x28, 0xFFFFF80490000000ull + i * 0x10000);
        tw_put64(b, e + 0x30, 0xFFFFF80490008000ull + i * 0x10000);
    }
}

static void put_drivers(uint8_t *b)
{
    static const char *const paths[2] = {"\\SystemRoot\\system32\\ntoskrnl.exe",
                                         "\\SystemRoot\\System32\\drivers\\faulty.sys"};
    static const uint64_t bases[2] = {TW_NT_BASE, TW_DRV_BASE_VA};
    static const uint32_t sizes[2] = {TW_NT_SIZE, TW_DRV_SIZE_VAL};
    static const uint32_t stamps[2] = {TW_NT_STAMP, TW_DRV_STAMP};
    size_t pool = TW_POOL;
    for (size_t i = 0; i < 2; i++) {
        size_t e = TW_DRIVERS + i * TW_DRV_ENTRY;
        tw_put32(b, e + TW_DRV_NAME_OFFSET, (uint32_t)pool);
        tw_put64(b, e + TW_DRV_BASE, bases[i]);
        tw_put32(b, e + TW_DRV_SIZE, sizes[i]);
        tw_put32(b, e + TW_DRV_TIMESTAMP, stamps[i]);
        pool += put_dump_string(b, pool, paths[i]);
    }
}

static void put_kdbg(uint8_t *b)
{
    memcpy(b + TW_KDBG + 0x10, "KDBG", 4);
    tw_put32(b, TW_KDBG + 0x14, TW_KDBG_SIZE);
    tw_put64(b, TW_KDBG + 0x18, TW_NT_BASE);
    tw_put64(b, TW_KDBG + 0x48, TW_KDBG_VA + 0x10000); /* PsLoadedModuleList */
    tw_put64(b, TW_KDBG + 0x50, TW_KDBG_VA + 0x20000); /* PsActiveProcessHead */
}

static void put_blocks(uint8_t *b)
{
    static const uint64_t vas[TW_NBLOCKS] = {TW_BLOCK0_VA, TW_BLOCK1_VA, TW_BLOCK2_VA};
    for (uint32_t i = 0; i < TW_NBLOCKS; i++) {
        size_t e = TW_BLOCKS + i * TW_BLOCK_ENTRY;
        uint32_t data = TW_BLOCK_DATA + i * TW_BLOCK_SIZE;
        tw_put64(b, e, vas[i]);
        tw_put32(b, e + 8, data);
        tw_put32(b, e + 12, TW_BLOCK_SIZE);
        memset(b + data, TW_BLOCK_FILL(i), TW_BLOCK_SIZE);
    }
}

/* The saved stack: the record and context the bugcheck parameters name, and return
 * addresses into both drivers for a scan to find. */
static void put_stack(uint8_t *b)
{
    tw_put64(b, TW_STACK + 0x08, TW_NT_BASE + 0x3F5A80);
    tw_put64(b, TW_STACK + 0x40, TW_NT_BASE + 0x40F4E1);
    put_exception(b, TW_STACK + (TW_EXR_VA - TW_TOP_OF_STACK), TW_FAULT_IP);
    put_context(b, TW_STACK + (TW_CXR_VA - TW_TOP_OF_STACK), TW_FAULT_IP, TW_TOP_OF_STACK + 0x900);
    tw_put64(b, TW_STACK + 0x928, TW_DRV_BASE_VA + 0x2000);
    tw_put64(b, TW_STACK + 0x968, TW_NT_BASE + 0x252F55);
}

static void put_blobs(uint8_t *b)
{
    static const uint8_t guid[16] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                     0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00};
    memcpy(b + TW_BLOB_FILE, "DumpBlob", 8);
    tw_put32(b, TW_BLOB_FILE + 8, 0x10);
    tw_put32(b, TW_BLOB_FILE + 12, 0xF0004A61u);
    tw_put32(b, TW_BLOB, 0x20);
    memcpy(b + TW_BLOB + 4, guid, 16);
    tw_put32(b, TW_BLOB_DATA_SIZE_AT, 0x10);
    tw_put32(b, TW_BLOB + 0x18, 0);
    tw_put32(b, TW_BLOB + 0x1C, 0);
    memcpy(b + TW_BLOB + 0x20, "TestBlob", 9);
}

uint8_t *tw_build(size_t *len)
{
    uint8_t *b = calloc(1, TW_FILE_SIZE);
    if (!b)
        return NULL;
    put_header(b);
    put_triage_header(b);
    tw_put32(b, TW_MM, 1);
    tw_put32(b, TW_MM + 4, TW_MM_SIZE);
    put_unloaded(b);
    put_stack(b);
    put_drivers(b);
    put_kdbg(b);
    put_blocks(b);
    memcpy(b + TW_VALID, "TRGD", 4);
    put_blobs(b);
    *len = TW_FILE_SIZE;
    return b;
}
