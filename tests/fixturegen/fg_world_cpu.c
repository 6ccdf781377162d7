/* SPDX-License-Identifier: MIT */
/* Processors: one KPCR per processor with its embedded KPRCB (Number, CurrentThread,
 * IdleThread, the kernel CR3), and KiProcessorBlock, the array of KPRCB pointers the KDBG
 * names (0-terminated). Also which processor crashed. */
#include "fg_world_int.h"

#include <stdlib.h>
#include <string.h>

static uint64_t prcb_of(const fg_world *w, uint32_t cpu)
{
    return w->kpcr[cpu] + fgw_off(w, NT_F_KPCR_PRCB);
}

int fgw_cpus_layout(fg_world *w)
{
    w->kpcr = calloc(w->nprocessors, sizeof(*w->kpcr));
    if (w->kpcr == NULL)
        return fgw_fail(w, w->line, "out of memory");
    for (uint32_t i = 0; i < w->nprocessors; i++) {
        w->kpcr[i] = fg_alloc_kva(w->d, fgw_size(w, NT_S_KPCR), FGW_PAGE);
        if (w->kpcr[i] == 0)
            return fgw_fail_dump(w, w->line, "allocating a KPCR");
    }
    return 0;
}

/* The thread KPRCB.CurrentThread names: the declared one, else the processor's idle thread. */
static const fgw_thread *current_of(const fg_world *w, uint32_t cpu, const fgw_thread **idle)
{
    const fgw_thread *cur = NULL;
    *idle = NULL;
    for (size_t i = 0; i < w->nthreads; i++) {
        const fgw_thread *t = &w->threads[i];
        if (t->running_on == (int)cpu)
            cur = t;
        if (t->idle_cpu == (int)cpu)
            *idle = t;
    }
    return cur != NULL ? cur : *idle;
}

size_t fgw_current_thread(const fg_world *w, uint32_t cpu)
{
    const fgw_thread *idle, *cur = current_of(w, cpu, &idle);
    return (size_t)(cur - w->threads);
}

uint32_t fgw_crash_cpu(const fg_world *w)
{
    if (!w->keep_context)
        return w->crash_cpu; /* where the world puts the header context */
    uint64_t rsp = fg_config_of(w->d)->context.rsp;
    for (uint32_t cpu = 0; cpu < w->nprocessors; cpu++) {
        const fgw_thread *t = &w->threads[fgw_current_thread(w, cpu)];
        if (rsp >= t->stack_limit && rsp < t->stack_top)
            return cpu;
    }
    return 0;
}

static int write_kpcr(fg_world *w, uint32_t cpu, fgw_buf *o)
{
    const fgw_thread *idle, *cur = current_of(w, cpu, &idle);
    size_t prcb = fgw_off(w, NT_F_KPCR_PRCB);
    uint64_t cr3 = fg_dtb(w->d);
    fgw_set(o, 0, NT_F_KPCR_SELF, w->kpcr[cpu]);
    fgw_set(o, 0, NT_F_KPCR_CURRENTPRCB, prcb_of(w, cpu));
    fgw_set(o, prcb, NT_F_KPRCB_CURRENTTHREAD, cur->va);
    fgw_set(o, prcb, NT_F_KPRCB_IDLETHREAD, idle->va);
    fgw_set(o, prcb, NT_F_KPRCB_NUMBER, cpu);
    fgw_set(o, prcb, NT_F_KPRCB_PROCESSORSTATE_SPECIALREGISTERS_CR3, cr3);
    fgw_set(o, prcb, NT_F_KPRCB_KERNELDIRECTORYTABLEBASE, cr3);
    return fgw_put(w, w->line, w->kpcr[cpu], o);
}

int fgw_cpus_write(fg_world *w)
{
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_KPCR)) != 0)
        return fgw_fail(w, w->line, "out of memory");
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < w->nprocessors; i++) {
        memset(o.b, 0, o.len);
        rc = write_kpcr(w, i, &o);
        if (rc == 0 && fgw_write_u64(w, w->prcb_block + 8ull * i, prcb_of(w, i)) != FG_OK)
            rc = fgw_fail_dump(w, w->line, "writing KiProcessorBlock");
    }
    fgw_buf_free(&o);
    if (rc == 0 && fgw_write_u64(w, w->prcb_block + 8ull * w->nprocessors, 0) != FG_OK)
        rc = fgw_fail_dump(w, w->line, "writing KiProcessorBlock");
    return rc;
}
