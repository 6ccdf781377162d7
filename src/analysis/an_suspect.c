/* The suspect module and a bucket id for grouping crashes in CI. The bucket names only
 * the bugcheck, the leading finding's kind and a module: no addresses, PIDs or times. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "analysis/an_bugcheck.h"
#include "analysis/an_findings.h"

/* Bugchecks whose Arg4 (or Arg3) is the faulting instruction. */
static int instruction_param(uint32_t code)
{
    switch (code & ~0x10000000u) {
    case 0x0A: case 0xD1: case 0xC5: return 3;
    case 0x50: return 2;
    case 0x1E: case 0x3B: case 0x7E: case 0x8E: return 1;
    default: return -1;
    }
}

static void lower_copy(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

void an_choose_suspect(const nt_model *m, uint32_t code, const uint64_t params[4], uint64_t crash_rip,
                       an_analysis *a)
{
    const an_finding *lead = NULL;
    for (size_t i = 0; i < a->nfindings && !lead; i++)
        if (a->findings[i].module)
            lead = &a->findings[i];
    if (lead) {
        a->suspect = lead->module;
        a->suspect_reason = lead->kind == AN_DEADLOCK          ? "start address of a deadlocked thread"
                            : lead->kind == AN_ORPHANED_LOCK   ? "start address of the orphaned lock's owner"
                            : lead->kind == AN_CONTENTION      ? "start address of the contended lock's owner"
                                                               : "start address of the thread the bugcheck names";
    } else {
        int p = instruction_param(code);
        const nt_module *mod = p >= 0 ? nt_model_module_at(m, params[p]) : NULL;
        if (mod) {
            a->suspect = mod;
            a->suspect_reason = "the faulting instruction named by the bugcheck";
        } else if ((mod = nt_model_module_at(m, crash_rip)) != NULL) {
            a->suspect = mod;
            a->suspect_reason = "the crashing processor's instruction pointer";
        }
    }
    char name[NT_NAME_MAX];
    lower_copy(name, sizeof name, a->suspect ? a->suspect->name : "unknown");
    const char *bc = an_bugcheck_name(code);
    const an_finding *first = a->nfindings && a->findings[0].kind != AN_BUGCHECK_CORRELATION ? &a->findings[0] : NULL;
    snprintf(a->bucket, sizeof a->bucket, "0x%X_%s%s%s_%s", code, bc ? bc : "UNKNOWN", first ? "_" : "",
             first ? an_kind_name(first->kind) : "", name);
}
