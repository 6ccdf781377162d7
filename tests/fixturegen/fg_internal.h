/* SPDX-License-Identifier: MIT */
/* Shared state of the generator's modules. Not for tests: they use fg.h. */
#ifndef FG_INTERNAL_H
#define FG_INTERNAL_H

#include "fg.h"

#include <stddef.h>
#include <stdint.h>

#define FG_PAGE 0x1000u
#define FG_PAGE_SHIFT 12
#define FG_PAGES_2M 512u
#define FG_PAGES_1G 0x40000u
#define FG_HEADER_SIZE 0x2000u
#define FG_MAX_RUNS 42u
#define FG_TYPE_TRIAGE 4u

/* Hardware and Windows software PTE bits (dump-format.md section 5). */
#define FG_PTE_P 0x1ull
#define FG_PTE_RW 0x2ull
#define FG_PTE_US 0x4ull
#define FG_PTE_A 0x20ull
#define FG_PTE_D 0x40ull
#define FG_PTE_PS 0x80ull
#define FG_PTE_G 0x100ull
#define FG_PTE_PROTOTYPE 0x400ull
#define FG_PTE_TRANSITION 0x800ull
#define FG_PTE_NX (1ull << 63)
#define FG_PTE_FRAME 0x000FFFFFFFFFF000ull
#define FG_PTE_FRAME_2M 0x000FFFFFFFE00000ull
#define FG_PTE_FRAME_1G 0x000FFFFFC0000000ull
#define FG_PTE_PROT_RW (4ull << 5) /* MM_READWRITE in the software protection field */
#define FG_SELFMAP_INDEX 0x1EDu

/* Flags of a physical extent. */
#define FG_X_INDUMP 1u  /* captured in the dump */
#define FG_X_PATTERN 2u /* default content is fg_pattern_byte, else zeros */

typedef struct fg_extent {
    uint64_t pfn;
    uint64_t count;
    unsigned flags;
} fg_extent;

/* Materialised pages: open addressing on PFN (key pfn+1, 0 = empty slot). */
typedef struct fg_store {
    uint64_t *keys;
    uint8_t **pages;
    size_t cap;
    size_t used;
} fg_store;

typedef struct fg_maprec {
    uint64_t va;
    uint64_t pa;
    uint64_t bytes; /* direct windows only */
    fg_kind kind;
    int in_dump;
    int direct;
} fg_maprec;

typedef struct fg_writerec {
    uint64_t va;
    uint64_t len;
} fg_writerec;

/* What a triage dump copies (fg_triage.c); the strings and blob data are malloc'd. */
typedef struct fg_tdriver {
    uint64_t base;
    uint32_t size, checksum, timestamp;
    char *path;
} fg_tdriver;

typedef struct fg_tunloaded {
    char *name;
    uint64_t start, end;
} fg_tunloaded;

typedef struct fg_tblock {
    uint64_t va, size;
} fg_tblock;

typedef struct fg_tblob {
    uint8_t guid[16];
    uint8_t *data;
    uint32_t size;
} fg_tblob;

typedef struct fg_triage {
    int has_core;
    fg_triage_core core;
    fg_tdriver *drv;
    size_t n_drv, cap_drv;
    fg_tunloaded *unl;
    size_t n_unl, cap_unl;
    fg_tblock *blk;
    size_t n_blk, cap_blk;
    fg_tblob *blob;
    size_t n_blob, cap_blob;
} fg_triage;

struct fg_dump {
    fg_config cfg;
    char err[320];
    fg_store store;
    fg_extent *ext; /* sorted by pfn, never overlapping */
    size_t n_ext, cap_ext;
    uint64_t sparse_pages;
    uint64_t bump_pfn;   /* next PFN of the chunked bump allocator */
    uint64_t chunk_left; /* pages left in the current chunk */
    unsigned chunk_no;
    uint64_t absent_next, absent_left; /* current block of uncaptured pages (normal mode) */
    unsigned absent_blocks;
    uint64_t pml4_pa;
    uint64_t leaf_seq;   /* varies the software bits of leaf entries */
    uint64_t table_seq;  /* varies the bits of table entries */
    uint64_t kva_next, kva_mapped_end;
    fg_maprec *maps;
    size_t n_maps, cap_maps;
    fg_writerec *writes;
    size_t n_writes, cap_writes;
    fg_triage triage;
};

/* A physical range as stored in the file: `index` = page index of pfn inside the data area. */
typedef struct fg_range {
    uint64_t pfn;
    uint64_t count;
    uint64_t index;
} fg_range;

typedef struct fg_layout {
    fg_range *r;          /* stored ranges, ascending */
    size_t n;
    uint64_t total_pages;
    uint64_t data_off;    /* file offset of the first stored page */
    uint64_t file_size;
    uint8_t *meta;        /* bytes at file 0x2000 (bitmap / RDMP header), may be NULL */
    size_t meta_len;
    fg_range *runs;       /* PhysicalMemoryBlock runs, <= 42 */
    size_t n_runs;
    uint32_t minidump_fields; /* header MiniDumpFields (triage sections present), else 0 */
} fg_layout;

/* fg_config.c */
int fg_fail(fg_dump *d, int status, const char *fmt, ...) FG_PRINTF(3, 4);
void *fg_grow(void *arr, size_t *cap, size_t need, size_t elem);

/* fg_store.c */
uint8_t *fg_store_get(const fg_store *s, uint64_t pfn);
int fg_store_put(fg_store *s, uint64_t pfn, uint8_t *page);
void fg_store_free(fg_store *s);

/* fg_phys.c */
uint64_t fg_phys_alloc(fg_dump *d, uint64_t npages, uint64_t align, unsigned flags);
uint64_t fg_phys_alloc_1g(fg_dump *d);
uint64_t fg_phys_alloc_absent(fg_dump *d);
const fg_extent *fg_extent_find(const fg_dump *d, uint64_t pfn);
int fg_pfn_in_dump(const fg_dump *d, uint64_t pfn);
int fg_pfn_known(const fg_dump *d, uint64_t pfn);
int fg_range_has_uncaptured(const fg_dump *d, uint64_t pfn, uint64_t count);
uint8_t *fg_page(fg_dump *d, uint64_t pfn); /* materialises; NULL if unknown PFN / no memory */
uint64_t fg_phys_u64(const fg_dump *d, uint64_t pa);
int fg_phys_set_u64(fg_dump *d, uint64_t pa, uint64_t v);

/* fg_ranges.c */
int fg_present_ranges(const fg_dump *d, fg_range **out, size_t *n);
int fg_machine_runs(const fg_dump *d, fg_range **out, size_t *n);
int fg_merge_to(fg_range **r, size_t *n, size_t max, const fg_dump *d_guard);
int fg_split_ranges(fg_range **r, size_t *n, uint64_t max_count);
void fg_index_ranges(fg_range *r, size_t n, uint64_t *total);

/* fg_layout_*.c */
int fg_layout_full(fg_dump *d, fg_layout *L);
int fg_layout_bitmap(fg_dump *d, fg_layout *L);
int fg_layout_rdmp(fg_dump *d, fg_layout *L);
void fg_layout_free(fg_layout *L);
int fg_layout_offset(const fg_layout *L, uint64_t pfn, uint64_t *off);

/* fg_triage.c, fg_triage_blocks.c, fg_triage_emit.c */
void fg_triage_free(fg_triage *t);
/* The data blocks to write: sorted, merged, cut to readable memory. *out is malloc'd. */
int fg_triage_blocks_final(fg_dump *d, fg_tblock **out, size_t *n);
int fg_triage_emit(fg_dump *d, const char *path, const char *manifest_path);

/* fg_header.c */
void fg_header_build(const fg_dump *d, const fg_layout *L, uint8_t *hdr);

/* fg_manifest.c */
int fg_manifest_write(fg_dump *d, const fg_layout *L, const char *path);
int fg_record_map(fg_dump *d, uint64_t va, uint64_t pa, uint64_t bytes, fg_kind kind, int in_dump,
                  int direct);

/* fg_os.c: the only file that talks to the operating system. */
typedef struct fg_file fg_file;
fg_file *fg_os_create(const char *path, uint64_t size, char *err, size_t errlen);
int fg_os_pwrite(fg_file *f, const void *buf, size_t len, uint64_t off, char *err, size_t errlen);
int fg_os_close(fg_file *f, char *err, size_t errlen);

#endif
