/* SPDX-License-Identifier: MIT */
/* fixturegen: a builder that writes synthetic Windows x64 kernel crash dumps (PAGEDU64) with real
 * 4-level page tables, so the reader can be tested against files whose every byte is known.
 *
 * It shares no parsing code with the reader (src/): everything here is written from
 * shared/reference/dump-format.md, so a misunderstanding cannot hide on both sides.
 *
 * Physical memory model
 *   - PFN 0 is never allocated. Generator pages start at PFN 0x100 and are handed out in chunks
 *     separated by gaps of missing PFNs, so run lists, RDMP ranges and bitmaps have holes.
 *   - Data pages (FG_4K, FG_2M, FG_TRANSITION, FG_ABSENT, fg_alloc_kva) start filled with
 *     fg_pattern_byte(pa) (fg_pattern.h). Page-table pages hold entries (zero elsewhere).
 *   - Pages of FG_1G mappings, of sparse physical memory that the generator never allocated, and
 *     of pages reached only through fg_map_direct windows read back as ZEROS unless written:
 *     they are holes in the output file (created with ftruncate, never written).
 *   - Bytes written with fg_write / fg_write_phys override both.
 *
 * Sparse mode (fg_config.sparse_phys_bytes = N > 0): every PFN in [0, N/4096) is present in the
 * dump (RDMP types omit PFN 0, which readers treat as a terminator); the generator's own pages live
 * inside that range; pages FG_ABSENT hands out live above it. The file has its full logical size
 * but only header, metadata, page tables and written/pattern pages occupy disk.
 *
 * Errors: functions returning int give FG_OK (0) or a negative fg_status; fg_error(d) then holds a
 * message naming what was wrong. Functions returning an address give 0 on failure.
 */
#ifndef FG_H
#define FG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* printf-style checking of the generator's message builders: gnu_printf on mingw-w64, whose
 * C99 printf the build selects (__USE_MINGW_ANSI_STDIO); plain printf means msvcrt's there. */
#if defined(__MINGW_PRINTF_FORMAT)
#define FG_PRINTF(a, b) __attribute__((format(__MINGW_PRINTF_FORMAT, a, b)))
#elif defined(__GNUC__) || defined(__clang__)
#define FG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FG_PRINTF(a, b)
#endif

typedef enum fg_status {
    FG_OK = 0,
    FG_E_ARG = -1,        /* bad argument (alignment, range, unknown kind) */
    FG_E_NOMEM = -2,
    FG_E_CONFLICT = -3,   /* the VA is already mapped */
    FG_E_UNMAPPED = -4,   /* no frame behind the VA (never mapped, not present, prototype) */
    FG_E_NOTINDUMP = -5,  /* the frame exists but its page is not captured in the dump */
    FG_E_IO = -6,
    FG_E_LIMIT = -7       /* a format or physical-space limit was reached */
} fg_status;

typedef enum fg_kind {
    FG_4K,          /* present 4 KiB PTE, page in the dump, pattern-filled */
    FG_2M,          /* PDE with PS; 2 MiB-aligned PA; all 512 pages in the dump, pattern-filled */
    FG_1G,          /* PDPTE with PS; 1 GiB-aligned PA; whole GiB in the dump, zero unless written */
    FG_TRANSITION,  /* PTE P=0, bit 11 (transition) = 1, bit 10 = 0, frame valid, page in the dump */
    FG_PROTOTYPE,   /* PTE P=0, bit 10 (prototype) = 1; no frame */
    FG_NOTPRESENT,  /* PTE P=0, T=0: demand-zero or page-file software PTE; no frame */
    FG_ABSENT       /* present 4 KiB PTE whose physical page is NOT in the dump */
} fg_kind;

#define FG_KIND_COUNT 7

/* x64 CONTEXT registers written into the header (ContextFlags 0x0010001F). */
typedef struct fg_context {
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip;
    uint64_t dr0, dr1, dr2, dr3, dr6, dr7;
    uint32_t eflags;
    uint32_t mxcsr; /* written at CONTEXT+0x34 and +0x118 (readers check they are equal) */
    uint16_t cs, ds, es, fs, gs, ss;
} fg_context;

/* EXCEPTION_RECORD64 written at header 0xF00. */
typedef struct fg_exception {
    uint32_t code;
    uint32_t flags;
    uint64_t record;  /* chained record VA */
    uint64_t address;
    uint32_t nparams; /* <= 15 */
    uint64_t params[15];
} fg_exception;

typedef struct fg_config {
    uint32_t dump_type;     /* 1, 4 (triage), 5, 6, 8, 9, 10 */
    uint32_t major_version; /* 0xF */
    uint32_t build;         /* MinorVersion, e.g. 19041 */
    uint32_t machine;       /* 0x8664 */
    uint32_t processors;
    uint32_t bugcheck_code;
    uint64_t bugcheck_params[4];
    uint64_t kdbg_va;
    uint64_t ps_loaded_module_list;
    uint64_t ps_active_process_head;
    uint64_t pfn_database;
    uint64_t system_time;   /* FILETIME */
    uint64_t system_uptime; /* 100 ns units */
    uint32_t product_type;
    uint32_t suite_mask;
    uint32_t attributes;    /* DUMP_FILE_ATTRIBUTES; 0 by default (the PAGE fill would set bit 8) */
    uint32_t boot_id;
    uint8_t kd_secondary_version; /* 2 = current AMD64 CONTEXT layout */
    uint32_t dtb_pcid;      /* low 12 bits ORed into the header DirectoryTableBase (default 2) */
    char comment[128];      /* NUL-terminated; empty = Comment zeroed */
    fg_context context;
    fg_exception exception;
    uint64_t sparse_phys_bytes; /* 0 = normal mode; else multiple of 2 MiB */
    uint64_t kva_base;          /* start of the fg_alloc_kva region */
} fg_config;

typedef struct fg_dump fg_dump;

/* What fg_lookup found for a VA. */
typedef struct fg_xlate {
    fg_kind kind;
    uint64_t pa;      /* physical address of the byte (0 for prototype / notpresent) */
    uint64_t pte;     /* the leaf entry as stored */
    int in_dump;      /* 1 if the page at pa is captured in the dump */
} fg_xlate;

/* Fills every field with the defaults (type 6, build 19041, 4 CPUs, bugcheck 0xE2, ...). */
void fg_config_default(fg_config *cfg);

/* cfg NULL = defaults. The config is copied. Returns NULL on bad config or no memory. */
fg_dump *fg_new(const fg_config *cfg);
void fg_free(fg_dump *d);

/* Last error message (never NULL). */
const char *fg_error(const fg_dump *d);

/* The live config: header fields may be changed until fg_emit (e.g. kdbg_va after building the
 * KDBG). Changing sparse_phys_bytes or kva_base after fg_new has no effect. */
fg_config *fg_config_of(fg_dump *d);

/* Physical address of the PML4 (the header holds it ORed with dtb_pcid). */
uint64_t fg_dtb(const fg_dump *d);

/* Maps npages pages of `kind` at va (aligned to the page size of the kind; npages counts 2 MiB
 * pages for FG_2M and 1 GiB pages for FG_1G). Fresh physical pages are allocated. */
int fg_map(fg_dump *d, uint64_t va, uint64_t npages, fg_kind kind);

/* Maps the window [va, va+bytes) onto the existing physical range [pa, pa+bytes) with pages of
 * `kind` (FG_4K up to 1 GiB of window, FG_2M, FG_1G). Nothing is allocated except page tables;
 * pages read back as whatever the physical page holds (zeros for unallocated sparse memory).
 * Only the pages inside the dump's present ranges are readable. */
int fg_map_direct(fg_dump *d, uint64_t va, uint64_t pa, uint64_t bytes, fg_kind kind);

/* Allocates one fresh pattern-filled physical page, captured in the dump or not. Returns its PA. */
uint64_t fg_alloc_phys(fg_dump *d, int in_dump);

/* Bump allocator in the kernel VA region at cfg.kva_base: maps fresh FG_4K pages on demand.
 * align is a power of two (0 = 16). Memory starts as the pattern. Returns the VA. */
uint64_t fg_alloc_kva(fg_dump *d, uint64_t size, uint64_t align);

/* Virtual writes/reads; may cross pages. Every touched page must have a frame that is in the dump
 * (4k, 2m, 1g, transition, direct windows), else FG_E_UNMAPPED / FG_E_NOTINDUMP and nothing is
 * written. fg_write is recorded in the manifest. */
int fg_write(fg_dump *d, uint64_t va, const void *bytes, size_t len);
int fg_write_u64(fg_dump *d, uint64_t va, uint64_t v);
int fg_write_u32(fg_dump *d, uint64_t va, uint32_t v);
int fg_write_u16(fg_dump *d, uint64_t va, uint16_t v);
int fg_write_u8(fg_dump *d, uint64_t va, uint8_t v);
int fg_fill(fg_dump *d, uint64_t va, uint8_t byte, size_t len);
int fg_read(const fg_dump *d, uint64_t va, void *out, size_t len);

/* Physical writes/reads of any allocated or sparse-range page (need not be in the dump). */
int fg_write_phys(fg_dump *d, uint64_t pa, const void *bytes, size_t len);
int fg_read_phys(const fg_dump *d, uint64_t pa, void *out, size_t len);

/* 1 if the page holding pa is captured in the dump. (A type 1 dump with more than 42 ranges also
 * captures the never-allocated gap pages it merges runs across; they read as zeros.) */
int fg_phys_in_dump(const fg_dump *d, uint64_t pa);

/* Walks the generator's own page tables. fg_translate: FG_OK and *pa when the VA has a frame
 * (4k, 2m, 1g, transition, absent), else FG_E_UNMAPPED. fg_lookup also describes software PTEs
 * (prototype, notpresent) and returns FG_E_UNMAPPED only when no leaf entry exists. */
int fg_translate(const fg_dump *d, uint64_t va, uint64_t *pa);
int fg_lookup(const fg_dump *d, uint64_t va, fg_xlate *out);

/* Writes the dump (and the manifest when manifest_path is not NULL). May be called again. */
int fg_emit(fg_dump *d, const char *path, const char *manifest_path);

/* Byte images of the records (dump-format.md 3.1, 3.3): the header's, and those a scenario puts
 * in memory (fault records). The CONTEXT gets ContextFlags 0x0010001F and MxCsr at both places. */
#define FG_CONTEXT_SIZE 0x4D0u
#define FG_EXCEPTION_SIZE 0x98u
void fg_context_bytes(const fg_context *c, uint8_t out[FG_CONTEXT_SIZE]);
void fg_exception_bytes(const fg_exception *e, uint8_t out[FG_EXCEPTION_SIZE]);

/* Triage dumps (dump_type 4, dump-format.md 2.3). A triage file holds no physical pages: fg_emit
 * copies sections out of the dump's virtual memory (only pages captured in the dump can be
 * copied). What to copy is declared here, normally by a kernel world (fg_world.h); fg_emit of a
 * type 4 dump fails until fg_triage_set has been called. Layout: fg_triage_emit.c. */
typedef struct fg_triage_core {
    uint64_t prcb_va;    /* the crashing processor's KPRCB */
    uint32_t prcb_size;
    uint64_t process_va; /* its current thread's EPROCESS */
    uint32_t process_size;
    uint64_t thread_va;  /* its current thread's ETHREAD */
    uint32_t thread_size;
    uint64_t stack_lo;   /* TopOfStack: the rsp at the bugcheck (the lowest saved address) */
    uint64_t stack_hi;   /* the stack's top; the copy stops there, at 0x3000 bytes, or at the
                            first byte that cannot be read */
    uint64_t kdbg_va;    /* KDDEBUGGER_DATA64 copy; 0 = none */
    uint32_t kdbg_size;
} fg_triage_core;

int fg_triage_set(fg_dump *d, const fg_triage_core *core);
/* One DUMP_DRIVER_ENTRY64 and its DUMP_STRING (the module's full path), in call order. */
int fg_triage_driver(fg_dump *d, uint64_t base, uint32_t size, uint32_t checksum,
                     uint32_t timestamp, const char *path);
/* One DUMP_UNLOADED_DRIVERS64 entry. Any dump type may record them; only triage files keep them. */
int fg_triage_unloaded(fg_dump *d, const char *name, uint64_t start, uint64_t end);
/* Memory to keep as TRIAGE_DATA_BLOCKs. Overlapping and touching ranges are merged, the result
 * is sorted by VA and cut to the readable (captured) pages. */
int fg_triage_block(fg_dump *d, uint64_t va, uint64_t size);
/* A secondary-data blob after SizeOfDump ("DumpBlob" trailer); none = no trailer. */
int fg_triage_blob(fg_dump *d, const uint8_t guid[16], const void *data, uint32_t size);

/* "4k", "2m", "1g", "transition", "prototype", "notpresent", "absent"; parse returns -1 if unknown. */
const char *fg_kind_name(fg_kind kind);
int fg_kind_parse(const char *name, fg_kind *out);

#endif
