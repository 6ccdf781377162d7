/* SPDX-License-Identifier: MIT */
/* The world's entry points for the scenario parser: which keys belong to it, recording lines,
 * bugcheck references, and the build at the end of the scenario. */
#include "fg_world_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const world_keys[] = {
    "world", "module", "process", "thread", "resource", "resources_unheld", "threads_filler",
    "processor", "damage", "stack_frames", "fault", "function", "call_stack",
};

fg_world *fg_world_new(void)
{
    return calloc(1, sizeof(fg_world));
}

void fg_world_free(fg_world *w)
{
    if (w == NULL)
        return;
    free(w->mods);
    free(w->procs);
    free(w->threads);
    free(w->res);
    free(w->fillers);
    free(w->cpus);
    free(w->dmg);
    for (size_t i = 0; i < w->nframes; i++)
        free(w->frames[i].addr);
    free(w->frames);
    for (size_t i = 0; i < w->ncalls; i++)
        free(w->calls[i].addr);
    free(w->calls);
    free(w->funcs);
    free(w->spans);
    free(w->kpcr);
    free(w->res_list);
    free(w->res_decl);
    free(w);
}

int fg_world_is_key(const char *key)
{
    for (size_t i = 0; i < sizeof(world_keys) / sizeof(world_keys[0]); i++)
        if (strcmp(world_keys[i], key) == 0)
            return 1;
    return 0;
}

static int parse_unheld(fg_world *w, char *rest)
{
    char *tok = fg_sc_token(&rest);
    uint64_t n;
    if (tok == NULL || fg_sc_token(&rest) != NULL || fg_sc_u64(tok, &n) != 0 || n > 10000000)
        return fg_sc_fail(w->sc, "resources_unheld: expected one count (at most 10000000)");
    w->unheld = n; /* a later line replaces an earlier one: scenarios can be extended */
    return 0;
}

int fg_world_parse(struct fg_sc *sc, fg_world *w, fg_dump *d, const char *key, char *rest)
{
    w->sc = sc;
    w->d = d;
    if (strcmp(key, "world") == 0)
        return fgw_parse_world(w, d, rest);
    if (strcmp(key, "module") == 0)
        return fgw_parse_module(w, rest);
    if (strcmp(key, "process") == 0)
        return fgw_parse_process(w, rest);
    if (strcmp(key, "thread") == 0)
        return fgw_parse_thread(w, d, rest);
    if (strcmp(key, "resource") == 0)
        return fgw_parse_resource(w, rest);
    if (strcmp(key, "resources_unheld") == 0)
        return parse_unheld(w, rest);
    if (strcmp(key, "threads_filler") == 0)
        return fgw_parse_filler(w, d, rest);
    if (strcmp(key, "processor") == 0)
        return fgw_parse_processor(w, rest);
    if (strcmp(key, "damage") == 0)
        return fgw_parse_damage(w, rest);
    if (strcmp(key, "stack_frames") == 0)
        return fgw_parse_frames(w, rest);
    if (strcmp(key, "fault") == 0)
        return fgw_parse_fault(w, rest);
    if (strcmp(key, "function") == 0)
        return fgw_parse_function(w, rest);
    if (strcmp(key, "call_stack") == 0)
        return fgw_parse_call_stack(w, rest);
    return fg_sc_fail(sc, "'%s' is not a world key", key);
}

int fg_world_bugcheck_ref(struct fg_sc *sc, fg_world *w, unsigned idx, const char *ref)
{
    if (idx >= 4)
        return fg_sc_fail(sc, "bugcheck: at most 4 parameters");
    if (strlen(ref) < 2 || strlen(ref) >= FGW_EXPR_MAX)
        return fg_sc_fail(sc, "bugcheck: '%s' is not a reference (@ID or @NAME+OFF)", ref);
    strcpy(w->bc_ref[idx], ref);
    w->bc_line[idx] = sc->line;
    return 0;
}

void fg_world_bugcheck_clear(fg_world *w)
{
    memset(w->bc_ref, 0, sizeof(w->bc_ref));
}

int fg_world_finish(struct fg_sc *sc, fg_world *w, fg_dump *d)
{
    w->sc = sc;
    w->d = d;
    if (w->declared)
        return fgw_build(w);
    for (unsigned i = 0; i < 4; i++)
        if (w->bc_ref[i][0] != '\0')
            return fgw_fail(w, w->bc_line[i], "bugcheck: '%s' needs a world line", w->bc_ref[i]);
    if (w->nmods || w->nprocs || w->nthreads || w->nres || w->nfillers || w->ncpus || w->ndmg ||
        w->unheld || w->nframes || w->fault.declared || w->nfuncs || w->ncalls)
        return fg_sc_fail(sc, "kernel objects are declared but there is no world line");
    if (fg_config_of(d)->dump_type == 4)
        return fg_sc_fail(sc, "type 4 (a triage dump) is written from a kernel world: add a "
                              "world line");
    return 0;
}
