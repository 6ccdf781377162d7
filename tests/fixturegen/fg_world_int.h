/* SPDX-License-Identifier: MIT */
/* Shared by the world's files: the declarations a scenario makes (parsed, unresolved), the
 * layout they get (VAs), and the helpers that write profile fields into byte buffers. */
#ifndef FG_WORLD_INT_H
#define FG_WORLD_INT_H

#include "fg_scenario_int.h"
#include "fg_world.h"
#include "nt_profile.h"

#include <stddef.h>
#include <stdint.h>

#define FGW_ID_MAX 32
#define FGW_EXPR_MAX 96
#define FGW_PATH_MAX 160
#define FGW_IMAGE_NAME_MAX 100 /* a process's file name (image=), under \Device\...\System32 */
#define FGW_MAX_OWNERS 64
#define FGW_MAX_WAITERS 64
#define FGW_PAGE 0x1000ull
#define FGW_KDBG_SIZE 0x380u /* KDDEBUGGER_DATA64 as the world writes it (dump-format.md 4.2) */
/* Depths below a kernel stack's top (InitialStack): a switched-out thread's saved rsp, below
 * its frames; and the header context's rsp/rbp on the crashing thread when there is no fault. */
#define FGW_KERNEL_STACK_DEPTH 0xE40u
#define FGW_CRASH_RSP_DEPTH 0x998u
#define FGW_CRASH_RBP_DEPTH 0x900u

/* The tick every world uses: 15.625 ms, i.e. 156250 x 100 ns, TickCountMultiplier 0x0FA00000
 * (ms = ticks * multiplier >> 24; nt-locks-and-waits.md 3.6). */
#define FGW_TICK_100NS 156250ull
#define FGW_TICK_MULTIPLIER 0x0FA00000u

/* Owner entry flag words of the scenario (mapped onto the profile's OWNER_ENTRY bits). */
#define FGW_OWN_IO 1u
#define FGW_OWN_REF 2u
#define FGW_OWN_QOS 4u

typedef struct fgw_module {
    char name[FGW_ID_MAX];
    char path[FGW_PATH_MAX];
    uint64_t base, size, entry_off;
    uint32_t timestamp, checksum, age;
    uint8_t guid[16];
    int has_entry, has_guid, has_age, has_timestamp, has_checksum, has_path;
    unsigned line;
    uint64_t rec, name_buf; /* layout */
} fgw_module;

typedef struct fgw_process {
    char id[FGW_ID_MAX];
    char image[16];              /* EPROCESS.ImageFileName: 14 characters and a NUL */
    char image_name[FGW_IMAGE_NAME_MAX + 1]; /* the full file name behind SeAuditProcessCreationInfo */
    int has_image_name;
    uint64_t pid, ppid, create, exit_tick, peb, pointers, handles, fixed_va;
    uint32_t exit_status, active_threads;
    int has_exit, exiting, deleted, has_exit_status, has_peb, has_pointers, has_handles;
    int has_active_threads, idle;
    unsigned line;
    /* layout */
    uint64_t va;         /* the EPROCESS body */
    uint64_t name_info;  /* its OBJECT_NAME_INFORMATION (0: System and Idle have none) */
    size_t first_thread, last_thread, nthreads, nlive; /* first/last: SIZE_MAX when none */
} fgw_process;

typedef struct fgw_thread {
    char id[FGW_ID_MAX];
    unsigned line;
    uint64_t pid, tid;
    int32_t state, wait_reason;
    int has_state, has_reason;
    uint32_t wait_ticks;
    int has_wait_ticks, terminated;
    char start[FGW_EXPR_MAX], win32start[FGW_EXPR_MAX];
    uint64_t create, exit_tick;
    uint32_t exit_status;
    int has_create, has_exit, has_exit_status;
    uint32_t io_boost, qos_boost, qos_throttle, context_switches, kernel_time, user_time;
    uint8_t priority;
    int has_context_switches, has_priority;
    uint64_t teb, pointers, handles;
    int has_teb, has_pointers, has_handles;
    uint64_t fixed_va, fixed_stack;
    unsigned stack_pages;
    int missing;    /* damage: the ETHREAD page is not in the dump */
    int idle_cpu;   /* >= 0: the idle thread of that processor */
    int running_on; /* >= 0: a processor's current thread */
    /* resolved and laid out */
    size_t proc, prev, next; /* prev/next on the process's lists, SIZE_MAX at the head */
    uint64_t va, stack_top, stack_limit, start_va, win32_va;
    int waiter;          /* a resource waiter: waits on its own stack entry's event */
    uint64_t wait_entry; /* the entry on the stack (waiters) */
    uint64_t wait_object;
    /* A waiter sharing its event's wait list with others (an exclusive waiter of 10240..14393,
     * on the resource's pool event): its wait block's links, set by the resource layout. */
    int wait_linked;
    uint64_t wait_flink, wait_blink;
} fgw_thread;

typedef struct fgw_owner {
    char ref[FGW_ID_MAX];
    uint64_t raw;
    int is_raw;
    uint32_t count;
    unsigned flags;
    size_t thread;
} fgw_owner;

typedef struct fgw_waiter {
    char ref[FGW_ID_MAX];
    int exclusive;
    size_t thread;
} fgw_waiter;

enum { FGW_FREE, FGW_EXCLUSIVE, FGW_SHARED };

typedef struct fgw_resource {
    char id[FGW_ID_MAX];
    unsigned line;
    int mode;
    fgw_owner owners[FGW_MAX_OWNERS];
    size_t nowners;
    fgw_waiter waiters[FGW_MAX_WAITERS];
    size_t nwaiters;
    uint32_t contention;
    uint16_t flag;
    uint8_t waiter_priority;
    int has_contention, has_flag, has_waiter_priority;
    uint64_t fixed_va;
    int bad_ring; /* damage: the waiter pointer names garbage */
    uint64_t va, table, garbage; /* layout */
    uint64_t xevent; /* 10240..14393: the pool KEVENT ExclusiveWaiters points to, 0 if none */
} fgw_resource;

/* How a build keeps an ERESOURCE's waiters, read from the shape of _KWAIT_CHAIN_ENTRY in its
 * profile (nt-locks-and-waits.md 1.1, 1.4). The layouts are data; which waiters go where is
 * INFERRED (decompiles of other builds, the WRK's KEVENT ExclusiveWaiters). */
typedef enum fgw_wait_family {
    FGW_WAIT_RING_THREAD, /* 17763..: headless rings of entries naming their thread */
    FGW_WAIT_RING,        /* 15063..17134: headless rings of entries without a thread */
    FGW_WAIT_CHAIN,       /* 10586..14393: shared waiters on a NULL-ended single chain of
                             entries, exclusive waiters all on one pool KEVENT */
    FGW_WAIT_EVENT_ONLY   /* 10240: the pool KEVENT; the shared entry's layout is not in the data */
} fgw_wait_family;
fgw_wait_family fgw_waiter_family(const fg_world *w);

typedef struct fgw_filler {
    uint64_t pid, count;
    char start[FGW_EXPR_MAX];
    int32_t state, wait_reason;
    int has_state, has_reason;
    unsigned line;
} fgw_filler;

typedef struct fgw_cpu_decl {
    uint32_t index;
    char thread[FGW_ID_MAX];
    unsigned line;
} fgw_cpu_decl;

enum {
    FGW_DMG_PROCESS_CYCLE,
    FGW_DMG_RESOURCE_CYCLE,
    FGW_DMG_THREAD_MISSING,
    FGW_DMG_WAITER_RING,
    FGW_DMG_PDATA_MISSING,      /* fg_world_unwind.c */
    FGW_DMG_STACK_PAGE_MISSING
};

typedef struct fgw_damage {
    int kind;
    char target[FGW_ID_MAX];
    unsigned line;
} fgw_damage;

/* Return addresses a scenario puts on a thread's stack (fg_world_frames.c). */
#define FGW_MAX_FRAMES 64
typedef struct fgw_frames {
    char thread[FGW_ID_MAX];
    char (*addr)[FGW_EXPR_MAX]; /* malloc'd, n entries */
    size_t n;
    unsigned line;
} fgw_frames;

/* Functions with unwind data (fg_world_unwind.c). */
#define FGW_MAX_PROLOG 8
typedef struct fgw_prolog_op {
    int push;        /* push REG, else sub rsp, alloc */
    uint8_t reg;
    uint32_t alloc;
} fgw_prolog_op;

typedef struct fgw_func {
    char at[FGW_EXPR_MAX];
    uint32_t size;
    fgw_prolog_op ops[FGW_MAX_PROLOG]; /* prolog order */
    unsigned nops;
    char export_name[FGW_ID_MAX];
    unsigned line;
    uint64_t va;     /* resolved */
    size_t mod;
} fgw_func;

/* The records an exception bugcheck points at (fg_world_fault.c). */
#define FGW_REC_EXR 1u  /* bit i is record i of fgw_fault_record */
#define FGW_REC_CXR 2u
#define FGW_REC_TRAP 4u
#define FGW_NREC 3u
#define FGW_MAX_FAULT_REGS 32
typedef struct fgw_fault_reg {
    char name[8];
    char expr[FGW_EXPR_MAX];
} fgw_fault_reg;

typedef struct fgw_fault {
    int declared;
    unsigned line;
    uint32_t code, flags;
    uint64_t info[15];
    uint32_t ninfo;
    unsigned records;
    fgw_fault_reg regs[FGW_MAX_FAULT_REGS];
    size_t nregs;
    /* laid out on the crashing thread's stack */
    uint64_t exr, cxr, trap;
    fg_context ctx;   /* the faulting registers (the header CONTEXT unless keep_context) */
    fg_exception exc; /* the header EXCEPTION_RECORD64 unless keep_context */
} fgw_fault;

/* A bump region of kernel VA whose pages are mapped on demand. */
typedef struct fgw_region {
    uint64_t next, mapped_end;
    fg_kind kind;
} fgw_region;

/* Object placed at a fixed VA (va=, stack=): kept to refuse overlaps. */
typedef struct fgw_span {
    uint64_t lo, hi;
    unsigned line;
} fgw_span;

struct fg_world {
    int declared;
    unsigned line;
    uint64_t ticks, uptime, tz_minutes, time_increment;
    uint32_t crash_cpu;
    int has_uptime, kdbg_none, keep_context;
    char crash_rip[FGW_EXPR_MAX];
    /* kdbg_publish=NAME:VALUE: the KDBG publishes VALUE for NAME instead of the profile's */
    int kdbg_publish;
    uint16_t kdbg_publish_at, kdbg_publish_width;
    uint32_t kdbg_publish_value;

    fgw_module *mods;
    size_t nmods, cap_mods;
    fgw_process *procs;
    size_t nprocs, cap_procs;
    fgw_thread *threads;
    size_t nthreads, cap_threads;
    fgw_resource *res;
    size_t nres, cap_res;
    fgw_filler *fillers;
    size_t nfillers, cap_fillers;
    fgw_cpu_decl *cpus;
    size_t ncpus, cap_cpus;
    uint64_t unheld;
    fgw_damage *dmg;
    size_t ndmg, cap_dmg;
    char bc_ref[4][FGW_EXPR_MAX];
    unsigned bc_line[4];
    fgw_frames *frames;
    size_t nframes, cap_frames;
    fgw_func *funcs;
    size_t nfuncs, cap_funcs;
    fgw_frames *calls;          /* call_stack lines */
    size_t ncalls, cap_calls;
    fgw_fault fault;

    /* build state */
    struct fg_sc *sc;
    fg_dump *d;
    const nt_profile *p;
    uint64_t boot;      /* FILETIME of tick 0 */
    size_t nt;          /* index of ntoskrnl.exe in mods */
    size_t idle_proc;   /* index of the Idle process in procs */
    size_t ndeclared_threads;
    fgw_region data, stacks, absent;
    uint64_t data_end;
    fgw_span *spans;
    size_t nspans, cap_spans;
    uint64_t kdbg, kd_list_head, mod_head, proc_head, res_head;
    uint64_t prcb_block, time_inc_var, pfn_var, build_lab, idle_event;
    uint64_t *kpcr;     /* per processor */
    uint32_t nprocessors;
    uint64_t *res_list; /* every resource VA in list order */
    long *res_decl;     /* per list slot: index into res, or -1 for an unheld filler */
    size_t nres_list;
};

/* ---- fg_world_mem.c: errors, buffers of profile fields, placement, writes ---- */
int fgw_fail(fg_world *w, unsigned line, const char *fmt, ...) FG_PRINTF(3, 4);
int fgw_fail_dump(fg_world *w, unsigned line, const char *what);
/* Grows *arr (malloc'd, *cap elements) to hold at least need elements; -1 when out of memory. */
int fgw_grow(void **arr, size_t *cap, size_t need, size_t elem);

typedef struct fgw_buf {
    uint8_t *b;
    size_t len;
    const nt_profile *p;
    nt_field_id missing; /* first field the profile lacks or that does not fit (NT_F__COUNT: none) */
} fgw_buf;

int fgw_buf_init(fgw_buf *o, const nt_profile *p, size_t len);
void fgw_buf_free(fgw_buf *o);
/* Field id of the sub-object starting at byte base; bitfields are merged into their unit. */
void fgw_set(fgw_buf *o, size_t base, nt_field_id id, uint64_t v);
/* A LIST_ENTRY field: Flink and Blink. */
void fgw_set_list(fgw_buf *o, size_t base, nt_field_id id, uint64_t flink, uint64_t blink);
/* A LIST_ENTRY field that is an empty list: both links point at the field's own VA. */
void fgw_set_empty_list(fgw_buf *o, uint64_t obj_va, size_t base, nt_field_id id);
/* A UNICODE_STRING at byte base: Length and MaximumLength in characters, Buffer at buf. */
void fgw_set_unicode(fgw_buf *o, size_t base, uint64_t buf, size_t chars, size_t max_chars);
/* Writes len ASCII characters of s at va as UTF-16LE, plus a NUL character. */
int fgw_write_utf16(fg_world *w, unsigned line, uint64_t va, const char *s, size_t len);
/* Writes the buffer at va; checks every field was known. */
int fgw_put(fg_world *w, unsigned line, uint64_t va, fgw_buf *o);

uint32_t fgw_off(const fg_world *w, nt_field_id id);
uint32_t fgw_size(const fg_world *w, nt_struct_id id);
int32_t fgw_enum(const fg_world *w, nt_enum_id id);

/* Writes bytes, also into mapped pages that are not captured (through their frames). */
int fgw_write(fg_world *w, uint64_t va, const void *bytes, size_t len);
int fgw_write_u64(fg_world *w, uint64_t va, uint64_t v);

/* Bump regions: fresh pages of the region's kind. fgw_region_pages leaves a guard page. */
uint64_t fgw_region_alloc(fg_world *w, fgw_region *r, uint64_t size, uint64_t align);
uint64_t fgw_region_pages(fg_world *w, fgw_region *r, uint64_t npages);

/* An object with `prefix` bytes before its body (the OBJECT_HEADER): at fixed_va when not 0,
 * on its own uncaptured page when missing, else in pool. Returns the body VA or 0. */
uint64_t fgw_place(fg_world *w, unsigned line, uint64_t fixed_va, uint64_t prefix, uint64_t size,
                   int missing);
/* Maps [lo, hi) page by page where nothing is mapped yet; refuses overlaps of fixed objects. */
int fgw_map_fixed(fg_world *w, unsigned line, uint64_t lo, uint64_t hi, fg_kind kind);

/* ---- fg_world_names.c: names, numbers, references ---- */
int fgw_kv(char *tok, char **name, char **value); /* "name=value"; -1 without '=' */
int fgw_num(fg_world *w, const char *key, const char *value, uint64_t *out);
int fgw_id(fg_world *w, const char *what, const char *s, char *out);
int fgw_enum_parse(fg_world *w, fg_dump *d, nt_enum_kind kind, const char *s, int32_t *out);
int fgw_expr_copy(fg_world *w, const char *key, const char *s, char *out);
/* Table-driven NAME=NUMBER keys of a declaration struct: has_off is the offset of its int
 * "given" flag (or FGW_NO_FLAG); bits is the field's own width (FGW_NK fills it). Returns 1 when key is not in the table. */
#define FGW_NO_FLAG ((size_t)-1)
typedef struct fgw_numkey {
    const char *key;
    size_t off, has_off;
    unsigned bits;
} fgw_numkey;
#define FGW_NK(T, name, f, has) {name, offsetof(T, f), has, (unsigned)sizeof(((T *)0)->f) * 8u}
int fgw_num_key(fg_world *w, void *obj, const fgw_numkey *keys, size_t n, const char *key,
                const char *value);
/* ADDR / REF: number, or NAME[+OFF] (NAME = object ID or module, "nt" = ntoskrnl.exe). */
int fgw_resolve(fg_world *w, unsigned line, const char *expr, uint64_t *va);
/* Index of the thread / process / resource / module called id; -1 if none. */
long fgw_find_thread(const fg_world *w, const char *id);
long fgw_find_process_pid(const fg_world *w, uint64_t pid);
long fgw_find_module(const fg_world *w, const char *name);
/* 1 if id is already used by any declared object (one namespace). */
int fgw_id_taken(const fg_world *w, const char *id);

/* ---- parsing (fg_world_parse*.c) ---- */
int fgw_parse_world(fg_world *w, fg_dump *d, char *rest);
int fgw_parse_module(fg_world *w, char *rest);
int fgw_parse_process(fg_world *w, char *rest);
int fgw_parse_thread(fg_world *w, fg_dump *d, char *rest);
int fgw_parse_resource(fg_world *w, char *rest);
int fgw_parse_filler(fg_world *w, fg_dump *d, char *rest);
int fgw_parse_processor(fg_world *w, char *rest);
int fgw_parse_damage(fg_world *w, char *rest);
int fgw_parse_frames(fg_world *w, char *rest);
/* "THREAD ADDR [ADDR]..." (stack_frames, call_stack): appended to *arr. */
int fgw_parse_thread_addrs(fg_world *w, const char *key, char *rest, fgw_frames **arr, size_t *n, size_t *cap);
int fgw_parse_fault(fg_world *w, char *rest);
int fgw_parse_function(fg_world *w, char *rest);
int fgw_parse_call_stack(fg_world *w, char *rest);

/* ---- building, in this order (fg_world_build.c runs them) ---- */
int fgw_modules_resolve(fg_world *w);
int fgw_threads_resolve(fg_world *w);   /* adds fillers and idle threads, applies defaults */
int fgw_resources_resolve(fg_world *w);
int fgw_kernel_layout(fg_world *w);     /* nt data: KDBG, list heads, variables */
int fgw_modules_layout(fg_world *w);
int fgw_processes_layout(fg_world *w);
int fgw_threads_layout(fg_world *w);
int fgw_resources_layout(fg_world *w);
int fgw_cpus_layout(fg_world *w);
int fgw_process_names_layout(fg_world *w); /* last, so the other objects keep their VAs */
/* Where the KDBG publishes the Offset* / Size* field NAME (KDDEBUGGER_DATA64 naming, e.g.
 * OffsetKThreadState) and its width in bytes; 0, or -1 for an unknown name. */
int fgw_kdbg_published_field(const char *name, uint16_t *at, uint16_t *width);
int fgw_kernel_write(fg_world *w);      /* KUSER_SHARED_DATA, PE image, KDBG, variables */
int fgw_modules_write(fg_world *w);
int fgw_processes_write(fg_world *w);
int fgw_threads_write(fg_world *w);
int fgw_resources_write(fg_world *w);
int fgw_cpus_write(fg_world *w);
int fgw_fault_write(fg_world *w);       /* fault records on the crashing thread's stack */
int fgw_frames_write(fg_world *w);      /* stack_frames return addresses */
int fgw_unwind_write(fg_world *w);      /* images with unwind data, call stacks (after the header) */
/* 0 when the 8-byte slot at va may hold a stack value of thread t (on its stack, off its wait
 * entry and, for the crashing thread, off the fault records); else fails naming key. */
int fgw_stack_slot_check(fg_world *w, unsigned line, const char *key, const fgw_thread *t, int crashing,
                         uint64_t va);
int fgw_triage_plan(fg_world *w);       /* type 4: what the triage file copies (after the header) */

/* The whole build (fg_world_build.c). */
int fgw_build(fg_world *w);
int fgw_write_list(fg_world *w, unsigned line, uint64_t entry, uint64_t flink, uint64_t blink);

/* The crash: the processor whose current thread holds the header context (crash_cpu=, default
 * 0; with keep_context the processor whose current thread's stack holds rsp, else 0), and
 * that thread. */
uint32_t fgw_crash_cpu(const fg_world *w);
size_t fgw_current_thread(const fg_world *w, uint32_t cpu);
/* Where the crashing thread's frames start: the header context's rsp (the fault's when a fault
 * is declared); and the rsp at the bugcheck call, the lowest saved stack address (TopOfStack). */
uint64_t fgw_crash_rsp(const fg_world *w);
uint64_t fgw_bugcheck_rsp(const fg_world *w);
/* VA and size of a fault record named "exr", "cxr" or "trap": 1 when name is one of them (the
 * record may not exist: *va is then 0), else 0. */
int fgw_fault_ref(const fg_world *w, const char *name, uint64_t *va, uint32_t *size);
/* Record i (0 exr, 1 cxr, 2 trap): its name; *va 0 when the scenario has no such record. */
const char *fgw_fault_record(const fg_world *w, unsigned i, uint64_t *va, uint32_t *size);

/* FILETIME of a tick. */
uint64_t fgw_tick_time(const fg_world *w, uint64_t tick);
/* 1 for a thread of the System process (pid 4) or an idle thread. */
int fgw_is_system_thread(const fg_world *w, const fgw_thread *t);

#endif
