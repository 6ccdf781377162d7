/* SPDX-License-Identifier: MIT */
/* A one-screen human summary in the spirit of !analyze -v plus !locks: the same facts as
 * the JSON, fewer of them. */
#include <stdlib.h>
#include <string.h>

#include "analysis/an_bugcheck.h"
#include "analysis/an_describe.h"
#include "report/rep_report.h"
#include "util/error.h"
#include "util/le.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

/* Locks listed at most in the text view; the JSON has all of them. */
#define TEXT_MAX_LOCKS 12
#define TEXT_MAX_FRAMES 40
/* Threads whose stacks the text view prints: the crashing one, then those in findings. */
#define TEXT_MAX_STACKS 6

static void header_lines(di_strbuf *b, const dmp_dump *d, const an_analysis *a)
{
    const uint8_t *h = d->hdr;
    char t[40], up[40];
    uint64_t ft = le64(h + DMP_HDR_SYSTEM_TIME);
    di_duration_text(le64(h + DMP_HDR_SYSTEM_UP_TIME), up, sizeof up);
    di_strbuf_addf(b, "Dump:      %s, %s (type %u)\n", dmp_path(d), dmp_type_description(d->dump_type), d->dump_type);
    di_strbuf_addf(b, "System:    Windows build %u %s, %u processors, crashed %s, up %s\n",
                   le32(h + DMP_HDR_MINOR_VERSION), d->machine == DMP_MACHINE_ARM64 ? "ARM64" : "x64",
                   le32(h + DMP_HDR_NUMBER_PROCESSORS),
                   di_filetime_iso8601(ft, t, sizeof t) == 0 ? t : "(unknown)", up);
    uint32_t code = le32(h + DMP_HDR_BUGCHECK_CODE);
    const char *name = an_bugcheck_name(code);
    const an_bugcheck_info *info = an_bugcheck_info(code);
    di_strbuf_addf(b, "\nBUGCHECK 0x%08X %s\n", code, name ? name : "(unknown code)");
    if (info && info->meaning)
        di_strbuf_addf(b, "  %s\n", info->meaning);
    for (int i = 0; i < 4; i++) {
        const char *label = info && info->labels[i] ? info->labels[i] : "";
        const char *expl = a && a->params[i].explanation[0] ? a->params[i].explanation : "";
        di_strbuf_addf(b, "  Arg%d: %016llx  %s%s%s\n", i + 1,
                       (unsigned long long)le64(h + DMP_HDR_BUGCHECK_PARAM1 + 8 * i), label,
                       *label && *expl ? ": " : "", expl);
    }
}

static void findings_lines(di_strbuf *b, const rep_view *v)
{
    const an_analysis *a = v->a;
    di_strbuf_addf(b, "\nFINDINGS\n");
    if (!a || a->nfindings == 0)
        di_strbuf_addf(b, "  none\n");
    for (size_t i = 0; a && i < a->nfindings; i++) {
        di_strbuf_addf(b, "  [%s] %s: %s\n", an_severity_name(a->findings[i].severity),
                       an_kind_name(a->findings[i].kind), a->findings[i].summary);
        if (a->findings[i].caveat)
            di_strbuf_addf(b, "         (partial data: %s)\n", a->findings[i].caveat);
    }
    if (a) {
        if (a->suspect)
            di_strbuf_addf(b, "\nSUSPECT   %s (%s)\n", a->suspect->name, a->suspect_reason);
        else
            di_strbuf_addf(b, "\nSUSPECT   none identified\n");
        di_strbuf_addf(b, "BUCKET    %s\n", a->bucket);
    }
}

/* The decoded fault, like .exr / .cxr: where, what, and the registers. */
static void fault_lines(di_strbuf *b, const rep_view *v)
{
    const an_fault *f = &v->a->fault;
    if (!f->applies || !f->address)
        return;
    char where[96];
    an_describe_address(v->base, f->address, where, sizeof where);
    di_strbuf_addf(b, "\nFAULT     %016llx %s\n", (unsigned long long)f->address, where);
    if (f->have_code) {
        const char *name = an_ntstatus_name(f->code);
        di_strbuf_addf(b, "  exception %08X %s\n", f->code, name ? name : "");
    }
    if (f->access)
        di_strbuf_addf(b, "  %s of %016llx\n", f->access, (unsigned long long)f->access_address);
    if (f->regs.present) {
        static const char *const n[AN_FAULT_GPRS] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                                     "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
        di_strbuf_addf(b, "  registers (%s at %016llx):\n  rip=%016llx", f->regs.kind, (unsigned long long)f->regs.va,
                       (unsigned long long)f->regs.rip);
        for (int i = 0, col = 1; i < AN_FAULT_GPRS; i++) {
            if (!f->regs.gpr_known[i])
                continue;
            di_strbuf_addf(b, "%s%s=%016llx", col++ % 3 ? " " : "\n  ", n[i], (unsigned long long)f->regs.gpr[i]);
        }
        di_strbuf_addf(b, "\n");
    }
}

/* A triage dump's saved stack: the candidates a scan found, like a symbol-free kv. */
static void stack_lines(di_strbuf *b, const an_analysis *a)
{
    if (!a->nscan)
        return;
    di_strbuf_addf(b, "\nSAVED STACK (scanned; candidates, not unwound frames)\n");
    for (size_t i = 0; i < a->nscan && i < TEXT_MAX_FRAMES; i++)
        di_strbuf_addf(b, "  %016llx  %016llx  %s+0x%llx\n", (unsigned long long)a->scan[i].sp,
                       (unsigned long long)a->scan[i].address, a->scan[i].module->name,
                       (unsigned long long)(a->scan[i].address - a->scan[i].module->base));
    if (a->nscan > TEXT_MAX_FRAMES)
        di_strbuf_addf(b, "  ... %zu more in the JSON report\n", a->nscan - TEXT_MAX_FRAMES);
}

/* WinDbg's split 64-bit address: ffff8287`20007668. */
static void put_split(di_strbuf *b, uint64_t v)
{
    di_strbuf_addf(b, "%08llx`%08llx", (unsigned long long)(v >> 32), (unsigned long long)(v & 0xFFFFFFFFu));
}

/* One walk as `knL` prints it: frame number, Child-SP, RetAddr, Call Site. */
static void walk_lines(di_strbuf *b, const an_walk *w)
{
    di_strbuf_addf(b, "  from %s", w->start);
    if (w->start_va)
        di_strbuf_addf(b, " at %016llx", (unsigned long long)w->start_va);
    di_strbuf_addf(b, "; the walk ended: %s\n   # Child-SP          RetAddr           Call Site\n",
                   uw_end_name(w->stack.end));
    for (size_t i = 0; i < w->stack.n && i < TEXT_MAX_FRAMES; i++) {
        const uw_frame *f = &w->stack.frames[i];
        char sym[NT_NAME_MAX + UW_NAME_MAX + 32];
        rep_frame_symbol(f, sym, sizeof sym);
        di_strbuf_addf(b, "  %02zx ", i);
        put_split(b, f->sp);
        di_strbuf_addf(b, " ");
        put_split(b, f->ret);
        di_strbuf_addf(b, " %s%s\n", sym, f->trust == UW_TRUST_SCAN ? "  (scan)" : "");
    }
    if (w->stack.n > TEXT_MAX_FRAMES)
        di_strbuf_addf(b, "  ... %zu more frames in the JSON report\n", w->stack.n - TEXT_MAX_FRAMES);
}

static int stack_wanted(uint64_t *done, size_t *ndone, uint64_t va)
{
    if (!va || *ndone >= TEXT_MAX_STACKS)
        return 0;
    for (size_t i = 0; i < *ndone; i++)
        if (done[i] == va)
            return 0;
    done[(*ndone)++] = va;
    return 1;
}

static void thread_stack_lines(di_strbuf *b, const rep_view *v, uint64_t va, const char *why)
{
    const nt_thread *t = nt_model_thread(v->m, va);
    if (!t)
        return;
    an_thread_stacks *ts = rep_walk_thread(v, t);
    if (!ts) {
        b->failed = 1;
        return;
    }
    char who[128];
    an_describe_thread(v->m, va, who, sizeof who);
    di_strbuf_addf(b, "\nSTACK     %s (%s)\n", who, why);
    for (size_t k = 0; k < ts->n; k++)
        walk_lines(b, &ts->walk[k]);
    free(ts);
}

/* The stacks that matter, like knL on each: the crashing thread, then lock owners and waiters. */
static void stacks_lines(di_strbuf *b, const rep_view *v)
{
    const nt_model *m = v->m;
    uint64_t done[TEXT_MAX_STACKS];
    size_t ndone = 0;
    if (!v->stacker)
        return;
    if (stack_wanted(done, &ndone, v->stacker->crash_thread))
        thread_stack_lines(b, v, v->stacker->crash_thread, "the crashing thread");
    for (size_t i = 0; v->a && i < v->a->nfindings; i++) {
        const an_finding *f = &v->a->findings[i];
        if (f->kind == AN_ORPHANED_LOCK || f->kind == AN_CONTENTION) {
            const nt_resource *r = &m->resources[f->resource];
            for (size_t k = 0; k < r->nowners; k++)
                if (stack_wanted(done, &ndone, m->owners[r->first_owner + k].thread))
                    thread_stack_lines(b, v, m->owners[r->first_owner + k].thread, "owns a lock");
            for (size_t k = 0; k < r->nwaiters; k++)
                if (stack_wanted(done, &ndone, m->waiters[r->first_waiter + k].thread))
                    thread_stack_lines(b, v, m->waiters[r->first_waiter + k].thread, "waits for a lock");
        }
        for (size_t k = 0; k < f->cycle_len; k++)
            if (stack_wanted(done, &ndone, f->cycle_threads[k]))
                thread_stack_lines(b, v, f->cycle_threads[k], "in a deadlock");
    }
}

static void lock_lines(di_strbuf *b, const nt_model *m)
{
    size_t held = 0, shown = 0;
    if (m->resources_unavailable) {
        di_strbuf_addf(b, "\nLOCKS     unknown: %s\n", m->resources_unavailable);
        return;
    }
    for (size_t i = 0; i < m->nresources; i++)
        held += m->resources[i].held != 0;
    di_strbuf_addf(b, "\nLOCKS     %zu of %zu executive resources held\n", held, m->nresources);
    for (size_t i = 0; i < m->nresources; i++) {
        const nt_resource *r = &m->resources[i];
        if (!r->held)
            continue;
        if (shown++ == TEXT_MAX_LOCKS) {
            di_strbuf_addf(b, "  ... %zu more in the JSON report\n", held - TEXT_MAX_LOCKS);
            break;
        }
        di_strbuf_addf(b, "  %016llx %-9s contention %u\n", (unsigned long long)r->va,
                       r->exclusive ? "exclusive" : "shared", r->contention_count);
        for (size_t k = 0; k < r->nowners; k++) {
            const nt_owner *o = &m->owners[r->first_owner + k];
            char who[128];
            an_describe_thread(m, o->thread ? o->thread : o->raw, who, sizeof who);
            di_strbuf_addf(b, "    owner  %s x%u [%s]\n", who, o->count, an_owner_state_name(an_owner_state_of(m, o)));
        }
        for (size_t k = 0; k < r->nwaiters; k++) {
            const nt_waiter *w = &m->waiters[r->first_waiter + k];
            const nt_thread *t = nt_waiter_thread(m, w);
            char who[128], wait[48];
            an_describe_thread(m, w->thread, who, sizeof who);
            an_describe_ms(t ? nt_model_wait_ms(m, t) : -1, wait, sizeof wait);
            di_strbuf_addf(b, "    waits  %s (%s) for %s\n", who, w->exclusive ? "exclusive" : "shared", wait);
        }
    }
}

static void warning_lines(di_strbuf *b, const dmp_dump *d, const di_strlist *mw)
{
    size_t n = d->warnings.count + (mw ? mw->count : 0);
    if (!n)
        return;
    di_strbuf_addf(b, "\nWARNINGS  %zu\n", n);
    for (size_t i = 0; i < d->warnings.count; i++)
        di_strbuf_addf(b, "  %s\n", d->warnings.items[i]);
    for (size_t i = 0; mw && i < mw->count; i++)
        di_strbuf_addf(b, "  %s\n", mw->items[i]);
}

di_status rep_build_text(const dmp_dump *d, const rep_view *v, const di_strlist *model_warnings, char **out,
                         di_error *err)
{
    di_strbuf b = {0};
    di_strbuf_addf(&b, "dumpinspect %s\n\n", DI_VERSION_STRING);
    header_lines(&b, d, v->a);
    if (v->a)
        fault_lines(&b, v);
    if (v->m && v->m->ctx.prof) {
        findings_lines(&b, v);
        lock_lines(&b, v->m);
        stacks_lines(&b, v);
    } else {
        findings_lines(&b, v);
        di_strbuf_addf(&b, "\nNo kernel structures decoded: no offset profile applies to this kernel.\n");
    }
    if (v->a)
        stack_lines(&b, v->a);
    warning_lines(&b, d, model_warnings);
    if (b.failed || !b.s) {
        free(b.s);
        return di_fail(err, DI_E_NOMEM, "out of memory building the text report");
    }
    *out = b.s;
    return DI_OK;
}
