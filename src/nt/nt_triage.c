/* SPDX-License-Identifier: MIT */
/* The kernel model of a triage dump. There are no lists to walk: the model is what the
 * dying kernel copied out — the crashing processor's KPRCB, its current thread and that
 * thread's process (read with the same validation as in a full dump, through the triage
 * dump's captured ranges), the driver list as the loaded modules, and the KDBG copy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt/nt_model.h"

#define NT_KUSER_SHARED_DATA_VA 0xFFFFF78000000000ull

/* The driver list is the module list of a triage dump; it needs no offset profile. */
di_status nt_triage_modules(nt_model *m, const dmp_dump *dmp)
{
    const dmp_triage *t = dmp->triage;
    size_t cap = 0;
    for (size_t i = 0; i < t->ndrivers; i++) {
        if (nt_count_limit(&m->ctx, NT_COUNT_MODULES, m->nmodules))
            break;
        int grown = nt_grow(&m->ctx, (void **)&m->modules, &cap, m->nmodules, sizeof *m->modules);
        if (grown)
            return grown == NT_GROW_NOMEM ? DI_E_NOMEM : DI_OK;
        const dmp_tdriver *d = &t->drivers[i];
        nt_module *mod = &m->modules[m->nmodules++];
        memset(mod, 0, sizeof *mod);
        mod->base = d->base;
        mod->size = d->size;
        mod->timestamp = d->timestamp;
        mod->checksum = d->checksum;
        snprintf(mod->path, sizeof mod->path, "%s", d->path);
        snprintf(mod->name, sizeof mod->name, "%s", d->name[0] ? d->name : "");
        if (!mod->name[0])
            snprintf(mod->name, sizeof mod->name, "module_%016llx", (unsigned long long)mod->base);
    }
    m->modules_complete = m->nmodules == t->drivers_declared && t->ndrivers == t->drivers_declared;
    return DI_OK;
}

/* ntoskrnl's identity from its driver-list entry (the image itself is not captured). */
void nt_triage_kernel_from_modules(nt_model *m)
{
    for (size_t i = 0; i < m->nmodules; i++)
        if (m->modules[i].base == m->kdbg.kern_base || (!m->kdbg.kern_base && i == 0)) {
            m->kernel.base = m->modules[i].base;
            m->kernel.size = m->modules[i].size;
            m->kernel.timestamp = m->modules[i].timestamp;
            m->kernel.checksum = m->modules[i].checksum;
            return;
        }
}

static di_status read_processor(nt_model *m, const dmp_triage *t)
{
    if (!t->thread_va)
        return DI_OK;
    m->processors = calloc(1, sizeof *m->processors);
    if (!m->processors)
        return DI_E_NOMEM;
    nt_processor *p = &m->processors[m->nprocessors++];
    p->index = t->processor;
    p->prcb = t->prcb_va;
    p->current_thread = t->thread_va;
    if (t->prcb_va)
        p->idle_thread = nt_field_or(&m->ctx, t->prcb_va, NT_F_KPRCB_IDLETHREAD, 0);
    di_status st = nt_model_add_thread(m, t->thread_va, NULL);
    /* The idle thread is listed only when the dump happened to capture it. */
    if (st == DI_OK && p->idle_thread && p->idle_thread != p->current_thread)
        st = nt_model_add_thread(m, p->idle_thread, NULL);
    return st;
}

di_status nt_build_triage(nt_model *m, const dmp_dump *dmp)
{
    nt_ctx *c = &m->ctx;
    const dmp_triage *t = dmp->triage;
    m->kernel.base = m->kdbg.state == NT_KDBG_OK && m->kdbg.kern_base ? m->kdbg.kern_base : m->kernel.base;
    if (dmp_triage_region_at(t, NT_KUSER_SHARED_DATA_VA))
        nt_read_clock(m);
    else
        nt_warn_code(c, DI_W_MISSING_DATA, "KUSER_SHARED_DATA is not captured in this triage dump: wait times cannot be computed");
    di_status st = read_processor(m, t);
    if (st == DI_OK && t->process_va)
        st = nt_add_process_at(m, t->process_va);
    if (st != DI_OK)
        return st;
    nt_model_sort_threads(m);
    st = nt_model_add_idle_processes(m);
    if (st != DI_OK)
        return st;
    /* A triage dump copies no list: what it holds is all that is listed, and lock
     * findings cannot be made (the resource list is not captured). */
    m->processes_complete = 0;
    m->resources_complete = 0;
    m->resources_unavailable = "a triage (small memory) dump does not capture the executive resource list";
    return DI_OK;
}
