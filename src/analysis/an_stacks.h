/* SPDX-License-Identifier: MIT */
/* Kernel stacks of the threads that matter: where each walk starts (x64-stacks.md section 3)
 * and which module a stack blames. The unwinder (src/unwind) does the walking. */
#ifndef DI_ANALYSIS_STACKS_H
#define DI_ANALYSIS_STACKS_H

#include <stdint.h>

#include "analysis/an_fault.h"
#include "nt/nt_model.h"
#include "unwind/uw_unwind.h"

/* KSWITCH_FRAME at KTHREAD.KernelStack of a thread that is not running (19041; not in the PDB
 * data, INFERRED in nt-19041-x64-layouts.md section 9): saved rbp at +0x30, the address the
 * thread resumes at (inside KiSwapContext) at +0x38, frame 0's rsp at +0x40. */
#define AN_SWITCH_FRAME_RBP 0x30u
#define AN_SWITCH_FRAME_RETURN 0x38u
#define AN_SWITCH_FRAME_SIZE 0x40u

#define AN_MAX_WALKS 2

typedef struct an_walk {
    const char *start;       /* "kernel_stack", "header_context", "context_frame", "context_record", "trap_frame" */
    uint64_t start_va;       /* where the start state lies (0 for the dump header's CONTEXT) */
    uw_stack stack;
} an_walk;

/* A thread's walks: the first from its own state, the second restarted at a fault record. */
typedef struct an_thread_stacks {
    size_t n;
    an_walk walk[AN_MAX_WALKS];
} an_thread_stacks;

typedef struct an_stacker {
    nt_model *m;
    uw_unwinder uw;
    uint64_t crash_thread;   /* the thread whose stack holds the header CONTEXT; 0 when unknown */
    int have_header;
    uw_regs header;          /* the dump header's CONTEXT */
    int have_fault;          /* a CONTEXT or KTRAP_FRAME a bugcheck parameter names, not the header's */
    uw_regs fault;
    const char *fault_kind;
    uint64_t fault_va;
} an_stacker;

/* Prepare walks on model m (its memory interface is used); f: the decoded fault, or NULL.
 * 0, or -1 when out of memory. */
int an_stacker_init(an_stacker *s, nt_model *m, const an_fault *f);
void an_stacker_free(an_stacker *s);
/* Walk thread t. out is large (keep it on the heap). */
void an_walk_thread(an_stacker *s, const nt_thread *t, an_thread_stacks *out);
/* The first frame of the walks, unwound before scanned ones, whose module is not a core OS
 * module (an_is_os_module); NULL when there is none. Scanned frames count only when no walk
 * unwound a single frame past its start. *frame receives it. */
const nt_module *an_stack_blame(const an_thread_stacks *ts, const uw_frame **frame);

#endif
