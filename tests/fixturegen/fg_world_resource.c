/* SPDX-License-Identifier: MIT */
/* Executive resources on ExpSystemResourcesList (nt-locks-and-waits.md 1-2): the declared ones
 * with owners (inline OwnerEntry plus an owner table for more shared owners) and their
 * waiters, interleaved with unheld ones that are all zero but their list links. Waiters are
 * kept as the build keeps them (fgw_waiter_family): 15063 on, headless rings of wait entries
 * on the waiters' own kernel stacks; 10240..14393, one pool event for the exclusive waiters
 * and (10586, 14393) a single chain of stack entries for the shared ones. */
#include "fg_world_int.h"

#include <stdlib.h>
#include <string.h>

/* ERESOURCE.Flag low-byte bits (nt-locks-and-waits.md 1.2). */
#define RES_QOS_BOOST_REQUESTED 0x02u
#define RES_IO_BOOST_REQUESTED 0x04u
#define RES_OWNED_EXCLUSIVE 0x80u
#define WAITER_PRIORITY_CAP 15u
/* WRK grows owner tables 3 -> 7 -> 11 ... slots (slot 0 is the header). */
#define TABLE_FIRST 3u
#define TABLE_STEP 4u

int fgw_resources_resolve(fg_world *w)
{
    const nt_field *cnt = nt_field_get(w->p, NT_F_OWNER_ENTRY_OWNERCOUNT);
    for (size_t i = 0; i < w->nres; i++) {
        fgw_resource *r = &w->res[i];
        for (size_t k = 0; k < r->nowners; k++) {
            fgw_owner *o = &r->owners[k];
            if (cnt != NULL && cnt->bit_width < 32 && (o->count >> cnt->bit_width) != 0)
                return fgw_fail(w, r->line, "resource %s: owner count %u does not fit OwnerCount",
                                r->id, o->count);
            if (o->is_raw)
                continue;
            long t = fgw_find_thread(w, o->ref);
            if (t < 0)
                return fgw_fail(w, r->line, "resource %s: no thread is called '%s'", r->id, o->ref);
            o->thread = (size_t)t;
        }
        for (size_t k = 0; k < r->nwaiters; k++) {
            fgw_waiter *wt = &r->waiters[k];
            long t = fgw_find_thread(w, wt->ref);
            if (t < 0)
                return fgw_fail(w, r->line, "resource %s: no thread is called '%s'", r->id, wt->ref);
            if (w->threads[t].waiter)
                return fgw_fail(w, r->line, "resource %s: thread %s already waits on a resource",
                                r->id, wt->ref);
            w->threads[t].waiter = 1;
            wt->thread = (size_t)t;
        }
    }
    return 0;
}

fgw_wait_family fgw_waiter_family(const fg_world *w)
{
    const nt_field *link = nt_field_get(w->p, NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY);
    if (nt_field_get(w->p, NT_F_KWAIT_CHAIN_ENTRY_THREAD) != NULL)
        return FGW_WAIT_RING_THREAD;
    if (link == NULL || fgw_size(w, NT_S_KWAIT_CHAIN_ENTRY) == 0)
        return FGW_WAIT_EVENT_ONLY;
    return link->size == fgw_size(w, NT_S_LIST_ENTRY) ? FGW_WAIT_RING : FGW_WAIT_CHAIN;
}

static int pool_event_family(const fg_world *w)
{
    fgw_wait_family f = fgw_waiter_family(w);
    return f == FGW_WAIT_CHAIN || f == FGW_WAIT_EVENT_ONLY;
}

static uint64_t event_wait_head(const fg_world *w, uint64_t event)
{
    return event + fgw_off(w, NT_F_KEVENT_HEADER) + fgw_off(w, NT_F_DISPATCHER_HEADER_WAITLISTHEAD);
}

/* 10240..14393: the exclusive waiters all wait on one pool KEVENT; their wait blocks make up
 * its wait list in declaration order. */
static int place_pool_event(fg_world *w, fgw_resource *r)
{
    size_t idx[FGW_MAX_WAITERS], n = 0;
    for (size_t k = 0; k < r->nwaiters; k++) {
        if (r->waiters[k].exclusive)
            idx[n++] = r->waiters[k].thread;
        else if (fgw_waiter_family(w) == FGW_WAIT_EVENT_ONLY)
            return fgw_fail(w, r->line, "resource %s: build %u's shared wait entries are not in the offset data",
                            r->id, w->p->build);
    }
    if (n == 0)
        return 0;
    r->xevent = fg_alloc_kva(w->d, fgw_size(w, NT_S_KEVENT), 16);
    if (r->xevent == 0)
        return fgw_fail_dump(w, r->line, "allocating an event");
    uint64_t head = event_wait_head(w, r->xevent), wb = fgw_off(w, NT_F_KTHREAD_WAITBLOCK);
    for (size_t k = 0; k < n; k++) {
        fgw_thread *t = &w->threads[idx[k]];
        t->wait_object = r->xevent;
        t->wait_linked = 1;
        t->wait_flink = k + 1 < n ? w->threads[idx[k + 1]].va + wb : head;
        t->wait_blink = k > 0 ? w->threads[idx[k - 1]].va + wb : head;
    }
    return 0;
}

static int write_pool_event(fg_world *w, const fgw_resource *r)
{
    if (r->xevent == 0)
        return 0;
    uint64_t first = 0, last = 0, wb = fgw_off(w, NT_F_KTHREAD_WAITBLOCK);
    for (size_t k = 0; k < r->nwaiters; k++)
        if (r->waiters[k].exclusive) {
            last = w->threads[r->waiters[k].thread].va + wb;
            if (first == 0)
                first = last;
        }
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_KEVENT)) != 0)
        return fgw_fail(w, r->line, "out of memory");
    size_t hdr = fgw_off(w, NT_F_KEVENT_HEADER);
    fgw_set(&o, hdr, NT_F_DISPATCHER_HEADER_TYPE, (uint64_t)fgw_enum(w, NT_E_KOBJECTS_EVENTSYNCHRONIZATIONOBJECT));
    fgw_set(&o, hdr, NT_F_DISPATCHER_HEADER_SIZE, fgw_size(w, NT_S_KEVENT) / 4);
    fgw_set_list(&o, hdr, NT_F_DISPATCHER_HEADER_WAITLISTHEAD, first, last);
    int rc = fgw_put(w, r->line, r->xevent, &o);
    fgw_buf_free(&o);
    return rc;
}

static uint32_t table_slots(size_t owners)
{
    uint32_t slots = TABLE_FIRST;
    while (slots < owners)
        slots += TABLE_STEP;
    return slots;
}

/* Makes sure a block of leftover pool does not happen to look like a wait entry. */
static int spoil(fg_world *w, unsigned line, uint64_t va)
{
    uint8_t type, size;
    if (fg_read(w->d, va + fgw_off(w, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE), &type, 1) != FG_OK ||
        fg_read(w->d, va + fgw_off(w, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIZE), &size, 1) != FG_OK)
        return fgw_fail_dump(w, line, "reading pool");
    if (type == (uint8_t)fgw_enum(w, NT_E_KOBJECTS_EVENTSYNCHRONIZATIONOBJECT) &&
        (uint32_t)size * 4 == fgw_size(w, NT_S_KEVENT)) {
        uint8_t bad = 0xFF;
        if (fgw_write(w, va + fgw_off(w, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE), &bad, 1) != FG_OK)
            return fgw_fail_dump(w, line, "writing pool");
    }
    return 0;
}

static int place_declared(fg_world *w, fgw_resource *r, uint32_t size)
{
    r->va = fgw_place(w, r->line, r->fixed_va, 0, size, 0);
    if (r->va == 0)
        return -1;
    if (r->mode == FGW_SHARED && r->nowners > 1) {
        r->table = fg_alloc_kva(w->d, table_slots(r->nowners) * (uint64_t)fgw_size(w, NT_S_OWNER_ENTRY), 16);
        if (r->table == 0)
            return fgw_fail_dump(w, r->line, "allocating an owner table");
    }
    if (pool_event_family(w) && place_pool_event(w, r) != 0)
        return -1;
    if (r->bad_ring) {
        uint32_t gsize = fgw_size(w, NT_S_KWAIT_CHAIN_ENTRY);
        r->garbage = fg_alloc_kva(w->d, gsize > fgw_size(w, NT_S_KEVENT) ? gsize : fgw_size(w, NT_S_KEVENT), 16);
        if (r->garbage == 0 || spoil(w, r->line, r->garbage) != 0)
            return r->garbage == 0 ? fgw_fail_dump(w, r->line, "allocating pool") : -1;
    }
    return 0;
}

int fgw_resources_layout(fg_world *w)
{
    uint32_t size = fgw_size(w, NT_S_ERESOURCE);
    size_t total = w->nres + (size_t)w->unheld, slot = 0;
    w->res_list = malloc((total + 1) * sizeof(*w->res_list));
    w->res_decl = malloc((total + 1) * sizeof(*w->res_decl));
    if (w->res_list == NULL || w->res_decl == NULL)
        return fgw_fail(w, w->line, "out of memory");
    /* Unheld resources spread evenly around the declared ones, like creation order would. */
    for (size_t g = 0; g <= w->nres; g++) {
        uint64_t fill = w->unheld * (g + 1) / (w->nres + 1) - w->unheld * g / (w->nres + 1);
        for (uint64_t k = 0; k < fill; k++, slot++) {
            w->res_decl[slot] = -1;
            w->res_list[slot] = fg_alloc_kva(w->d, size, 16);
            if (w->res_list[slot] == 0)
                return fgw_fail_dump(w, w->line, "allocating resources");
        }
        if (g == w->nres)
            break;
        if (place_declared(w, &w->res[g], size) != 0)
            return -1;
        w->res_decl[slot] = (long)g;
        w->res_list[slot++] = w->res[g].va;
    }
    w->nres_list = slot;
    return 0;
}

static void set_owner(fg_world *w, fgw_buf *o, size_t base, const fgw_owner *ow)
{
    fgw_set(o, base, NT_F_OWNER_ENTRY_OWNERTHREAD, ow->is_raw ? ow->raw : w->threads[ow->thread].va);
    fgw_set(o, base, NT_F_OWNER_ENTRY_IOPRIORITYBOOSTED, (ow->flags & FGW_OWN_IO) != 0);
    fgw_set(o, base, NT_F_OWNER_ENTRY_OWNERREFERENCED, (ow->flags & FGW_OWN_REF) != 0);
    fgw_set(o, base, NT_F_OWNER_ENTRY_IOQOSPRIORITYBOOSTED, (ow->flags & FGW_OWN_QOS) != 0);
    fgw_set(o, base, NT_F_OWNER_ENTRY_OWNERCOUNT, ow->count);
}

static int write_table(fg_world *w, const fgw_resource *r)
{
    uint32_t esize = fgw_size(w, NT_S_OWNER_ENTRY), slots = table_slots(r->nowners);
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, (size_t)slots * esize) != 0)
        return fgw_fail(w, r->line, "out of memory");
    fgw_set(&o, 0, NT_F_OWNER_ENTRY_TABLESIZE, slots);
    for (size_t k = 1; k < r->nowners; k++)
        set_owner(w, &o, k * esize, &r->owners[k]);
    int rc = fgw_put(w, r->line, r->table, &o);
    fgw_buf_free(&o);
    return rc;
}

/* The wait entries of the waiters of one mode, in declaration order: a headless ring, or
 * (10586, 14393) a single chain ending in NULL. The exclusive waiters of 10240..14393 have
 * no entries (their pool event is written by write_pool_event). */
static int write_ring(fg_world *w, const fgw_resource *r, int exclusive, uint64_t *first)
{
    size_t idx[FGW_MAX_WAITERS], n = 0;
    int chain = fgw_waiter_family(w) == FGW_WAIT_CHAIN;
    if (pool_event_family(w) && exclusive) {
        *first = r->xevent;
        return 0;
    }
    for (size_t k = 0; k < r->nwaiters; k++)
        if (r->waiters[k].exclusive == exclusive)
            idx[n++] = r->waiters[k].thread;
    *first = n ? w->threads[idx[0]].wait_entry : 0;
    fgw_buf o;
    if (n == 0)
        return 0;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_KWAIT_CHAIN_ENTRY)) != 0)
        return fgw_fail(w, r->line, "out of memory");
    size_t ev = fgw_off(w, NT_F_KWAIT_CHAIN_ENTRY_EVENT) + fgw_off(w, NT_F_KEVENT_HEADER);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        const fgw_thread *t = &w->threads[idx[k]];
        uint64_t wb = t->va + fgw_off(w, NT_F_KTHREAD_WAITBLOCK);
        memset(o.b, 0, o.len);
        if (chain)
            fgw_set(&o, 0, NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY, k + 1 < n ? w->threads[idx[k + 1]].wait_entry : 0);
        else
            fgw_set_list(&o, 0, NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY, w->threads[idx[(k + 1) % n]].wait_entry,
                         w->threads[idx[(k + n - 1) % n]].wait_entry);
        fgw_set(&o, 0, NT_F_KWAIT_CHAIN_ENTRY_THREAD, t->va);
        fgw_set(&o, 0, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE,
                (uint64_t)fgw_enum(w, NT_E_KOBJECTS_EVENTSYNCHRONIZATIONOBJECT));
        fgw_set(&o, 0, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIZE, fgw_size(w, NT_S_KEVENT) / 4);
        fgw_set(&o, 0, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIGNALSTATE, 0);
        fgw_set_list(&o, ev, NT_F_DISPATCHER_HEADER_WAITLISTHEAD, wb, wb);
        rc = fgw_put(w, r->line, t->wait_entry, &o);
    }
    fgw_buf_free(&o);
    return rc;
}

static uint8_t low_flags(const fgw_resource *r)
{
    if (r->has_flag)
        return (uint8_t)r->flag;
    unsigned any = 0;
    for (size_t k = 0; k < r->nowners; k++)
        any |= r->owners[k].flags;
    /* A waiter that boosted the owners leaves its request bits while it still waits. */
    return (uint8_t)((r->mode == FGW_EXCLUSIVE ? RES_OWNED_EXCLUSIVE : 0) |
                     (any & FGW_OWN_QOS ? RES_QOS_BOOST_REQUESTED : 0) |
                     (any & FGW_OWN_IO ? RES_IO_BOOST_REQUESTED : 0));
}

static uint8_t waiter_priority(const fg_world *w, const fgw_resource *r)
{
    if (r->has_waiter_priority)
        return r->waiter_priority;
    uint8_t top = 0;
    for (size_t k = 0; k < r->nwaiters; k++)
        if (w->threads[r->waiters[k].thread].priority > top)
            top = w->threads[r->waiters[k].thread].priority;
    return top > WAITER_PRIORITY_CAP ? WAITER_PRIORITY_CAP : top;
}

static int write_declared(fg_world *w, const fgw_resource *r, fgw_buf *o)
{
    uint64_t xw, sw;
    size_t nx = 0;
    for (size_t k = 0; k < r->nwaiters; k++)
        nx += r->waiters[k].exclusive;
    if (write_ring(w, r, 1, &xw) != 0 || write_ring(w, r, 0, &sw) != 0 || write_pool_event(w, r) != 0)
        return -1;
    if (r->bad_ring && xw != 0)
        xw = r->garbage;
    else if (r->bad_ring)
        sw = r->garbage;
    fgw_set(o, 0, NT_F_ERESOURCE_OWNERTABLE, r->table);
    fgw_set(o, 0, NT_F_ERESOURCE_ACTIVECOUNT, r->nowners ? 1 : 0);
    fgw_set(o, 0, NT_F_ERESOURCE_RESERVEDLOWFLAGS, low_flags(r));
    fgw_set(o, 0, NT_F_ERESOURCE_WAITERPRIORITY, waiter_priority(w, r));
    fgw_set(o, 0, NT_F_ERESOURCE_SHAREDWAITERS, sw);
    fgw_set(o, 0, NT_F_ERESOURCE_EXCLUSIVEWAITERS, xw);
    if (r->nowners)
        set_owner(w, o, fgw_off(w, NT_F_ERESOURCE_OWNERENTRY), &r->owners[0]);
    fgw_set(o, 0, NT_F_ERESOURCE_ACTIVEENTRIES, r->nowners);
    fgw_set(o, 0, NT_F_ERESOURCE_CONTENTIONCOUNT, r->has_contention ? r->contention : r->nwaiters);
    fgw_set(o, 0, NT_F_ERESOURCE_NUMBEROFSHAREDWAITERS, r->nwaiters - nx);
    fgw_set(o, 0, NT_F_ERESOURCE_NUMBEROFEXCLUSIVEWAITERS, nx);
    if (fgw_put(w, r->line, r->va, o) != 0)
        return -1;
    return r->table ? write_table(w, r) : 0;
}

int fgw_resources_write(fg_world *w)
{
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_ERESOURCE)) != 0)
        return fgw_fail(w, w->line, "out of memory");
    uint32_t links = fgw_off(w, NT_F_ERESOURCE_SYSTEMRESOURCESLIST);
    size_t n = w->nres_list;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        uint64_t next = k + 1 < n ? w->res_list[k + 1] + links : w->res_head;
        uint64_t prev = k > 0 ? w->res_list[k - 1] + links : w->res_head;
        memset(o.b, 0, o.len);
        fgw_set_list(&o, 0, NT_F_ERESOURCE_SYSTEMRESOURCESLIST, next, prev);
        if (w->res_decl[k] >= 0)
            rc = write_declared(w, &w->res[w->res_decl[k]], &o);
        else
            rc = fgw_put(w, w->line, w->res_list[k], &o);
    }
    fgw_buf_free(&o);
    if (rc != 0)
        return rc;
    return fgw_write_list(w, w->line, w->res_head, n ? w->res_list[0] + links : w->res_head,
                          n ? w->res_list[n - 1] + links : w->res_head);
}
