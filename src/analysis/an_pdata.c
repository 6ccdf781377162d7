/* SPDX-License-Identifier: MIT */
/* Function boundaries for the fault analysis, from the module's in-memory .pdata (the
 * unwinder's PE reader, uw_image.c). */
#include "analysis/an_fault.h"
#include "unwind/uw_unwind.h"

uint64_t an_function_start(nt_model *m, const nt_module *mod, uint64_t addr)
{
    uint32_t rva, count;
    uw_runtime_function fn;
    if (!mod || addr < mod->base || addr - mod->base >= mod->size ||
        !uw_pdata_dir(uw_nt_read, m, mod->base, mod->size, &rva, &count) ||
        uw_pdata_find(uw_nt_read, m, mod->base, mod->size, rva, count, (uint32_t)(addr - mod->base), &fn) != 1)
        return 0;
    return mod->base + fn.begin;
}
