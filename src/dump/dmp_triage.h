/* SPDX-License-Identifier: MIT */
/* A triage ("small memory") dump, DumpType 4: no physical memory, only sections copied by
 * the dying kernel (CONTEXT, exception, KPRCB/EPROCESS/ETHREAD copies, the saved stack, the
 * driver list, the KDBG copy, data blocks that map kernel VAs to file ranges) and, after
 * SizeOfDump, secondary data blobs from bugcheck callbacks. Everything here was bounded and
 * checked against the file while it was parsed; what could not be trusted is absent and
 * named in a damage warning. */
#ifndef DI_DUMP_TRIAGE_H
#define DI_DUMP_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

#include "dumpinspect/dumpinspect.h"

struct dmp_dump;

typedef enum dmp_tsec {
    DMP_TS_CONTEXT,
    DMP_TS_EXCEPTION,
    DMP_TS_MM,
    DMP_TS_UNLOADED,
    DMP_TS_PRCB,
    DMP_TS_PROCESS,
    DMP_TS_THREAD,
    DMP_TS_STACK,
    DMP_TS_DRIVERS,
    DMP_TS_STRINGS,
    DMP_TS_BROKEN,
    DMP_TS_DATAPAGE,
    DMP_TS_DEBUGGER,
    DMP_TS_BLOCKS,
    DMP_TS__COUNT
} dmp_tsec;

typedef struct dmp_tsection {
    uint64_t offset;   /* absolute file offset; 0 = none */
    uint64_t size;     /* bytes the section spans (validated against the file) */
    int flagged;       /* MiniDumpFields marks it valid */
    int usable;        /* inside the file, and read */
} dmp_tsection;

/* Where a virtual address range is served from. */
typedef enum dmp_vsource {
    DMP_VS_BLOCK, DMP_VS_STACK, DMP_VS_DEBUGGER, DMP_VS_PRCB, DMP_VS_THREAD, DMP_VS_PROCESS, DMP_VS_DATAPAGE
} dmp_vsource;

typedef struct dmp_vregion {
    uint64_t va;
    uint64_t size;
    uint64_t file_off;
    dmp_vsource source;
} dmp_vregion;

#define DMP_TRI_NAME_MAX 64
#define DMP_TRI_PATH_MAX 260

typedef struct dmp_tdriver {
    uint64_t base;
    uint32_t size, timestamp, checksum;
    char name[DMP_TRI_NAME_MAX];   /* last path component */
    char path[DMP_TRI_PATH_MAX];   /* as stored, UTF-16 reduced to ASCII ('?' elsewhere) */
} dmp_tdriver;

typedef struct dmp_tunloaded {
    char name[DMP_TRI_NAME_MAX];
    uint64_t start, end;
} dmp_tunloaded;

typedef struct dmp_tblob {
    uint8_t tag[16];               /* GUID as stored */
    uint64_t offset;               /* file offset of the data */
    uint32_t size;
    char text[32];                 /* leading printable text of the data, "" when none */
} dmp_tblob;

typedef struct dmp_triage {
    uint8_t hdr[0x80];             /* the raw TRIAGE_DUMP64 */
    uint32_t fields;               /* MiniDumpFields (0 when the header holds the fill) */
    uint32_t size_of_dump, valid_offset;
    uint64_t data_end;             /* end of the triage data the file holds (SizeOfDump or less) */
    int valid_tag;                 /* "TRGD" found at ValidOffset */
    uint64_t top_of_stack;
    dmp_tsection sec[DMP_TS__COUNT];
    uint32_t mm_version, mm_size;  /* DUMP_MM_STORAGE64 header, when present */
    dmp_vregion *blocks;           /* data blocks, sorted by VA, non-overlapping */
    size_t nblocks;
    uint32_t blocks_declared;      /* DataBlocksCount as stored */
    dmp_vregion extra[6];          /* stack, KDBG, data page, KPRCB/ETHREAD/EPROCESS copies */
    size_t nextra;
    dmp_tdriver *drivers;
    size_t ndrivers;
    uint32_t drivers_declared;
    int have_broken;               /* the broken-driver entry was read */
    dmp_tdriver broken;            /* the driver the bugcheck blamed, when the writer named one */
    dmp_tunloaded *unloaded;
    size_t nunloaded;
    uint64_t unloaded_declared;
    int have_blobs;                /* "DumpBlob" secondary data follows SizeOfDump */
    uint32_t blob_build;           /* its u32 0xF000xxxx build word */
    dmp_tblob *blobs;
    size_t nblobs;
    uint64_t prcb_va, thread_va, process_va; /* VAs of the copies; 0 when unknown */
    uint32_t processor;            /* the copied KPRCB's Number (valid when prcb copy usable) */
} dmp_triage;

/* Parse the triage sections of d (called by dmp_open for DumpType 4). Fails only when the
 * TRIAGE_DUMP64 header itself is missing; damaged sections become warnings. */
di_status dmp_parse_triage(struct dmp_dump *d, di_error *err);
void dmp_triage_free(dmp_triage *t);

/* Section names for messages and the report ("context", "prcb", ...). */
const char *dmp_tsec_name(dmp_tsec s);
const char *dmp_vsource_name(dmp_vsource s);

/* The parts parse_triage calls, one file each. */
void dmp_triage_read_lists(struct dmp_dump *d);   /* drivers, unloaded drivers */
void dmp_triage_read_blocks(struct dmp_dump *d);  /* data blocks, stack, KDBG, copies */
void dmp_triage_read_blobs(struct dmp_dump *d);   /* secondary data after SizeOfDump */

/* Read len bytes of kernel virtual memory from the triage dump's captured ranges;
 * all-or-nothing, DI_E_NOT_CAPTURED naming the first address no range covers. */
di_status dmp_triage_read_va(struct dmp_dump *d, uint64_t va, void *buf, size_t len, di_error *err);
/* The region that holds va, or NULL. */
const dmp_vregion *dmp_triage_region_at(const dmp_triage *t, uint64_t va);

#endif
