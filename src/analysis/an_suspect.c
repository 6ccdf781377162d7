/* SPDX-License-Identifier: MIT */
/* The suspect module and a bucket id for grouping crashes in CI.
 *
 * Policy (man dumpinspect.1, SUSPECT): the faulting module of an exception or IRQL
 * bugcheck when it is not a core OS module; when it is one, the first frame of another module
 * on the crashing thread's stack (!analyze's "followup"); else the module behind an orphaned
 * lock or a deadlock: the first driver frame on the owner's, then a waiter's stack (for a
 * deadlock: the cycle's threads' stacks), else the thread's start address; else none.
 * Contention alone never names a suspect: a lock that is merely busy says nothing about who
 * crashed the machine. Scanned frames blame only when no frame could be unwound.
 *
 * The bucket names the bugcheck, the leading finding's kind and the suspect with its
 * offset bucketed to the function (.pdata) when known: no addresses that change per boot. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/an_bugcheck.h"
#include "analysis/an_findings.h"

static void lower_copy(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

/* Lock findings whose threads' stacks are walked for a driver frame (the rest keep the
 * start-address module): walks cost reads, and the leading findings are the ones shown. */
#define AN_STACK_BLAME_FINDINGS 16u
#define AN_STACK_BLAME_WAITERS 16u

/* The first non-OS module on thread va's stack; *frame gets that frame's function start (or
 * its address when the function is unknown). NULL when the stack blames nobody. */
static const nt_module *stack_blame(const nt_model *m, an_analysis *a, uint64_t va, uint64_t *at, uint64_t *fn)
{
    const nt_thread *t = a->stacker && va ? nt_model_thread(m, va) : NULL;
    an_thread_stacks *ts = t ? malloc(sizeof *ts) : NULL;
    if (!ts)
        return NULL;
    an_walk_thread(a->stacker, t, ts);
    const uw_frame *f;
    const nt_module *mod = an_stack_blame(ts, &f);
    if (mod) {
        *at = f->function ? f->function : f->ip;
        *fn = f->function;
    }
    free(ts);
    return mod;
}

/* Lock findings: a driver frame on the owner's or a waiter's stack (for a deadlock, on a
 * cycle thread's stack) outranks the start address an_find_* put in f->module. */
static void blame_lock_stacks(const nt_model *m, an_analysis *a)
{
    unsigned done = 0;
    for (size_t i = 0; a->stacker && i < a->nfindings && done < AN_STACK_BLAME_FINDINGS; i++) {
        an_finding *f = &a->findings[i];
        const nt_module *mod = NULL;
        uint64_t at = 0, fn = 0;
        if (f->kind == AN_DEADLOCK) {
            done++;
            for (size_t k = 0; k < f->cycle_len && !mod; k++)
                mod = stack_blame(m, a, f->cycle_threads[k], &at, &fn);
            f->stack_reason = "first driver frame on a deadlocked thread's stack";
        } else if (f->kind == AN_ORPHANED_LOCK) {
            done++;
            const nt_resource *r = &m->resources[f->resource];
            mod = stack_blame(m, a, m->owners[f->owner].thread, &at, &fn);
            f->stack_reason = "first driver frame on the orphaned lock owner's stack";
            for (size_t k = 0; !mod && k < r->nwaiters && k < AN_STACK_BLAME_WAITERS; k++) {
                mod = stack_blame(m, a, m->waiters[r->first_waiter + k].thread, &at, &fn);
                f->stack_reason = "first driver frame on a waiter's stack";
            }
        }
        if (mod) {
            f->module = mod;
            f->stack_frame = at;
            f->stack_function = fn;
        } else {
            f->stack_reason = NULL;
        }
    }
}

/* WinDbg's module name in a bucket: the file name without its extension, "nt" for the kernel. */
static void windbg_module(const char *name, char *out, size_t cap)
{
    char low[NT_NAME_MAX];
    lower_copy(low, sizeof low, name);
    if (strncmp(low, "ntoskrnl", 8) == 0 || strncmp(low, "ntkrnl", 6) == 0 || strncmp(low, "ntkrpamp", 8) == 0) {
        snprintf(out, cap, "nt");
        return;
    }
    char *dot = strrchr(low, '.');
    if (dot)
        *dot = '\0';
    snprintf(out, cap, "%s", low);
}

/* "0xCODE_module!function" as WinDbg names the failure, and its FAILURE_ID_HASH, but only
 * when the suspect function has a name this dump gives (an export): never invented. */
static void windbg_bucket(uint32_t code, an_analysis *a)
{
    a->windbg_bucket[0] = a->failure_id_hash[0] = '\0';
    char fname[UW_NAME_MAX], mod[NT_NAME_MAX];
    if (!a->suspect || !a->suspect_function || !a->stacker || a->suspect_function < a->suspect->base ||
        !uw_export_name(&a->stacker->uw, a->suspect, (uint32_t)(a->suspect_function - a->suspect->base), fname,
                        sizeof fname))
        return;
    windbg_module(a->suspect->name, mod, sizeof mod);
    snprintf(a->windbg_bucket, sizeof a->windbg_bucket, "0x%X_%s!%s", code, mod, fname);
    if (an_failure_id_hash(a->windbg_bucket, a->failure_id_hash) != 0)
        a->windbg_bucket[0] = a->failure_id_hash[0] = '\0';
}

static const an_finding *lock_finding(const an_analysis *a)
{
    for (size_t i = 0; i < a->nfindings; i++)
        if (a->findings[i].module && (a->findings[i].kind == AN_ORPHANED_LOCK || a->findings[i].kind == AN_DEADLOCK))
            return &a->findings[i];
    return NULL;
}

void an_choose_suspect(const nt_model *m, uint32_t code, an_analysis *a)
{
    const an_fault *f = &a->fault;
    blame_lock_stacks(m, a);
    const an_finding *lock = lock_finding(a);
    uint64_t offset = 0, at = 0, fn = 0;
    int have_offset = 0;
    const nt_module *followup = NULL;
    if (f->module && f->os_module && a->stacker)
        followup = stack_blame(m, a, a->stacker->crash_thread, &at, &fn);
    if (f->module && !f->os_module) {
        a->suspect = f->module;
        a->suspect_reason = "the faulting instruction named by the bugcheck";
        offset = (f->function_start ? f->function_start : f->address) - f->module->base;
        have_offset = 1;
        a->suspect_function = f->function_start;
    } else if (followup) {
        a->suspect = followup;
        a->suspect_reason = "first frame outside the core OS modules on the crashing thread's stack";
        offset = at - followup->base;
        have_offset = 1;
        a->suspect_function = fn;
    } else if (lock) {
        a->suspect = lock->module;
        if (lock->stack_reason) {
            a->suspect_reason = lock->stack_reason;
            offset = lock->stack_frame - lock->module->base;
            have_offset = 1;
            a->suspect_function = lock->stack_function;
        } else {
            a->suspect_reason = lock->kind == AN_DEADLOCK ? "start address of a deadlocked thread"
                                                          : "start address of the orphaned lock's owner";
        }
    }
    char name[NT_NAME_MAX + 24];
    lower_copy(name, NT_NAME_MAX, a->suspect ? a->suspect->name : "unknown");
    if (have_offset)
        snprintf(name + strlen(name), sizeof name - strlen(name), "+0x%llx", (unsigned long long)offset);
    const char *bc = an_bugcheck_name(code);
    const an_finding *first = a->nfindings && a->findings[0].kind != AN_BUGCHECK_CORRELATION ? &a->findings[0] : NULL;
    snprintf(a->bucket, sizeof a->bucket, "0x%X_%s%s%s_%s", code, bc ? bc : "UNKNOWN", first ? "_" : "",
             first ? an_kind_name(first->kind) : "", name);
    windbg_bucket(code, a);
}
