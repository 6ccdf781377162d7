/* SPDX-License-Identifier: MIT */
/* What a triage dump (type 4) of the world holds, as the kernel's triage writer chooses it: the
 * crashing processor's KPRCB, its current thread's ETHREAD and that thread's EPROCESS
 * (KTHREAD.ApcState.Process), the stack from KeBugCheckEx's rsp to the stack top, the KDBG, one
 * driver entry per loaded module (list order), and data blocks: the memory bugcheck parameters
 * point at (the whole object for a thread, process, resource or fault record, else 0x100 bytes
 * around the address), KiProcessorBlock, the crashing KPRCB again (the real file has it twice),
 * the fault records, and the NtBuildLab string. KUSER_SHARED_DATA is left out, as in the real
 * x64 file. fg_triage_blocks.c merges, sorts and cuts the blocks. */
#include "fg_world_int.h"

#include <string.h>

#define PARAM_WINDOW 0x100u
#define LAB_MAX 256u

/* The object a bugcheck parameter is the VA of, if any: its size, else 0. */
static uint64_t object_size(const fg_world *w, uint64_t va)
{
    for (size_t i = 0; i < w->nthreads; i++)
        if (w->threads[i].va == va)
            return fgw_size(w, NT_S_ETHREAD);
    for (size_t i = 0; i < w->nprocs; i++)
        if (w->procs[i].va == va)
            return fgw_size(w, NT_S_EPROCESS);
    for (size_t i = 0; i < w->nres; i++)
        if (w->res[i].va == va)
            return fgw_size(w, NT_S_ERESOURCE);
    for (unsigned i = 0; i < FGW_NREC; i++) {
        uint64_t rva;
        uint32_t size;
        fgw_fault_record(w, i, &rva, &size);
        if (rva != 0 && rva == va)
            return size;
    }
    return 0;
}

/* Bytes of the NtBuildLab string with its NUL (0 when unreadable). */
static uint64_t lab_length(const fg_world *w)
{
    uint8_t c = 1;
    uint64_t n = 0;
    while (n < LAB_MAX && fg_read(w->d, w->build_lab + n, &c, 1) == FG_OK && c != 0)
        n++;
    return c == 0 ? n + 1 : 0;
}

static int block(fg_world *w, uint64_t va, uint64_t size)
{
    if (va == 0 || size == 0)
        return 0;
    return fg_triage_block(w->d, va, size) == FG_OK ? 0 : fgw_fail_dump(w, w->line, "triage");
}

static int param_blocks(fg_world *w)
{
    const fg_config *cfg = fg_config_of(w->d);
    for (int i = 0; i < 4; i++) {
        uint64_t v = cfg->bugcheck_params[i], size = object_size(w, v);
        uint8_t b;
        if (size != 0) {
            if (block(w, v, size) != 0)
                return -1;
        } else if (fg_read(w->d, v, &b, 1) == FG_OK && v >= PARAM_WINDOW / 2) {
            if (block(w, v - PARAM_WINDOW / 2, PARAM_WINDOW) != 0)
                return -1;
        }
    }
    return 0;
}

static int set_core(fg_world *w, uint32_t cpu, const fgw_thread *t)
{
    fg_triage_core c;
    memset(&c, 0, sizeof(c));
    c.prcb_va = w->kpcr[cpu] + fgw_off(w, NT_F_KPCR_PRCB);
    c.prcb_size = fgw_size(w, NT_S_KPRCB);
    c.process_va = w->procs[t->proc].va;
    c.process_size = fgw_size(w, NT_S_EPROCESS);
    c.thread_va = t->va;
    c.thread_size = fgw_size(w, NT_S_ETHREAD);
    c.stack_lo = fgw_bugcheck_rsp(w);
    /* A context off the thread's stack (keep_context) saves what can be read above its rsp. */
    c.stack_hi = c.stack_lo >= t->stack_limit && c.stack_lo < t->stack_top ? t->stack_top
                                                                            : c.stack_lo + 0x3000;
    c.kdbg_va = w->kdbg_none ? 0 : w->kdbg;
    c.kdbg_size = FGW_KDBG_SIZE;
    if (fg_triage_set(w->d, &c) != FG_OK)
        return fgw_fail_dump(w, w->line, "triage");
    return 0;
}

int fgw_triage_plan(fg_world *w)
{
    uint32_t cpu = fgw_crash_cpu(w);
    const fgw_thread *t = &w->threads[fgw_current_thread(w, cpu)];
    if (set_core(w, cpu, t) != 0)
        return -1;
    for (size_t i = 0; i < w->nmods; i++) {
        const fgw_module *m = &w->mods[i];
        if (fg_triage_driver(w->d, m->base, (uint32_t)m->size, m->checksum, m->timestamp,
                             m->path) != FG_OK)
            return fgw_fail_dump(w, m->line, "triage");
    }
    if (param_blocks(w) != 0 || block(w, w->prcb_block, 8ull * w->nprocessors) != 0 ||
        block(w, w->kpcr[cpu] + fgw_off(w, NT_F_KPCR_PRCB), fgw_size(w, NT_S_KPRCB)) != 0)
        return -1;
    for (unsigned i = 0; i < FGW_NREC; i++) {
        uint64_t rva;
        uint32_t size;
        fgw_fault_record(w, i, &rva, &size);
        if (block(w, rva, size) != 0)
            return -1;
    }
    return block(w, w->build_lab, lab_length(w));
}
