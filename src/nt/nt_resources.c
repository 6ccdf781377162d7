/* SPDX-License-Identifier: MIT */
/* Executive resources on ExpSystemResourcesList: flags and counters, every owner (the
 * inline OwnerEntry and the OwnerTable slots), every waiter from the structures the build
 * keeps them in (waiter_family_of; nt-locks-and-waits.md 1.3-1.5), cross-checked against the
 * threads that wait with WrResource.
 *
 * Nothing on the list is believed for being there: a list head pointed at another list, or a
 * Flink redirected into other pool, yields entries of other types. Each entry is checked as a
 * whole -- Flag bits, ActiveCount and ActiveEntries against the owners found, the waiter
 * counters against the rings found -- and every inconsistency is recorded with the 8-byte
 * words of the ERESOURCE that could explain it. When one corrupted word explains them all,
 * the entry is an executive resource with damage: listed, marked damaged, each inconsistency
 * a damage warning. When no single word does (two independent contradictions or more), the
 * entry is not an executive resource: it is not listed, and one warning counts such entries. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt/nt_list.h"
#include "nt/nt_model.h"
#include "util/le.h"

/* ERESOURCE.Flag bits (nt-locks-and-waits.md 1.2). */
#define RES_FLAG_FAST_RESOURCE   0x01
#define RES_FLAG_LEGACY_ALLOWED  0x40
#define RES_FLAG_OWNED_EXCLUSIVE 0x80
/* WaiterPriority (the Flag's high byte) is a CPU priority capped at 15. */
#define RES_WAITER_PRIORITY_MAX  15u
/* Extra ring entries tolerated beyond the resource's own waiter counter. */
#define RING_SLACK 8u
/* OwnerThread values with these low bits set are owner cookies, not thread pointers. */
#define OWNER_TAG_BITS 3ull
/* A thread pointer is at least 8-aligned; a cookie has both tag bits set. */
#define OWNER_ALIGN_BITS 7ull
/* An owner table holds its header slot and at least one owner slot. */
#define OWNER_TABLE_MIN_SLOTS 2u
/* The words of a problem that is no contradiction: memory the resource points to is missing
 * from the dump. It makes the resource damaged, but says nothing about its type. */
#define RES_READ_FAILURE 0xFFFFFFFFu
/* Inconsistencies recorded per resource (more are counted, not kept). */
#define RES_MAX_PROBLEMS 8
#define RES_PROBLEM_TEXT 320

/* How this build keeps an ERESOURCE's waiters, from the shape of _KWAIT_CHAIN_ENTRY in its
 * profile, or its absence. The layouts are data; how the kernel links waiters through them
 * is INFERRED (19041-family decompiles, nt-locks-and-waits.md 1.4; the WRK's KEVENT
 * ExclusiveWaiters and the 1607 PDB's KWAIT_CHAIN SharedWaiters, 1.1):
 *   WF_RING_THREAD  17763 on: headless rings of entries on the waiters' stacks, each naming its
 *                   thread and holding the event it waits on;
 *   WF_RING         15063..17134: the same rings, but the entry has no thread field: the thread
 *                   is the one whose wait block is on the wait list of the entry's event;
 *   WF_CHAIN        10586..14393: SharedWaiters is a KWAIT_CHAIN, a single chain of entries
 *                   (SINGLE_LIST_ENTRY, event) ended by NULL, threads found as for WF_RING;
 *                   ExclusiveWaiters points to one pool KEVENT all exclusive waiters wait on,
 *                   found through that event's wait list of KWAIT_BLOCKs (KWAIT_BLOCK.Thread);
 *   WF_EVENT_ONLY   10240: the pool KEVENT likewise; the data has no _KWAIT_CHAIN_ENTRY, so
 *                   the shared waiters' entries cannot be read: they are unknown. */
typedef enum waiter_family { WF_RING_THREAD, WF_RING, WF_CHAIN, WF_EVENT_ONLY } waiter_family;

static waiter_family waiter_family_of(const nt_ctx *c)
{
    const nt_field *link = nt_field_get(c->prof, NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY);
    if (nt_field_get(c->prof, NT_F_KWAIT_CHAIN_ENTRY_THREAD))
        return WF_RING_THREAD;
    if (!link || !nt_field_get(c->prof, NT_F_KWAIT_CHAIN_ENTRY_EVENT) || nt_size(c, NT_S_KWAIT_CHAIN_ENTRY) == 0)
        return WF_EVENT_ONLY;
    return link->size == nt_size(c, NT_S_LIST_ENTRY) ? WF_RING : WF_CHAIN;
}

/* An event some resource's waiter structure leads to: a wait entry's, or a pool event. */
typedef struct res_event {
    uint64_t event;
    uint64_t entry;
    size_t res;                 /* into nt_model.resources */
    int exclusive;
} res_event;

/* One inconsistency of the resource being read. */
typedef struct res_problem {
    uint32_t words;             /* bit k: the ERESOURCE's 8-byte word at 8k could explain it */
    char text[RES_PROBLEM_TEXT]; /* "resource 0x...: " and the details */
    size_t detail;              /* where the details start in text */
} res_problem;

typedef struct res_walk {
    nt_model *m;
    size_t cap_res, cap_own, cap_wait;
    uint32_t size;
    uint8_t buf[0x100];
    int nomem;
    int entries_warned;
    uint32_t fast_seen;
    waiter_family family;
    res_event *events;          /* every waiter event found, in resource order */
    size_t nevents, cap_events;
    size_t res_first_event;     /* the current resource's first event */
    uint32_t unknown_seen;      /* resources whose waiters are unknown */
    /* the resource being read */
    nt_resource *r;
    res_problem prob[RES_MAX_PROBLEMS];
    unsigned nprob;
    unsigned ncontra;           /* problems that are contradictions (not read failures) */
    uint32_t words;             /* words every contradiction so far could be explained by */
    int limited;                /* a limit (not damage) cut its owners or waiters short */
    int owners_unknown;         /* its owner table is missing from the dump: owners not all known */
    /* entries that are not executive resources */
    uint32_t rejected;
    uint64_t first_rejected;
    char first_rejected_why[RES_PROBLEM_TEXT];
} res_walk;

/* The bit of the ERESOURCE word holding byte off. */
static uint32_t word_at(uint32_t off) { return off / 8 < 32 ? 1u << (off / 8) : 0; }
static uint32_t word_of(const nt_ctx *c, nt_field_id id) { return word_at(nt_off(c, id)); }
static uint32_t owner_word_bits(const nt_ctx *c)
{
    uint32_t oe = nt_off(c, NT_F_ERESOURCE_OWNERENTRY);
    return word_at(oe + nt_off(c, NT_F_OWNER_ENTRY_OWNERTHREAD)) | word_at(oe + nt_off(c, NT_F_OWNER_ENTRY_OWNERCOUNT));
}

/* Record an inconsistency of the current resource; words as in res_problem. */
static void problem(res_walk *w, uint32_t words, const char *fmt, ...) DI_PRINTF(3, 4);
static void problem(res_walk *w, uint32_t words, const char *fmt, ...)
{
    w->words &= words;
    if (words != RES_READ_FAILURE)
        w->ncontra++;
    if (w->nprob >= RES_MAX_PROBLEMS) {
        w->nprob++;
        return;
    }
    res_problem *p = &w->prob[w->nprob++];
    p->words = words;
    int n = snprintf(p->text, sizeof p->text, "resource 0x%016llx: ", (unsigned long long)w->r->va);
    p->detail = n > 0 ? (size_t)n : 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text + p->detail, sizeof p->text - p->detail, fmt, ap);
    va_end(ap);
}

/* The bound on owners plus waiters over all resources; warns once when reached. */
static int lock_entries_full(res_walk *w)
{
    nt_model *m = w->m;
    if (m->nowners + m->nwaiters < m->ctx.limits.lock_entries)
        return 0;
    if (!w->entries_warned)
        nt_warn_code(&m->ctx, DI_W_LIMIT, "more than %u lock owners and waiters; the rest are not listed (--limit lock_entries=N)",
                m->ctx.limits.lock_entries);
    w->entries_warned = 1;
    m->ctx.limited = 1;
    return 1;
}

/* words: the ERESOURCE words that could explain a bad owner (the inline entry's, or the
 * OwnerTable pointer's for a table slot). */
static int add_owner(res_walk *w, nt_resource *r, uint64_t raw, uint64_t word, uint32_t words)
{
    nt_model *m = w->m;
    nt_ctx *c = &m->ctx;
    if (r->nowners >= c->limits.owners_per_resource || lock_entries_full(w)) {
        r->damaged = 1;
        w->limited = 1;
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
    o->count = fcount ? (uint32_t)nt_field_bits(fcount, word) : 0;
    if ((raw & OWNER_TAG_BITS) == 0 && !nt_is_kernel_va(raw))
        problem(w, words, "owner 0x%016llx is not a kernel address",
                (unsigned long long)raw);
    else if ((raw & OWNER_TAG_BITS) != OWNER_TAG_BITS && (raw & OWNER_ALIGN_BITS) != 0)
        problem(w, words, "owner 0x%016llx is neither a thread pointer (8-aligned) nor an owner cookie (low bits 3)",
                (unsigned long long)raw);
    else if (o->count == 0)
        problem(w, words, "owner 0x%016llx has an owner count of 0",
                (unsigned long long)raw);
    o->io_boosted = fio ? (int)nt_field_bits(fio, word) : 0;
    o->referenced = fref ? (int)nt_field_bits(fref, word) : 0;
    o->qos_boosted = fqos ? (int)nt_field_bits(fqos, word) : -1;
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
    uint32_t words = word_of(c, NT_F_ERESOURCE_OWNERTABLE);
    uint8_t e[16];
    int bad_pointer = !nt_is_kernel_va(table) || (table & OWNER_ALIGN_BITS);
    if (esize != sizeof e || bad_pointer || nt_read(c, table, e, sizeof e) != DI_OK) {
        problem(w, bad_pointer ? words : RES_READ_FAILURE, "its owner table 0x%016llx cannot be read", (unsigned long long)table);
        w->owners_unknown = !bad_pointer;
        return 0;
    }
    const nt_field *fsize = nt_field_get(c->prof, NT_F_OWNER_ENTRY_TABLESIZE);
    uint64_t slots = fsize ? nt_field_bits(fsize, le32(e + fsize->offset)) : 0;
    /* Slot 0 is the table's header: its OwnerThread is never an owner, so it stays 0 (the
     * table is allocated zeroed and grown by copying; WRK ExpExpandResourceOwnerTable,
     * INFERRED for 19041). Anything else there means the pointer names another object. */
    uint64_t header_owner = le64(e + nt_off(c, NT_F_OWNER_ENTRY_OWNERTHREAD));
    if (header_owner) {
        problem(w, words, "its owner table 0x%016llx is not one: the header slot names 0x%016llx (a real table's holds no "
                "owner); not read",
                (unsigned long long)table, (unsigned long long)header_owner);
        return 0;
    }
    if (slots < OWNER_TABLE_MIN_SLOTS) {
        problem(w, words, "its owner table 0x%016llx claims %llu slots (a table has at least %u); not read",
                (unsigned long long)table, (unsigned long long)slots, OWNER_TABLE_MIN_SLOTS);
        return 0;
    }
    if (slots > c->limits.owners_per_resource) {
        problem(w, words, "owner table claims %llu slots; reading %u (--limit owners_per_resource=N)",
                (unsigned long long)slots, c->limits.owners_per_resource);
        slots = c->limits.owners_per_resource;
    }
    /* ActiveEntries says how many owner entries are in use: stop once they are all found,
     * so a damaged TableSize cannot turn pool garbage into owners. */
    for (uint64_t i = 1; i < slots && r->nowners < r->active_entries && !nt_step(c); i++) {
        if (nt_read(c, table + i * esize, e, sizeof e) != DI_OK) {
            problem(w, RES_READ_FAILURE, "owner table slot %llu cannot be read",
                    (unsigned long long)i);
            w->owners_unknown = 1;
            return 0;
        }
        uint64_t raw = le64(e + nt_off(c, NT_F_OWNER_ENTRY_OWNERTHREAD));
        if (raw && add_owner(w, r, raw, owner_word(c, e), words))
            return -1;
    }
    return 0;
}

/* Append a waiter of r. 0, 1 when a limit stops the reading (r is then damaged), -1 when
 * out of memory. */
static int add_waiter(res_walk *w, nt_resource *r, uint64_t thread, uint64_t entry, uint64_t event, int exclusive,
                      nt_waiter_source via)
{
    nt_model *m = w->m;
    if (lock_entries_full(w)) {
        r->damaged = 1;
        w->limited = 1;
        return 1;
    }
    int grown = nt_grow(&m->ctx, (void **)&m->waiters, &w->cap_wait, m->nwaiters, sizeof *m->waiters);
    if (grown) {
        w->nomem = grown == NT_GROW_NOMEM;
        return -1;
    }
    nt_waiter *wt = &m->waiters[m->nwaiters++];
    memset(wt, 0, sizeof *wt);
    wt->thread = thread;
    wt->entry = entry;
    wt->event = event;
    wt->exclusive = exclusive;
    wt->found_via = via;
    r->nwaiters++;
    return 0;
}

/* Remember an event the current resource's waiter structure leads to. 0, or -1 (memory). */
static int note_event(res_walk *w, uint64_t event, uint64_t entry, int exclusive)
{
    int grown = nt_grow(&w->m->ctx, (void **)&w->events, &w->cap_events, w->nevents, sizeof *w->events);
    if (grown) {
        w->nomem = grown == NT_GROW_NOMEM;
        return -1;
    }
    w->events[w->nevents++] = (res_event){event, entry, w->m->nresources - 1, exclusive};
    return 0;
}

/* An unsignalled-or-not SynchronizationEvent header at va (Type 1, Size in 4-byte units). */
static int is_sync_event(const nt_ctx *c, uint64_t type, uint64_t size)
{
    return (int32_t)type == nt_enum(c, NT_E_KOBJECTS_EVENTSYNCHRONIZATIONOBJECT) && size * 4 == nt_size(c, NT_S_KEVENT);
}

/* The threads whose wait blocks are on the wait list of event (builds whose wait entries name
 * no thread): each KWAIT_BLOCK on DISPATCHER_HEADER.WaitListHead names its Thread and must
 * name the event as its Object. *found counts them; *complete says the list was followed
 * to its head. Problems of the list are damage outside the ERESOURCE (no contradiction). */
static int read_event_waiters(res_walk *w, nt_resource *r, uint64_t event, uint64_t entry, int exclusive,
                              uint32_t *found, int *complete)
{
    nt_ctx *c = &w->m->ctx;
    uint64_t head = event + nt_off(c, NT_F_KEVENT_HEADER) + nt_off(c, NT_F_DISPATCHER_HEADER_WAITLISTHEAD);
    uint32_t link = nt_off(c, NT_F_KWAIT_BLOCK_WAITLISTENTRY);
    uint64_t bound = (uint64_t)c->limits.waiters_per_resource + RING_SLACK;
    const char *kind = exclusive ? "exclusive" : "shared";
    uint64_t p;
    *complete = 0;
    if (nt_read_ptr(c, head + nt_off(c, NT_F_LIST_ENTRY_FLINK), &p) != DI_OK) {
        problem(w, RES_READ_FAILURE, "the wait list of %s waiter event 0x%016llx cannot be read", kind, (unsigned long long)event);
        return 0;
    }
    for (uint64_t n = 0; p != head; n++) {
        if (nt_step(c)) {
            w->limited = 1;
            return 0;
        }
        uint64_t wb = p - link, thread = 0, object = 0, next = 0;
        int readable = n < bound && nt_is_kernel_va(p) && !(p & 7) &&
                       nt_read_field(c, wb, NT_F_KWAIT_BLOCK_THREAD, &thread) == DI_OK &&
                       nt_read_field(c, wb, NT_F_KWAIT_BLOCK_OBJECT, &object) == DI_OK &&
                       nt_read_ptr(c, p + nt_off(c, NT_F_LIST_ENTRY_FLINK), &next) == DI_OK;
        if (!readable || object != event || !nt_is_kernel_va(thread)) {
            problem(w, RES_READ_FAILURE, "the wait list of %s waiter event 0x%016llx is broken at 0x%016llx (%s)", kind,
                    (unsigned long long)event, (unsigned long long)p,
                    n >= bound     ? "it does not close"
                    : !readable    ? "a wait block cannot be read"
                    : object != event ? "a wait block waits on another object"
                                      : "a wait block names no thread");
            return 0;
        }
        int rc = add_waiter(w, r, thread, entry, event, exclusive, NT_WAITER_FROM_EVENT_WAIT_LIST);
        if (rc)
            return rc < 0 ? -1 : 0;
        ++*found;
        p = next;
    }
    *complete = 1;
    return 0;
}

/* Walk the wait entries of one mode starting at first: a headless ring of KWAIT_CHAIN_ENTRY
 * records, or (WF_CHAIN) a single chain ended by NULL. *found counts its entries, *broken says
 * it could not be followed to its end (a problem is recorded, implicating words: the
 * pointer's and the counters'). */
static int read_waiter_ring(res_walk *w, nt_resource *r, uint64_t first, int exclusive, uint32_t declared,
                            uint32_t words, uint32_t *found, int *broken)
{
    nt_model *m = w->m;
    nt_ctx *c = &m->ctx;
    uint32_t esize = nt_size(c, NT_S_KWAIT_CHAIN_ENTRY);
    int chain = w->family == WF_CHAIN, named = w->family == WF_RING_THREAD;
    /* 64-bit: a counter near 2^32 must not wrap the bound to nothing. */
    uint64_t bound = (uint64_t)declared + RING_SLACK;
    int capped = bound > c->limits.waiters_per_resource;
    if (capped)
        bound = c->limits.waiters_per_resource;
    uint8_t e[0x40];
    uint64_t p = first;
    const char *kind = exclusive ? "exclusive" : "shared";
    const char *what = chain ? "chain" : "ring";
    size_t ring_start = w->nevents; /* this ring's entries start here among the events */
    *found = 0;
    *broken = 1;
    for (uint32_t n = 0;; n++) {
        if (nt_step(c)) {
            w->limited = 1;
            return 0;
        }
        if (n >= bound) {
            if (capped) {
                nt_warn_code(c, DI_W_LIMIT, "resource 0x%016llx: the %s waiter %s has more than %u entries; the rest are not "
                           "listed (--limit waiters_per_resource=N)",
                        (unsigned long long)r->va, kind, what, c->limits.waiters_per_resource);
                r->damaged = 1;
                w->limited = 1;
                return 0;
            }
            problem(w, words, "the %s waiter %s does not %s after %u entries (counter says %u)", kind, what,
                    chain ? "end" : "close", n, declared);
            return 0;
        }
        for (size_t k = ring_start; k < w->nevents; k++)
            if (w->events[k].entry == p) {
                problem(w, words, "the %s waiter %s loops back to entry 0x%016llx without returning to its first entry", kind,
                        what, (unsigned long long)p);
                return 0;
            }
        int bad_pointer = !nt_is_kernel_va(p) || (p & 7);
        if (esize == 0 || esize > sizeof e || bad_pointer || nt_read(c, p, e, esize) != DI_OK) {
            problem(w, bad_pointer ? words : RES_READ_FAILURE, "%s waiter entry 0x%016llx cannot be read", kind, (unsigned long long)p);
            return 0;
        }
        uint64_t type = nt_buf_field(c, e, esize, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_TYPE);
        uint64_t size = nt_buf_field(c, e, esize, NT_F_KWAIT_CHAIN_ENTRY_EVENT_HEADER_SIZE);
        uint64_t thread = nt_buf_field(c, e, esize, NT_F_KWAIT_CHAIN_ENTRY_THREAD);
        /* A real entry embeds an unsignalled SynchronizationEvent (Type 1, Size 6). */
        if (!is_sync_event(c, type, size) || (named && !nt_is_kernel_va(thread))) {
            if (named)
                problem(w, words, "%s waiter entry 0x%016llx is not a wait entry (event type %llu, size %llu, thread "
                        "0x%016llx); the ring is not trusted beyond it",
                        kind, (unsigned long long)p, (unsigned long long)type, (unsigned long long)size,
                        (unsigned long long)thread);
            else
                problem(w, words, "%s waiter entry 0x%016llx is not a wait entry (event type %llu, size %llu); the %s is not "
                        "trusted beyond it",
                        kind, (unsigned long long)p, (unsigned long long)type, (unsigned long long)size, what);
            return 0;
        }
        uint64_t event = p + nt_off(c, NT_F_KWAIT_CHAIN_ENTRY_EVENT);
        if (note_event(w, event, p, exclusive))
            return -1;
        if (named) {
            int rc = add_waiter(w, r, thread, p, event, exclusive, NT_WAITER_FROM_RING);
            if (rc)
                return rc < 0 ? -1 : 0;
        } else {
            uint32_t threads = 0;
            int complete;
            if (read_event_waiters(w, r, event, p, exclusive, &threads, &complete))
                return -1;
            if (w->limited)
                return 0;
        }
        ++*found;
        uint64_t next = chain ? nt_buf_field(c, e, esize, NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY)
                              : nt_buf_field_at(c, e, esize, nt_off(c, NT_F_KWAIT_CHAIN_ENTRY_LISTENTRY),
                                                NT_F_LIST_ENTRY_FLINK);
        if (chain ? next == 0 : next == first) {
            *broken = 0;
            return 0;
        }
        p = next;
    }
}

/* 10240..14393: ExclusiveWaiters points to one pool KEVENT (a SynchronizationEvent) that every
 * exclusive waiter waits on; *found counts the waiters on its wait list. */
static int read_pool_event(res_walk *w, nt_resource *r, uint64_t event, uint32_t words, uint32_t *found, int *broken)
{
    nt_ctx *c = &w->m->ctx;
    uint64_t type = 0, size = 0;
    uint32_t hdr = nt_off(c, NT_F_KEVENT_HEADER);
    int bad_pointer = !nt_is_kernel_va(event) || (event & 7);
    *found = 0;
    *broken = 1;
    if (bad_pointer || nt_read_field(c, event + hdr, NT_F_DISPATCHER_HEADER_TYPE, &type) != DI_OK ||
        nt_read_field(c, event + hdr, NT_F_DISPATCHER_HEADER_SIZE, &size) != DI_OK) {
        problem(w, bad_pointer ? words : RES_READ_FAILURE, "its exclusive waiter event 0x%016llx cannot be read", (unsigned long long)event);
        return 0;
    }
    if (!is_sync_event(c, type, size)) {
        problem(w, words, "its exclusive waiter event 0x%016llx is not a synchronization event (type %llu, size %llu)",
                (unsigned long long)event, (unsigned long long)type, (unsigned long long)size);
        return 0;
    }
    int complete;
    if (note_event(w, event, event, 1) || read_event_waiters(w, r, event, event, 1, found, &complete))
        return -1;
    *broken = !complete;
    return 0;
}

/* A FAST_ERESOURCE (Flag 0x01) keeps its owners on OwnerEntryListHead, where a classic
 * resource has its inline owner entry: a real one holds a list there (self-linked when
 * unowned); a classic resource with a stray 0x01 bit holds a thread and a count. */
static int fast_shape(const nt_ctx *c, const uint8_t *b, uint32_t n, uint64_t va, uint64_t *flink, uint64_t *blink)
{
    uint32_t at = nt_off(c, NT_F_FAST_ERESOURCE_INTERNAL_OWNERENTRYLISTHEAD);
    *flink = nt_buf_field_at(c, b, n, at, NT_F_LIST_ENTRY_FLINK);
    *blink = nt_buf_field_at(c, b, n, at, NT_F_LIST_ENTRY_BLINK);
    if (!nt_field_get(c->prof, NT_F_FAST_ERESOURCE_INTERNAL_OWNERENTRYLISTHEAD) || !nt_is_kernel_va(*flink) ||
        !nt_is_kernel_va(*blink) || (*flink & 7) || (*blink & 7))
        return 0;
    return (*flink == va + at) == (*blink == va + at);
}

/* The flag, owner and counter checks that need no other memory. */
static void check_flags(res_walk *w, nt_resource *r)
{
    nt_ctx *c = &w->m->ctx;
    uint32_t wflag = word_of(c, NT_F_ERESOURCE_FLAG);
    unsigned prio = r->flag >> 8;
    if (prio > RES_WAITER_PRIORITY_MAX)
        problem(w, wflag, "Flag 0x%04x: WaiterPriority %u is above %u", r->flag, prio, RES_WAITER_PRIORITY_MAX);
    if ((r->flag & RES_FLAG_LEGACY_ALLOWED) && !(r->flag & RES_FLAG_FAST_RESOURCE))
        problem(w, wflag, "Flag 0x%04x has 0x40 (legacy calls allowed), which only a FAST_ERESOURCE (0x01) has", r->flag);
}

/* ActiveCount, ActiveEntries and the exclusive bit against the owners found. */
static void check_owners(res_walk *w, nt_resource *r, uint64_t inline_owner)
{
    nt_ctx *c = &w->m->ctx;
    uint32_t wcount = word_of(c, NT_F_ERESOURCE_ACTIVECOUNT), wentries = word_of(c, NT_F_ERESOURCE_ACTIVEENTRIES);
    uint32_t wflag = word_of(c, NT_F_ERESOURCE_FLAG), wtable = word_of(c, NT_F_ERESOURCE_OWNERTABLE);
    uint32_t wowner = owner_word_bits(c);
    if ((r->active_count != 0) != (r->active_entries != 0))
        problem(w, wcount | wentries, "ActiveCount %d and ActiveEntries %u disagree on whether it is held", r->active_count,
                r->active_entries);
    if (w->limited || w->owners_unknown)
        return;
    if (r->held && r->nowners == 0)
        problem(w, wcount | wentries | wowner | wtable, "ActiveCount %d / ActiveEntries %u say it is held, but no owner entry is in use", r->active_count,
                r->active_entries);
    else if (r->exclusive && (r->active_entries != 1 || r->nowners != 1))
        problem(w, wflag | wentries | wowner, "Flag 0x%04x says owned exclusive (one owner entry), but ActiveEntries is %u and %zu owner entries "
                "are in use",
                r->flag, r->active_entries, (size_t)r->nowners);
    else if (!r->exclusive && r->held && r->nowners != r->active_entries)
        problem(w, wentries | wtable | wowner, "ActiveEntries %u, but %zu owner entries are in use", r->active_entries, (size_t)r->nowners);
    if (!r->held && inline_owner)
        problem(w, wcount | wentries | wowner, "not held (ActiveCount 0, ActiveEntries 0), but its owner entry names 0x%016llx",
                (unsigned long long)inline_owner);
}

/* A waiter counter against the ring read for it. */
static void check_ring_count(res_walk *w, const char *kind, uint64_t first, uint32_t declared, uint32_t found,
                             int broken, uint32_t words)
{
    if (w->limited || broken)
        return;
    if (first ? found != declared : declared != 0)
        problem(w, words, "Number%sWaiters is %u, but the %s waiter ring holds %u entries",
                kind[0] == 'e' ? "OfExclusive" : "OfShared", declared, kind, found);
}

/* Every owner and waiter of a classic resource, and the checks that need them. 0, or -1
 * when out of memory. */
static int read_classic(res_walk *w, nt_resource *r, const uint8_t *b, uint32_t n)
{
    nt_ctx *c = &w->m->ctx;
    uint32_t oe = nt_off(c, NT_F_ERESOURCE_OWNERENTRY);
    uint64_t inline_owner = nt_buf_field_at(c, b, n, oe, NT_F_OWNER_ENTRY_OWNERTHREAD);
    /* The owner table and both waiter structures are independent: one round trip for all. */
    uint64_t heads[3] = {r->held && !r->exclusive ? nt_buf_field(c, b, n, NT_F_ERESOURCE_OWNERTABLE) : 0,
                         nt_buf_field(c, b, n, NT_F_ERESOURCE_EXCLUSIVEWAITERS),
                         nt_buf_field(c, b, n, NT_F_ERESOURCE_SHAREDWAITERS)};
    nt_prefetch(c, heads, 3, 0x40);
    if (r->held) {
        if (inline_owner &&
            add_owner(w, r, inline_owner, oe + 12 <= n ? owner_word(c, b + oe) : 0, owner_word_bits(c)))
            return -1;
        uint64_t table = nt_buf_field(c, b, n, NT_F_ERESOURCE_OWNERTABLE);
        if (!r->exclusive && table && read_owner_table(w, r, table))
            return -1;
    }
    check_owners(w, r, inline_owner);
    uint64_t xw = nt_buf_field(c, b, n, NT_F_ERESOURCE_EXCLUSIVEWAITERS);
    uint64_t sw = nt_buf_field(c, b, n, NT_F_ERESOURCE_SHAREDWAITERS);
    uint32_t wx = word_of(c, NT_F_ERESOURCE_EXCLUSIVEWAITERS) | word_of(c, NT_F_ERESOURCE_NUMBEROFEXCLUSIVEWAITERS);
    uint32_t ws = word_of(c, NT_F_ERESOURCE_SHAREDWAITERS) | word_of(c, NT_F_ERESOURCE_NUMBEROFSHAREDWAITERS);
    uint32_t found = 0;
    int broken = 0;
    int pool_event = w->family == WF_CHAIN || w->family == WF_EVENT_ONLY;
    if (xw && (pool_event ? read_pool_event(w, r, xw, wx, &found, &broken)
                          : read_waiter_ring(w, r, xw, 1, r->exclusive_waiters_count, wx, &found, &broken)))
        return -1;
    /* The pool event outlives the contention (INFERRED: allocated on first contention, freed
     * with the resource): an event with no waiters is no disagreement. */
    if (!(pool_event && xw && !r->exclusive_waiters_count && !found))
        check_ring_count(w, "exclusive", xw, r->exclusive_waiters_count, found, broken, wx);
    found = 0;
    broken = 0;
    if (w->family == WF_EVENT_ONLY) {
        if (sw || r->shared_waiters_count) {
            r->waiters_unknown = 1;
            w->unknown_seen++;
            nt_warn_code(&w->m->ctx, DI_W_INCOMPLETE,
                    "resource 0x%016llx: %u shared waiters are not decoded (build %u's shared wait entries have no "
                    "layout in the data); its waiters are null, not a list",
                    (unsigned long long)r->va, r->shared_waiters_count, w->m->build);
        }
        return 0;
    }
    if (sw && read_waiter_ring(w, r, sw, 0, r->shared_waiters_count, ws, &found, &broken))
        return -1;
    check_ring_count(w, "shared", sw, r->shared_waiters_count, found, broken, ws);
    return 0;
}

/* The verdict on the entry just read: an executive resource (damaged or not), or not one. */
static void judge_resource(res_walk *w)
{
    nt_model *m = w->m;
    nt_resource *r = w->r;
    if (w->nprob == 0) {
        r->validated = !w->limited;
        return;
    }
    if (w->ncontra >= 2 && w->words == 0) {
        /* No one corrupted word explains it: these bytes are not an ERESOURCE. */
        if (w->rejected++ == 0) {
            w->first_rejected = r->va;
            snprintf(w->first_rejected_why, sizeof w->first_rejected_why, "%s", w->prob[0].text + w->prob[0].detail);
        }
        if (r->waiters_unknown)
            w->unknown_seen--;
        m->nowners = r->first_owner;
        m->nwaiters = r->first_waiter;
        w->nevents = w->res_first_event;
        m->nresources--;
        return;
    }
    r->damaged = 1;
    for (unsigned i = 0; i < w->nprob && i < RES_MAX_PROBLEMS; i++)
        nt_damage(&m->ctx, "%s", w->prob[i].text);
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
    w->r = r;
    w->nprob = 0;
    w->ncontra = 0;
    w->owners_unknown = 0;
    w->words = ~0u;
    w->limited = 0;
    r->va = va;
    r->flag = (uint16_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_FLAG);
    r->active_count = (int16_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_ACTIVECOUNT);
    r->active_entries = (uint32_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_ACTIVEENTRIES);
    r->contention_count = (uint32_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_CONTENTIONCOUNT);
    r->shared_waiters_count = (uint32_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_NUMBEROFSHAREDWAITERS);
    r->exclusive_waiters_count = (uint32_t)nt_buf_field(c, b, n, NT_F_ERESOURCE_NUMBEROFEXCLUSIVEWAITERS);
    r->held = r->active_entries != 0 || r->active_count != 0;
    r->exclusive = (r->flag & RES_FLAG_OWNED_EXCLUSIVE) != 0;
    r->first_owner = m->nowners;
    r->first_waiter = m->nwaiters;
    w->res_first_event = w->nevents;
    check_flags(w, r);
    if (r->flag & RES_FLAG_FAST_RESOURCE) {
        uint64_t flink, blink;
        if (fast_shape(c, b, n, va, &flink, &blink)) {
            r->fast = 1;
            w->fast_seen++; /* classic owner/waiter layout does not apply */
            judge_resource(w);
            return 0;
        }
        problem(w, word_of(c, NT_F_ERESOURCE_FLAG),
                "Flag 0x%04x has the FAST_ERESOURCE bit 0x01, but its OwnerEntryListHead (0x%016llx, 0x%016llx) "
                "is not a list; read as a classic ERESOURCE",
                r->flag, (unsigned long long)flink, (unsigned long long)blink);
    }
    if (read_classic(w, r, b, n))
        return 1;
    judge_resource(w);
    return 0;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int event_cmp(const void *a, const void *b)
{
    const res_event *x = a, *y = b;
    return x->event < y->event ? -1 : x->event > y->event;
}

/* A waiter found through a thread's own wait, to be added to resource res. */
typedef struct late_waiter {
    size_t res;
    size_t order;  /* the order found: kept within one resource */
    nt_waiter w;
} late_waiter;

static int late_cmp(const void *a, const void *b)
{
    const late_waiter *x = a, *y = b;
    if (x->res != y->res)
        return x->res < y->res ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Add the late waiters after each resource's own, keeping waiters together per resource in
 * resource order: one merge of the two lists, so any number of them costs one pass. */
static di_status merge_late(nt_model *m, res_walk *w, late_waiter *late, size_t nlate)
{
    if (nlate == 0)
        return DI_OK;
    qsort(late, nlate, sizeof *late, late_cmp);
    nt_waiter *all = malloc((m->nwaiters + nlate) * sizeof *all);
    if (!all)
        return DI_E_NOMEM;
    size_t n = 0, k = 0;
    for (size_t i = 0; i < m->nresources; i++) {
        nt_resource *r = &m->resources[i];
        if (r->nwaiters)
            memcpy(&all[n], &m->waiters[r->first_waiter], r->nwaiters * sizeof *all);
        r->first_waiter = (uint32_t)n;
        n += r->nwaiters;
        for (; k < nlate && late[k].res == i; k++) {
            all[n++] = late[k].w;
            r->nwaiters++;
        }
    }
    free(m->waiters);
    m->waiters = all;
    m->nwaiters = n;
    w->cap_wait = n;
    return DI_OK;
}

/* The build-independent way: a thread waiting (WrResource) on an event some resource's waiter
 * structure leads to, which that structure's walk did not name (a wait list lost to damage),
 * becomes that resource's waiter, found through its own wait and not confirmed. */
static void late_waiter_of(res_walk *w, const nt_thread *t, const res_event *e, late_waiter *out, size_t order)
{
    nt_model *m = w->m;
    nt_resource *r = &m->resources[e->res];
    *out = (late_waiter){.res = e->res,
                         .order = order,
                         .w = {.thread = t->va,
                               .probe = NT_PROBE_THREAD,
                               .entry = e->entry,
                               .event = e->event,
                               .exclusive = e->exclusive,
                               .found_via = NT_WAITER_FROM_THREAD_WAIT}};
    r->damaged = 1;
    r->validated = 0;
    nt_damage(&m->ctx,
              "thread 0x%016llx (TID %llu) waits (WrResource) on event 0x%016llx of resource 0x%016llx, whose "
              "waiter structure does not name it; listed as found through its wait (not confirmed)",
              (unsigned long long)t->va, (unsigned long long)t->tid, (unsigned long long)e->event,
              (unsigned long long)r->va);
}

/* The owner and waiter threads no process list showed, fetched together before each is
 * read. */
static void prefetch_unlisted(nt_model *m)
{
    uint64_t *vas = malloc((m->nowners + m->nwaiters + 1) * sizeof *vas);
    size_t n = 0;
    if (!vas)
        return;
    for (size_t i = 0; i < m->nowners; i++)
        if (m->owners[i].thread && !nt_model_thread(m, m->owners[i].thread))
            vas[n++] = m->owners[i].thread;
    for (size_t i = 0; i < m->nwaiters; i++)
        if (!nt_model_thread(m, m->waiters[i].thread))
            vas[n++] = m->waiters[i].thread;
    nt_prefetch(&m->ctx, vas, n, nt_size(&m->ctx, NT_S_ETHREAD));
    free(vas);
}

/* Owners and waiters that no process list showed still get a thread record when they
 * validate as threads; then every waiter is checked against its thread's wait, and every
 * WrResource wait against the waiters. */
static di_status join_threads(res_walk *w, uint32_t fast)
{
    nt_model *m = w->m;
    nt_ctx *c = &m->ctx;
    prefetch_unlisted(m);
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
    int32_t wr_resource = nt_enum(c, NT_E_KWAIT_REASON_WRRESOURCE);
    for (size_t i = 0; i < m->nwaiters; i++) {
        nt_waiter *wt = &m->waiters[i];
        const nt_thread *t = nt_model_thread(m, wt->thread);
        wt->confirmed = t && nt_thread_is_waiting(m, t) && t->wait_reason == wr_resource &&
                        t->wait_object == wt->event;
        if (wt->confirmed)
            continue;
        if (wt->found_via == NT_WAITER_FROM_RING)
            nt_warn(c, "waiter 0x%016llx in the ring entry 0x%016llx is not waiting on that entry's event%s",
                    (unsigned long long)wt->thread, (unsigned long long)wt->entry,
                    t ? "" : " (not a readable thread)");
        else
            nt_warn(c, "waiter 0x%016llx on the wait list of event 0x%016llx is not waiting (WrResource) on it%s",
                    (unsigned long long)wt->thread, (unsigned long long)wt->event, t ? "" : " (not a readable thread)");
    }
    /* The other direction: a WrResource wait that no resource's waiter structure names. */
    uint64_t *listed = malloc((m->nwaiters ? m->nwaiters : 1) * sizeof *listed);
    if (!listed)
        return DI_E_NOMEM;
    for (size_t i = 0; i < m->nwaiters; i++)
        listed[i] = m->waiters[i].thread;
    size_t nlisted = m->nwaiters;
    if (nlisted)
        qsort(listed, nlisted, sizeof *listed, u64_cmp);
    if (w->nevents)
        qsort(w->events, w->nevents, sizeof *w->events, event_cmp);
    late_waiter *late = NULL;
    size_t nlate = 0, late_cap = 0;
    for (size_t i = 0; i < m->nthreads; i++) {
        const nt_thread *t = &m->threads[i];
        if (!nt_thread_is_waiting(m, t) || t->wait_reason != wr_resource)
            continue;
        if (nlisted && bsearch(&t->va, listed, nlisted, sizeof *listed, u64_cmp))
            continue;
        res_event key = {t->wait_object, 0, 0, 0};
        const res_event *e = w->nevents ? bsearch(&key, w->events, w->nevents, sizeof *w->events, event_cmp) : NULL;
        if (e) {
            if (m->resources[e->res].waiters_unknown)
                continue;
            int grown = nt_grow(c, (void **)&late, &late_cap, nlate, sizeof *late);
            if (grown == NT_GROW_NOMEM) {
                free(late);
                free(listed);
                return DI_E_NOMEM;
            }
            if (!grown)
                late_waiter_of(w, t, e, &late[nlate++], i);
            continue;
        }
        if (!m->resources_complete)
            continue;
        /* Every ERESOURCE was read and none leads to it: a structure lost to damage (or the
         * thread's wait is damaged). A FAST_ERESOURCE's waiters are not decoded, nor are some
         * builds' shared waiters: then it is no proof. */
        if (fast || w->unknown_seen)
            nt_warn(c, "thread 0x%016llx (TID %llu) waits (WrResource) on 0x%016llx, which no resource's waiter ring "
                       "lists (%s waiters are not decoded)",
                    (unsigned long long)t->va, (unsigned long long)t->tid, (unsigned long long)t->wait_object,
                    fast ? "FAST_ERESOURCE" : "some resources' shared");
        else
            nt_damage(c, "thread 0x%016llx (TID %llu) waits (WrResource) on 0x%016llx, which no resource's waiter "
                         "ring lists",
                      (unsigned long long)t->va, (unsigned long long)t->tid, (unsigned long long)t->wait_object);
    }
    free(listed);
    di_status st = merge_late(m, w, late, nlate);
    free(late);
    return st;
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
    w->family = waiter_family_of(c);
    w->size = nt_size(c, NT_S_ERESOURCE);
    if (w->size == 0 || w->size > sizeof w->buf) {
        free(w);
        return DI_OK;
    }
    nt_list_result res;
    nt_list_walk(c, m->exp_system_resources_list, c->limits.list_steps, visit_resource, w, &res);
    int nomem = w->nomem;
    uint32_t fast = w->fast_seen;
    m->resources_rejected = w->rejected;
    m->first_rejected_resource = w->first_rejected;
    if (w->rejected && !nomem)
        nt_damage(c, "%u entries on ExpSystemResourcesList are not executive resources (first at 0x%016llx: %s); "
                     "they are not listed",
                  w->rejected, (unsigned long long)w->first_rejected, w->first_rejected_why);
    di_status st = DI_E_NOMEM;
    if (!nomem) {
        m->resources_complete = res.end == NT_LIST_COMPLETE;
        nt_list_report(c, "ExpSystemResourcesList", &res);
        if (fast)
            nt_warn(c, "%u resources are FAST_ERESOURCEs driven through the legacy API; their owners are not decoded",
                    fast);
        st = join_threads(w, fast);
        if (st == DI_OK)
            nt_model_note_lock_threads(m);
    }
    free(w->events);
    free(w);
    return st;
}
