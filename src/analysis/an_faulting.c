/* SPDX-License-Identifier: MIT */
/* The faulting_module finding: the instruction an exception or IRQL bugcheck names, the
 * module it lies in, and what failed there. */
#include <stdio.h>

#include "analysis/an_bugcheck.h"
#include "analysis/an_findings.h"

int an_find_faulting_module(const nt_model *m, uint32_t code, const uint64_t params[4], an_analysis *a)
{
    const an_fault *f = &a->fault;
    (void)params;
    if (!f->applies || !f->address || !f->module)
        return 0;
    an_finding *fd = an_add_finding(a, AN_FAULTING_MODULE, f->os_module ? AN_SEV_MEDIUM : AN_SEV_HIGH);
    if (!fd)
        return -1;
    fd->module = f->module;
    char what[160] = "fault";
    if (f->have_code) {
        const char *meaning = an_ntstatus_meaning(f->code);
        snprintf(what, sizeof what, "%s (0x%08X)", meaning ? meaning : "exception", f->code);
    }
    char access[96] = "";
    if (f->access && f->have_access_address)
        snprintf(access, sizeof access, " (%s of 0x%016llx)", f->access, (unsigned long long)f->access_address);
    const char *name = an_bugcheck_name(code);
    snprintf(fd->summary, sizeof fd->summary, "%s: %s at %s+0x%llx%s; the faulting instruction is in %s%s.",
             name ? name : "bugcheck", what, f->module->name, (unsigned long long)(f->address - f->module->base),
             access, f->module->name, f->os_module ? ", a core OS module (usually not the cause)" : "");
    (void)m;
    return 0;
}
