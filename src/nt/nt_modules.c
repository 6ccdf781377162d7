/* SPDX-License-Identifier: MIT */
/* PsLoadedModuleList: KLDR_DATA_TABLE_ENTRY records linked through InLoadOrderLinks. */
#include <stdio.h>
#include <string.h>

#include "nt/nt_list.h"
#include "nt/nt_model.h"
#include "util/path.h"

typedef struct mod_walk {
    nt_model *m;
    size_t cap;
    int nomem;
} mod_walk;

static int visit_module(nt_ctx *c, uint64_t entry, void *arg)
{
    mod_walk *w = arg;
    nt_model *m = w->m;
    if (nt_count_limit(c, NT_COUNT_MODULES, m->nmodules))
        return 1;
    uint64_t rec = entry - nt_off(c, NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS);
    uint32_t size = nt_size(c, NT_S_KLDR_DATA_TABLE_ENTRY);
    uint8_t buf[0x100];
    if (size == 0 || size > sizeof buf || nt_read(c, rec, buf, size) != DI_OK) {
        nt_damage(c, "loaded-module entry 0x%016llx cannot be read; skipped", (unsigned long long)rec);
        return 0;
    }
    int grown = nt_grow(c, (void **)&m->modules, &w->cap, m->nmodules, sizeof *m->modules);
    if (grown) {
        w->nomem = grown == NT_GROW_NOMEM;
        return 1;
    }
    nt_module *mod = &m->modules[m->nmodules];
    memset(mod, 0, sizeof *mod);
    mod->base = nt_buf_field(c, buf, size, NT_F_KLDR_DATA_TABLE_ENTRY_DLLBASE);
    mod->size = (uint32_t)nt_buf_field(c, buf, size, NT_F_KLDR_DATA_TABLE_ENTRY_SIZEOFIMAGE);
    mod->timestamp = (uint32_t)nt_buf_field(c, buf, size, NT_F_KLDR_DATA_TABLE_ENTRY_TIMEDATESTAMP);
    mod->checksum = (uint32_t)nt_buf_field(c, buf, size, NT_F_KLDR_DATA_TABLE_ENTRY_CHECKSUM);
    di_status fst = nt_read_unicode(c, rec + nt_off(c, NT_F_KLDR_DATA_TABLE_ENTRY_FULLDLLNAME), mod->path,
                                    sizeof mod->path);
    di_status bst = nt_read_unicode(c, rec + nt_off(c, NT_F_KLDR_DATA_TABLE_ENTRY_BASEDLLNAME), mod->name,
                                    sizeof mod->name);
    if (fst != DI_OK)
        mod->path[0] = '\0';
    if (bst != DI_OK || !mod->name[0])
        di_base_name_copy(mod->path, mod->name, sizeof mod->name);
    /* DI_E_FORMAT: the UNICODE_STRING itself is inconsistent (odd or oversized Length, Length
     * above MaximumLength, Buffer outside kernel space), not just missing from the dump. */
    if (fst != DI_OK || bst != DI_OK)
        nt_damage(c, "loaded-module entry 0x%016llx (base 0x%016llx): its %s %s", (unsigned long long)rec,
                  (unsigned long long)mod->base,
                  fst != DI_OK && bst != DI_OK ? "names" : fst != DI_OK ? "full path" : "base name",
                  (fst == DI_E_FORMAT || bst == DI_E_FORMAT) ? "cannot be read: not a valid UNICODE_STRING "
                                                               "(Length, MaximumLength or Buffer)"
                                                             : "cannot be read");
    if (!mod->name[0])
        snprintf(mod->name, sizeof mod->name, "module_%016llx", (unsigned long long)mod->base);
    m->nmodules++;
    return 0;
}

di_status nt_walk_modules(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    mod_walk w = {.m = m};
    if (!m->ps_loaded_module_list) {
        nt_warn_code(c, DI_W_MISSING_DATA, "no PsLoadedModuleList: modules are not listed");
        return DI_OK;
    }
    nt_list_result res;
    nt_list_walk(c, m->ps_loaded_module_list, c->limits.list_steps, visit_module, &w, &res);
    if (w.nomem)
        return DI_E_NOMEM;
    m->modules_complete = res.end == NT_LIST_COMPLETE;
    nt_list_report(c, "the loaded-module list", &res);
    return DI_OK;
}
