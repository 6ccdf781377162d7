/* SPDX-License-Identifier: MIT */
/* Processes: EPROCESS records on PsActiveProcessHead through ActiveProcessLinks, plus the
 * Idle process, which is on no list and is reached from the processors' idle threads.
 *
 * A process's name: EPROCESS.ImageFileName keeps only the first 14 or 15 characters of the
 * image file name. The whole path is in SeAuditProcessCreationInfo.ImageFileName, a pointer
 * to an OBJECT_NAME_INFORMATION (a UNICODE_STRING Name, e.g.
 * \Device\HarddiskVolume3\Windows\System32\SearchProtocolHost.exe); its last component is
 * the name. System and Idle have none (NULL, or an empty string); the string sits in paged
 * pool and may be missing from a dump. Then ImageFileName is the name. */
#include <stdlib.h>
#include <string.h>

#include "nt/nt_list.h"
#include "nt/nt_model.h"

static int lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch; }

/* 1 if name begins with prefix, ignoring ASCII case. */
static int starts_with_nocase(const char *name, const char *prefix)
{
    for (; *prefix; name++, prefix++)
        if (lower((unsigned char)*name) != lower((unsigned char)*prefix))
            return 0;
    return 1;
}

/* The file name of the audit image path into p->name. Absent or unreadable: nothing is said
 * (System and Idle have none; the pool page may not be in the dump). Read but inconsistent:
 * a damage warning, and ImageFileName stays the name. */
static void read_image_name(nt_ctx *c, nt_process *p, const uint8_t *buf, uint32_t size)
{
    uint64_t info = nt_buf_field_at(c, buf, size, nt_off(c, NT_F_EPROCESS_SEAUDITPROCESSCREATIONINFO),
                                    NT_F_SE_AUDIT_PROCESS_CREATION_INFO_IMAGEFILENAME);
    nt_ustr u;
    if (!nt_is_kernel_va(info) || nt_read_ustr(c, info + nt_off(c, NT_F_OBJECT_NAME_INFORMATION_NAME), &u) != DI_OK ||
        u.length == 0)
        return;
    const char *bad = u.length % 2                 ? "an odd Length"
                      : u.length > u.max_length    ? "a Length above its MaximumLength"
                      : !nt_is_kernel_va(u.buffer) ? "a Buffer outside kernel space"
                                                   : NULL;
    if (bad) {
        nt_damage(c, "process %llu (%s): its audit image name at 0x%016llx has %s (Length %llu, MaximumLength %llu); "
                     "the name is ImageFileName",
                  (unsigned long long)p->pid, p->short_name, (unsigned long long)info, bad,
                  (unsigned long long)u.length, (unsigned long long)u.max_length);
        return;
    }
    /* Consistent but longer than any real image path: not damage, just more than is read. */
    if (u.length > NT_AUDIT_NAME_MAX_BYTES) {
        nt_warn(c, "process %llu (%s): its audit image name is %llu bytes, more than the %u read; the name is "
                   "ImageFileName",
                (unsigned long long)p->pid, p->short_name, (unsigned long long)u.length, NT_AUDIT_NAME_MAX_BYTES);
        return;
    }
    char path[3 * (NT_AUDIT_NAME_MAX_BYTES / 2) + 1];
    if (nt_read_utf16(c, u.buffer, (size_t)u.length / 2, path, sizeof path) != DI_OK)
        return;
    const char *file = strrchr(path, '\\');
    file = file ? file + 1 : path;
    /* ImageFileName was cut from the same file name: a string that disagrees is not it. */
    if (!*file || !starts_with_nocase(file, p->short_name)) {
        nt_damage(c, "process %llu (%s): its audit image name \"%s\" does not end in a file name beginning with "
                     "ImageFileName; the name is ImageFileName",
                  (unsigned long long)p->pid, p->short_name, path);
        return;
    }
    size_t n = strlen(file);
    if (n > sizeof p->name - 1)
        n = sizeof p->name - 1;
    memcpy(p->name, file, n);
    p->name[n] = '\0';
}

int nt_read_process(nt_model *m, uint64_t va, uint8_t *buf, nt_process *p, uint64_t *type)
{
    nt_ctx *c = &m->ctx;
    uint32_t size = nt_size(c, NT_S_EPROCESS);
    memset(p, 0, sizeof *p);
    p->va = va;
    *type = 0;
    if (!nt_is_kernel_va(va) || nt_read(c, va, buf, size) != DI_OK)
        return -1;
    *type = nt_buf_field_at(c, buf, size, nt_off(c, NT_F_KPROCESS_HEADER), NT_F_DISPATCHER_HEADER_TYPE);
    if ((int32_t)*type != nt_enum(c, NT_E_KOBJECTS_PROCESSOBJECT))
        return -2;
    if (!nt_dispatcher_header_ok(c, buf, size, nt_off(c, NT_F_KPROCESS_HEADER), va))
        return -3;
    p->pid = nt_buf_field(c, buf, size, NT_F_EPROCESS_UNIQUEPROCESSID);
    p->parent_pid = nt_buf_field(c, buf, size, NT_F_EPROCESS_INHERITEDFROMUNIQUEPROCESSID);
    p->create_time = nt_buf_field(c, buf, size, NT_F_EPROCESS_CREATETIME);
    p->exit_time = nt_buf_field(c, buf, size, NT_F_EPROCESS_EXITTIME);
    p->exiting = (int)nt_buf_field(c, buf, size, NT_F_EPROCESS_PROCESSEXITING);
    p->deleted = (int)nt_buf_field(c, buf, size, NT_F_EPROCESS_PROCESSDELETE);
    p->active_threads = (uint32_t)nt_buf_field(c, buf, size, NT_F_EPROCESS_ACTIVETHREADS);
    p->dtb = nt_buf_field(c, buf, size, NT_F_EPROCESS_PCB_DIRECTORYTABLEBASE);
    uint32_t name_off = nt_off(c, NT_F_EPROCESS_IMAGEFILENAME);
    for (size_t i = 0; i < sizeof p->short_name - 1 && name_off + i < size; i++) {
        uint8_t ch = buf[name_off + i];
        if (!ch)
            break;
        p->short_name[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    memcpy(p->name, p->short_name, sizeof p->short_name);
    read_image_name(c, p, buf, size);
    return 0;
}

/* Append *p to the model's processes: 0, or NT_GROW_NOMEM / NT_GROW_LIMIT. */
static int add_process(nt_model *m, const nt_process *p)
{
    int grown = nt_grow(&m->ctx, (void **)&m->processes, &m->processes_cap, m->nprocesses, sizeof *m->processes);
    if (!grown)
        m->processes[m->nprocesses++] = *p;
    return grown;
}

typedef struct proc_walk {
    nt_model *m;
    uint8_t *buf;
    int nomem;
} proc_walk;

static int visit_process(nt_ctx *c, uint64_t entry, void *arg)
{
    proc_walk *w = arg;
    nt_model *m = w->m;
    if (nt_count_limit(c, NT_COUNT_PROCESSES, m->nprocesses))
        return 1;
    uint64_t va = entry - nt_off(c, NT_F_EPROCESS_ACTIVEPROCESSLINKS), type;
    nt_process p;
    int rc = nt_read_process(m, va, w->buf, &p, &type);
    if (rc == -1) {
        nt_damage(c, "process 0x%016llx cannot be read from the dump; skipped", (unsigned long long)va);
        return 0;
    }
    if (rc == -2) {
        nt_damage(c, "0x%016llx on the process list is not a process (header type %llu); skipped",
                  (unsigned long long)va, (unsigned long long)type);
        return 0;
    }
    if (rc == -3) {
        nt_damage(c, "process 0x%016llx on the process list has a damaged dispatcher header (its WaitListHead is "
                     "not a list); skipped",
                  (unsigned long long)va);
        return 0;
    }
    p.source = NT_PROCESS_FROM_LIST;
    int grown = add_process(m, &p);
    if (grown) {
        w->nomem = grown == NT_GROW_NOMEM;
        return 1;
    }
    return 0;
}

di_status nt_walk_processes(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    proc_walk w = {.m = m};
    if (!m->ps_active_process_head) {
        nt_warn_code(c, DI_W_MISSING_DATA, "no PsActiveProcessHead: processes and threads are not listed");
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

/* The process a triage dump copied (the crashing thread's), at its kernel VA. */
di_status nt_add_process_at(nt_model *m, uint64_t va)
{
    nt_ctx *c = &m->ctx;
    if (nt_model_process(m, va))
        return DI_OK;
    uint8_t *buf = malloc(nt_size(c, NT_S_EPROCESS));
    if (!buf)
        return DI_E_NOMEM;
    nt_process p;
    uint64_t type;
    int rc = nt_read_process(m, va, buf, &p, &type);
    free(buf);
    if (rc != 0) {
        nt_damage(c, "the triage dump's process copy at 0x%016llx %s", (unsigned long long)va,
                  rc == -2 ? "is not a process" : rc == -3 ? "has a damaged dispatcher header" : "cannot be read");
        return DI_OK;
    }
    p.source = NT_PROCESS_FROM_TRIAGE_COPY;
    int grown = add_process(m, &p);
    return grown == NT_GROW_NOMEM ? DI_E_NOMEM : DI_OK;
}

/* The process of one idle thread, added when no list showed it; its idle threads counted. */
static di_status add_idle_process(nt_model *m, const nt_thread *t, uint8_t *buf)
{
    nt_ctx *c = &m->ctx;
    nt_process *found = (nt_process *)nt_model_process(m, t->process_va);
    if (!found) {
        nt_process p;
        uint64_t type;
        if (nt_count_limit(c, NT_COUNT_PROCESSES, m->nprocesses))
            return DI_OK;
        if (nt_read_process(m, t->process_va, buf, &p, &type) != 0) {
            nt_damage(c, "the process 0x%016llx of idle thread 0x%016llx cannot be read or is not a process; "
                         "the Idle process is not listed",
                      (unsigned long long)t->process_va, (unsigned long long)t->va);
            return DI_OK;
        }
        p.source = NT_PROCESS_FROM_IDLE_THREAD;
        int grown = add_process(m, &p);
        if (grown)
            return grown == NT_GROW_NOMEM ? DI_E_NOMEM : DI_OK;
        found = &m->processes[m->nprocesses - 1];
    }
    /* A listed process had its threads counted by the list walk. */
    if (found->source == NT_PROCESS_FROM_IDLE_THREAD)
        found->threads_found++;
    return DI_OK;
}

di_status nt_model_add_idle_processes(nt_model *m)
{
    uint8_t *buf = NULL;
    di_status st = DI_OK;
    for (size_t i = 0; st == DI_OK && i < m->nprocessors; i++) {
        const nt_thread *t = nt_model_thread(m, m->processors[i].idle_thread);
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = m->processors[k].idle_thread == m->processors[i].idle_thread;
        if (!t || seen)
            continue;
        if (!buf && !(buf = malloc(nt_size(&m->ctx, NT_S_EPROCESS))))
            return DI_E_NOMEM;
        st = add_idle_process(m, t, buf);
    }
    free(buf);
    return st;
}
