/* SPDX-License-Identifier: MIT */
/*
 * dumpinspect public API: open a Windows x64 kernel crash dump, read its physical
 * and virtual memory, and build the triage report.
 *
 * Every function returns a di_status; on failure a human-readable message naming
 * the file and the fault is left in the caller's di_error (when one is passed).
 */
#ifndef DUMPINSPECT_H
#define DUMPINSPECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "dumpinspect/version.h"

/* Exported from the shared library; everything else in it is hidden. */
#if defined(_WIN32) && defined(DI_SHARED_BUILD)
#define DI_API __declspec(dllexport)
#elif (defined(__GNUC__) || defined(__clang__)) && !defined(_WIN32)
#define DI_API __attribute__((visibility("default")))
#else
#define DI_API
#endif

/* The library's version ("0.1.0"); may differ from DI_VERSION_STRING when an embedder
 * links a newer library than the header it was built with. */
DI_API const char *di_version(void);

typedef enum di_status {
    DI_OK = 0,
    DI_E_ARG,           /* caller error: bad argument */
    DI_E_NOMEM,         /* allocation failed */
    DI_E_IO,            /* file cannot be opened or read */
    DI_E_FORMAT,        /* the dump is corrupt or malformed */
    DI_E_UNSUPPORTED,   /* a recognised dump kind this tool does not read */
    DI_E_LIMIT,         /* a configured bound was exceeded */
    /* Reasons a memory read fails: */
    DI_E_NONCANONICAL,  /* virtual address is not canonical */
    DI_E_NOT_MAPPED,    /* page tables do not map the address (paged out, demand zero, ...) */
    DI_E_PROTOTYPE,     /* PTE refers to a prototype PTE; the page cannot be resolved offline */
    DI_E_BAD_PTE,       /* a paging entry is malformed or points outside physical memory */
    DI_E_NOT_IN_DUMP,   /* physical page exists but was not captured in the dump */
    DI_E_OUT_OF_FILE,   /* the dump says the page is stored, but the file ends before it */
    DI_E_NOT_CAPTURED   /* a triage dump: the address is in none of its data blocks or copies */
} di_status;

/* Short stable name of a status ("not_in_dump", ...), for messages and JSON. */
DI_API const char *di_status_name(di_status st);

#define DI_ERROR_MAX 512
typedef struct di_error {
    di_status status;
    char message[DI_ERROR_MAX];
} di_error;

typedef struct di_dump di_dump;

/* Bounds on everything a dump can make the tool do. Defaults (di_limits_default) suit
 * real dumps of machines up to a few TiB; a bound that cuts work short leaves a warning in
 * the report. */
typedef struct di_limits {
    uint64_t spool_bytes;          /* decompressed size of a .gz dump (default 64 GiB) */
    uint64_t bitmap_bytes;         /* bitmap held in memory (default 256 MiB = 8 TiB of RAM) */
    uint32_t ranges;               /* RDMP range entries (default 1,048,576) */
    uint64_t pages_read;           /* pages fetched from the file per dump (default 4,194,304) */
    uint64_t model_bytes;          /* memory for the kernel model's tables (default 512 MiB) */
    uint32_t list_steps;           /* entries followed in one list (default 1,000,000) */
    uint32_t processes;            /* default 65,536 */
    uint32_t threads;              /* default 262,144 */
    uint32_t modules;              /* default 4,096 */
    uint32_t resources;            /* default 1,000,000 */
    uint32_t owners_per_resource;  /* default 4,096 */
    uint32_t waiters_per_resource; /* default 4,096 */
    uint32_t lock_entries;         /* owners plus waiters over all resources (default 1,000,000) */
    uint64_t total_steps;          /* list, ring and table entries over the whole model (default 20,000,000) */
} di_limits;

DI_API void di_limits_default(di_limits *l);
/* Set limit `name` (the field name, e.g. "resources") to value; -1 for an unknown name or a
 * zero value. */
DI_API int di_limits_set(di_limits *l, const char *name, uint64_t value);
/* The value of limit `name`; 0 for an unknown name. */
DI_API uint64_t di_limits_get(const di_limits *l, const char *name);
/* The names di_limits_set accepts, NULL-terminated. */
DI_API const char *const *di_limits_names(void);

/* Open a dump file. On failure *out is NULL and err says why. */
DI_API di_status di_open(const char *path, di_dump **out, di_error *err);
/* The same with explicit limits (NULL = defaults). */
DI_API di_status di_open_with(const char *path, const di_limits *limits, di_dump **out, di_error *err);
/* Open a dump already in memory (len bytes at data; no decompression). The memory is
 * borrowed, not copied: keep it valid and unchanged until di_close. name stands in for
 * the path in messages and the report ("<memory>" when NULL). */
DI_API di_status di_open_memory(const void *data, size_t len, const char *name, di_dump **out, di_error *err);
DI_API void di_close(di_dump *d);

/* Progress of a long step (decompressing an archive, copying standard input): bytes written
 * to the temporary copy so far, and done out of total (total 0 when unknown). */
typedef void (*di_progress_fn)(void *ctx, uint64_t bytes, uint64_t done, uint64_t total);

typedef struct di_open_options {
    const di_limits *limits;  /* NULL = defaults */
    const char *member;       /* the zip / CAB member to read; NULL = the single *.dmp inside */
    di_progress_fn progress;  /* NULL = none */
    void *progress_ctx;
} di_open_options;

/* Open a dump with options (opts may be NULL). path NULL reads standard input: in place when
 * it is a regular file, else copied to a temporary file (at most limits->spool_bytes); the
 * report names it "<stdin>". Compressed deliveries (gzip, xz, zstd, bzip2) and zip / CAB
 * archives are recognised by their first bytes and decompressed to a temporary file. An
 * archive with no *.dmp member fails with DI_E_UNSUPPORTED; one with several, or without the
 * member asked for, with DI_E_ARG, the message listing the candidates. */
di_status di_open_ex(const char *path, const di_open_options *opts, di_dump **out, di_error *err);

/* The regular files in folder dir as "dir/name" paths, sorted by name (byte order), for
 * running over a folder of dumps. Release with di_free_list. */
di_status di_list_dir(const char *dir, char ***paths, size_t *count, di_error *err);
void di_free_list(char **paths, size_t count);

/* Create (or truncate) the file at path, a UTF-8 name, for writing in binary mode, so the
 * bytes are the same on every system; on Windows through the wide API, paths beyond 260
 * characters included. NULL with errno set on failure; fclose it. */
FILE *di_fopen_write(const char *path);

/* For progress displays: whether standard error is a terminal (a console on Windows), and a
 * monotonic clock in seconds. */
int di_stderr_is_terminal(void);
double di_monotonic_seconds(void);

/* The libraries this build uses: "zlib 1.2.13, cJSON 1.7.15, libarchive 3.6.2". */
const char *di_dependency_versions(void);

/* Warnings collected while opening (damage that did not prevent use). */
DI_API size_t di_warning_count(const di_dump *d);
DI_API const char *di_warning(const di_dump *d, size_t i);
/* Warning i's code ("kernel_damage", "limit", ...: man dumpinspect-report(5)); NULL past the end. */
DI_API const char *di_warning_code(const di_dump *d, size_t i);
/* Nonzero when a warning says the file (or, once a report was built, the kernel data in
 * it) is truncated or inconsistent: reports built from it are partial. */
DI_API int di_is_damaged(const di_dump *d);

/* The header's DirectoryTableBase with the PCID bits removed. */
DI_API uint64_t di_kernel_cr3(const di_dump *d);

/* Read len bytes of physical memory. All-or-nothing. */
DI_API di_status di_read_physical(di_dump *d, uint64_t pa, void *buf, size_t len, di_error *err);

/* Pass as cr3 to use the header's DirectoryTableBase. */
#define DI_CR3_KERNEL UINT64_MAX

/* Read len bytes of virtual memory, crossing pages as needed. All-or-nothing:
 * on failure err names the first unreadable address and why. */
DI_API di_status di_read_virtual(di_dump *d, uint64_t cr3, uint64_t va, void *buf, size_t len,
                          di_error *err);

/* One level of a page walk, as recorded by di_translate. */
typedef struct di_walk_step {
    const char *level;   /* "pml4e", "pdpte", "pde", "pte" */
    uint64_t entry_pa;   /* physical address of the entry */
    uint64_t entry;      /* its value (valid when read_ok) */
    int read_ok;
} di_walk_step;

typedef struct di_translation {
    di_status status;       /* DI_OK or why the walk failed */
    uint64_t va;
    uint64_t cr3;
    uint64_t pa;            /* valid when status == DI_OK */
    uint64_t page_size;     /* 0x1000, 0x200000 or 0x40000000 */
    int transition;         /* the final PTE is a transition PTE (page still in RAM) */
    int in_dump;            /* the physical page is present in the file */
    unsigned nsteps;
    di_walk_step steps[4];
} di_translation;

/* Walk the page tables for va. Returns the walk's status; *out holds every step read. */
DI_API di_status di_translate(di_dump *d, uint64_t cr3, uint64_t va, di_translation *out, di_error *err);

typedef struct di_report_options {
    int compact;        /* no indentation */
    int all_locks;      /* list every executive resource, not only held ones */
    int all_threads;    /* list every thread, not only those in findings */
    int stacks;         /* list every thread, each with its kernel stack (implies all_threads) */
} di_report_options;

/* Build the JSON report (the kernel model and its analysis are built on first use).
 * *json_out is heap memory; release it with di_free. */
DI_API di_status di_report_json(di_dump *d, const di_report_options *opt, char **json_out, di_error *err);
/* The same JSON handed to write in chunks as it is printed, so memory stays flat however
 * large the report (--all-locks --all-threads on a big dump). write returns 0, or nonzero
 * to stop (the call then fails with DI_E_IO). */
typedef int (*di_write_fn)(void *ctx, const char *data, size_t len);
DI_API di_status di_report_json_write(di_dump *d, const di_report_options *opt, di_write_fn write, void *ctx,
                                      di_error *err);
/* The same facts as a short human summary. */
DI_API di_status di_report_text(di_dump *d, const di_report_options *opt, char **text_out, di_error *err);

/* Finding severities, lowest first. */
typedef enum di_severity {
    DI_SEV_INFO, DI_SEV_LOW, DI_SEV_MEDIUM, DI_SEV_HIGH, DI_SEV_CRITICAL
} di_severity;
/* Parse "info", "low", "medium", "high", "critical"; -1 when unknown. */
DI_API int di_severity_parse(const char *name);
/* The highest severity among the findings of the last report, or -1 when there are none. */
DI_API int di_max_severity(const di_dump *d);

/* "info" .. "critical" for a severity; NULL when out of range. */
const char *di_severity_name(int severity);

/* The facts a dashboard line needs (the model and analysis are built on first use). */
typedef struct di_summary {
    char bucket[192];       /* the report's analysis.bucket */
    int max_severity;       /* the highest finding severity, -1 when there are none */
    char headline[512];     /* the most severe finding's summary, else the bugcheck's name */
} di_summary;
di_status di_report_summary(di_dump *d, di_summary *out, di_error *err);

/* s as a JSON string literal, quotes included, with bytes that are not valid UTF-8 replaced
 * by U+FFFD. Heap memory (di_free); NULL when out of memory. */
char *di_json_quote(const char *s);
/* s with bytes that are not valid UTF-8 replaced by U+FFFD. Heap memory (di_free). */
char *di_utf8_clean(const char *s);

/* JSON for a translation (the `translate` command). */
DI_API di_status di_translation_json(const di_translation *t, int compact, char **json_out, di_error *err);

DI_API void di_free(void *p);

/* What reading cost so far, for benchmarks: distinct page fetches the reader asked for
 * (a page read ahead counts when first used), page-cache hits, positioned reads of the file
 * (a merged batch read counts once), batches that issued several reads together, pages
 * fetched ahead of any request, and how many of those were later used. */
typedef struct di_io_stats {
    uint64_t pages_read;
    uint64_t cache_hits;
    uint64_t file_reads;
    uint64_t read_batches;
    uint64_t pages_read_ahead;
    uint64_t read_ahead_used;
} di_io_stats;
DI_API void di_get_io_stats(const di_dump *d, di_io_stats *out);

/* For benchmarks: every later read from the dump's file first waits usec microseconds (in
 * the thread that issues it), standing for a network share's round trip. */
DI_API void di_simulate_read_latency(di_dump *d, unsigned usec);
/* For benchmarks: turn reading ahead (on virtual misses, and the batches of independent
 * pointers) off (0) or on (default). The report is the same either way. */
DI_API void di_set_read_ahead(di_dump *d, int on);

#ifdef __cplusplus
}
#endif
#endif
