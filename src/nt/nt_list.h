/* Bounded walks of LIST_ENTRY lists with cycle detection: every list in a dump is hostile. */
#ifndef DI_NT_LIST_H
#define DI_NT_LIST_H

#include "nt/nt_ctx.h"

typedef enum nt_list_end {
    NT_LIST_COMPLETE,   /* came back to the head */
    NT_LIST_UNREADABLE, /* a link could not be read */
    NT_LIST_BAD_LINK,   /* a link is not a kernel address, or Flink->Blink disagrees */
    NT_LIST_CYCLE,      /* came back to an entry other than the head */
    NT_LIST_LIMIT       /* the step bound was reached */
} nt_list_end;

/* Called for each entry (the LIST_ENTRY's address); return nonzero to stop early. */
typedef int (*nt_list_fn)(nt_ctx *c, uint64_t entry, void *arg);

/* Walk the list whose head is at head (head itself is not visited). max_steps bounds the
 * walk; cycles are detected with Brent's algorithm in O(1) memory. *steps gets the number
 * of entries visited. Flink->Blink consistency is checked when check_blink is set. */
nt_list_end nt_list_walk(nt_ctx *c, uint64_t head, uint32_t max_steps, int check_blink, nt_list_fn fn, void *arg,
                         uint32_t *steps, uint64_t *bad_at);

const char *nt_list_end_text(nt_list_end e);

#endif
