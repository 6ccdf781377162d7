/* SPDX-License-Identifier: MIT */
/* The reading context of the kernel model: the address space, the offset profile, the
 * bounds on work, and where warnings go. Typed accessors read profile fields of kernel
 * objects and say why a read failed. */
#ifndef DI_NT_CTX_H
#define DI_NT_CTX_H

#include <stdint.h>

#include "mm/mm_space.h"
#include "nt/nt_profile.h"
#include "util/strlist.h"

/* Explicit bounds on what a dump can make the model do. */
typedef struct nt_limits {
    uint32_t list_steps;     /* entries followed in any one list */
    uint32_t processes;
    uint32_t threads;
    uint32_t modules;
    uint32_t resources;
    uint32_t owners_per_resource;
    uint32_t waiters_per_resource;
    uint32_t lock_entries;   /* owners plus waiters over all resources */
    uint64_t model_bytes;    /* memory for the model's tables */
    uint64_t total_steps;    /* list entries, ring entries and table slots over the whole model */
} nt_limits;

void nt_limits_default(nt_limits *l);

typedef struct nt_ctx {
    mm_space *mm;
    uint64_t cr3;
    const nt_profile *prof;  /* NULL: unsupported build, no structure is read */
    nt_limits limits;
    di_strlist *warnings;
    const char *path;
    int damaged;             /* a warning said the kernel data is damaged */
    int limited;             /* a limit cut the reading short: the model is partial */
    uint64_t model_bytes;    /* memory the model's tables hold */
    int memory_warned;
    int budget_warned;
    uint64_t steps;          /* work done so far, against limits.total_steps */
    int steps_warned;
    unsigned count_warned;   /* nt_count_limit warnings given, one bit per nt_count_kind */
} nt_ctx;

/* Objects the model counts against a limit. */
typedef enum nt_count_kind { NT_COUNT_MODULES, NT_COUNT_PROCESSES, NT_COUNT_THREADS, NT_COUNT_RESOURCES } nt_count_kind;

/* Kernel-half canonical address (upper 17 bits set): kernel objects live only there. */
int nt_is_kernel_va(uint64_t va);

di_status nt_read(nt_ctx *c, uint64_t va, void *buf, size_t len);
di_status nt_read_ptr(nt_ctx *c, uint64_t va, uint64_t *out);
/* Fetch what reading len bytes at each of the n kernel addresses will need, in a few
 * batches (mm_prefetch_virtual), before reading them one by one: independent pointers then
 * cost one round trip together. Addresses that are not kernel addresses are left out. */
void nt_prefetch(nt_ctx *c, const uint64_t *vas, size_t n, size_t len);

/* Read field id of the object at base; bitfields are extracted. DI_E_ARG when the profile
 * lacks the field. */
di_status nt_read_field(nt_ctx *c, uint64_t base, nt_field_id id, uint64_t *out);
/* As nt_field, or dflt when the read fails. */
uint64_t nt_field_or(nt_ctx *c, uint64_t base, nt_field_id id, uint64_t dflt);
uint32_t nt_off(const nt_ctx *c, nt_field_id id);
uint32_t nt_size(const nt_ctx *c, nt_struct_id id);
int32_t nt_enum(const nt_ctx *c, nt_enum_id id);

/* A UNICODE_STRING's header as stored (nothing checked). */
typedef struct nt_ustr {
    uint64_t length, max_length, buffer;
} nt_ustr;
di_status nt_read_ustr(nt_ctx *c, uint64_t va, nt_ustr *u);
/* chars UTF-16LE units at buf as UTF-8 into out (cap bytes, exact: di_utf16le_to_utf8); "" on failure. */
di_status nt_read_utf16(nt_ctx *c, uint64_t buf, size_t chars, char *out, size_t cap);
/* The longest UNICODE_STRING nt_read_unicode accepts (bytes): names and paths are far shorter. */
#define NT_USTR_MAX_BYTES 0x1000u
/* Read a UNICODE_STRING at va as UTF-8 (non-ASCII replaced by '?'); bounded by cap bytes.
 * Returns DI_OK with "" for an empty string; DI_E_FORMAT (out "") when Length is odd, above
 * MaximumLength or above NT_USTR_MAX_BYTES, or the Buffer is not a kernel address. */
di_status nt_read_unicode(nt_ctx *c, uint64_t va, char *out, size_t cap);

/* A warning about what the report cannot say (code DI_W_NOTE). */
void nt_warn(nt_ctx *c, const char *fmt, ...) DI_PRINTF(2, 3);
/* A warning with its code; DI_W_LIMIT also marks the model partial (c->limited). */
void nt_warn_code(nt_ctx *c, di_wcode code, const char *fmt, ...) DI_PRINTF(3, 4);
/* Count one step of work; 0 while within limits.total_steps, else 1 (after one warning).
 * Cached pages cost no reads, so this bound is what keeps hostile cycles finite. */
int nt_step(nt_ctx *c);
/* 1 when count has reached kind's limit (warning once per kind): the walk stops there. */
int nt_count_limit(nt_ctx *c, nt_count_kind kind, size_t count);
/* A warning that kernel data is damaged (broken lists, unreadable objects): the report is partial. */
void nt_damage(nt_ctx *c, const char *fmt, ...) DI_PRINTF(2, 3);



/* Whether the DISPATCHER_HEADER at byte hdr of buf (a copy of the object at va) has a
 * WaitListHead a real dispatcher object can have: Flink and Blink 8-aligned kernel addresses,
 * both naming the head itself when the list is empty. The Type byte alone is one byte of
 * evidence; this rejects other objects and garbage that happen to carry it. (The Size byte
 * cannot be checked on 19041: for threads that byte is ThreadControlFlags, and KTHREAD and
 * KPROCESS sizes in 4-byte units, 0x10C and 0x10E, do not fit in it.) */
int nt_dispatcher_header_ok(const nt_ctx *c, const uint8_t *buf, size_t len, size_t hdr, uint64_t va);

/* Field id decoded from a copy of the object (buf holds len bytes from its start);
 * 0 when the profile lacks the field or it lies outside the copy. */
uint64_t nt_buf_field(const nt_ctx *c, const uint8_t *buf, size_t len, nt_field_id id);
/* Same, for a field of a sub-object that starts at byte base of buf. */
uint64_t nt_buf_field_at(const nt_ctx *c, const uint8_t *buf, size_t len, size_t base, nt_field_id id);
#endif
