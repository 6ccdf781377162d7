/* Orphaned locks: held resources whose owner has terminated, is on no live thread list,
 * or is no longer a thread at all. */
#include <stdio.h>

#include "analysis/an_describe.h"
#include "analysis/an_findings.h"

int an_find_orphans(const nt_model *m, an_analysis *a)
{
    for (size_t r = 0; r < m->nresources; r++) {
        const nt_resource *res = &m->resources[r];
        if (!res->held)
            continue;
        for (size_t k = 0; k < res->nowners; k++) {
            size_t oi = res->first_owner + k;
            const nt_owner *o = &m->owners[oi];
            an_owner_state st = an_owner_state_of(m, o);
            if (st == AN_OWNER_LIVE || st == AN_OWNER_UNKNOWN)
                continue;
            /* The resource's own counters speak for waiters even when its ring is unreadable. */
            uint32_t counted = res->exclusive_waiters_count + res->shared_waiters_count;
            int waited = res->nwaiters || counted;
            an_finding *f = an_add_finding(a, AN_ORPHANED_LOCK, waited ? AN_SEV_CRITICAL : AN_SEV_HIGH);
            if (!f)
                return -1;
            f->resource = r;
            f->owner = oi;
            f->owner_state = st;
            f->longest_wait_ms = an_longest_wait(m, res);
            f->module = an_thread_module(m, nt_model_thread(m, o->thread));
            char who[128], wait[48];
            an_describe_thread(m, o->thread, who, sizeof who);
            an_describe_ms(f->longest_wait_ms, wait, sizeof wait);
            const char *why = st == AN_OWNER_TERMINATED ? "has terminated"
                              : st == AN_OWNER_OFF_LIST ? "is on no live thread list"
                                                        : "is no longer a thread (its memory holds another kind of object)";
            if (res->nwaiters)
                snprintf(f->summary, sizeof f->summary,
                         "Resource 0x%016llx is held %s by %s, which %s; %zu thread%s wait%s for it (longest %s).",
                         (unsigned long long)res->va, res->exclusive ? "exclusively" : "shared", who, why,
                         res->nwaiters, res->nwaiters == 1 ? "" : "s", res->nwaiters == 1 ? "s" : "", wait);
            else if (counted)
                snprintf(f->summary, sizeof f->summary,
                         "Resource 0x%016llx is held %s by %s, which %s; the resource counts %u waiter%s, but its "
                         "waiter ring cannot be read.",
                         (unsigned long long)res->va, res->exclusive ? "exclusively" : "shared", who, why, counted,
                         counted == 1 ? "" : "s");
            else
                snprintf(f->summary, sizeof f->summary,
                         "Resource 0x%016llx is held %s by %s, which %s; nobody waits for it yet.",
                         (unsigned long long)res->va, res->exclusive ? "exclusively" : "shared", who, why);
        }
    }
    return 0;
}
