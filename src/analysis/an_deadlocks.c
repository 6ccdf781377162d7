/* Deadlocks: cycles in the wait-for graph. A thread waiting in a resource's ring points at
 * each owner of that resource; a cycle back to the first thread is a deadlock (ABBA and
 * longer). Each cycle is reported once, starting at its lowest thread address. */
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
        s->nomem = 1;
        return;
    }
    f->cycle_len = len;
    memcpy(f->cycle_threads, s->path, len * sizeof s->path[0]);
    memcpy(f->cycle_resources, s->path_res, len * sizeof s->path_res[0]);
    f->resource = s->path_res[0];
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
        char who[128], holder[128];
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

int an_find_deadlocks(const nt_model *m, an_analysis *a)
{
    search s = {.m = m, .a = a, .budget = AN_DEADLOCK_BUDGET};
    size_t cap = 0;
    for (size_t r = 0; r < m->nresources; r++) {
        const nt_resource *res = &m->resources[r];
        for (size_t w = 0; res->held && w < res->nwaiters; w++)
            for (size_t o = 0; o < res->nowners; o++) {
                uint64_t to = m->owners[res->first_owner + o].thread;
                uint64_t from = m->waiters[res->first_waiter + w].thread;
                if (!to || to == from)
                    continue;
                if (s.nedges == cap) {
                    size_t ncap = cap ? cap * 2 : 64;
                    edge *n = realloc(s.edges, ncap * sizeof *n);
                    if (!n) {
                        free(s.edges);
                        return -1;
                    }
                    s.edges = n;
                    cap = ncap;
                }
                s.edges[s.nedges++] = (edge){.from = from, .to = to, .res = r};
            }
    }
    if (s.nedges)
        qsort(s.edges, s.nedges, sizeof *s.edges, edge_cmp);
    for (size_t i = 0; i < s.nedges && !s.nomem; i++) {
        if (i > 0 && s.edges[i].from == s.edges[i - 1].from)
            continue;
        s.path[0] = s.edges[i].from;
        dfs(&s, 1);
    }
    free(s.edges);
    return s.nomem ? -1 : 0;
}
