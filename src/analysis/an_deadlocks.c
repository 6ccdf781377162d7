/* SPDX-License-Identifier: MIT */
/* Deadlocks: cycles in the wait-for graph. A thread waiting in a resource's ring points at
 * each owner of that resource; a cycle back to the first thread is a deadlock (ABBA and
 * longer). Each cycle is reported once, starting at its lowest thread address.
 *
 * An edge needs evidence both ways: the waiter is in the resource's ring AND is waiting
 * (WrResource) on that very entry's event, is listed under no other resource, and the owner
 * is a live, valid thread. So every edge of a reported cycle is confirmed. The graph is
 * bounded (AN_MAX_EDGES) and the search by a budget of followed edges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/an_describe.h"
#include "analysis/an_findings.h"

/* Edges followed at most in the whole search: hostile graphs stay cheap. */
#define AN_DEADLOCK_BUDGET 200000u

typedef struct edge {
    uint64_t from, to;
    size_t res;
} edge;

typedef struct search {
    const nt_model *m;
    an_analysis *a;
    edge *edges;
    size_t nedges;
    uint64_t path[AN_MAX_CYCLE];
    size_t path_res[AN_MAX_CYCLE];
    uint32_t budget;
    int nomem;
} search;

static int edge_cmp(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return a->res < b->res ? -1 : a->res > b->res;
}

static size_t first_edge(const search *s, uint64_t from)
{
    size_t lo = 0, hi = s->nedges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->edges[mid].from < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void report_cycle(search *s, size_t len)
{
    an_finding *f = an_add_finding(s->a, AN_DEADLOCK, AN_SEV_CRITICAL);
    if (!f) {
        s->nomem = an_pass_failed(s->a) != 0;
        s->budget = 0; /* bound reached or out of memory: stop searching */
        return;
    }
    f->cycle_len = len;
    memcpy(f->cycle_threads, s->path, len * sizeof s->path[0]);
    memcpy(f->cycle_resources, s->path_res, len * sizeof s->path_res[0]);
    f->resource = s->path_res[0];
    f->caveat = an_lock_caveat(s->m, NULL);
    for (size_t i = 0; i < len && !f->caveat; i++)
        f->caveat = an_lock_caveat(s->m, &s->m->resources[s->path_res[i]]);
    int64_t longest = -1;
    for (size_t i = 0; i < len && !f->module; i++)
        f->module = an_thread_module(s->m, nt_model_thread(s->m, s->path[i]));
    for (size_t i = 0; i < len; i++) {
        const nt_thread *t = nt_model_thread(s->m, s->path[i]);
        int64_t ms = t ? nt_model_wait_ms(s->m, t) : -1;
        if (ms > longest)
            longest = ms;
    }
    f->longest_wait_ms = longest;
    size_t k = (size_t)snprintf(f->summary, sizeof f->summary, "Deadlock among %zu threads: ", len);
    for (size_t i = 0; i < len && k < sizeof f->summary; i++) {
        char who[160], holder[160];
        an_describe_thread(s->m, s->path[i], who, sizeof who);
        an_describe_thread(s->m, s->path[(i + 1) % len], holder, sizeof holder);
        k += (size_t)snprintf(f->summary + k, sizeof f->summary - k, "%s waits for resource 0x%016llx held by %s%s",
                              who, (unsigned long long)s->m->resources[s->path_res[i]].va, holder,
                              i + 1 < len ? "; " : ".");
    }
}

/* Depth-first from path[depth-1]; a cycle closes when it returns to path[0]. Only cycles
 * whose other members are all above path[0] are taken, so each is found once. */
static void dfs(search *s, size_t depth)
{
    uint64_t cur = s->path[depth - 1];
    for (size_t i = first_edge(s, cur); i < s->nedges && s->edges[i].from == cur && !s->nomem; i++) {
        if (s->budget == 0)
            return;
        s->budget--;
        const edge *e = &s->edges[i];
        s->path_res[depth - 1] = e->res;
        if (e->to == s->path[0]) {
            report_cycle(s, depth);
            continue;
        }
        if (e->to < s->path[0] || depth == AN_MAX_CYCLE)
            continue;
        int seen = 0;
        for (size_t k = 0; k < depth && !seen; k++)
            seen = s->path[k] == e->to;
        if (seen)
            continue;
        s->path[depth] = e->to;
        dfs(s, depth + 1);
    }
}

typedef struct waiter_key {
    uint64_t thread;
    size_t res;
    uint32_t thread_at; /* the waiter's hint (nt_model_thread_at) */
} waiter_key;

static int waiter_key_cmp(const void *x, const void *y)
{
    const waiter_key *a = x, *b = y;
    if (a->thread != b->thread)
        return a->thread < b->thread ? -1 : 1;
    return a->res < b->res ? -1 : a->res > b->res;
}

/* A thread waits on one resource at a time: one listed under two resources (a spliced
 * ring) proves nothing about either. Returns the sorted (thread, resource) pairs of
 * confirmed waiters, with ambiguous threads counted in a. */
static waiter_key *confirmed_waiters(const nt_model *m, an_analysis *a, size_t *n)
{
    size_t total = 0;
    for (size_t r = 0; r < m->nresources; r++)
        if (m->resources[r].held)
            total += m->resources[r].nwaiters;
    *n = 0;
    waiter_key *v = malloc((total ? total : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t r = 0; r < m->nresources; r++) {
        const nt_resource *res = &m->resources[r];
        for (size_t w = 0; res->held && w < res->nwaiters; w++) {
            const nt_waiter *wt = &m->waiters[res->first_waiter + w];
            if (wt->confirmed && wt->thread)
                v[(*n)++] = (waiter_key){.thread = wt->thread, .res = r, .thread_at = wt->thread_at};
        }
    }
    if (*n)
        qsort(v, *n, sizeof *v, waiter_key_cmp);
    size_t k = 0;
    for (size_t i = 0; i < *n;) {
        size_t j = i;
        int other = 0;
        while (j < *n && v[j].thread == v[i].thread) {
            other |= v[j].res != v[i].res;
            j++;
        }
        if (other) {
            if (!a->ambiguous_waiters++)
                a->first_ambiguous = v[i].thread;
        } else {
            v[k++] = v[i]; /* a thread in one ring twice is one waiter */
        }
        i = j;
    }
    *n = k;
    return v;
}

/* The owner end of an edge: a valid thread that is not terminated (a terminated owner is
 * an orphan, reported as such). */
static int live_owner(const nt_model *m, const nt_owner *o)
{
    if (o->probe != NT_PROBE_THREAD || !o->thread)
        return 0;
    const nt_thread *t = nt_owner_thread(m, o);
    return t && t->valid && !nt_thread_is_terminated(m, t);
}

int an_find_deadlocks(const nt_model *m, an_analysis *a)
{
    search s = {.m = m, .a = a, .budget = AN_DEADLOCK_BUDGET};
    size_t cap = 0, nw;
    waiter_key *waiters = confirmed_waiters(m, a, &nw);
    if (!waiters)
        return -1;
    for (size_t i = 0; i < nw && !a->edges_cut; i++) {
        const nt_resource *res = &m->resources[waiters[i].res];
        uint64_t from = waiters[i].thread;
        const nt_thread *wt = nt_model_thread_at(m, from, waiters[i].thread_at);
        if (!wt || !wt->valid)
            continue;
        for (size_t o = 0; o < res->nowners; o++) {
                const nt_owner *ow = &m->owners[res->first_owner + o];
                uint64_t to = ow->thread;
                if (to == from || !live_owner(m, ow))
                    continue;
                if (s.nedges >= AN_MAX_EDGES) {
                    a->edges_cut = 1;
                    break;
                }
                if (s.nedges == cap) {
                    size_t ncap = cap ? cap * 2 : 64;
                    edge *n = realloc(s.edges, ncap * sizeof *n);
                    if (!n) {
                        free(s.edges);
                        free(waiters);
                        return -1;
                    }
                    s.edges = n;
                    cap = ncap;
                }
                s.edges[s.nedges++] = (edge){.from = from, .to = to, .res = waiters[i].res};
        }
    }
    free(waiters);
    /* The waiters came sorted by thread, so the edges are sorted by their from end already:
     * only each from's own edges (one resource's owners) need ordering. */
    for (size_t i = 0, j; i < s.nedges; i = j) {
        for (j = i + 1; j < s.nedges && s.edges[j].from == s.edges[i].from;)
            j++;
        if (j - i > 1)
            qsort(s.edges + i, j - i, sizeof *s.edges, edge_cmp);
    }
    for (size_t i = 0; i < s.nedges && !s.nomem; i++) {
        if (i > 0 && s.edges[i].from == s.edges[i - 1].from)
            continue;
        s.path[0] = s.edges[i].from;
        dfs(&s, 1);
    }
    free(s.edges);
    return s.nomem ? -1 : 0;
}
