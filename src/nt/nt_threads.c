/* SPDX-License-Identifier: MIT */
/* Threads: ETHREAD records on each process's ThreadListHead through ThreadListEntry, plus
 * threads reached only from elsewhere (lock owners, processors), marked as off-list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt/nt_list.h"
#include "nt/nt_model.h"

int nt_read_thread(nt_model *m, uint64_t va, nt_thread *t)
{
    nt_ctx *c = &m->ctx;
    uint32_t size = nt_size(c, NT_S_ETHREAD);
    uint8_t buf[0x1000];
    memset(t, 0, sizeof *t);
    t->va = va;
    /* Only memory that clearly holds another kind of object is "not a thread"; missing,
     * zeroed or damaged memory proves nothing either way. */
    if (size == 0 || size > sizeof buf || !nt_is_kernel_va(va) || nt_read(c, va, buf, size) != DI_OK)
        return -1;
    int32_t type = (int32_t)nt_buf_field(c, buf, size, NT_F_KTHREAD_HEADER_TYPE);
    if (type != nt_enum(c, NT_E_KOBJECTS_THREADOBJECT)) {
        int zero = 1;
        for (size_t i = 0; i < 0x18 && zero; i++)
            zero = buf[i] == 0;
        return zero ? -1 : -2;
    }
    /* The thread type byte, but no dispatcher wait list behind it: damaged, not trusted. */
    if (!nt_dispatcher_header_ok(c, buf, size, nt_off(c, NT_F_KTHREAD_HEADER), va))
        return -1;
    t->valid = 1;
    t->tid = nt_buf_field(c, buf, size, NT_F_ETHREAD_CID_UNIQUETHREAD);
    t->pid = nt_buf_field(c, buf, size, NT_F_ETHREAD_CID_UNIQUEPROCESS);
    t->process_va = nt_buf_field(c, buf, size, NT_F_KTHREAD_PROCESS);
    t->state = (int32_t)nt_buf_field(c, buf, size, NT_F_KTHREAD_STATE);
    t->wait_reason = (int32_t)nt_buf_field(c, buf, size, NT_F_KTHREAD_WAITREASON);
    t->wait_mode = (int32_t)nt_buf_field(c, buf, size, NT_F_KTHREAD_WAITMODE);
    t->wait_time = (uint32_t)nt_buf_field(c, buf, size, NT_F_KTHREAD_WAITTIME);
    t->kernel_time = (uint32_t)nt_buf_field(c, buf, size, NT_F_KTHREAD_KERNELTIME);
    t->user_time = (uint32_t)nt_buf_field(c, buf, size, NT_F_KTHREAD_USERTIME);
    t->context_switches = (uint32_t)nt_buf_field(c, buf, size, NT_F_KTHREAD_CONTEXTSWITCHES);
    t->terminated_flag = (int)nt_buf_field(c, buf, size, NT_F_ETHREAD_TERMINATED);
    t->system_thread = (int)nt_buf_field(c, buf, size, NT_F_KTHREAD_SYSTEMTHREAD);
    t->create_time = nt_buf_field(c, buf, size, NT_F_ETHREAD_CREATETIME);
    t->start_address = nt_buf_field(c, buf, size, NT_F_ETHREAD_STARTADDRESS);
    t->win32_start_address = nt_buf_field(c, buf, size, NT_F_ETHREAD_WIN32STARTADDRESS);
    t->io_boost_count = (uint32_t)nt_buf_field(c, buf, size, NT_F_ETHREAD_IOBOOSTCOUNT);
    t->io_qos_boost_count = (uint32_t)nt_buf_field(c, buf, size, NT_F_ETHREAD_IOQOSBOOSTCOUNT);
    t->io_qos_throttle_count = (uint32_t)nt_buf_field(c, buf, size, NT_F_ETHREAD_IOQOSTHROTTLECOUNT);
    t->absent = (nt_field_get(c->prof, NT_F_ETHREAD_IOQOSBOOSTCOUNT) ? 0 : NT_THREAD_NO_IO_QOS_BOOST_COUNT) |
                (nt_field_get(c->prof, NT_F_ETHREAD_IOQOSTHROTTLECOUNT) ? 0 : NT_THREAD_NO_IO_QOS_THROTTLE_COUNT);
    t->teb = nt_buf_field(c, buf, size, NT_F_KTHREAD_TEB);
    /* ExitTime shares its slot with KeyedWaitChain: only a terminated thread's is a time. */
    /* A type byte alone is weak evidence: a thread also has sane ids, enum values in range
     * and a process object behind it (when that can be read). A thread failing these is
     * damaged: not trusted, and not claimed to be something else either. */
    uint64_t ptype;
    if ((t->tid & 3) || (t->pid & 3) || t->tid >> 32 || t->pid >> 32 ||
        !nt_enum_name(c->prof, NT_EK_KTHREAD_STATE, t->state) ||
        !nt_enum_name(c->prof, NT_EK_KWAIT_REASON, t->wait_reason) || !nt_is_kernel_va(t->process_va) ||
        (nt_read_field(c, t->process_va + nt_off(c, NT_F_KPROCESS_HEADER), NT_F_DISPATCHER_HEADER_TYPE, &ptype) ==
             DI_OK &&
         (int32_t)ptype != nt_enum(c, NT_E_KOBJECTS_PROCESSOBJECT))) {
        t->valid = 0;
        return -1;
    }
    if (t->terminated_flag || t->state == nt_enum(c, NT_E_KTHREAD_STATE_TERMINATED))
        t->exit_time = nt_buf_field(c, buf, size, NT_F_ETHREAD_EXITTIME);
    uint64_t wbl = nt_buf_field(c, buf, size, NT_F_KTHREAD_WAITBLOCKLIST);
    if (t->state == nt_enum(c, NT_E_KTHREAD_STATE_WAITING) && nt_is_kernel_va(wbl))
        t->wait_object = nt_field_or(c, wbl, NT_F_KWAIT_BLOCK_OBJECT, 0);
    return 0;
}

typedef struct thread_walk {
    nt_model *m;
    nt_process *proc;
    int nomem;
} thread_walk;

static int visit_thread(nt_ctx *c, uint64_t entry, void *arg)
{
    thread_walk *w = arg;
    nt_model *m = w->m;
    if (nt_count_limit(c, NT_COUNT_THREADS, m->nthreads))
        return 1;
    uint64_t va = entry - nt_off(c, NT_F_ETHREAD_THREADLISTENTRY);
    int grown = nt_grow(c, (void **)&m->threads, &m->threads_cap, m->nthreads, sizeof *m->threads);
    if (grown) {
        w->nomem = grown == NT_GROW_NOMEM;
        return 1;
    }
    nt_thread *t = &m->threads[m->nthreads];
    if (nt_read_thread(m, va, t) != 0) {
        nt_damage(c, "thread 0x%016llx of process %llu (%s) cannot be read or is not a thread; skipped",
                (unsigned long long)va, (unsigned long long)w->proc->pid, w->proc->name);
        return 0;
    }
    t->on_list = !w->proc->deleted;
    w->proc->threads_found++;
    m->nthreads++;
    return 0;
}

di_status nt_walk_threads(nt_model *m)
{
    nt_ctx *c = &m->ctx;
    thread_walk w = {.m = m};
    int complete = m->processes_complete;
    /* Each process's first thread, fetched together: the lists themselves are walked one
     * link at a time, but their starts are independent. */
    uint64_t *first = malloc((m->nprocesses ? m->nprocesses : 1) * sizeof *first);
    if (first) {
        size_t n = 0;
        for (size_t i = 0; i < m->nprocesses; i++) {
            uint64_t flink;
            if (nt_read_ptr(c, m->processes[i].va + nt_off(c, NT_F_EPROCESS_THREADLISTHEAD), &flink) == DI_OK &&
                nt_is_kernel_va(flink))
                first[n++] = flink - nt_off(c, NT_F_ETHREAD_THREADLISTENTRY);
        }
        nt_prefetch(c, first, n, nt_size(c, NT_S_ETHREAD));
        free(first);
    }
    for (size_t i = 0; i < m->nprocesses; i++) {
        w.proc = &m->processes[i];
        uint64_t head = w.proc->va + nt_off(c, NT_F_EPROCESS_THREADLISTHEAD);
        nt_list_result res;
        nt_list_walk(c, head, c->limits.list_steps, visit_thread, &w, &res);
        if (w.nomem)
            return DI_E_NOMEM;
        char what[NT_PROCESS_NAME_MAX + 48]; /* "the thread list of process PID (NAME)" */
        snprintf(what, sizeof what, "the thread list of process %llu (%s)", (unsigned long long)w.proc->pid,
                 w.proc->name);
        nt_list_report(c, what, &res);
        complete = complete && res.end == NT_LIST_COMPLETE;
    }
    m->threads_complete = complete;
    nt_model_sort_threads(m);
    return DI_OK;
}
