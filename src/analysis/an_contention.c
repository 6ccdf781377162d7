/* SPDX-License-Identifier: MIT */
/* Contention: held resources with waiters and only live owners (orphans and deadlocks are
 * reported as such instead). */
#include <stdio.h>
#include <stdlib.h>

#include "analysis/an_describe.h"
#include "analysis/an_findings.h"

/* A wait longer than this is worth more than a note. */
#define AN_LONG_WAIT_MS 1000

/* in[r] = 1 for every resource on a reported deadlock cycle: one pass over the findings. */
static unsigned char *deadlocked_resources(const nt_model *m, const an_analysis *a)
{
    unsigned char *in = calloc(m->nresources ? m->nresources : 1, 1);
    for (size_t i = 0; in && i < a->nfindings; i++)
        if (a->findings[i].kind == AN_DEADLOCK)
            for (size_t k = 0; k < a->findings[i].cycle_len; k++)
                if (a->findings[i].cycle_resources[k] < m->nresources)
                    in[a->findings[i].cycle_resources[k]] = 1;
    return in;
}

int an_find_contention(const nt_model *m, an_analysis *a)
{
    unsigned char *in_deadlock = deadlocked_resources(m, a);
    if (!in_deadlock)
        return -1;
    int rc = 0;
    for (size_t r = 0; r < m->nresources && !rc; r++) {
        const nt_resource *res = &m->resources[r];
        if (!res->held || res->nwaiters == 0 || in_deadlock[r])
            continue;
        /* Orphans are reported as such; an owner that cannot be read is not one. */
        int orphaned = 0;
        size_t unknown = 0;
        for (size_t k = 0; k < res->nowners; k++) {
            an_owner_state st = an_owner_state_of(m, &m->owners[res->first_owner + k]);
            orphaned |= st != AN_OWNER_LIVE && st != AN_OWNER_UNKNOWN;
            unknown += st == AN_OWNER_UNKNOWN;
        }
        if (orphaned)
            continue;
        int64_t ms = an_longest_wait(m, res);
        an_finding *f = an_add_finding(a, AN_CONTENTION, ms >= AN_LONG_WAIT_MS ? AN_SEV_MEDIUM : AN_SEV_LOW);
        if (!f) {
            rc = an_pass_failed(a);
            break;
        }
        f->caveat = an_lock_caveat(m, res);
        f->resource = r;
        f->longest_wait_ms = ms;
        if (res->nowners)
            f->module = an_thread_module(m, nt_owner_thread(m, &m->owners[res->first_owner]));
        char wait[48];
        an_describe_ms(ms, wait, sizeof wait);
        char owners[80];
        if (unknown)
            snprintf(owners, sizeof owners, "%zu thread%s (%zu of them unreadable)", (size_t)res->nowners,
                     res->nowners == 1 ? "" : "s", unknown);
        else
            snprintf(owners, sizeof owners, "%zu live thread%s", (size_t)res->nowners, res->nowners == 1 ? "" : "s");
        snprintf(f->summary, sizeof f->summary, "Resource 0x%016llx is held %s by %s while %zu thread%s wait%s (longest %s).",
                 (unsigned long long)res->va, res->exclusive ? "exclusively" : "shared", owners, (size_t)res->nwaiters,
                 res->nwaiters == 1 ? "" : "s", res->nwaiters == 1 ? "s" : "", wait);
    }
    free(in_deadlock);
    return rc;
}
