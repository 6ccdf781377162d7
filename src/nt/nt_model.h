/* SPDX-License-Identifier: MIT */
/* The Windows kernel model of one dump: processes, threads, modules, executive resources,
 * processors and clocks, read through the build's offset profile. Everything here was
 * validated as it was read; what could not be trusted became a warning instead. */
#ifndef DI_NT_MODEL_H
#define DI_NT_MODEL_H

#include <stdint.h>

#include "dump/dmp_dump.h"
#include "nt/nt_ctx.h"
#include "nt/nt_kdbg.h"

#define NT_NAME_MAX 64
#define NT_PATH_MAX 260

/* A process's name: the last component of the image path SeAuditProcessCreationInfo names,
 * else ImageFileName. Windows file names have at most 255 characters; longer ones are cut
 * here (the name is for people and buckets, not for opening files). */
#define NT_PROCESS_NAME_MAX 256
#define NT_SHORT_NAME_MAX 16            /* EPROCESS.ImageFileName: 15 bytes and our NUL */
#define NT_AUDIT_NAME_MAX_BYTES 2048u   /* the longest audit image path read (UTF-16 bytes) */

/* How a process was found. */
typedef enum nt_process_source {
    NT_PROCESS_FROM_LIST,         /* on PsActiveProcessHead */
    NT_PROCESS_FROM_IDLE_THREAD,  /* the process of a processor's idle thread (Idle, pid 0) */
    NT_PROCESS_FROM_TRIAGE_COPY   /* the EPROCESS copy of a triage dump */
} nt_process_source;

typedef struct nt_process {
    uint64_t va;
    uint64_t pid, parent_pid;
    char name[NT_PROCESS_NAME_MAX];     /* the full image file name, else short_name */
    char short_name[NT_SHORT_NAME_MAX]; /* ImageFileName, as the kernel truncated it */
    nt_process_source source;
    uint64_t create_time, exit_time;  /* FILETIME; exit_time 0 while alive */
    int exiting, deleted;
    uint32_t active_threads;           /* the kernel's count */
    uint32_t threads_found;            /* threads the walk found */
    uint64_t dtb;
} nt_process;

/* nt_thread.absent: counters the build's ETHREAD lacks (10240/10586 have no I/O QoS
 * counters); the value is then unknown, not 0. */
#define NT_THREAD_NO_IO_QOS_BOOST_COUNT    0x1u
#define NT_THREAD_NO_IO_QOS_THROTTLE_COUNT 0x2u

typedef struct nt_thread {
    uint64_t va;
    uint64_t tid, pid;
    uint64_t process_va;
    int32_t state, wait_reason, wait_mode;
    uint32_t wait_time;                /* tick count when the wait began */
    uint32_t kernel_time, user_time;   /* ticks */
    uint32_t context_switches;
    int terminated_flag;               /* ETHREAD.CrossThreadFlags.Terminated */
    int system_thread;
    uint64_t create_time, exit_time;
    uint64_t start_address, win32_start_address;
    uint32_t io_boost_count, io_qos_boost_count, io_qos_throttle_count;
    unsigned absent;                   /* NT_THREAD_NO_*: fields this build does not have */
    uint64_t wait_object;              /* first wait block's object, 0 if none */
    uint64_t teb;
    int on_list;                       /* found on a live process's thread list */
    int valid;                         /* DISPATCHER_HEADER.Type says thread */
} nt_thread;

typedef struct nt_module {
    uint64_t base;
    uint32_t size, timestamp, checksum;
    char name[NT_NAME_MAX];
    char path[NT_PATH_MAX];
} nt_module;

/* What reading a thread pointer found. */
typedef enum nt_probe {
    NT_PROBE_THREAD,       /* a valid thread record exists in the model */
    NT_PROBE_UNREADABLE,   /* missing, zeroed or damaged: nothing can be said */
    NT_PROBE_NOT_THREAD,   /* the memory holds another kind of object (freed and reused) */
    NT_PROBE_NONE          /* no thread pointer (an owner cookie) */
} nt_probe;

typedef struct nt_owner {
    uint64_t raw;          /* OwnerThread as stored */
    uint64_t thread;       /* decoded thread address, 0 for an opaque owner cookie */
    nt_probe probe;
    uint32_t count;
    int io_boosted, referenced;
    int qos_boosted;       /* -1: OWNER_ENTRY has no IoQoSPriorityBoosted bit in this build */
    uint32_t thread_at;    /* where thread was in threads[] (a hint, checked: nt_owner_thread) */
} nt_owner;

/* How a waiter was found. */
typedef enum nt_waiter_source {
    NT_WAITER_FROM_RING,           /* its wait entry in the resource's ring names it (17763 on) */
    NT_WAITER_FROM_EVENT_WAIT_LIST, /* a wait block on the wait list of an event the resource's
                                      structure leads to (10240..17134) */
    NT_WAITER_FROM_THREAD_WAIT     /* only its own WrResource wait on such an event: the
                                      resource's structure does not name it */
} nt_waiter_source;

typedef struct nt_waiter {
    uint64_t thread;
    nt_probe probe;
    uint32_t thread_at;    /* where thread was in threads[] (a hint, checked: nt_waiter_thread) */
    uint64_t entry;        /* the wait entry on the waiter's stack; the pool event for the
                              exclusive waiters of 10240..14393 */
    uint64_t event;        /* the event it waits on */
    int exclusive;
    nt_waiter_source found_via;
    /* Found both ways: the resource's structure leads to it, and the thread waits (WrResource)
     * on that event. */
    int confirmed;
} nt_waiter;

/* One executive resource. Kept small (48 bytes): a dump may hold millions, and the model
 * holds them all. */
typedef struct nt_resource {
    uint64_t va;
    uint32_t first_owner, nowners;    /* into nt_model.owners */
    uint32_t first_waiter, nwaiters;  /* into nt_model.waiters */
    uint32_t active_entries, contention_count;
    uint32_t shared_waiters_count, exclusive_waiters_count; /* the resource's own counters */
    uint16_t flag;
    int16_t active_count;
    unsigned held : 1, exclusive : 1;
    unsigned fast : 1;              /* a FAST_ERESOURCE (Flag 0x01 and an owner list); not decoded */
    unsigned damaged : 1;           /* owners or waiters could not all be read, or its fields disagree
                                     * (the warnings say what) */
    /* Its waiters are unknown (listed as null, not as the nwaiters found): 10240's shared wait
     * entries have no layout in the data. */
    unsigned waiters_unknown : 1;
    /* Every consistency check passed: Flag bits, ActiveCount/ActiveEntries against the owners
     * found (an exclusive resource has exactly one owner entry with a nonzero count), the waiter
     * counters against the rings found. 0 when damaged or a limit cut the reading short. */
    unsigned validated : 1;
} nt_resource;

typedef struct nt_processor {
    uint32_t index;
    uint64_t prcb;
    uint64_t current_thread;
    uint64_t idle_thread;              /* KPRCB.IdleThread */
} nt_processor;

typedef struct nt_kernel_image {
    uint64_t base;
    int have_image;        /* a PE image was found at base */
    uint32_t size, timestamp, checksum;
    int have_codeview;
    char pdb_name[NT_PATH_MAX];
    uint8_t guid[16];
    uint32_t age;
} nt_kernel_image;

typedef struct nt_clock {
    int valid;
    uint64_t tick_count;
    uint32_t tick_multiplier;  /* ms = ticks * multiplier >> 24 */
    int64_t time_zone_bias;    /* 100 ns units */
    uint64_t system_time, interrupt_time;
    uint32_t nt_build_number;
} nt_clock;

/* Which ntoskrnl file this is: its PE TimeDateStamp + SizeOfImage looked up in the bundled
 * version table (nt_kernel_versions.h). */
typedef struct nt_kernel_ident {
    int have_stamp;          /* a timestamp and size were found */
    uint32_t timestamp, size;
    int known;               /* the table lists them: version is exact */
    uint16_t version[4];     /* 10, 0, 19041, 804 */
    char text[24];           /* "10.0.19041.804", "" when unknown */
} nt_kernel_ident;

/* How a walk ended, for the report. */
typedef struct nt_walk_note {
    const char *what;      /* "processes", ... */
    uint32_t visited;
    int complete;
} nt_walk_note;

typedef struct nt_model {
    nt_ctx ctx;
    uint32_t build;
    nt_kdbg kdbg;
    uint64_t ps_active_process_head, ps_loaded_module_list, exp_system_resources_list;
    nt_kernel_image kernel;
    nt_kernel_ident ident;
    nt_profile_choice profile;   /* ctx.prof points at profile.prof when a profile applies */
    nt_clock clock;
    nt_process *processes;
    size_t nprocesses, processes_cap;
    nt_thread *threads;      /* sorted by va up to nsorted; added threads wait for a sort */
    size_t nthreads, nsorted, threads_cap;
    nt_module *modules;
    size_t nmodules;
    nt_resource *resources;  /* every resource walked, in list order */
    size_t nresources;
    nt_owner *owners;
    size_t nowners;
    nt_waiter *waiters;
    size_t nwaiters;
    nt_processor *processors;
    size_t nprocessors;
    int processes_complete, modules_complete, resources_complete;
    /* Every thread list of every listed process was walked to its end (and the process list
     * was complete): a thread missing from the lists is then really off-list. */
    int threads_complete;
    /* Entries on ExpSystemResourcesList that failed validation as ERESOURCEs (another object
     * type, garbage): not in resources[]; one damage warning names the first. */
    uint32_t resources_rejected;
    uint64_t first_rejected_resource;
    uint32_t machine;                /* the header's MachineImageType */
    uint64_t saved_stack_va, saved_stack_size; /* a triage dump's saved stack, 0 when none */
    size_t *proc_by_va, *proc_by_pid; /* positions in processes, sorted (nt_index.c) */
    /* The sorted threads' addresses side by side (nt_model_sort_threads): nt_model_thread's
     * binary search then touches 8 bytes per step, not a thread record. NULL: search the
     * records (models built by hand). */
    uint64_t *thread_vas;
    size_t nthread_vas;
    size_t nproc_index;               /* processes the index covers; lookups scan until it is all */
    size_t *mod_by_base;              /* positions in modules, sorted by base */
    size_t nmod_index;
    int triage;                      /* built from a triage dump's copies, not from lists */
    const char *resources_unavailable; /* why executive resources are not listed at all, or NULL */
    int profile_rejected;            /* the KDBG's published offsets contradicted the profile */
    unsigned kdbg_offsets_checked;   /* published offsets compared with the profile (all agreed) */
} nt_model;

/* Build the model. Without a profile for the header's build only the warning is recorded.
 * Never fails on damaged data; returns DI_E_NOMEM only. */
di_status nt_model_build(nt_model *m, mm_space *mm, const dmp_dump *dmp, const nt_limits *limits,
                         di_strlist *warnings);
void nt_model_free(nt_model *m);

const nt_thread *nt_model_thread(const nt_model *m, uint64_t va);
/* The same, trying position hint first: the analysis looks owners' and waiters' threads up
 * many times, and their positions are noted once (nt_model_note_lock_threads). A wrong or
 * stale hint only costs the search. */
const nt_thread *nt_model_thread_at(const nt_model *m, uint64_t va, uint32_t hint);
#define nt_owner_thread(m, o) nt_model_thread_at((m), (o)->thread, (o)->thread_at)
#define nt_waiter_thread(m, w) nt_model_thread_at((m), (w)->thread, (w)->thread_at)
/* Note where every owner's and waiter's thread is in threads[] (after the last sort). */
void nt_model_note_lock_threads(nt_model *m);
const nt_process *nt_model_process(const nt_model *m, uint64_t va);
const nt_process *nt_model_process_by_pid(const nt_model *m, uint64_t pid);
const nt_resource *nt_model_resource(const nt_model *m, uint64_t va);
/* The module containing addr, or NULL. */
const nt_module *nt_model_module_at(const nt_model *m, uint64_t addr);
/* Wait age in ms for a Waiting thread; -1 when unknown or not waiting. */
int64_t nt_model_wait_ms(const nt_model *m, const nt_thread *t);
int nt_thread_is_terminated(const nt_model *m, const nt_thread *t);
int nt_thread_is_waiting(const nt_model *m, const nt_thread *t);

/* Walkers, one file each; called by nt_model_build in this order. */
void nt_read_clock(nt_model *m);
void nt_read_kernel_image(nt_model *m);
di_status nt_walk_modules(nt_model *m);
di_status nt_walk_processes(nt_model *m);
di_status nt_walk_threads(nt_model *m);
di_status nt_read_processors(nt_model *m, uint32_t nprocs);
di_status nt_walk_resources(nt_model *m);
/* Triage dumps (nt_triage.c): the driver list as modules (no profile needed), then the
 * copies of the crashing processor, thread and process. */
di_status nt_triage_modules(nt_model *m, const dmp_dump *dmp);
di_status nt_build_triage(nt_model *m, const dmp_dump *dmp);
/* ntoskrnl's base, size and timestamp from the triage driver list (the KDBG read first). */
void nt_triage_kernel_from_modules(nt_model *m);
/* Read the EPROCESS at va (validated like a listed one) and add it to the processes. */
di_status nt_add_process_at(nt_model *m, uint64_t va);
/* Read the EPROCESS at va into p (its name from the audit image path when that is readable);
 * buf is scratch of NT_S_EPROCESS bytes. 0 on success, -1 when it cannot be read, -2 when it
 * is not a process (*type says what its header claims), -3 when its header has the process
 * type but no valid dispatcher wait list (damaged). */
int nt_read_process(nt_model *m, uint64_t va, uint8_t *buf, nt_process *p, uint64_t *type);
/* Add the process of each processor's idle thread (Idle is not on PsActiveProcessHead). */
di_status nt_model_add_idle_processes(nt_model *m);
/* Read one thread at va into t: 0 if it validates as a thread, -1 if nothing can be said
 * (unreadable, zeroed, damaged), -2 if the memory holds another kind of object. */
int nt_read_thread(nt_model *m, uint64_t va, nt_thread *t);
/* Add a thread the lists did not show (an owner or waiter); *probe says what was found at
 * va. Added threads are appended: call nt_model_sort_threads after a batch of adds. */
di_status nt_model_add_thread(nt_model *m, uint64_t va, nt_probe *probe);
/* Build the sorted process and module indexes (nt_model_build does, once the model is whole). */
void nt_model_index(nt_model *m);
/* Sort threads by address and drop duplicates; lookups see every thread again. */
void nt_model_sort_threads(nt_model *m);

/* Growable arrays: capacity doubling, charged to the model's memory bound. Returns 0,
 * NT_GROW_NOMEM, or NT_GROW_LIMIT (after a warning) when the bound would be passed. */
#define NT_GROW_NOMEM (-1)
#define NT_GROW_LIMIT (-2)
int nt_grow(nt_ctx *c, void **arr, size_t *cap, size_t count, size_t elem);

#endif
