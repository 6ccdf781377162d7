/* SPDX-License-Identifier: MIT */
/* Building a world: resolve names, lay every object out (VAs first, so links can be written in
 * one pass), write the objects, apply the requested damage, then point the dump header at the
 * result. Everything happens in declaration order: the same scenario gives the same bytes. */
#include "fg_world_int.h"

#include <string.h>

/* Kernel stacks of threads that do not fix theirs, far from the fixed ones a scenario may
 * copy from a real dump; uncaptured single pages go above the pool. */
#define STACKS_BASE 0xFFFF828720000000ull
#define ABSENT_OFFSET 0xC0000000ull
#define DEFAULT_UPTIME_EXTRA 103750ull /* 10.375 ms past the last tick, as in the 0x13C dump */
#define DEFAULT_CRASH_RIP "nt+0x3f5da0"
#define MAX_PROCESSORS 1024u

static long find_resource(const fg_world *w, const char *id)
{
    for (size_t i = 0; i < w->nres; i++)
        if (strcmp(w->res[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* Damage that changes how objects are laid out (before the layout). */
static int mark_damage(fg_world *w)
{
    for (size_t i = 0; i < w->ndmg; i++) {
        const fgw_damage *g = &w->dmg[i];
        if (g->kind == FGW_DMG_THREAD_MISSING) {
            long t = fgw_find_thread(w, g->target);
            if (t < 0)
                return fgw_fail(w, g->line, "damage: no thread is called '%s'", g->target);
            w->threads[t].missing = 1;
        } else if (g->kind == FGW_DMG_WAITER_RING) {
            long r = find_resource(w, g->target);
            if (r < 0)
                return fgw_fail(w, g->line, "damage: no resource is called '%s'", g->target);
            if (w->res[r].nwaiters == 0)
                return fgw_fail(w, g->line, "damage: resource %s has no waiter ring", g->target);
            w->res[r].bad_ring = 1;
        }
    }
    return 0;
}

/* Damage to finished lists: the last entry's Flink goes back into the list, not to the head.
 * Blinks stay as they were, so the loop-back is also a Flink/Blink disagreement. */
static int loop_lists(fg_world *w)
{
    uint32_t plinks = fgw_off(w, NT_F_EPROCESS_ACTIVEPROCESSLINKS);
    uint32_t rlinks = fgw_off(w, NT_F_ERESOURCE_SYSTEMRESOURCESLIST);
    for (size_t i = 0; i < w->ndmg; i++) {
        const fgw_damage *g = &w->dmg[i];
        uint64_t at = 0, to = 0;
        if (g->kind == FGW_DMG_PROCESS_CYCLE) {
            size_t first = SIZE_MAX, last = SIZE_MAX;
            for (size_t k = 0; k < w->nprocs; k++) {
                if (w->procs[k].idle)
                    continue;
                if (first == SIZE_MAX)
                    first = k;
                last = k;
            }
            if (first == last)
                return fgw_fail(w, g->line, "damage: a process list cycle needs two processes");
            at = w->procs[last].va + plinks;
            to = w->procs[first].va + plinks;
        } else if (g->kind == FGW_DMG_RESOURCE_CYCLE) {
            if (w->nres_list < 2)
                return fgw_fail(w, g->line, "damage: a resource list cycle needs two resources");
            at = w->res_list[w->nres_list - 1] + rlinks;
            to = w->res_list[w->nres_list / 2] + rlinks;
        } else {
            continue;
        }
        if (fgw_write_u64(w, at + fgw_off(w, NT_F_LIST_ENTRY_FLINK), to) != FG_OK)
            return fgw_fail_dump(w, g->line, "damaging a list");
    }
    return 0;
}

static int set_header(fg_world *w)
{
    fg_config *cfg = fg_config_of(w->d);
    cfg->kdbg_va = w->kdbg_none ? 0 : w->kdbg;
    cfg->ps_loaded_module_list = w->mod_head;
    cfg->ps_active_process_head = w->proc_head;
    cfg->system_uptime = w->uptime;
    for (unsigned i = 0; i < 4; i++) {
        if (w->bc_ref[i][0] != '\0' &&
            fgw_resolve(w, w->bc_line[i], w->bc_ref[i], &cfg->bugcheck_params[i]) != 0)
            return -1;
    }
    if (w->keep_context)
        return 0;
    if (w->fault.declared) { /* Windows writes the fault's records into the header */
        cfg->context = w->fault.ctx;
        cfg->exception = w->fault.exc;
        return 0;
    }
    uint64_t rip;
    if (fgw_resolve(w, w->line, w->crash_rip[0] ? w->crash_rip : DEFAULT_CRASH_RIP, &rip) != 0)
        return -1;
    /* The crash runs on the crashing processor's current thread: its stack holds the registers. */
    const fgw_thread *cur = &w->threads[fgw_current_thread(w, fgw_crash_cpu(w))];
    fg_context *c = &cfg->context;
    c->rip = rip;
    c->rsp = cur->stack_top - FGW_CRASH_RSP_DEPTH;
    c->rbp = cur->stack_top - FGW_CRASH_RBP_DEPTH;
    c->rcx = cfg->bugcheck_code;
    c->rdx = cfg->bugcheck_params[0];
    c->r8 = cfg->bugcheck_params[1];
    c->r9 = cfg->bugcheck_params[2];
    cfg->exception.address = rip;
    return 0;
}

int fgw_build(fg_world *w)
{
    fg_config *cfg = fg_config_of(w->d);
    w->p = nt_profile_for_build(cfg->build);
    if (w->p == NULL)
        return fgw_fail(w, w->line, "world: no offset profile for build %u", cfg->build);
    if (!w->has_uptime)
        w->uptime = w->ticks * FGW_TICK_100NS + DEFAULT_UPTIME_EXTRA;
    if (w->uptime > cfg->system_time)
        return fgw_fail(w, w->line, "world: the uptime is longer than the header's system_time");
    w->boot = cfg->system_time - w->uptime;
    if (cfg->processors == 0 || cfg->processors > MAX_PROCESSORS)
        return fgw_fail(w, w->line, "world: 1 .. %u processors", MAX_PROCESSORS);
    if (w->crash_cpu >= cfg->processors)
        return fgw_fail(w, w->line, "world: crash_cpu=%u but the dump has %u processors",
                        w->crash_cpu, cfg->processors);
    w->nprocessors = cfg->processors;
    w->stacks = (fgw_region){STACKS_BASE, STACKS_BASE, FG_4K};
    w->absent = (fgw_region){cfg->kva_base + ABSENT_OFFSET, cfg->kva_base + ABSENT_OFFSET, FG_ABSENT};
    if (fgw_modules_resolve(w) != 0 || fgw_threads_resolve(w) != 0 ||
        fgw_resources_resolve(w) != 0 || mark_damage(w) != 0)
        return -1;
    if (fgw_kernel_layout(w) != 0 || fgw_modules_layout(w) != 0 || fgw_processes_layout(w) != 0 ||
        fgw_threads_layout(w) != 0 || fgw_resources_layout(w) != 0 || fgw_cpus_layout(w) != 0 ||
        fgw_process_names_layout(w) != 0)
        return -1;
    if (fgw_kernel_write(w) != 0 || fgw_modules_write(w) != 0 || fgw_processes_write(w) != 0 ||
        fgw_threads_write(w) != 0 || fgw_resources_write(w) != 0 || fgw_cpus_write(w) != 0)
        return -1;
    if (fgw_fault_write(w) != 0 || fgw_frames_write(w) != 0 || loop_lists(w) != 0)
        return -1;
    if (set_header(w) != 0 || fgw_unwind_write(w) != 0)
        return -1;
    return cfg->dump_type == 4 ? fgw_triage_plan(w) : 0;
}
