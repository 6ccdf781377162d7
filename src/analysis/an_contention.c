/* Contention: held resources with waiters and only live owners (orphans and deadlocks are
 * reported as such instead). */
#include <stdio.h>

#include "analysis/an_describe.h"
#include "analysis/an_findings.h"

/* A wait longer than this is worth more than a note. */
#define AN_LONG_WAIT_MS 1000

static int in_deadlock(const an_analysis *a, size_t r)
{
    for (size_t i = 0; i < a->nfindings; i++)
        if (a->findings[i].kind == AN_DEADLOCK)
            for (size_t k = 0; k < a->findings[i].cycle_len; k++)
                if (a->findings[i].cycle_resources[k] == r)
                    return 1;
    return 0;
}

int an_find_contention(const nt_model *m, an_analysis *a)
{
    for (size_t r = 0; r < m->nresources; r++) {
        const nt_resource *res = &m->resources[r];
        if (!res->held || res->nwaiters == 0 || in_deadlock(a, r))
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
        if (!f)
            return -1;
        f->resource = r;
        f->longest_wait_ms = ms;
        if (res->nowners)
            f->module = an_thread_module(m, nt_model_thread(m, m->owners[res->first_owner].thread));
        char wait[48];
        an_describe_ms(ms, wait, sizeof wait);
        char owners[80];
        if (unknown)
            snprintf(owners, sizeof owners, "%zu thread%s (%zu of them unreadable)", res->nowners,
                     res->nowners == 1 ? "" : "s", unknown);
        else
            snprintf(owners, sizeof owners, "%zu live thread%s", res->nowners, res->nowners == 1 ? "" : "s");
        snprintf(f->summary, sizeof f->summary, "Resource 0x%016llx is held %s by %s while %zu thread%s wait%s (longest %s).",
                 (unsigned long long)res->va, res->exclusive ? "exclusively" : "shared", owners, res->nwaiters,
                 res->nwaiters == 1 ? "" : "s", res->nwaiters == 1 ? "s" : "", wait);
    }
    return 0;
}
