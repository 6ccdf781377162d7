/* SPDX-License-Identifier: MIT */
/* Report sections drawn from the kernel model and its analysis. */
#ifndef DI_REPORT_MODEL_H
#define DI_REPORT_MODEL_H

#include <cjson/cJSON.h>

#include "analysis/an_findings.h"
#include "analysis/an_stacks.h"
#include "dump/dmp_dump.h"
#include "nt/nt_model.h"
#include "report/rep_json.h"

typedef struct rep_view {
    const nt_model *m;        /* NULL when no offset profile applied (kernel structures unread) */
    const nt_model *base;     /* the model as built: modules and memory even without a profile */
    const dmp_dump *dmp;
    rep_deferrals *defer;     /* when set, the big lists are built while printing */
    const an_analysis *a;
    an_stacker *stacker;      /* walks threads' stacks while printing; NULL: no stacks */
    int all_locks, all_threads;
    int all_stacks;           /* a stack for every thread shown, not only those that matter */
} rep_view;

/* key: {address, symbol ("module+0xoff"), module}, symbol and module null outside modules. */
void rep_add_code_address(cJSON *o, const char *key, const nt_model *m, uint64_t addr);
/* The triage section, unloaded modules, the crashing thread and the decoded fault. */
int rep_add_triage(cJSON *root, const rep_view *v);
int rep_add_crash(cJSON *root, const rep_view *v);
int rep_add_fault(cJSON *root, const rep_view *v);

/* One thread as an object (also used inside findings). */
cJSON *rep_thread(const nt_model *m, const nt_thread *t);
/* A thread reference: address plus what is known ("tid", "state"), for owners and waiters. */
cJSON *rep_thread_ref(const nt_model *m, uint64_t va);
cJSON *rep_resource(const nt_model *m, const nt_resource *r);
/* The resource's first max waiters as thread references with mode, wait_ms, wait_entry,
 * confirmed. */
int rep_add_waiters(cJSON *o, const nt_model *m, const nt_resource *r, size_t max);

/* The same through an emitter (rep_emit.h), for lists printed without a tree: a resource as
 * one element; a thread's members inside an object the caller opened; a code address. */
struct rep_emit;
void rep_em_resource(struct rep_emit *e, const nt_model *m, const nt_resource *r);
void rep_em_thread_members(struct rep_emit *e, const nt_model *m, const nt_thread *t);
void rep_em_code_address(struct rep_emit *e, const char *key, const nt_model *m, uint64_t addr);

/* Stacks (rep_stack.c). A thread matters when it is in a finding, crashed or runs on a
 * processor: it gets its stack; others only with all_stacks. rep_add_stack adds "stack"
 * (null when not wanted). */
int rep_thread_matters(const rep_view *v, const nt_thread *t, int in_findings);
int rep_add_stack(cJSON *o, const rep_view *v, const nt_thread *t, int matters);
int rep_thread_wants_stack(const rep_view *v, const nt_thread *t, int matters);
/* The thread's walks (heap; free it), or NULL when out of memory. */
an_thread_stacks *rep_walk_thread(const rep_view *v, const nt_thread *t);
/* How a frame reads in a call stack: "module!Export+0xoff", "module+0xoff" or the address. */
void rep_frame_symbol(const uw_frame *f, char *out, size_t cap);

int rep_add_kernel_model(cJSON *kernel, const rep_view *v);
int rep_add_bugcheck_joins(cJSON *bugcheck, const rep_view *v);
int rep_add_analysis(cJSON *root, const rep_view *v);
int rep_add_findings(cJSON *root, const rep_view *v);
int rep_add_model_sections(cJSON *root, const rep_view *v);

#endif
