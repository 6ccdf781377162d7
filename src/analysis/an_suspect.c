/* The suspect module and a bucket id for grouping crashes in CI.
 *
 * Policy (man dumpinspect.1, SUSPECT): the faulting module of an exception or IRQL
 * bugcheck when it is not a core OS module; else the module behind an orphaned lock or a
 * deadlock; else none. Contention alone never names a suspect: a lock that is merely busy
 * says nothing about who crashed the machine.
 *
 * The bucket names the bugcheck, the leading finding's kind and the suspect with its
 * offset bucketed to the function (.pdata) when known: no addresses that change per boot. */
#include <ctype.h>
#include <stdio.h>
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

static const an_finding *lock_finding(const an_analysis *a)
{
    for (size_t i = 0; i < a->nfindings; i++)
        if (a->findings[i].module && (a->findings[i].kind == AN_ORPHANED_LOCK || a->findings[i].kind == AN_DEADLOCK))
            return &a->findings[i];
    return NULL;
}

void an_choose_suspect(const nt_model *m, uint32_t code, an_analysis *a)
{
    (void)m;
    const an_fault *f = &a->fault;
    const an_finding *lock = lock_finding(a);
    uint64_t offset = 0;
    int have_offset = 0;
    if (f->module && !f->os_module) {
        a->suspect = f->module;
        a->suspect_reason = "the faulting instruction named by the bugcheck";
        offset = (f->function_start ? f->function_start : f->address) - f->module->base;
        have_offset = 1;
    } else if (lock) {
        a->suspect = lock->module;
        a->suspect_reason = lock->kind == AN_DEADLOCK ? "start address of a deadlocked thread"
                                                      : "start address of the orphaned lock's owner";
    }
    char name[NT_NAME_MAX + 24];
    lower_copy(name, NT_NAME_MAX, a->suspect ? a->suspect->name : "unknown");
    if (have_offset)
        snprintf(name + strlen(name), sizeof name - strlen(name), "+0x%llx", (unsigned long long)offset);
    const char *bc = an_bugcheck_name(code);
    const an_finding *first = a->nfindings && a->findings[0].kind != AN_BUGCHECK_CORRELATION ? &a->findings[0] : NULL;
    snprintf(a->bucket, sizeof a->bucket, "0x%X_%s%s%s_%s", code, bc ? bc : "UNKNOWN", first ? "_" : "",
             first ? an_kind_name(first->kind) : "", name);
}
