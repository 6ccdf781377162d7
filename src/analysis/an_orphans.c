/* SPDX-License-Identifier: MIT */
/* Orphaned locks: held resources whose owner has terminated, is on no live thread list,
 * or is no longer a thread at all. A claim needs evidence: a terminated thread record, or
 * a pointer proven not to be a live thread by complete, undamaged thread lists and a
 * resource whose own fields were read whole. One finding per (resource, owner thread). */
#include <stdio.h>
#include <stdlib.h>

#include "analysis/an_describe.h"
#include "analysis/an_findings.h"

/* The owner state a finding may claim: anything short of proof is unknown. */
static an_owner_state provable_state(const nt_model *m, const nt_resource *res, const nt_owner *o)
{
    an_owner_state st = an_owner_state_of(m, o);
    if (st == AN_OWNER_NOT_A_THREAD &&
        (!res->validated || res->damaged || !m->threads_complete || m->ctx.damaged || m->ctx.limited))
        return AN_OWNER_UNKNOWN;
    return st;
}

static void summarise(an_finding *f, const nt_model *m, const nt_resource *res, const nt_owner *o, an_owner_state st)
{
    char who[160], wait[48];
    an_describe_thread(m, o->thread, who, sizeof who);
    an_describe_ms(f->longest_wait_ms, wait, sizeof wait);
    const char *why = st == AN_OWNER_TERMINATED ? "has terminated"
                      : st == AN_OWNER_OFF_LIST ? "is on no live thread list"
                                                : "is no longer a thread (its memory holds another kind of object)";
    uint32_t counted = res->exclusive_waiters_count + res->shared_waiters_count;
    const char *mode = res->exclusive ? "exclusively" : "shared";
    if (res->nwaiters)
        snprintf(f->summary, sizeof f->summary,
                 "Resource 0x%016llx is held %s by %s, which %s; %zu thread%s wait%s for it (longest %s).",
                 (unsigned long long)res->va, mode, who, why, (size_t)res->nwaiters, res->nwaiters == 1 ? "" : "s",
                 res->nwaiters == 1 ? "s" : "", wait);
    else if (counted)
        snprintf(f->summary, sizeof f->summary,
                 "Resource 0x%016llx is held %s by %s, which %s; the resource counts %u waiter%s, but its waiter ring "
                 "cannot be read.",
                 (unsigned long long)res->va, mode, who, why, counted, counted == 1 ? "" : "s");
    else
        snprintf(f->summary, sizeof f->summary, "Resource 0x%016llx is held %s by %s, which %s; nobody waits for it yet.",
                 (unsigned long long)res->va, mode, who, why);
}

typedef struct owner_key {
    uint64_t thread;
    size_t slot;                /* position among the resource's owners */
} owner_key;

static int owner_key_cmp(const void *a, const void *b)
{
    const owner_key *x = a, *y = b;
    if (x->thread != y->thread)
        return x->thread < y->thread ? -1 : 1;
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* dup[k] = 1 when owner slot k names a thread an earlier slot already named: a thread
 * that owns a resource several times is one finding. O(k log k) in the resource's owners. */
static void mark_duplicates(const nt_model *m, const nt_resource *res, owner_key *keys, unsigned char *dup)
{
    for (size_t k = 0; k < res->nowners; k++) {
        keys[k] = (owner_key){.thread = m->owners[res->first_owner + k].thread, .slot = k};
        dup[k] = 0;
    }
    qsort(keys, res->nowners, sizeof *keys, owner_key_cmp);
    for (size_t k = 1; k < res->nowners; k++)
        if (keys[k].thread && keys[k].thread == keys[k - 1].thread)
            dup[keys[k].slot] = 1;
}

int an_find_orphans(const nt_model *m, an_analysis *a)
{
    owner_key *keys = NULL;
    unsigned char *dup = NULL;
    size_t cap = 0;
    int rc = 0;
    for (size_t r = 0; r < m->nresources && !rc; r++) {
        const nt_resource *res = &m->resources[r];
        if (!res->held || !res->nowners)
            continue;
        if (res->nowners > cap) {
            owner_key *nk = realloc(keys, res->nowners * sizeof *nk);
            if (nk)
                keys = nk;
            unsigned char *nd = nk ? realloc(dup, res->nowners) : NULL;
            if (!nd) {
                rc = -1;
                break;
            }
            dup = nd;
            cap = res->nowners;
        }
        if (res->nowners > 1)
            mark_duplicates(m, res, keys, dup);
        else
            dup[0] = 0; /* one owner: no duplicate to find */
        int64_t longest = -2; /* computed on the first finding */
        for (size_t k = 0; k < res->nowners; k++) {
            size_t oi = res->first_owner + k;
            const nt_owner *o = &m->owners[oi];
            an_owner_state st = provable_state(m, res, o);
            if (dup[k] || st == AN_OWNER_LIVE || st == AN_OWNER_UNKNOWN)
                continue;
            uint32_t counted = res->exclusive_waiters_count + res->shared_waiters_count;
            an_finding *f = an_add_finding(a, AN_ORPHANED_LOCK, res->nwaiters || counted ? AN_SEV_CRITICAL : AN_SEV_HIGH);
            if (!f) {
                rc = an_pass_failed(a);
                goto done;
            }
            f->resource = r;
            f->owner = oi;
            f->owner_state = st;
            if (longest == -2)
                longest = an_longest_wait(m, res);
            f->longest_wait_ms = longest;
            f->module = an_thread_module(m, nt_owner_thread(m, o));
            f->caveat = an_lock_caveat(m, res);
            summarise(f, m, res, o, st);
        }
    }
done:
    free(keys);
    free(dup);
    return rc;
}
