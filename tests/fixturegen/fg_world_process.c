/* SPDX-License-Identifier: MIT */
/* Processes: EPROCESS bodies (with their OBJECT_HEADER) on PsActiveProcessHead, each heading
 * its two thread lists, each (but System and Idle) with the full image path that
 * SeAuditProcessCreationInfo points at. The Idle process (pid 0) owns the processors' idle threads and, as on
 * a real system, is not on the active process list. */
#include "fg_world_int.h"

#include <stdio.h>
#include <string.h>

#define SYSTEM_PID 4u
#define STATUS_PENDING 0x103u /* ExitStatus of a process or thread that has not exited */
#define USER_PEB_BASE 0x000000C000000000ull

uint64_t fgw_tick_time(const fg_world *w, uint64_t tick)
{
    return w->boot + tick * FGW_TICK_100NS;
}

int fgw_is_system_thread(const fg_world *w, const fgw_thread *t)
{
    const fgw_process *p = &w->procs[t->proc];
    return p->idle || p->pid == SYSTEM_PID;
}

int fgw_processes_layout(fg_world *w)
{
    uint32_t body = fgw_off(w, NT_F_OBJECT_HEADER_BODY);
    for (size_t i = 0; i < w->nprocs; i++) {
        fgw_process *p = &w->procs[i];
        p->va = fgw_place(w, p->line, p->fixed_va, body, fgw_size(w, NT_S_EPROCESS), 0);
        if (p->va == 0)
            return -1;
    }
    return 0;
}

/* Where every image in a world lives; SeAuditProcessCreationInfo holds this NT path. */
#define IMAGE_DIR "\\Device\\HarddiskVolume3\\Windows\\System32\\"

/* System and Idle were not created from an image file: they have no audit name. */
static int has_name_info(const fgw_process *p)
{
    return !p->idle && p->pid != SYSTEM_PID;
}

static size_t image_path_len(const fgw_process *p)
{
    return strlen(IMAGE_DIR) + strlen(p->image_name);
}

int fgw_process_names_layout(fg_world *w)
{
    uint32_t info = fgw_size(w, NT_S_OBJECT_NAME_INFORMATION);
    for (size_t i = 0; i < w->nprocs; i++) {
        fgw_process *p = &w->procs[i];
        if (!has_name_info(p))
            continue;
        /* One pool block: the OBJECT_NAME_INFORMATION, then its string (with a NUL). */
        p->name_info = fg_alloc_kva(w->d, info + 2 * (image_path_len(p) + 1), 16);
        if (p->name_info == 0)
            return fgw_fail_dump(w, p->line, "allocating a process's image name");
    }
    return 0;
}

static int write_name_info(fg_world *w, const fgw_process *p)
{
    char path[sizeof(IMAGE_DIR) + FGW_IMAGE_NAME_MAX];
    size_t len = image_path_len(p);
    uint32_t size = fgw_size(w, NT_S_OBJECT_NAME_INFORMATION);
    snprintf(path, sizeof(path), "%s%s", IMAGE_DIR, p->image_name);
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, size) != 0)
        return fgw_fail(w, p->line, "out of memory");
    fgw_set_unicode(&o, fgw_off(w, NT_F_OBJECT_NAME_INFORMATION_NAME), p->name_info + size, len, len + 1);
    int rc = fgw_put(w, p->line, p->name_info, &o);
    fgw_buf_free(&o);
    return rc != 0 ? rc : fgw_write_utf16(w, p->line, p->name_info + size, path, len);
}

static int write_header(fg_world *w, const fgw_process *p)
{
    fgw_buf o;
    uint32_t body = fgw_off(w, NT_F_OBJECT_HEADER_BODY);
    if (fgw_buf_init(&o, w->p, body) != 0)
        return fgw_fail(w, p->line, "out of memory");
    int gone = p->has_exit;
    fgw_set(&o, 0, NT_F_OBJECT_HEADER_POINTERCOUNT, p->has_pointers ? p->pointers : gone ? 1 : 8);
    fgw_set(&o, 0, NT_F_OBJECT_HEADER_HANDLECOUNT, p->has_handles ? p->handles : gone ? 0 : 2);
    int rc = fgw_put(w, p->line, p->va - body, &o);
    fgw_buf_free(&o);
    return rc;
}

/* The links of list entry `field` in the object before / after index i of a process list. */
static uint64_t proc_link(const fg_world *w, size_t i, nt_field_id field)
{
    return w->procs[i].va + fgw_off(w, field);
}

static void thread_heads(fg_world *w, fgw_buf *o, const fgw_process *p)
{
    if (p->first_thread == SIZE_MAX) {
        fgw_set_empty_list(o, p->va, 0, NT_F_EPROCESS_THREADLISTHEAD);
        fgw_set_empty_list(o, p->va, 0, NT_F_EPROCESS_PCB_THREADLISTHEAD);
        return;
    }
    const fgw_thread *first = &w->threads[p->first_thread], *last = &w->threads[p->last_thread];
    uint32_t e = fgw_off(w, NT_F_ETHREAD_THREADLISTENTRY), k = fgw_off(w, NT_F_KTHREAD_THREADLISTENTRY);
    fgw_set_list(o, 0, NT_F_EPROCESS_THREADLISTHEAD, first->va + e, last->va + e);
    fgw_set_list(o, 0, NT_F_EPROCESS_PCB_THREADLISTHEAD, first->va + k, last->va + k);
}

static int write_process(fg_world *w, size_t i, size_t prev, size_t next, fgw_buf *o)
{
    const fgw_process *p = &w->procs[i];
    memset(o->b, 0, o->len);
    size_t hdr = fgw_off(w, NT_F_KPROCESS_HEADER);
    fgw_set(o, hdr, NT_F_DISPATCHER_HEADER_TYPE, (uint64_t)fgw_enum(w, NT_E_KOBJECTS_PROCESSOBJECT));
    fgw_set(o, hdr, NT_F_DISPATCHER_HEADER_SIGNALSTATE, p->has_exit ? 1 : 0);
    fgw_set_empty_list(o, p->va, hdr, NT_F_DISPATCHER_HEADER_WAITLISTHEAD);
    fgw_set(o, 0, NT_F_EPROCESS_PCB_DIRECTORYTABLEBASE, fg_dtb(w->d));
    fgw_set_empty_list(o, p->va, 0, NT_F_KPROCESS_PROCESSLISTENTRY);
    thread_heads(w, o, p);
    fgw_set(o, 0, NT_F_EPROCESS_UNIQUEPROCESSID, p->pid);
    fgw_set(o, 0, NT_F_EPROCESS_INHERITEDFROMUNIQUEPROCESSID, p->ppid);
    if (p->idle) {
        fgw_set_empty_list(o, p->va, 0, NT_F_EPROCESS_ACTIVEPROCESSLINKS);
    } else {
        uint64_t flink = next != SIZE_MAX ? proc_link(w, next, NT_F_EPROCESS_ACTIVEPROCESSLINKS)
                                          : w->proc_head;
        uint64_t blink = prev != SIZE_MAX ? proc_link(w, prev, NT_F_EPROCESS_ACTIVEPROCESSLINKS)
                                          : w->proc_head;
        fgw_set_list(o, 0, NT_F_EPROCESS_ACTIVEPROCESSLINKS, flink, blink);
    }
    fgw_set(o, 0, NT_F_EPROCESS_PROCESSEXITING, p->exiting);
    fgw_set(o, 0, NT_F_EPROCESS_PROCESSDELETE, p->deleted);
    fgw_set(o, 0, NT_F_EPROCESS_SYSTEMPROCESS, p->pid == SYSTEM_PID && !p->idle);
    fgw_set(o, 0, NT_F_EPROCESS_CREATETIME, fgw_tick_time(w, p->create));
    if (p->has_exit)
        fgw_set(o, 0, NT_F_EPROCESS_EXITTIME, fgw_tick_time(w, p->exit_tick));
    fgw_set(o, 0, NT_F_EPROCESS_EXITSTATUS,
            p->has_exit_status ? p->exit_status : p->has_exit ? 0 : STATUS_PENDING);
    uint64_t peb = p->has_peb ? p->peb : 0;
    if (!p->has_peb && p->pid != SYSTEM_PID && !p->idle)
        peb = USER_PEB_BASE + (p->pid << 16);
    fgw_set(o, 0, NT_F_EPROCESS_PEB, peb);
    for (size_t k = 0; k < 15 && p->image[k] != '\0'; k++)
        o->b[fgw_off(w, NT_F_EPROCESS_IMAGEFILENAME) + k] = (uint8_t)p->image[k];
    fgw_set(o, 0, NT_F_EPROCESS_ACTIVETHREADS, p->has_active_threads ? p->active_threads : p->nlive);
    fgw_set(o, fgw_off(w, NT_F_EPROCESS_SEAUDITPROCESSCREATIONINFO),
            NT_F_SE_AUDIT_PROCESS_CREATION_INFO_IMAGEFILENAME, p->name_info);
    if (fgw_put(w, p->line, p->va, o) != 0 || (p->name_info != 0 && write_name_info(w, p) != 0))
        return -1;
    return write_header(w, p);
}

int fgw_processes_write(fg_world *w)
{
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_EPROCESS)) != 0)
        return fgw_fail(w, w->line, "out of memory");
    size_t first = SIZE_MAX, last = SIZE_MAX, prev = SIZE_MAX;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < w->nprocs; i++) {
        if (w->procs[i].idle) {
            rc = write_process(w, i, SIZE_MAX, SIZE_MAX, &o);
            continue;
        }
        size_t next = i + 1;
        while (next < w->nprocs && w->procs[next].idle)
            next++;
        rc = write_process(w, i, prev, next < w->nprocs ? next : SIZE_MAX, &o);
        if (first == SIZE_MAX)
            first = i;
        last = prev = i;
    }
    fgw_buf_free(&o);
    if (rc != 0)
        return rc;
    uint64_t flink = first == SIZE_MAX ? w->proc_head
                                       : proc_link(w, first, NT_F_EPROCESS_ACTIVEPROCESSLINKS);
    uint64_t blink = last == SIZE_MAX ? w->proc_head
                                      : proc_link(w, last, NT_F_EPROCESS_ACTIVEPROCESSLINKS);
    return fgw_write_list(w, w->line, w->proc_head, flink, blink);
}
