/* Executive resources on ExpSystemResourcesList: flags and counters, every owner (the
 * inline OwnerEntry and the OwnerTable slots), every waiter from the headless waiter rings
 * whose entries live on the waiters' own stacks (nt-locks-and-waits.md 1.3-1.5). */
#include <stdlib.h>
#include <string.h>

#include "nt/nt_list.h"
#include "nt/nt_model.h"
#include "util/le.h"

/* ERESOURCE.Flag bits (nt-locks-and-waits.md 1.2). */
#define RES_FLAG_FAST_RESOURCE   0x01
#define RES_FLAG_OWNED_EXCLUSIVE 0x80
/* Extra ring entries tolerated beyond the resource's own waiter counter. */
#define RING_SLACK 8u
/* OwnerThread values with these low bits set are owner cookies, not thread pointers. */
#define OWNER_TAG_BITS 3ull

typedef struct res_walk {
    nt_model *m;
    size_t cap_res, cap_own, cap_wait;
    uint32_t size;
    uint8_t buf[0x100];
    int nomem;
    int entries_warned;
    uint32_t fast_seen;
} res_walk;

/* The bound on owners plus waiters over all resources; warns once when reached. */
static int lock_entries_full(res_walk *w)
{
    nt_model *m = w->m;
    if (m->nowners + m->nwaiters < m->ctx.limits.lock_entries)
        return 0;
    if (!w->entries_warned)
        nt_warn(&m->ctx, "more than %u lock owners and waiters; the rest are not listed (--limit lock_entries=N)",
                m->ctx.limits.lock_entries);
    w->entries_warned = 1;
    m->ctx.limited = 1;
    return 1;
}

static int add_owner(res_walk *w, nt_resource *r, uint64_t raw, uint64_t word)
{
    nt_model *m = w->m;
    nt_ctx *c = &m->ctx;
    if (r->nowners >= c->limits.owners_per_resource || lock_entries_full(w)) {
        r->damaged = 1;
        return 0;
    }
    int grown = nt_grow(c, (void **)&m->owners, &w->cap_own, m->nowners, sizeof *m->owners);
    if (grown) {
        w->nomem = grown == NT_GROW_NOMEM;
        return -1;
    }
    nt_owner *o = &m->owners[m->nowners++];
    memset(o, 0, sizeof *o);
    const nt_field *fcount = nt_field_get(c->prof, NT_F_OWNER_ENTRY_OWNERCOUNT);
    const nt_field *fio = nt_field_get(c->prof, NT_F_OWNER_ENTRY_IOPRIORITYBOOSTED);
    const nt_field *fref = nt_field_get(c->prof, NT_F_OWNER_ENTRY_OWNERREFERENCED);
    const nt_field *fqos = nt_field_get(c->prof, NT_F_OWNER_ENTRY_IOQOSPRIORITYBOOSTED);
    o->raw = raw;
    if ((raw & OWNER_TAG_BITS) == 0 && !nt_is_kernel_va(raw)) {
        nt_damage(c, "resource 0x%016llx: owner 0x%016llx is not a kernel address", (unsigned long long)r->va,
                  (unsigned long long)raw);
        r->damaged = 1;
    }
    o->count = fcount ? (uint32_t)nt_field_bits(fcount, word) : 0;
    o->io_boosted = fio ? (int)nt_field_bits(fio, word) : 0;
    o->referenced = fref ? (int)nt_field_bits(fref, word) : 0;
    o->qos_boosted = fqos ? (int)nt_field_bits(fqos, word) : 0;
    if ((raw & OWNER_TAG_BITS) == 0)
        o->thread = raw;
    else if (o->referenced)
        o->thread = raw & ~OWNER_TAG_BITS; /* FLAG_OWNER_POINTER_IS_THREAD */
    r->nowners++;
    return 0;
}

/* The 32-bit word after OwnerThread, as one value the bitfields can be cut from. */
static uint64_t owner_word(const nt_ctx *c, const uint8_t *entry)
{
    const nt_field *f = nt_field_get(c->prof, NT_F_OWNER_ENTRY_OWNERCOUNT);
    return f ? le32(entry + f->offset) : 0;
}

static int read_owner_table(res_walk *w, nt_resource *r, uint64_t table)
{
    nt_ctx *c = &w->m->ctx;
    uint32_t esize = nt_size(c, NT_S_OWNER_ENTRY);
    uint8_t e[16];
    if (esize != sizeof e || !nt_is_kernel_va(table) || nt_read(c, table, e, sizeof e) != DI_OK) {
        nt_damage(c, "resource 0x%016llx: its owner table 0x%016llx cannot be read", (unsigned long long)r->va,
                (unsigned long long)table);
        r->damaged = 1;
        return 0;
    }
    const nt_field *fsize = nt_field_get(c->prof, NT_F_OWNER_ENTRY_TABLESIZE);
    uint64_t slots = fsize ? nt_field_bits(fsize, le32(e + fsize->offset)) : 0;
    if (slots > c->limits.owners_per_resource) {
        nt_damage(c, "resource 0x%016llx: owner table claims %llu slots; reading %u (--limit owners_per_resource=N)", (unsigned long long)r->va,
                (unsigned long long)slots, c->limits.owners_per_resource);
        slots = c->limits.owners_per_resource;
        r->damaged = 1;
    }
    /* ActiveEntries says how many owner entries are in use: stop once they are all found,
     * so a damaged TableSize cannot turn pool garbage into owners. */
    for (uint64_t i = 1; i < slots && r->nowners < r->active_entries && !nt_step(c); i++) {
        if (nt_read(c, table + i * esize, e, sizeof e) != DI_OK) {
            nt_damage(c, "resource 0x%016llx: owner table slot %llu cannot be read", (unsigned long long)r->va,
                    (unsigned long long)i);
            r->damaged = 1;
            return 0;
        }
        uint64_t raw = le64(e + nt_off(c, NT_F_OWNER_ENTRY_OWNERTHREAD));
        if (raw && add_owner(w, r, raw, owner_word(c, e)))
            return -1;
    }
    return 0;
}

/* Walk one headless ring of KWAIT_CHAIN_ENTRY records starting at first. */
static int read_waiter_ring(res_walk *w, nt_resource *r, uint64_t first, int exclusive, uint32_t declared)
{
    nt_model *m = w->m;
    nt_ctx *c = &m->ctx;
    uint32_t esize = nt_size(c, NT_S_KWAIT_CHAIN_ENTRY);
    uint32_t bound = declared + RING_SLACK;
    if (bound > c->limits.waiters_per_resource)
        bound = c->limits.waiters_per_resource;
    uint8_t e[0x40];
    uint64_t p = first;
    const char *kind = exclusive ? "exclusive" : "shared";
    size_t ring_start = r->nwaiters; /* this ring's entries start here among the resource's */
    for (uint32_t n = 0;; n++) {
        if (nt_step(c))
            return 0;
        if (n >= bound) {
            nt_damage(c, "resource 0x%016llx: the %s waiter ring does not close after %u entries (counter says %u)",
                    (unsigned long long)r->va, kind, n, declared);
            r->damaged = 1;
            return 0;
        }
        for (size_t k = r->first_waiter + ring_start; k < m->nwaiters; k++)
            if (m->waiters[k].entry == p) {
                nt_damage(c, "resource 0x%016llx: the %s waiter ring loops back to entry 0x%016llx without returning "
                             "to its first entry",
                          (unsigned long long)r->va, kind, (unsigned long long)p);
                r->damaged = 1;
                return 0;
            }
        if (esize == 0 || esize > sizeof e || !nt_is_kernel_va(p) || (p & 7) || nt_read(c, p, e, esize) != DI_OK) {
            nt_damage(c, "resource 0x%016llx: %s waiter entry 0x%016llx cannot be read", (unsigned long long)r->va, kind,
                    (unsigned long long)p);
            r->damaged = 1;
            return 0;
        }
        uint64_t type = nt_buf_field(c, e, esize, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE);
        uint64_t size = nt_buf_field(c, e, esize, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIZE);
        uint64_t thread = nt_buf_field(c, e, esize, NT_F_KWAIT_CHAIN_ENTRY_THREAD);
        /* A real entry embeds an unsignalled SynchronizationEvent (Type 1, Size 6). */
        if ((int32_t)type != nt_enum(c, NT_E_KOBJECTS_EVENTSYNCHRONIZATIONOBJECT) ||
            size * 4 != nt_size(c, NT_S_KEVENT) || !nt_is_kernel_va(thread)) {
            nt_damage(c, "resource 0x%016llx: %s waiter entry 0x%016llx is not a wait entry (event type %llu, size %llu, "
                       "thread 0x%016llx); the ring is not trusted beyond it",
                    (unsigned long long)r->va, kind, (unsigned long long)p, (unsigned long long)type,
                    (unsigned long long)size, (unsigned long long)thread);
            r->damaged = 1;
            return 0;
        }
        if (lock_entries_full(w)) {
            r->damaged = 1;
            return 0;
        }
        int grown = nt_grow(c, (void **)&m->waiters, &w->cap_wait, m->nwaiters, sizeof *m->waiters);
        if (grown) {
            w->nomem = grown == NT_GROW_NOMEM;
            return -1;
        }
        nt_waiter *wt = &m->waiters[m->nwaiters++];
        memset(wt, 0, sizeof *wt);
        wt->thread = thread;
        wt->entry = p;
        wt->exclusive = exclusive;
        r->nwaiters++;
        uint64_t next =
            nt_buf_field_at(c, e, esize, nt_off(c, NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY), NT_F_LIST_ENTRY_FLINK);
        if (next == first)
            return 0;
        p = next;
    }
}

static int visit_resource(nt_ctx *c, uint64_t entry, void *arg)
{
    res_walk *w = arg;
    nt_model *m = w->m;
    if (nt_count_limit(c, NT_COUNT_RESOURCES, m->nresources))
        return 1;
    uint64_t va = entry - nt_off(c, NT_F_ERESOURCE_SYSTEMRESOURCESLIST);
    if (nt_read(c, va, w->buf, w->size) != DI_OK) {
        nt_damage(c, "executive resource 0x%016llx cannot be read from the dump; skipped", (unsigned long long)va);
        return 0;
    }
    int grown = nt_grow(c, (void **)&m->resources, &w->cap_res, m->nresources, sizeof *m->resources);
    if (grown) {
        w->nomem = grown == NT_GROW_NOMEM;
        return 1;
    }
    const uint8_t *b = w->buf;
    uint32_t n = w->size;
    nt_resource *r = &m->resources[m->nresources++];
    memset(r, 0, sizeof *r);
    r->va = va;
    r->flag = (uint16_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_FLAG);
    r->active_count = (int16_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_ACTIVECOUNT);
    r->active_entries = (uint32_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_ACTIVEENTRIES);
    r->contention_count = (uint32_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_CONTENTIONCOUNT);
    r->shared_waiters_count = (uint32_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_NUMBEROFSHAREDWAITERS);
    r->exclusive_waiters_count = (uint32_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_NUMBEROFEXCLUSIVEWAITERS);
    r->held = r->active_entries != 0 || r->active_count != 0;
    r->exclusive = (r->flag & RES_FLAG_OWNED_EXCLUSIVE) != 0;
    r->fast = (r->flag & RES_FLAG_FAST_RESOURCE) != 0;
    r->first_owner = m->nowners;
    r->first_waiter = m->nwaiters;
    if (r->fast) {
        w->fast_seen++; /* classic owner/waiter layout does not apply */
        return 0;
    }
    if (r->held) {
        uint32_t oe = nt_off(c, NT_F_ERESOURCE_OWNERENTRY);
        uint64_t raw = nt_buf_field_at(c, b, n, oe, NT_F_OWNER_ENTRY_OWNERTHREAD);
        if (raw && add_owner(w, r, raw, oe + 12 <= n ? owner_word(c, b + oe) : 0))
            return 1;
        uint64_t table = nt_buf_field(c, b, n, NT_F_ERESOURCE_OWNERTABLE);
        if (!r->exclusive && table && read_owner_table(w, r, table))
            return 1;
    }
    uint64_t xw = nt_buf_field(c, b, n, NT_F_ERESOURCE_EXCLUSIVEWAITERS);
    uint64_t sw = nt_buf_field(c, b, n, NT_F_ERESOURCE_SHAREDWAITERS);
    if (xw && read_waiter_ring(w, r, xw, 1, r->exclusive_waiters_count))
        return 1;
    if (sw && read_waiter_ring(w, r, sw, 0, r->shared_waiters_count))
        return 1;
    return 0;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Owners and waiters that no process list showed still get a thread record when they
 * validate as threads; then every waiter is checked against its thread's wait. */
static di_status join_threads(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    for (size_t i = 0; i < m->nowners; i++) {
        nt_owner *o = &m->owners[i];
        o->probe = NT_PROBE_NONE;
        if (o->thread && nt_model_add_thread(m, o->thread, &o->probe) != DI_OK)
            return DI_E_NOMEM;
    }
    for (size_t i = 0; i < m->nwaiters; i++)
        if (nt_model_add_thread(m, m->waiters[i].thread, &m->waiters[i].probe) != DI_OK)
            return DI_E_NOMEM;
    nt_model_sort_threads(m);
    uint32_t event_off = nt_off(c, NT_F_KWAIT_CHAIN_ENTRY_EVENT);
    int32_t wr_resource = nt_enum(c, NT_E_KWAIT_REASON_WRRESOURCE);
    for (size_t i = 0; i < m->nwaiters; i++) {
        nt_waiter *wt = &m->waiters[i];
        const nt_thread *t = nt_model_thread(m, wt->thread);
        wt->confirmed = t && nt_thread_is_waiting(m, t) && t->wait_reason == wr_resource &&
                        t->wait_object == wt->entry + event_off;
        if (!wt->confirmed)
            nt_warn(c, "waiter 0x%016llx in the ring entry 0x%016llx is not waiting on that entry's event%s",
                    (unsigned long long)wt->thread, (unsigned long long)wt->entry,
                    t ? "" : " (not a readable thread)");
    }
    /* The other direction: a WrResource wait that no resource's ring explains. */
    uint64_t *listed = malloc((m->nwaiters ? m->nwaiters : 1) * sizeof *listed);
    if (!listed)
        return DI_E_NOMEM;
    for (size_t i = 0; i < m->nwaiters; i++)
        listed[i] = m->waiters[i].thread;
    if (m->nwaiters)
        qsort(listed, m->nwaiters, sizeof *listed, u64_cmp);
    for (size_t i = 0; i < m->nthreads && m->resources_complete; i++) {
        const nt_thread *t = &m->threads[i];
        if (!nt_thread_is_waiting(m, t) || t->wait_reason != wr_resource)
            continue;
        if (!m->nwaiters || !bsearch(&t->va, listed, m->nwaiters, sizeof *listed, u64_cmp))
            nt_warn(c, "thread 0x%016llx (TID %llu) waits with WrResource on 0x%016llx, which no listed resource's "
                       "waiter ring contains",
                    (unsigned long long)t->va, (unsigned long long)t->tid, (unsigned long long)t->wait_object);
    }
    free(listed);
    return DI_OK;
}

di_status nt_walk_resources(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    if (!m->exp_system_resources_list)
        return DI_OK;
    res_walk *w = calloc(1, sizeof *w);
    if (!w)
        return DI_E_NOMEM;
    w->m = m;
    w->size = nt_size(c, NT_S_ERESOURCE);
    if (w->size == 0 || w->size > sizeof w->buf) {
        free(w);
        return DI_OK;
    }
    nt_list_result res;
    nt_list_walk(c, m->exp_system_resources_list, c->limits.list_steps, visit_resource, w, &res);
    int nomem = w->nomem;
    uint32_t fast = w->fast_seen;
    free(w);
    if (nomem)
        return DI_E_NOMEM;
    m->resources_complete = res.end == NT_LIST_COMPLETE;
    nt_list_report(c, "ExpSystemResourcesList", &res);
    if (fast)
        nt_warn(c, "%u resources are FAST_ERESOURCEs driven through the legacy API; their owners are not decoded", fast);
    return join_threads(m);
}
