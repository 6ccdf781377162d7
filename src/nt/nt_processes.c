/* Processes: EPROCESS records on PsActiveProcessHead through ActiveProcessLinks. */
#include <stdlib.h>
#include <string.h>

#include "nt/nt_list.h"
#include "nt/nt_model.h"

typedef struct proc_walk {
    nt_model *m;
    size_t cap;
    uint8_t *buf;
    int nomem;
} proc_walk;

static int visit_process(nt_ctx *c, uint64_t entry, void *arg)
{
    proc_walk *w = arg;
    nt_model *m = w->m;
    if (nt_count_limit(c, NT_COUNT_PROCESSES, m->nprocesses))
        return 1;
    uint64_t va = entry - nt_off(c, NT_F_EPROCESS_ACTIVEPROCESSLINKS);
    uint32_t size = nt_size(c, NT_S_EPROCESS);
    if (nt_read(c, va, w->buf, size) != DI_OK) {
        nt_damage(c, "process 0x%016llx cannot be read from the dump; skipped", (unsigned long long)va);
        return 0;
    }
    uint64_t type = nt_buf_field_at(c, w->buf, size, nt_off(c, NT_F_KPROCESS_HEADER), NT_F_DISPATCHER_HEADER_TYPE);
    if ((int32_t)type != nt_enum(c, NT_E_KOBJECTS_PROCESSOBJECT)) {
        nt_damage(c, "0x%016llx on the process list is not a process (header type %llu); skipped",
                (unsigned long long)va, (unsigned long long)type);
        return 0;
    }
    int grown = nt_grow(c, (void **)&m->processes, &w->cap, m->nprocesses, sizeof *m->processes);
    if (grown) {
        w->nomem = grown == NT_GROW_NOMEM;
        return 1;
    }
    nt_process *p = &m->processes[m->nprocesses++];
    memset(p, 0, sizeof *p);
    p->va = va;
    p->pid = nt_buf_field(c, w->buf, size, NT_F_EPROCESS_UNIQUEPROCESSID);
    p->parent_pid = nt_buf_field(c, w->buf, size, NT_F_EPROCESS_INHERITEDFROMUNIQUEPROCESSID);
    p->create_time = nt_buf_field(c, w->buf, size, NT_F_EPROCESS_CREATETIME);
    p->exit_time = nt_buf_field(c, w->buf, size, NT_F_EPROCESS_EXITTIME);
    p->exiting = (int)nt_buf_field(c, w->buf, size, NT_F_EPROCESS_PROCESSEXITING);
    p->deleted = (int)nt_buf_field(c, w->buf, size, NT_F_EPROCESS_PROCESSDELETE);
    p->active_threads = (uint32_t)nt_buf_field(c, w->buf, size, NT_F_EPROCESS_ACTIVETHREADS);
    p->dtb = nt_buf_field(c, w->buf, size, NT_F_EPROCESS_PCB_DIRECTORYTABLEBASE);
    uint32_t name_off = nt_off(c, NT_F_EPROCESS_IMAGEFILENAME);
    for (size_t i = 0; i < sizeof p->name - 1 && name_off + i < size; i++) {
        uint8_t ch = w->buf[name_off + i];
        if (!ch)
            break;
        p->name[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    return 0;
}

di_status nt_walk_processes(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    proc_walk w = {.m = m};
    if (!m->ps_active_process_head) {
        nt_warn(c, "no PsActiveProcessHead: processes and threads are not listed");
        return DI_OK;
    }
    w.buf = malloc(nt_size(c, NT_S_EPROCESS));
    if (!w.buf)
        return DI_E_NOMEM;
    nt_list_result res;
    nt_list_walk(c, m->ps_active_process_head, c->limits.list_steps, visit_process, &w, &res);
    free(w.buf);
    if (w.nomem)
        return DI_E_NOMEM;
    m->processes_complete = res.end == NT_LIST_COMPLETE;
    nt_list_report(c, "the process list", &res);
    return DI_OK;
}

di_status nt_add_process_at(nt_model *m, uint64_t va)
{
    nt_ctx *c = &m->ctx;
    if (nt_model_process(m, va))
        return DI_OK;
    proc_walk w = {.m = m, .cap = m->nprocesses};
    w.buf = malloc(nt_size(c, NT_S_EPROCESS));
    if (!w.buf)
        return DI_E_NOMEM;
    visit_process(c, va + nt_off(c, NT_F_EPROCESS_ACTIVEPROCESSLINKS), &w);
    free(w.buf);
    return w.nomem ? DI_E_NOMEM : DI_OK;
}
