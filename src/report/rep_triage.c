/* SPDX-License-Identifier: MIT */
/* Report sections a triage dump adds (its sections, data blocks, saved stack, secondary
 * data, unloaded drivers) and two that every dump has: the crashing thread and the decoded
 * fault of exception / IRQL bugchecks. Absent facts are null, never empty lists. */
#include <stdio.h>

#include "analysis/an_bugcheck.h"
#include "report/rep_json.h"
#include "report/rep_model.h"
#include "util/le.h"

static int add_sections(cJSON *o, const dmp_triage *t)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "sections");
    for (int s = 0; arr && s < DMP_TS__COUNT; s++) {
        const dmp_tsection *sec = &t->sec[s];
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(arr, e))
            return -1;
        cJSON_AddStringToObject(e, "name", dmp_tsec_name((dmp_tsec)s));
        if (sec->offset)
            rep_add_hex32(e, "offset", (uint32_t)sec->offset);
        else
            cJSON_AddNullToObject(e, "offset");
        rep_add_uint(e, "length", sec->usable ? sec->size : 0);
        cJSON_AddBoolToObject(e, "flagged", sec->flagged);
        cJSON_AddBoolToObject(e, "read", sec->usable);
    }
    return arr ? 0 : -1;
}

static int add_saved_stack(cJSON *o, const rep_view *v, const dmp_triage *t)
{
    const dmp_tsection *sec = &t->sec[DMP_TS_STACK];
    if (!sec->usable)
        return cJSON_AddNullToObject(o, "saved_stack") ? 0 : -1;
    cJSON *s = cJSON_AddObjectToObject(o, "saved_stack");
    if (!s)
        return -1;
    rep_add_hex64(s, "top_of_stack", t->top_of_stack);
    rep_add_uint(s, "length", sec->size);
    cJSON_AddStringToObject(s, "method", "scan");
    cJSON_AddBoolToObject(s, "truncated", v->a->scan_truncated);
    cJSON *arr = cJSON_AddArrayToObject(s, "frames");
    for (size_t i = 0; arr && i < v->a->nscan; i++) {
        const an_frame *f = &v->a->scan[i];
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(arr, e))
            return -1;
        rep_add_hex64(e, "sp", f->sp);
        char sym[NT_NAME_MAX + 24];
        snprintf(sym, sizeof sym, "%s+0x%llx", f->module->name, (unsigned long long)(f->address - f->module->base));
        rep_add_hex64(e, "address", f->address);
        cJSON_AddStringToObject(e, "symbol", sym);
        cJSON_AddStringToObject(e, "module", f->module->name);
        cJSON_AddStringToObject(e, "trust", "scan");
    }
    return arr ? 0 : -1;
}

static int add_blobs(cJSON *o, const dmp_triage *t)
{
    if (!t->have_blobs)
        return cJSON_AddNullToObject(o, "secondary_data") ? 0 : -1;
    cJSON *s = cJSON_AddObjectToObject(o, "secondary_data");
    if (!s)
        return -1;
    rep_add_hex32(s, "build_word", t->blob_build);
    cJSON *arr = cJSON_AddArrayToObject(s, "blobs");
    for (size_t i = 0; arr && i < t->nblobs; i++) {
        const dmp_tblob *b = &t->blobs[i];
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(arr, e))
            return -1;
        char guid[40];
        rep_guid_text(b->tag, guid);
        cJSON_AddStringToObject(e, "tag", guid);
        rep_add_hex64(e, "offset", b->offset);
        rep_add_uint(e, "length", b->size);
        rep_add_str_or_null(e, "leading_text", b->text[0] ? b->text : NULL);
    }
    return arr ? 0 : -1;
}

static void add_va_or_null(cJSON *o, const char *key, uint64_t va)
{
    if (va)
        rep_add_hex64(o, key, va);
    else
        cJSON_AddNullToObject(o, key);
}

static int add_unloaded(cJSON *root, const dmp_triage *t)
{
    if (!t || !t->sec[DMP_TS_UNLOADED].usable)
        return cJSON_AddNullToObject(root, "unloaded_modules") ? 0 : -1;
    cJSON *arr = cJSON_AddArrayToObject(root, "unloaded_modules");
    for (size_t i = 0; arr && i < t->nunloaded; i++) {
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(arr, e))
            return -1;
        cJSON_AddStringToObject(e, "name", t->unloaded[i].name);
        rep_add_hex64(e, "start", t->unloaded[i].start);
        rep_add_hex64(e, "end", t->unloaded[i].end);
    }
    return arr ? 0 : -1;
}

int rep_add_triage(cJSON *root, const rep_view *v)
{
    const dmp_triage *t = v->dmp->triage;
    if (!t)
        return cJSON_AddNullToObject(root, "triage") && !add_unloaded(root, NULL) ? 0 : -1;
    cJSON *o = cJSON_AddObjectToObject(root, "triage");
    if (!o)
        return -1;
    rep_add_hex32(o, "size_of_dump", t->size_of_dump);
    rep_add_hex32(o, "valid_offset", t->valid_offset);
    cJSON_AddBoolToObject(o, "valid_tag", t->valid_tag);
    rep_add_hex32(o, "mini_dump_fields", t->fields);
    rep_add_hex32(o, "triage_options", le32(t->hdr + DMP_TRI_OPTIONS));
    if (add_sections(o, t))
        return -1;
    cJSON *copies = cJSON_AddObjectToObject(o, "copies");
    if (!copies)
        return -1;
    add_va_or_null(copies, "prcb_address", t->prcb_va);
    add_va_or_null(copies, "thread_address", t->thread_va);
    add_va_or_null(copies, "process_address", t->process_va);
    rep_add_uint(o, "drivers_declared", t->drivers_declared);
    if (t->have_broken) {
        cJSON *b = cJSON_AddObjectToObject(o, "broken_driver");
        if (!b)
            return -1;
        cJSON_AddStringToObject(b, "name", t->broken.name);
        rep_add_hex64(b, "base", t->broken.base);
        rep_add_hex32(b, "size", t->broken.size);
        rep_add_hex32(b, "timestamp", t->broken.timestamp);
    } else {
        cJSON_AddNullToObject(o, "broken_driver");
    }
    rep_add_uint(o, "data_blocks_declared", t->blocks_declared);
    rep_add_uint(o, "data_blocks_used", t->nblocks);
    if (t->sec[DMP_TS_MM].usable) {
        cJSON *mm = cJSON_AddObjectToObject(o, "mm_info");
        if (!mm)
            return -1;
        rep_add_uint(mm, "format_version", t->mm_version);
        rep_add_uint(mm, "length", t->mm_size);
    } else {
        cJSON_AddNullToObject(o, "mm_info");
    }
    if (add_saved_stack(o, v, t) || add_blobs(o, t))
        return -1;
    return add_unloaded(root, t);
}

int rep_add_crash(cJSON *root, const rep_view *v)
{
    const nt_model *m = v->m;
    const dmp_triage *t = v->dmp->triage;
    /* A triage dump's copies name the crashing processor's thread; in a full dump it is the
     * processor's current thread whose stack holds the header CONTEXT (an_stacks.c). */
    uint64_t va = t ? t->thread_va : v->a && v->a->stacker ? v->a->stacker->crash_thread : 0;
    const nt_thread *th = m && va ? nt_model_thread(m, va) : NULL;
    if (!th)
        return cJSON_AddNullToObject(root, "crash") ? 0 : -1;
    cJSON *o = cJSON_AddObjectToObject(root, "crash");
    if (!o)
        return -1;
    const nt_processor *cpu = NULL;
    for (size_t i = 0; !t && i < m->nprocessors && !cpu; i++)
        if (m->processors[i].current_thread == va)
            cpu = &m->processors[i];
    if (t)
        rep_add_uint(o, "processor", t->processor);
    else if (cpu)
        rep_add_uint(o, "processor", cpu->index);
    else
        cJSON_AddNullToObject(o, "processor");
    cJSON *tj = rep_thread(m, th);
    if (!tj || !cJSON_AddItemToObject(o, "thread", tj) || rep_add_stack(tj, v, th, 1))
        return -1;
    const nt_process *p = nt_model_process(m, th->process_va);
    if (!p)
        return cJSON_AddNullToObject(o, "process") ? 0 : -1;
    cJSON *pj = cJSON_AddObjectToObject(o, "process");
    if (!pj)
        return -1;
    rep_add_hex64(pj, "address", p->va);
    rep_add_uint(pj, "pid", p->pid);
    cJSON_AddStringToObject(pj, "name", p->name);
    rep_add_hex64(pj, "directory_table_base", p->dtb);
    return 0;
}

static int add_registers(cJSON *o, const an_fault *f)
{
    static const char *const gprs[AN_FAULT_GPRS] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                                    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
    if (!f->regs.present)
        return cJSON_AddNullToObject(o, "registers") ? 0 : -1;
    cJSON *r = cJSON_AddObjectToObject(o, "registers");
    if (!r)
        return -1;
    cJSON_AddStringToObject(r, "source", f->regs.kind);
    rep_add_hex64(r, "address", f->regs.va);
    rep_add_hex64(r, "rip", f->regs.rip);
    for (int i = 0; i < AN_FAULT_GPRS; i++) {
        if (f->regs.gpr_known[i])
            rep_add_hex64(r, gprs[i], f->regs.gpr[i]);
        else
            cJSON_AddNullToObject(r, gprs[i]);
    }
    rep_add_hex32(r, "eflags", f->regs.eflags);
    rep_add_hex16(r, "cs", f->regs.cs);
    rep_add_hex16(r, "ss", f->regs.ss);
    return 0;
}

static int add_exception(cJSON *o, const an_fault *f)
{
    if (!f->have_code)
        return cJSON_AddNullToObject(o, "exception") ? 0 : -1;
    cJSON *e = cJSON_AddObjectToObject(o, "exception");
    if (!e)
        return -1;
    rep_add_hex32(e, "code", f->code);
    rep_add_str_or_null(e, "name", an_ntstatus_name(f->code));
    rep_add_str_or_null(e, "meaning", an_ntstatus_meaning(f->code));
    if (!f->have_record) {
        cJSON_AddNullToObject(e, "record");
        return 0;
    }
    cJSON *r = cJSON_AddObjectToObject(e, "record");
    if (!r)
        return -1;
    rep_add_hex64(r, "address", f->record_va);
    rep_add_hex32(r, "flags", f->flags);
    rep_add_uint(r, "number_parameters", f->nparams);
    cJSON *ps = cJSON_AddArrayToObject(r, "parameters");
    for (uint32_t i = 0; ps && i < f->nparams && i < 15; i++) {
        char b[24];
        snprintf(b, sizeof b, "0x%016llx", (unsigned long long)f->params[i]);
        cJSON_AddItemToArray(ps, cJSON_CreateString(b));
    }
    return ps ? 0 : -1;
}

int rep_add_fault(cJSON *root, const rep_view *v)
{
    const an_fault *f = &v->a->fault;
    if (!f->applies)
        return cJSON_AddNullToObject(root, "fault") ? 0 : -1;
    cJSON *o = cJSON_AddObjectToObject(root, "fault");
    if (!o)
        return -1;
    rep_add_code_address(o, "instruction", v->base, f->address);
    rep_add_str_or_null(o, "instruction_source", f->address ? f->address_source : NULL);
    if (f->function_start)
        rep_add_code_address(o, "function_start", v->base, f->function_start);
    else
        cJSON_AddNullToObject(o, "function_start");
    if (f->have_instruction) {
        char hex[2 * sizeof f->instruction + 1];
        for (size_t i = 0; i < sizeof f->instruction; i++)
            snprintf(hex + 2 * i, 3, "%02x", f->instruction[i]);
        cJSON_AddStringToObject(o, "instruction_bytes", hex);
    } else {
        cJSON_AddNullToObject(o, "instruction_bytes");
    }
    cJSON_AddBoolToObject(o, "os_module", f->os_module);
    if (add_exception(o, f) || add_registers(o, f))
        return -1;
    rep_add_str_or_null(o, "record_problem", f->record_problem);
    rep_add_str_or_null(o, "registers_problem", f->regs_problem);
    if (!f->access) {
        cJSON_AddNullToObject(o, "access");
        return 0;
    }
    cJSON *a = cJSON_AddObjectToObject(o, "access");
    if (!a)
        return -1;
    cJSON_AddStringToObject(a, "kind", f->access);
    if (f->have_access_address)
        rep_add_hex64(a, "address", f->access_address);
    else
        cJSON_AddNullToObject(a, "address");
    return 0;
}
