/* SPDX-License-Identifier: MIT */
/* Writing threads: the ETHREAD body and its OBJECT_HEADER, the first wait block of a waiting
 * thread linked into the wait list of the object it waits on, and the shared event that waits
 * other than resource waits are made on. */
#include "fg_world_int.h"

#include <stdlib.h>
#include <string.h>

#define WAIT_ANY 1u            /* WAIT_TYPE WaitAny (WDK); the profile has no such enum */
#define IO_PRIORITY_NORMAL 2u  /* ETHREAD.ThreadIoPriority of an ordinary thread */
#define STATUS_PENDING 0x103u  /* ExitStatus of a thread that has not exited */
#define APC_DISABLE_CRITICAL 0xFFFFu /* KernelApcDisable -1: inside a critical region */
#define USER_TEB_BASE 0x000000C100000000ull

static uint64_t wait_block_va(const fg_world *w, const fgw_thread *t)
{
    return t->va + fgw_off(w, NT_F_KTHREAD_WAITBLOCK);
}

/* DISPATCHER_HEADER.WaitListHead of a dispatcher object. */
static uint64_t wait_head_va(const fg_world *w, uint64_t object)
{
    return object + fgw_off(w, NT_F_KEVENT_HEADER) + fgw_off(w, NT_F_DISPATCHER_HEADER_WAITLISTHEAD);
}

static int thread_waits(const fg_world *w, const fgw_thread *t)
{
    return t->waiter || t->state == fgw_enum(w, NT_E_KTHREAD_STATE_WAITING);
}

static int is_terminated(const fg_world *w, const fgw_thread *t)
{
    return t->terminated || t->state == fgw_enum(w, NT_E_KTHREAD_STATE_TERMINATED);
}

static void set_wait(fg_world *w, fgw_buf *o, const fgw_thread *t, uint64_t flink, uint64_t blink)
{
    size_t wb = fgw_off(w, NT_F_KTHREAD_WAITBLOCK);
    int user_wait = !fgw_is_system_thread(w, t) &&
                    (t->wait_reason == fgw_enum(w, NT_E_KWAIT_REASON_USERREQUEST) ||
                     t->wait_reason == fgw_enum(w, NT_E_KWAIT_REASON_WRUSERREQUEST));
    fgw_set(o, 0, NT_F_KTHREAD_WAITBLOCKLIST, wait_block_va(w, t));
    fgw_set(o, 0, NT_F_KTHREAD_WAITBLOCKCOUNT, 1);
    fgw_set(o, 0, NT_F_KTHREAD_WAITMODE,
            (uint64_t)fgw_enum(w, user_wait ? NT_E_MODE_USERMODE : NT_E_MODE_KERNELMODE));
    fgw_set_list(o, wb, NT_F_KWAIT_BLOCK_WAITLISTENTRY, flink, blink);
    fgw_set(o, wb, NT_F_KWAIT_BLOCK_WAITTYPE, WAIT_ANY);
    fgw_set(o, wb, NT_F_KWAIT_BLOCK_BLOCKSTATE, (uint64_t)fgw_enum(w, NT_E_KWAIT_BLOCK_STATE_WAITBLOCKACTIVE));
    fgw_set(o, wb, NT_F_KWAIT_BLOCK_THREAD, t->va);
    fgw_set(o, wb, NT_F_KWAIT_BLOCK_OBJECT, t->wait_object);
    if (t->waiter) /* resource acquirers hold APCs off (KeEnterCriticalRegion) */
        fgw_set(o, 0, NT_F_KTHREAD_KERNELAPCDISABLE, APC_DISABLE_CRITICAL);
}

static void set_kthread(fg_world *w, fgw_buf *o, size_t i)
{
    const fgw_thread *t = &w->threads[i];
    const fgw_process *p = &w->procs[t->proc];
    int sys = fgw_is_system_thread(w, t);
    size_t hdr = fgw_off(w, NT_F_KTHREAD_HEADER);
    fgw_set(o, hdr, NT_F_DISPATCHER_HEADER_TYPE, (uint64_t)fgw_enum(w, NT_E_KOBJECTS_THREADOBJECT));
    fgw_set(o, hdr, NT_F_DISPATCHER_HEADER_SIGNALSTATE, is_terminated(w, t));
    fgw_set_empty_list(o, t->va, hdr, NT_F_DISPATCHER_HEADER_WAITLISTHEAD);
    fgw_set(o, 0, NT_F_KTHREAD_INITIALSTACK, t->stack_top);
    fgw_set(o, 0, NT_F_KTHREAD_STACKLIMIT, t->stack_limit);
    fgw_set(o, 0, NT_F_KTHREAD_STACKBASE, t->stack_top);
    fgw_set(o, 0, NT_F_KTHREAD_KERNELSTACK, t->stack_top - FGW_KERNEL_STACK_DEPTH);
    fgw_set(o, 0, NT_F_KTHREAD_SYSTEMTHREAD, sys);
    fgw_set(o, 0, NT_F_KTHREAD_KERNELSTACKRESIDENT, 1);
    fgw_set(o, 0, NT_F_KTHREAD_APCSTATE_PROCESS, p->va);
    fgw_set(o, 0, NT_F_KTHREAD_PROCESS, p->va);
    fgw_set(o, 0, NT_F_KTHREAD_PRIORITY, t->priority);
    fgw_set(o, 0, NT_F_KTHREAD_BASEPRIORITY, t->priority);
    uint64_t teb = t->has_teb ? t->teb : 0;
    if (!t->has_teb && !sys)
        teb = USER_TEB_BASE + (t->pid << 20) + ((uint64_t)(i & 0xFF) << 13);
    fgw_set(o, 0, NT_F_KTHREAD_TEB, teb);
    fgw_set(o, 0, NT_F_KTHREAD_CONTEXTSWITCHES, t->context_switches);
    fgw_set(o, 0, NT_F_KTHREAD_STATE, (uint8_t)t->state);
    fgw_set(o, 0, NT_F_KTHREAD_WAITREASON, (uint8_t)t->wait_reason);
    /* A wait stamps the tick count; a thread that never waited keeps 0 (3.6). */
    uint32_t wait_time = 0;
    if (t->has_wait_ticks)
        wait_time = (uint32_t)(w->ticks - t->wait_ticks);
    else if (!is_terminated(w, t))
        wait_time = (uint32_t)(w->ticks - 1);
    fgw_set(o, 0, NT_F_KTHREAD_WAITTIME, wait_time);
    fgw_set(o, 0, NT_F_KTHREAD_PREVIOUSMODE,
            (uint64_t)fgw_enum(w, sys ? NT_E_MODE_KERNELMODE : NT_E_MODE_USERMODE));
    fgw_set(o, 0, NT_F_KTHREAD_KERNELTIME, t->kernel_time);
    fgw_set(o, 0, NT_F_KTHREAD_USERTIME, t->user_time);
    fgw_set_empty_list(o, t->va, 0, NT_F_KTHREAD_MUTANTLISTHEAD);
    const nt_field *le = nt_field_get(w->p, NT_F_ETHREAD_LOCKENTRIES);
    if (le != NULL && nt_field_get(w->p, NT_F_KTHREAD_LOCKENTRIES) != NULL)
        fgw_set(o, 0, NT_F_KTHREAD_LOCKENTRIES, t->va + le->offset); /* 19041: into the ETHREAD */
}

static void set_ethread(fg_world *w, fgw_buf *o, const fgw_thread *t)
{
    fgw_set(o, 0, NT_F_ETHREAD_CREATETIME, fgw_tick_time(w, t->create));
    /* ExitTime shares its slot with KeyedWaitChain: a live thread holds that empty list's Flink
     * there (INFERRED), which a reader must not show as a time. */
    if (is_terminated(w, t))
        fgw_set(o, 0, NT_F_ETHREAD_EXITTIME,
                fgw_tick_time(w, t->has_exit ? t->exit_tick : w->ticks));
    else
        fgw_set(o, 0, NT_F_ETHREAD_EXITTIME, t->va + fgw_off(w, NT_F_ETHREAD_EXITTIME));
    fgw_set(o, 0, NT_F_ETHREAD_STARTADDRESS, t->start_va);
    fgw_set(o, 0, NT_F_ETHREAD_CID_UNIQUEPROCESS, w->procs[t->proc].pid);
    fgw_set(o, 0, NT_F_ETHREAD_CID_UNIQUETHREAD, t->tid);
    fgw_set(o, 0, NT_F_ETHREAD_WIN32STARTADDRESS, t->win32_va);
    fgw_set(o, 0, NT_F_ETHREAD_TERMINATED, t->terminated);
    fgw_set(o, 0, NT_F_ETHREAD_THREADIOPRIORITY, IO_PRIORITY_NORMAL);
    fgw_set(o, 0, NT_F_ETHREAD_EXITSTATUS,
            t->has_exit_status ? t->exit_status : is_terminated(w, t) ? 0 : STATUS_PENDING);
    fgw_set(o, 0, NT_F_ETHREAD_IOBOOSTCOUNT, t->io_boost);
    fgw_set(o, 0, NT_F_ETHREAD_IOQOSBOOSTCOUNT, t->qos_boost);
    fgw_set(o, 0, NT_F_ETHREAD_IOQOSTHROTTLECOUNT, t->qos_throttle);
    /* Lists PspThreadDelete checks (0x1C6 when not empty) and the boost lists: empty. */
    fgw_set_empty_list(o, t->va, 0, NT_F_ETHREAD_BOOSTLIST);
    fgw_set_empty_list(o, t->va, 0, NT_F_ETHREAD_DEBOOSTLIST);
    fgw_set_empty_list(o, t->va, 0, NT_F_ETHREAD_OWNERENTRYLISTHEAD);
    fgw_set_empty_list(o, t->va, 0, NT_F_ETHREAD_DISOWNEDOWNERENTRYLISTHEAD);
}

static void set_links(fg_world *w, fgw_buf *o, const fgw_thread *t)
{
    const fgw_process *p = &w->procs[t->proc];
    uint32_t e = fgw_off(w, NT_F_ETHREAD_THREADLISTENTRY), k = fgw_off(w, NT_F_KTHREAD_THREADLISTENTRY);
    uint64_t ehead = p->va + fgw_off(w, NT_F_EPROCESS_THREADLISTHEAD);
    uint64_t khead = p->va + fgw_off(w, NT_F_EPROCESS_PCB_THREADLISTHEAD);
    const fgw_thread *prev = t->prev != SIZE_MAX ? &w->threads[t->prev] : NULL;
    const fgw_thread *next = t->next != SIZE_MAX ? &w->threads[t->next] : NULL;
    fgw_set_list(o, 0, NT_F_ETHREAD_THREADLISTENTRY, next ? next->va + e : ehead,
                 prev ? prev->va + e : ehead);
    fgw_set_list(o, 0, NT_F_KTHREAD_THREADLISTENTRY, next ? next->va + k : khead,
                 prev ? prev->va + k : khead);
}

static int write_header(fg_world *w, const fgw_thread *t)
{
    fgw_buf o;
    uint32_t body = fgw_off(w, NT_F_OBJECT_HEADER_BODY);
    if (fgw_buf_init(&o, w->p, body) != 0)
        return fgw_fail(w, t->line, "out of memory");
    /* The reaper deletes a thread when its last reference goes: a dead one shows 0 / 0. */
    int dead = is_terminated(w, t);
    fgw_set(&o, 0, NT_F_OBJECT_HEADER_POINTERCOUNT, t->has_pointers ? t->pointers : dead ? 0 : 2);
    fgw_set(&o, 0, NT_F_OBJECT_HEADER_HANDLECOUNT, t->has_handles ? t->handles : dead ? 0 : 1);
    int rc = fgw_put(w, t->line, t->va - body, &o);
    fgw_buf_free(&o);
    return rc;
}

static int write_event(fg_world *w, uint64_t first_wb, uint64_t last_wb)
{
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_KEVENT)) != 0)
        return fgw_fail(w, w->line, "out of memory");
    size_t hdr = fgw_off(w, NT_F_KEVENT_HEADER);
    uint64_t head = wait_head_va(w, w->idle_event);
    fgw_set(&o, hdr, NT_F_DISPATCHER_HEADER_TYPE,
            (uint64_t)fgw_enum(w, NT_E_KOBJECTS_EVENTNOTIFICATIONOBJECT));
    fgw_set(&o, hdr, NT_F_DISPATCHER_HEADER_SIZE, fgw_size(w, NT_S_KEVENT) / 4);
    fgw_set_list(&o, hdr, NT_F_DISPATCHER_HEADER_WAITLISTHEAD, first_wb ? first_wb : head,
                 last_wb ? last_wb : head);
    int rc = fgw_put(w, w->line, w->idle_event, &o);
    fgw_buf_free(&o);
    return rc;
}

static int write_thread(fg_world *w, size_t i, fgw_buf *o, uint64_t flink, uint64_t blink)
{
    fgw_thread *t = &w->threads[i];
    if (fgw_resolve(w, t->line, t->start, &t->start_va) != 0 ||
        fgw_resolve(w, t->line, t->win32start, &t->win32_va) != 0)
        return -1;
    memset(o->b, 0, o->len);
    set_kthread(w, o, i);
    set_ethread(w, o, t);
    set_links(w, o, t);
    if (thread_waits(w, t))
        set_wait(w, o, t, flink, blink);
    if (fgw_put(w, t->line, t->va, o) != 0)
        return -1;
    return write_header(w, t);
}

int fgw_threads_write(fg_world *w)
{
    /* Waits other than resource waits share one event: its wait list holds them in order. */
    size_t *ring = malloc((w->nthreads + 1) * sizeof(*ring)), n = 0;
    fgw_buf o;
    if (ring == NULL || fgw_buf_init(&o, w->p, fgw_size(w, NT_S_ETHREAD)) != 0) {
        free(ring);
        return fgw_fail(w, w->line, "out of memory");
    }
    for (size_t i = 0; i < w->nthreads; i++)
        if (thread_waits(w, &w->threads[i]) && !w->threads[i].waiter)
            ring[n++] = i;
    uint64_t head = wait_head_va(w, w->idle_event);
    int rc = 0;
    for (size_t i = 0, k = 0; rc == 0 && i < w->nthreads; i++) {
        const fgw_thread *t = &w->threads[i];
        uint64_t flink = 0, blink = 0;
        if (k < n && ring[k] == i) {
            flink = k + 1 < n ? wait_block_va(w, &w->threads[ring[k + 1]]) : head;
            blink = k > 0 ? wait_block_va(w, &w->threads[ring[k - 1]]) : head;
            k++;
        } else if (t->wait_linked) { /* one of several on a resource's pool event */
            flink = t->wait_flink;
            blink = t->wait_blink;
        } else if (t->waiter) { /* alone on its wait entry's event */
            flink = blink = wait_head_va(w, t->wait_object);
        }
        rc = write_thread(w, i, &o, flink, blink);
    }
    if (rc == 0)
        rc = write_event(w, n ? wait_block_va(w, &w->threads[ring[0]]) : 0,
                         n ? wait_block_va(w, &w->threads[ring[n - 1]]) : 0);
    fgw_buf_free(&o);
    free(ring);
    return rc;
}
