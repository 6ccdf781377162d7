/* SPDX-License-Identifier: MIT */
/* Bounded walks of LIST_ENTRY lists with cycle detection: every list in a dump is hostile. */
#ifndef DI_NT_LIST_H
#define DI_NT_LIST_H

#include "nt/nt_ctx.h"

typedef enum nt_list_end {
    NT_LIST_COMPLETE,   /* came back to the head */
    NT_LIST_UNREADABLE, /* a link could not be read */
    NT_LIST_BAD_LINK,   /* a link is not a kernel address, or Flink->Blink disagrees */
    NT_LIST_CYCLE,      /* came back to an entry other than the head */
    NT_LIST_LIMIT,      /* the step bound was reached */
    NT_LIST_STOPPED,    /* the visitor asked to stop */
    NT_LIST_HEAD_BLINK  /* came back to the head, but the head's Blink names another entry:
                         * a Flink was redirected to the head and cut the list short */
} nt_list_end;

typedef struct nt_list_result {
    nt_list_end end;
    uint32_t visited;    /* entries visited going forward */
    uint32_t recovered;  /* entries visited walking back from the head after a break */
    uint64_t bad_at;     /* where the forward walk stopped */
    uint64_t head_blink; /* NT_LIST_HEAD_BLINK: the head's Blink (bad_at: the last entry visited) */
} nt_list_result;

/* Called for each entry (the LIST_ENTRY's address); return nonzero to stop. */
typedef int (*nt_list_fn)(nt_ctx *c, uint64_t entry, void *arg);

/* Walk the list whose head is at head (the head itself is not visited), checking that each
 * Flink's Blink points back, and on return to the head that the head's Blink names the last
 * entry visited (else the walk was cut short: NT_LIST_HEAD_BLINK). A broken forward walk is resumed backwards from the head along
 * Blinks, so entries past a damaged one are still found. Loops are recognised as such. */
void nt_list_walk(nt_ctx *c, uint64_t head, uint32_t max_steps, nt_list_fn fn, void *arg, nt_list_result *res);

/* The damage warning for an incomplete walk of the list named what ("the process list"). */
void nt_list_report(nt_ctx *c, const char *what, const nt_list_result *res);

#endif
