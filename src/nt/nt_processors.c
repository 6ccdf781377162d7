/* SPDX-License-Identifier: MIT */
/* Processors: KiProcessorBlock (from the KDBG) is an array of KPRCB pointers; each KPRCB
 * names the thread that was running on that CPU and the CPU's idle thread (listed even when
 * another thread runs: the idle threads are the Idle process's, which is on no list). */
#include <stdlib.h>

#include "nt/nt_model.h"

#define NT_MAX_PROCESSORS 2048u

di_status nt_read_processors(nt_model *m, uint32_t nprocs)
{
    nt_ctx *c = &m->ctx;
    if (m->kdbg.state != NT_KDBG_OK || !m->kdbg.ki_processor_block) {
        nt_warn_code(c, DI_W_KDBG, "without a KDBG the processors' current threads are unknown");
        return DI_OK;
    }
    if (nprocs == 0 || nprocs > NT_MAX_PROCESSORS) {
        nt_warn_code(c, DI_W_MISMATCH, "the header claims %u processors; reading at most %u", nprocs, NT_MAX_PROCESSORS);
        nprocs = nprocs ? NT_MAX_PROCESSORS : 1;
    }
    m->processors = calloc(nprocs, sizeof *m->processors);
    if (!m->processors)
        return DI_E_NOMEM;
    for (uint32_t i = 0; i < nprocs; i++) {
        uint64_t prcb;
        if (nt_read_ptr(c, m->kdbg.ki_processor_block + 8ull * i, &prcb) != DI_OK || !nt_is_kernel_va(prcb)) {
            nt_damage(c, "KiProcessorBlock[%u] cannot be read or is not a kernel address", i);
            continue;
        }
        nt_processor *p = &m->processors[m->nprocessors++];
        p->index = i;
        p->prcb = prcb;
        p->current_thread = nt_field_or(c, prcb, NT_F_KPRCB_CURRENTTHREAD, 0);
        uint64_t number;
        if (nt_read_field(c, prcb, NT_F_KPRCB_NUMBER, &number) == DI_OK && number != i)
            nt_warn_code(c, DI_W_MISMATCH, "KPRCB at 0x%016llx says it is processor %llu, KiProcessorBlock has it at %u",
                    (unsigned long long)prcb, (unsigned long long)number, i);
        p->idle_thread = nt_field_or(c, prcb, NT_F_KPRCB_IDLETHREAD, 0);
        if ((p->current_thread && nt_model_add_thread(m, p->current_thread, NULL) != DI_OK) ||
            (p->idle_thread && nt_model_add_thread(m, p->idle_thread, NULL) != DI_OK))
            return DI_E_NOMEM;
    }
    nt_model_sort_threads(m);
    return nt_model_add_idle_processes(m);
}
