/* SPDX-License-Identifier: MIT */
/* Findings: what the model means for the person triaging the dump. Pure functions of the
 * kernel model and the header's bugcheck; the report renders them with their evidence. */
#ifndef DI_ANALYSIS_FINDINGS_H
#define DI_ANALYSIS_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/an_fault.h"
#include "analysis/an_stacks.h"
#include "nt/nt_model.h"

typedef enum an_severity { AN_SEV_INFO, AN_SEV_LOW, AN_SEV_MEDIUM, AN_SEV_HIGH, AN_SEV_CRITICAL } an_severity;

typedef enum an_kind {
    AN_DEADLOCK,
    AN_ORPHANED_LOCK,
    AN_CONTENTION,
    AN_BUGCHECK_CORRELATION,
    AN_FAULTING_MODULE
} an_kind;

/* Why an owner counts as gone. */
typedef enum an_owner_state {
    AN_OWNER_LIVE,
    AN_OWNER_TERMINATED,   /* CrossThreadFlags.Terminated or State Terminated */
    AN_OWNER_OFF_LIST,     /* a thread, but on no live process's thread list */
    AN_OWNER_NOT_A_THREAD, /* the memory no longer holds a thread */
    AN_OWNER_UNKNOWN       /* the owner cannot be read: nothing is claimed */
} an_owner_state;

#define AN_MAX_CYCLE 16

typedef struct an_finding {
    an_kind kind;
    an_severity severity;
    char summary[512];
    size_t resource;            /* index into model resources (orphan, contention) */
    size_t owner;               /* index into model owners (orphan) */
    an_owner_state owner_state;
    int64_t longest_wait_ms;    /* -1 when unknown */
    size_t cycle_len;           /* deadlock: threads[i] waits on resources[i], owned by threads[i+1] */
    uint64_t cycle_threads[AN_MAX_CYCLE];
    size_t cycle_resources[AN_MAX_CYCLE];
    int param_index;            /* bugcheck correlation: 1..4 */
    const char *param_kind;     /* "thread", "process", "resource" */
    uint64_t param_va;
    const nt_module *module;    /* the module behind this finding, if known */
    const char *stack_reason;   /* lock findings: module came from this stack frame, else NULL */
    uint64_t stack_frame;       /* that frame's function start (or address) */
    uint64_t stack_function;    /* that frame's function start, 0 when .pdata did not say */
    const char *caveat;         /* why the data behind it may be incomplete, or NULL */
} an_finding;

typedef struct an_param_ref {
    const char *kind;           /* NULL when the parameter is none of the model's objects */
    uint64_t va;
    char explanation[160];      /* what the value means for this bugcheck, "" when nothing is known */
} an_param_ref;

/* A candidate return address found by scanning a saved stack (trust "scan"). */
typedef struct an_frame {
    uint64_t sp;                /* where on the stack the value lies */
    uint64_t address;
    const nt_module *module;
} an_frame;

typedef struct an_analysis {
    an_fault fault;             /* the faulting instruction of exception / IRQL bugchecks */
    an_stacker *stacker;        /* walks threads' stacks (NULL for a model without memory) */
    an_frame *scan;             /* the triage dump's saved stack, scanned */
    size_t nscan;
    int scan_truncated;         /* more candidates than AN_MAX_SCAN_FRAMES */
    an_finding *findings;
    size_t nfindings, findings_cap;
    int findings_cut;           /* AN_MAX_FINDINGS was reached: the rest are not listed */
    int edges_cut;              /* AN_MAX_EDGES was reached: deadlocks past it are not searched */
    size_t ambiguous_waiters;   /* threads listed as waiting on more than one resource */
    uint64_t first_ambiguous;
    an_param_ref params[4];
    const nt_module *suspect;   /* NULL when nothing points anywhere */
    const char *suspect_reason; /* what pointed at it */
    char bucket[192];
    uint64_t suspect_function;  /* start of the suspect's function when known, else 0 */
    char windbg_bucket[160];    /* "0xCODE_module!function" when the function has a name, else "" */
    char failure_id_hash[37];   /* WinDbg's FAILURE_ID_HASH of windbg_bucket, else "" */
} an_analysis;

#define AN_MAX_SCAN_FRAMES 4096
/* Bounds on the analysis for any input: findings listed, wait-for graph edges. */
#define AN_MAX_FINDINGS 10000u
#define AN_MAX_EDGES (1u << 20)

/* Analyse the model (its memory interface is used to read the records bugcheck parameters
 * point at and the saved stack). Returns 0, or -1 when out of memory. */
int an_analyze(nt_model *m, uint32_t bugcheck, const uint64_t params[4], an_analysis *out);
void an_analysis_free(an_analysis *a);

const char *an_kind_name(an_kind k);
const char *an_severity_name(an_severity s);
/* Parse "info".."critical"; -1 when unknown. */
int an_severity_parse(const char *s);
const char *an_owner_state_name(an_owner_state s);

/* The state of model owner o (shared by the lock analysis and the report). */
an_owner_state an_owner_state_of(const nt_model *m, const nt_owner *o);
/* The module a thread's start addresses point into (Win32StartAddress preferred). */
const nt_module *an_thread_module(const nt_model *m, const nt_thread *t);

/* WinDbg's FAILURE_ID_HASH of a bucket in WinDbg's form ("0x13C_nt!PspThreadDelete") as
 * lower-case GUID text; -1 when the bucket is empty, too long or not ASCII. */
int an_failure_id_hash(const char *windbg_bucket, char out[37]);

/* Per-kind analyses, one file each. */
int an_find_orphans(const nt_model *m, an_analysis *a);
int an_find_deadlocks(const nt_model *m, an_analysis *a);
int an_find_contention(const nt_model *m, an_analysis *a);
int an_correlate_bugcheck(const nt_model *m, uint32_t code, const uint64_t params[4], an_analysis *a);
void an_choose_suspect(const nt_model *m, uint32_t code, an_analysis *a);
int an_find_faulting_module(const nt_model *m, uint32_t code, const uint64_t params[4], an_analysis *a);
/* Scan [va, va + size) for values inside loaded modules; -1 when out of memory. */
int an_scan_stack(nt_model *m, uint64_t va, uint64_t size, an_analysis *a);
/* Append a zeroed finding; NULL when out of memory or when AN_MAX_FINDINGS is reached
 * (then a->findings_cut is set and the caller stops: an_pass_failed tells the two apart). */
an_finding *an_add_finding(an_analysis *a, an_kind kind, an_severity sev);
/* What a pass returns when an_add_finding gave NULL: -1 out of memory, 0 a bound. */
int an_pass_failed(const an_analysis *a);
/* Why lock findings on resource r rest on partial data, or NULL when they do not. */
const char *an_lock_caveat(const nt_model *m, const nt_resource *r);

#endif
