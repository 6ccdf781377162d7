/* SPDX-License-Identifier: MIT */
/* Parsing of the world's scenario lines: resource, resources_unheld, threads_filler,
 * processor, damage. */
#include "fg_world_int.h"

#include <stdlib.h>
#include <string.h>

static int owner_flags(fg_world *w, char *s, unsigned *flags)
{
    for (char *word = s; word != NULL && *word != '\0';) {
        char *plus = strchr(word, '+');
        if (plus != NULL)
            *plus = '\0';
        if (strcmp(word, "qos") == 0)
            *flags |= FGW_OWN_QOS;
        else if (strcmp(word, "io") == 0)
            *flags |= FGW_OWN_IO;
        else if (strcmp(word, "ref") == 0)
            *flags |= FGW_OWN_REF;
        else
            return fg_sc_fail(w->sc, "resource: owner flag '%s' is not qos, io or ref", word);
        word = plus != NULL ? plus + 1 : NULL;
    }
    return 0;
}

/* owner=REF[:COUNT[:FLAGS]] */
static int parse_owner(fg_world *w, fgw_resource *r, char *v)
{
    if (r->nowners == FGW_MAX_OWNERS)
        return fg_sc_fail(w->sc, "resource: at most %d owners", FGW_MAX_OWNERS);
    fgw_owner *o = &r->owners[r->nowners];
    memset(o, 0, sizeof(*o));
    o->count = 1;
    char *count = strchr(v, ':'), *flags = NULL;
    if (count != NULL) {
        *count++ = '\0';
        flags = strchr(count, ':');
        if (flags != NULL)
            *flags++ = '\0';
        uint64_t c;
        if (fg_sc_u64(count, &c) != 0 || c == 0 || c > 0xFFFFFFFFull)
            return fg_sc_fail(w->sc, "resource: owner count '%s' is not 1 .. 2^32-1", count);
        o->count = (uint32_t)c;
    }
    if (flags != NULL && owner_flags(w, flags, &o->flags) != 0)
        return -1;
    if (fg_sc_u64(v, &o->raw) == 0)
        o->is_raw = 1; /* an owner cookie or a stale pointer, written as given */
    else if (fgw_id(w, "resource owner", v, o->ref) != 0)
        return -1;
    r->nowners++;
    return 0;
}

/* waiter=THREAD[:exclusive|:shared] */
static int parse_waiter(fg_world *w, fgw_resource *r, char *v)
{
    if (r->nwaiters == FGW_MAX_WAITERS)
        return fg_sc_fail(w->sc, "resource: at most %d waiters", FGW_MAX_WAITERS);
    fgw_waiter *wt = &r->waiters[r->nwaiters];
    memset(wt, 0, sizeof(*wt));
    wt->exclusive = 1;
    char *mode = strchr(v, ':');
    if (mode != NULL) {
        *mode++ = '\0';
        if (strcmp(mode, "shared") == 0)
            wt->exclusive = 0;
        else if (strcmp(mode, "exclusive") != 0)
            return fg_sc_fail(w->sc, "resource: waiter mode '%s' is not exclusive or shared", mode);
    }
    if (fgw_id(w, "resource waiter", v, wt->ref) != 0)
        return -1;
    r->nwaiters++;
    return 0;
}

int fgw_parse_resource(fg_world *w, char *rest)
{
    typedef fgw_resource R;
    static const fgw_numkey keys[] = {
        FGW_NK(R, "contention", contention, offsetof(R, has_contention)),
        FGW_NK(R, "waiter_priority", waiter_priority, offsetof(R, has_waiter_priority)),
        FGW_NK(R, "va", fixed_va, FGW_NO_FLAG),
    };
    char *tok = fg_sc_token(&rest), *k, *v;
    if (tok == NULL)
        return fg_sc_fail(w->sc, "resource: expected ID [exclusive|shared] owner=... waiter=...");
    if (fgw_grow((void **)&w->res, &w->cap_res, w->nres + 1, sizeof(*w->res)) != 0)
        return fg_sc_fail(w->sc, "out of memory");
    R *r = &w->res[w->nres];
    memset(r, 0, sizeof(*r));
    if (fgw_id(w, "resource", tok, r->id) != 0)
        return -1;
    if (fgw_id_taken(w, r->id))
        return fg_sc_fail(w->sc, "resource: the name '%s' is already used", r->id);
    r->line = w->sc->line;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (strcmp(tok, "exclusive") == 0 || strcmp(tok, "shared") == 0) {
            r->mode = tok[0] == 'e' ? FGW_EXCLUSIVE : FGW_SHARED;
            continue;
        }
        if (fgw_kv(tok, &k, &v) != 0)
            return fg_sc_fail(w->sc, "resource: expected NAME=VALUE, exclusive or shared, got '%s'",
                              tok);
        int rc = fgw_num_key(w, r, keys, sizeof(keys) / sizeof(keys[0]), k, v);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        if (strcmp(k, "owner") == 0) {
            rc = parse_owner(w, r, v);
        } else if (strcmp(k, "waiter") == 0) {
            rc = parse_waiter(w, r, v);
        } else if (strcmp(k, "flag") == 0) {
            uint64_t f = 0;
            rc = fgw_num(w, k, v, &f);
            if (rc == 0 && f > 0xFF)
                return fg_sc_fail(w->sc, "resource: flag is the low byte of Flag (at most 0xff)");
            r->flag = (uint16_t)f;
            r->has_flag = rc == 0;
        } else {
            return fg_sc_fail(w->sc, "resource: unknown field '%s'", k);
        }
        if (rc != 0)
            return -1;
    }
    if (r->nowners > 0 && r->mode == FGW_FREE)
        return fg_sc_fail(w->sc, "resource: owners need 'exclusive' or 'shared'");
    if (r->mode != FGW_FREE && r->nowners == 0)
        return fg_sc_fail(w->sc, "resource: an %s resource needs owner=...",
                          r->mode == FGW_EXCLUSIVE ? "exclusive" : "shared");
    if (r->mode == FGW_EXCLUSIVE && r->nowners != 1)
        return fg_sc_fail(w->sc, "resource: an exclusive resource has exactly one owner");
    w->nres++;
    return 0;
}

int fgw_parse_filler(fg_world *w, fg_dump *d, char *rest)
{
    typedef fgw_filler F;
    static const fgw_numkey keys[] = {
        FGW_NK(F, "pid", pid, FGW_NO_FLAG),
        FGW_NK(F, "count", count, FGW_NO_FLAG),
    };
    char *tok, *k, *v;
    if (fgw_grow((void **)&w->fillers, &w->cap_fillers, w->nfillers + 1, sizeof(*w->fillers)) != 0)
        return fg_sc_fail(w->sc, "out of memory");
    F *f = &w->fillers[w->nfillers];
    memset(f, 0, sizeof(*f));
    f->line = w->sc->line;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (fgw_kv(tok, &k, &v) != 0)
            return fg_sc_fail(w->sc, "threads_filler: expected NAME=VALUE, got '%s'", tok);
        int rc = fgw_num_key(w, f, keys, sizeof(keys) / sizeof(keys[0]), k, v);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        if (strcmp(k, "start") == 0) {
            rc = fgw_expr_copy(w, k, v, f->start);
        } else if (strcmp(k, "state") == 0) {
            f->has_state = 1;
            rc = fgw_enum_parse(w, d, NT_EK_KTHREAD_STATE, v, &f->state);
        } else if (strcmp(k, "wait_reason") == 0) {
            f->has_reason = 1;
            rc = fgw_enum_parse(w, d, NT_EK_KWAIT_REASON, v, &f->wait_reason);
        } else {
            return fg_sc_fail(w->sc, "threads_filler: unknown field '%s'", k);
        }
        if (rc != 0)
            return -1;
    }
    if (f->count == 0 || f->count > 1000000)
        return fg_sc_fail(w->sc, "threads_filler: count=N (1 .. 1000000) is required");
    w->nfillers++;
    return 0;
}

int fgw_parse_processor(fg_world *w, char *rest)
{
    char *n = fg_sc_token(&rest), *cur = fg_sc_token(&rest), *k, *v;
    uint64_t index;
    if (n == NULL || cur == NULL || fg_sc_token(&rest) != NULL || fg_sc_u64(n, &index) != 0 ||
        fgw_kv(cur, &k, &v) != 0 || strcmp(k, "current") != 0)
        return fg_sc_fail(w->sc, "processor: expected N current=THREAD");
    for (size_t i = 0; i < w->ncpus; i++)
        if (w->cpus[i].index == index)
            return fg_sc_fail(w->sc, "processor: %llu is already described on line %u",
                              (unsigned long long)index, w->cpus[i].line);
    if (fgw_grow((void **)&w->cpus, &w->cap_cpus, w->ncpus + 1, sizeof(*w->cpus)) != 0)
        return fg_sc_fail(w->sc, "out of memory");
    fgw_cpu_decl *c = &w->cpus[w->ncpus];
    memset(c, 0, sizeof(*c));
    if (index > 0xFFFFFFFFull || fgw_id(w, "processor", v, c->thread) != 0)
        return index > 0xFFFFFFFFull ? fg_sc_fail(w->sc, "processor: bad index") : -1;
    c->index = (uint32_t)index;
    c->line = w->sc->line;
    w->ncpus++;
    return 0;
}

int fgw_parse_damage(fg_world *w, char *rest)
{
    static const struct {
        const char *name;
        int kind, needs_target;
    } kinds[] = {
        {"process_list_cycle", FGW_DMG_PROCESS_CYCLE, 0},
        {"resource_list_cycle", FGW_DMG_RESOURCE_CYCLE, 0},
        {"thread_page_missing", FGW_DMG_THREAD_MISSING, 1},
        {"waiter_ring", FGW_DMG_WAITER_RING, 1},
        {"pdata_page_missing", FGW_DMG_PDATA_MISSING, 1},
        {"stack_page_missing", FGW_DMG_STACK_PAGE_MISSING, 1},
    };
    char *what = fg_sc_token(&rest), *target = fg_sc_token(&rest);
    for (size_t i = 0; what != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kinds[i].name, what) != 0)
            continue;
        if ((target != NULL) != kinds[i].needs_target || fg_sc_token(&rest) != NULL)
            return fg_sc_fail(w->sc, "damage %s: %s", what,
                              kinds[i].needs_target ? "expected one target name" : "takes no target");
        if (fgw_grow((void **)&w->dmg, &w->cap_dmg, w->ndmg + 1, sizeof(*w->dmg)) != 0)
            return fg_sc_fail(w->sc, "out of memory");
        fgw_damage *g = &w->dmg[w->ndmg];
        memset(g, 0, sizeof(*g));
        if (target != NULL && fgw_id(w, "damage", target, g->target) != 0)
            return -1;
        g->kind = kinds[i].kind;
        g->line = w->sc->line;
        w->ndmg++;
        return 0;
    }
    return fg_sc_fail(w->sc, "damage: expected process_list_cycle, resource_list_cycle, "
                             "thread_page_missing THREAD, waiter_ring RESOURCE, pdata_page_missing MODULE "
                             "or stack_page_missing THREAD");
}
