/* SPDX-License-Identifier: MIT */
/* Fault records: what exception bugchecks (0x1000007E, 0x1000008E, 0x7E, 0x8E) point at. One
 * scenario line
 *
 *   fault rip=ADDR [REG=ADDR]... [code=N] [flags=N] [info=N,N,...] [records=exr+cxr+trap]
 *
 * writes, on the crashing thread's kernel stack, an EXCEPTION_RECORD64 (exr: code, flags, address
 * = rip, the info= parameters), an x64 CONTEXT of the faulting registers (cxr) and/or a
 * KTRAP_FRAME (trap, the profile's layout), whose VAs bugcheck lines name as @exr, @cxr, @trap.
 * REG is any header-context register name (rax..r15, rsp, rbp, eflags, cs, ...); values may be
 * module or object expressions. Defaults: code 0xC0000005, records exr+cxr, rsp 0xB70 below
 * the stack top, rbp rsp+0x30, kernel segments, eflags 0x50246, MxCsr 0x1F80.
 *
 * The stack is laid out as in the real 0x1000007E triage dump (shared/data/real-dumps), depths
 * below InitialStack: the faulting rsp at 0xB70, the trap frame right below it, the exception
 * record at 0xDA8, the context at 0x1570, and KeBugCheckEx's rsp (TopOfStack, the lowest saved
 * address) at 0x1DA8. Unless keep_context, the header CONTEXT and EXCEPTION_RECORD64 are the
 * fault's, as Windows writes them for these bugchecks. */
#include "fg_world_int.h"

#include <string.h>

#define STATUS_ACCESS_VIOLATION 0xC0000005u
#define FAULT_RSP_DEPTH 0xB70u
#define EXR_DEPTH 0xDA8u
#define CXR_DEPTH 0x1570u
#define BUGCHECK_RSP_DEPTH 0x1DA8u
#define FAULT_RBP_ABOVE 0x30u
#define FAULT_EFLAGS 0x00050246u
#define MXCSR_DEFAULT 0x1F80u
#define SEG_KERNEL_CS 0x10u
#define SEG_KERNEL_SS 0x18u
#define SEG_USER_DATA 0x2Bu
#define SEG_TEB 0x53u

static int parse_info(fg_world *w, fgw_fault *f, char *list)
{
    const char *bad;
    int rc = fg_sc_u64_list(list, f->info, 15, &f->ninfo, &bad);
    if (rc == -1)
        return fg_sc_fail(w->sc, "fault: at most 15 info values");
    if (rc != 0)
        return fg_sc_fail(w->sc, "info: '%s' is not a number", bad);
    return 0;
}

static int parse_records(fg_world *w, fgw_fault *f, char *list)
{
    f->records = 0;
    for (char *s = strtok(list, "+"); s != NULL; s = strtok(NULL, "+")) {
        if (strcmp(s, "exr") == 0)
            f->records |= FGW_REC_EXR;
        else if (strcmp(s, "cxr") == 0)
            f->records |= FGW_REC_CXR;
        else if (strcmp(s, "trap") == 0)
            f->records |= FGW_REC_TRAP;
        else
            return fg_sc_fail(w->sc, "fault: records are exr, cxr, trap joined by '+', not '%s'", s);
    }
    return f->records != 0 ? 0 : fg_sc_fail(w->sc, "fault: records=... names no record");
}

static int parse_reg(fg_world *w, fgw_fault *f, const char *k, const char *v)
{
    fg_context probe;
    if (fg_sc_context_set(&probe, k, 0) != 0)
        return fg_sc_fail(w->sc, "fault: unknown field or register '%s'", k);
    for (size_t i = 0; i < f->nregs; i++)
        if (strcmp(f->regs[i].name, k) == 0)
            return fg_sc_fail(w->sc, "fault: %s is given twice", k);
    if (f->nregs == FGW_MAX_FAULT_REGS)
        return fg_sc_fail(w->sc, "fault: too many registers");
    fgw_fault_reg *r = &f->regs[f->nregs];
    if (fgw_expr_copy(w, k, v, r->expr) != 0)
        return -1;
    strcpy(r->name, k); /* known register names are short */
    f->nregs++;
    return 0;
}

int fgw_parse_fault(fg_world *w, char *rest)
{
    fgw_fault *f = &w->fault;
    if (f->declared)
        return fg_sc_fail(w->sc, "fault: only one fault line (the first is line %u)", f->line);
    memset(f, 0, sizeof(*f));
    f->code = STATUS_ACCESS_VIOLATION;
    f->records = FGW_REC_EXR | FGW_REC_CXR;
    char *tok, *k, *v;
    int has_rip = 0;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (fgw_kv(tok, &k, &v) != 0)
            return fg_sc_fail(w->sc, "fault: expected NAME=VALUE, got '%s'", tok);
        uint64_t n;
        int rc = 0;
        if (strcmp(k, "code") == 0 || strcmp(k, "flags") == 0) {
            if (fgw_num(w, k, v, &n) != 0)
                return -1;
            if (n > 0xFFFFFFFFull)
                return fg_sc_fail(w->sc, "fault: %s does not fit in 32 bits", k);
            *(k[0] == 'c' ? &f->code : &f->flags) = (uint32_t)n;
        } else if (strcmp(k, "info") == 0) {
            rc = parse_info(w, f, v);
        } else if (strcmp(k, "records") == 0) {
            rc = parse_records(w, f, v);
        } else {
            has_rip |= strcmp(k, "rip") == 0;
            rc = parse_reg(w, f, k, v);
        }
        if (rc != 0)
            return -1;
    }
    if (!has_rip)
        return fg_sc_fail(w->sc, "fault: rip=ADDR (the faulting instruction) is required");
    f->declared = 1;
    f->line = w->sc->line;
    return 0;
}

static const fgw_thread *crash_thread(const fg_world *w)
{
    return &w->threads[fgw_current_thread(w, fgw_crash_cpu(w))];
}

uint64_t fgw_crash_rsp(const fg_world *w)
{
    if (w->keep_context)
        return fg_config_of(w->d)->context.rsp;
    if (w->fault.declared)
        return w->fault.ctx.rsp;
    return crash_thread(w)->stack_top - FGW_CRASH_RSP_DEPTH;
}

uint64_t fgw_bugcheck_rsp(const fg_world *w)
{
    if (w->fault.declared)
        return crash_thread(w)->stack_top - BUGCHECK_RSP_DEPTH;
    return fgw_crash_rsp(w);
}

static const char *const rec_names[FGW_NREC] = {"exr", "cxr", "trap"};

const char *fgw_fault_record(const fg_world *w, unsigned i, uint64_t *va, uint32_t *size)
{
    const fgw_fault *f = &w->fault;
    const uint64_t vas[FGW_NREC] = {f->exr, f->cxr, f->trap};
    const uint32_t sizes[FGW_NREC] = {FG_EXCEPTION_SIZE, FG_CONTEXT_SIZE,
                                      fgw_size(w, NT_S_KTRAP_FRAME)};
    *va = f->declared && (f->records & (1u << i)) ? vas[i] : 0;
    *size = sizes[i];
    return rec_names[i];
}

int fgw_fault_ref(const fg_world *w, const char *name, uint64_t *va, uint32_t *size)
{
    for (unsigned i = 0; i < FGW_NREC; i++)
        if (strcmp(name, rec_names[i]) == 0) {
            fgw_fault_record(w, i, va, size);
            return 1;
        }
    return 0;
}

static int fault_context(fg_world *w, const fgw_thread *t)
{
    fgw_fault *f = &w->fault;
    fg_context *c = &f->ctx;
    memset(c, 0, sizeof(*c));
    c->rsp = t->stack_top - FAULT_RSP_DEPTH;
    c->rbp = c->rsp + FAULT_RBP_ABOVE;
    c->eflags = FAULT_EFLAGS;
    c->mxcsr = MXCSR_DEFAULT;
    c->cs = SEG_KERNEL_CS;
    c->ss = SEG_KERNEL_SS;
    c->ds = c->es = c->gs = SEG_USER_DATA;
    c->fs = SEG_TEB;
    for (size_t i = 0; i < f->nregs; i++) {
        uint64_t v;
        if (fgw_resolve(w, f->line, f->regs[i].expr, &v) != 0)
            return -1;
        if (fg_sc_context_set(c, f->regs[i].name, v) != 0)
            return fgw_fail(w, f->line, "fault: %s=%s does not fit in the register", f->regs[i].name,
                            f->regs[i].expr);
    }
    fg_exception *e = &f->exc;
    memset(e, 0, sizeof(*e));
    e->code = f->code;
    e->flags = f->flags;
    e->address = c->rip;
    e->nparams = f->ninfo;
    memcpy(e->params, f->info, sizeof(f->info));
    return 0;
}

/* Each record must lie on the stack above KeBugCheckEx's rsp and not overlap another. */
static int check_place(fg_world *w, const fgw_thread *t, const uint64_t lo[3], const uint32_t len[3])
{
    uint64_t floor = t->stack_top - BUGCHECK_RSP_DEPTH;
    static const char *const names[3] = {"exception record", "context", "trap frame"};
    for (int i = 0; i < 3; i++) {
        if (len[i] == 0)
            continue;
        if (lo[i] <= floor || lo[i] + len[i] > t->stack_top)
            return fgw_fail(w, w->fault.line, "fault: the %s at 0x%llx is not between the "
                            "bugcheck rsp 0x%llx and the stack top of thread %s", names[i],
                            (unsigned long long)lo[i], (unsigned long long)floor, t->id);
        for (int j = 0; j < i; j++)
            if (len[j] != 0 && lo[i] < lo[j] + len[j] && lo[j] < lo[i] + len[i])
                return fgw_fail(w, w->fault.line, "fault: the %s overlaps the %s (move rsp=)",
                                names[i], names[j]);
    }
    return 0;
}

static int write_trap(fg_world *w, uint64_t va)
{
    const fg_context *c = &w->fault.ctx;
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_KTRAP_FRAME)) != 0)
        return fgw_fail(w, w->fault.line, "out of memory");
    static const nt_field_id ids[] = {
        NT_F_KTRAP_FRAME_RAX, NT_F_KTRAP_FRAME_RCX, NT_F_KTRAP_FRAME_RDX, NT_F_KTRAP_FRAME_R8,
        NT_F_KTRAP_FRAME_R9,  NT_F_KTRAP_FRAME_R10, NT_F_KTRAP_FRAME_R11, NT_F_KTRAP_FRAME_RBX,
        NT_F_KTRAP_FRAME_RDI, NT_F_KTRAP_FRAME_RSI, NT_F_KTRAP_FRAME_RBP, NT_F_KTRAP_FRAME_RIP,
        NT_F_KTRAP_FRAME_RSP,
    };
    const uint64_t vals[] = {c->rax, c->rcx, c->rdx, c->r8,  c->r9,  c->r10, c->r11,
                             c->rbx, c->rdi, c->rsi, c->rbp, c->rip, c->rsp};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        fgw_set(&o, 0, ids[i], vals[i]);
    fgw_set(&o, 0, NT_F_KTRAP_FRAME_PREVIOUSMODE, (uint64_t)fgw_enum(w, NT_E_MODE_KERNELMODE));
    fgw_set(&o, 0, NT_F_KTRAP_FRAME_SEGCS, c->cs);
    fgw_set(&o, 0, NT_F_KTRAP_FRAME_SEGSS, c->ss);
    fgw_set(&o, 0, NT_F_KTRAP_FRAME_EFLAGS, c->eflags);
    int rc = fgw_put(w, w->fault.line, va, &o);
    fgw_buf_free(&o);
    return rc;
}

int fgw_fault_write(fg_world *w)
{
    fgw_fault *f = &w->fault;
    if (!f->declared)
        return 0;
    if (w->crash_rip[0] != '\0' && !w->keep_context)
        return fgw_fail(w, f->line, "fault: the header context is the fault's; give rip= here, "
                        "not crash_rip= on the world line");
    const fgw_thread *t = crash_thread(w);
    if (t->stack_top - t->stack_limit <= BUGCHECK_RSP_DEPTH)
        return fgw_fail(w, f->line, "fault: thread %s's stack is smaller than the 0x%x bytes a "
                        "fault needs (stack_pages=2 or more)", t->id, BUGCHECK_RSP_DEPTH);
    if (fault_context(w, t) != 0)
        return -1;
    uint32_t trap_size = fgw_size(w, NT_S_KTRAP_FRAME);
    f->exr = f->records & FGW_REC_EXR ? t->stack_top - EXR_DEPTH : 0;
    f->cxr = f->records & FGW_REC_CXR ? t->stack_top - CXR_DEPTH : 0;
    f->trap = f->records & FGW_REC_TRAP ? f->ctx.rsp - trap_size : 0;
    const uint64_t lo[3] = {f->exr, f->cxr, f->trap};
    const uint32_t len[3] = {f->exr ? FG_EXCEPTION_SIZE : 0, f->cxr ? FG_CONTEXT_SIZE : 0,
                             f->trap ? trap_size : 0};
    if (check_place(w, t, lo, len) != 0)
        return -1;
    uint8_t exr[FG_EXCEPTION_SIZE], cxr[FG_CONTEXT_SIZE];
    fg_exception_bytes(&f->exc, exr);
    fg_context_bytes(&f->ctx, cxr);
    if ((f->exr && fgw_write(w, f->exr, exr, sizeof(exr)) != FG_OK) ||
        (f->cxr && fgw_write(w, f->cxr, cxr, sizeof(cxr)) != FG_OK))
        return fgw_fail_dump(w, f->line, "writing a fault record");
    return f->trap ? write_trap(w, f->trap) : 0;
}
