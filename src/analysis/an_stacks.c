/* SPDX-License-Identifier: MIT */
/* Where a thread's stack walk starts (shared/reference/x64-stacks.md section 3):
 *   - the crashing thread (its kernel stack holds the dump header's CONTEXT, or the triage
 *     dump names it): the header CONTEXT, and again from the CONTEXT or KTRAP_FRAME a bugcheck
 *     parameter points at when that is another state (as WinDbg's .cxr / .trap restart);
 *   - another processor's running thread: KPRCB.ProcessorState.ContextFrame;
 *   - every other thread: the switch frame at KTHREAD.KernelStack.
 * The walk keeps to the thread's stack, [KTHREAD.StackLimit, KTHREAD.StackBase). */
#include <string.h>

#include "analysis/an_stacks.h"
#include "dump/dmp_dump.h"
#include "dump/dmp_layout.h"
#include "dump/dmp_triage.h"
#include "util/le.h"

static void regs_from_context(const uint8_t *ctx, uw_regs *r)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < UW_NGPR; i++)
        r->gpr[i] = le64(ctx + DMP_CTX_RAX + 8 * i);
    r->known = (1u << UW_NGPR) - 1;
    r->rip = le64(ctx + DMP_CTX_RIP);
}

/* [StackLimit, StackBase) of thread va; 0s when unreadable (the walk then bounds itself). */
static void stack_range(nt_model *m, uint64_t va, uint64_t *limit, uint64_t *base)
{
    nt_ctx *c = &m->ctx;
    uint64_t lo, hi;
    *limit = *base = 0;
    if (!c->prof || nt_read_field(c, va, NT_F_KTHREAD_STACKLIMIT, &lo) != DI_OK ||
        nt_read_field(c, va, NT_F_KTHREAD_STACKBASE, &hi) != DI_OK)
        return;
    if (hi <= lo || !nt_is_kernel_va(lo) || !nt_is_kernel_va(hi) || hi - lo > UW_DEFAULT_STACK_SPAN * 8)
        return;
    *limit = lo;
    *base = hi;
}

static uint64_t find_crash_thread(nt_model *m, const dmp_dump *d, uint64_t rsp)
{
    if (d && d->triage && d->triage->thread_va)
        return d->triage->thread_va;
    for (size_t i = 0; i < m->nprocessors; i++) {
        uint64_t t = m->processors[i].current_thread, lo, hi;
        stack_range(m, t, &lo, &hi);
        if (t && lo && rsp >= lo && rsp < hi)
            return t;
    }
    return 0;
}

int an_stacker_init(an_stacker *s, nt_model *m, const an_fault *f)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    if (uw_init(&s->uw, m, uw_nt_read, m))
        return -1;
    const dmp_dump *d = m->ctx.mm ? m->ctx.mm->dmp : NULL;
    if (!d || m->machine != DMP_MACHINE_X64)
        return 0;
    regs_from_context(d->hdr + DMP_HDR_CONTEXT, &s->header);
    s->have_header = s->header.rip != 0;
    if (s->have_header)
        s->crash_thread = find_crash_thread(m, d, s->header.gpr[UW_RSP]);
    if (f && f->regs.present && f->regs.rip) {
        memset(&s->fault, 0, sizeof s->fault);
        s->fault.rip = f->regs.rip;
        for (int i = 0; i < UW_NGPR && i < AN_FAULT_GPRS; i++) {
            s->fault.gpr[i] = f->regs.gpr[i];
            if (f->regs.gpr_known[i])
                s->fault.known |= 1u << i;
        }
        /* The same state as the header's is one walk, not two. */
        s->have_fault = !s->have_header || s->fault.rip != s->header.rip ||
                        s->fault.gpr[UW_RSP] != s->header.gpr[UW_RSP];
        s->fault_kind = strcmp(f->regs.kind, "trap_frame") == 0 ? "trap_frame" : "context_record";
        s->fault_va = f->regs.va;
    }
    return 0;
}

void an_stacker_free(an_stacker *s) { uw_free(&s->uw); }

static an_walk *next_walk(an_thread_stacks *out, const char *start, uint64_t va)
{
    an_walk *w = &out->walk[out->n++];
    w->start = start;
    w->start_va = va;
    w->stack.n = w->stack.nunwound = 0;
    return w;
}

static const nt_processor *running_on(const nt_model *m, uint64_t thread)
{
    for (size_t i = 0; i < m->nprocessors; i++)
        if (m->processors[i].current_thread == thread)
            return &m->processors[i];
    return NULL;
}

/* The processor's saved CONTEXT (KPRCB.ProcessorState.ContextFrame). */
static int context_frame(nt_model *m, const nt_processor *p, uw_regs *r, uint64_t *va)
{
    nt_ctx *c = &m->ctx;
    uint8_t ctx[DMP_CTX_SIZE];
    uint32_t off = nt_off(c, NT_F_KPRCB_PROCESSORSTATE_CONTEXTFRAME);
    *va = p->prcb + off;
    if (!off || nt_read(c, *va, ctx, sizeof ctx) != DI_OK)
        return 0;
    regs_from_context(ctx, r);
    return r->rip != 0;
}

static void walk_switch_frame(an_stacker *s, const nt_thread *t, uint64_t limit, uint64_t base, an_walk *w)
{
    nt_ctx *c = &s->m->ctx;
    uint64_t ks, rip, rbp;
    if (!c->prof || nt_read_field(c, t->va, NT_F_KTHREAD_KERNELSTACK, &ks) != DI_OK) {
        w->stack.end = UW_END_NO_CONTEXT;
        return;
    }
    w->start_va = ks;
    if (limit && (ks < limit || ks >= base)) {
        w->stack.limit = limit;
        w->stack.base = base;
        w->stack.end = UW_END_BAD_RSP;
        return;
    }
    if (nt_read_ptr(c, ks + AN_SWITCH_FRAME_RETURN, &rip) != DI_OK ||
        nt_read_ptr(c, ks + AN_SWITCH_FRAME_RBP, &rbp) != DI_OK) {
        w->stack.limit = limit;
        w->stack.base = base;
        w->stack.end = UW_END_STACK_PAGE_MISSING;
        return;
    }
    uw_regs r = {.rip = rip};
    r.gpr[UW_RSP] = ks + AN_SWITCH_FRAME_SIZE;
    r.gpr[UW_RBP] = rbp;
    r.known = 1u << UW_RSP | 1u << UW_RBP;
    uw_walk(&s->uw, &r, limit, base, UW_TRUST_CONTEXT, 1, &w->stack);
}

void an_walk_thread(an_stacker *s, const nt_thread *t, an_thread_stacks *out)
{
    out->n = 0;
    uint64_t limit, base;
    stack_range(s->m, t->va, &limit, &base);
    if (s->crash_thread && t->va == s->crash_thread) {
        an_walk *w = next_walk(out, "header_context", 0);
        uw_walk(&s->uw, &s->header, limit, base, UW_TRUST_CONTEXT, 1, &w->stack);
        if (s->have_fault) {
            w = next_walk(out, s->fault_kind, s->fault_va);
            uw_walk(&s->uw, &s->fault, limit, base, UW_TRUST_CONTEXT, 1, &w->stack);
        }
        return;
    }
    const nt_processor *p = running_on(s->m, t->va);
    if (p) {
        uw_regs r;
        uint64_t va;
        an_walk *w = next_walk(out, "context_frame", 0);
        if (context_frame(s->m, p, &r, &va)) {
            w->start_va = va;
            uw_walk(&s->uw, &r, limit, base, UW_TRUST_CONTEXT, 1, &w->stack);
        } else {
            w->start_va = va;
            w->stack.limit = limit;
            w->stack.base = base;
            w->stack.end = UW_END_NO_CONTEXT;
        }
        return;
    }
    walk_switch_frame(s, t, limit, base, next_walk(out, "kernel_stack", 0));
}

static const nt_module *blame_in(const uw_stack *st, int scanned, const uw_frame **frame)
{
    size_t from = scanned ? st->nunwound : 0, to = scanned ? st->n : st->nunwound;
    for (size_t i = from; i < to; i++)
        if (st->frames[i].module && !an_is_os_module(st->frames[i].module->name)) {
            *frame = &st->frames[i];
            return st->frames[i].module;
        }
    return NULL;
}

const nt_module *an_stack_blame(const an_thread_stacks *ts, const uw_frame **frame)
{
    const nt_module *mod = NULL;
    const uw_frame *dummy;
    if (!frame)
        frame = &dummy;
    *frame = NULL;
    int unwound = 0;
    /* The walk restarted at the fault first: it is the faulting code's own stack. */
    for (size_t k = ts->n; k-- > 0 && !mod;) {
        unwound |= ts->walk[k].stack.nunwound > 1;
        mod = blame_in(&ts->walk[k].stack, 0, frame);
    }
    for (size_t k = ts->n; k-- > 0 && !mod && !unwound;)
        mod = blame_in(&ts->walk[k].stack, 1, frame);
    return mod;
}
