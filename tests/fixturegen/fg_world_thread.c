/* SPDX-License-Identifier: MIT */
/* Threads before they are written: filler threads and the processors' idle threads are added,
 * every thread is bound to its process and processor, gets its defaults (state, wait reason,
 * wait time, priority), a place for its ETHREAD and a kernel stack, and its place on its
 * process's two thread lists. */
#include "fg_world_int.h"

#include <stdio.h>
#include <string.h>

#define DECLARED_STACK_PAGES 3u
#define FILLER_STACK_PAGES 2u
#define DEFAULT_START "nt+0x2f4a10"    /* a worker routine inside ntoskrnl */
#define IDLE_START "nt+0x3fc760"       /* the idle loop */
/* A user thread starts in ntdll's thread thunk; the routine its creator named is its
 * Win32StartAddress (nt-locks-and-waits.md 3.8). Made-up user-mode addresses. */
#define USER_START "0x7ffd2c2a3630"
#define USER_MAIN "0x7ff6a1b21000"
#define SYSTEM_PRIORITY 12u
#define USER_PRIORITY 8u
/* Where the ERESOURCE wait entry sits below a waiter's stack top: the 0x48 local of
 * ExAcquireResourceExclusiveLite's frame in the motivating dump (nt-locks-and-waits.md 1.4)
 * lands 0xCB8 below a page boundary. The saved KernelStack is deeper, in the swap frame. */
#define WAIT_ENTRY_DEPTH 0xCB8u

static fgw_thread *new_thread(fg_world *w, unsigned line)
{
    if (fgw_grow((void **)&w->threads, &w->cap_threads, w->nthreads + 1, sizeof(*w->threads)) != 0) {
        fgw_fail(w, line, "out of memory");
        return NULL;
    }
    fgw_thread *t = &w->threads[w->nthreads++];
    memset(t, 0, sizeof(*t));
    t->line = line;
    t->idle_cpu = t->running_on = -1;
    t->stack_pages = FILLER_STACK_PAGES;
    return t;
}

static int add_fillers(fg_world *w)
{
    uint64_t tid = 0;
    for (size_t i = 0; i < w->nthreads; i++)
        if (w->threads[i].tid > tid)
            tid = w->threads[i].tid;
    tid = (tid + 4) & ~3ull; /* TIDs are multiples of 4 */
    for (size_t f = 0; f < w->nfillers; f++) {
        const fgw_filler fl = w->fillers[f];
        if (fgw_find_process_pid(w, fl.pid) < 0)
            return fgw_fail(w, fl.line, "threads_filler: no process has pid %llu",
                            (unsigned long long)fl.pid);
        for (uint64_t k = 0; k < fl.count; k++, tid += 4) {
            fgw_thread *t = new_thread(w, fl.line);
            if (t == NULL)
                return -1;
            t->pid = fl.pid;
            t->tid = tid;
            strcpy(t->start, fl.start[0] ? fl.start : DEFAULT_START);
            t->state = fl.state;
            t->has_state = fl.has_state;
            t->wait_reason = fl.wait_reason;
            t->has_reason = fl.has_reason;
            /* Varied but reproducible wait ages, never longer than the uptime. */
            t->wait_ticks = (uint32_t)(1 + (k * 7919) % w->ticks);
            t->has_wait_ticks = 1;
        }
    }
    return 0;
}

static int add_idle(fg_world *w)
{
    if (fgw_grow((void **)&w->procs, &w->cap_procs, w->nprocs + 1, sizeof(*w->procs)) != 0)
        return fgw_fail(w, w->line, "out of memory");
    fgw_process *p = &w->procs[w->nprocs];
    memset(p, 0, sizeof(*p));
    strcpy(p->image, "Idle");
    p->idle = 1;
    p->line = w->line;
    w->idle_proc = w->nprocs++;
    for (uint32_t cpu = 0; cpu < w->nprocessors; cpu++) {
        fgw_thread *t = new_thread(w, w->line);
        if (t == NULL)
            return -1;
        t->idle_cpu = (int)cpu;
        t->proc = w->idle_proc;
        t->priority = 0;
        t->has_priority = 1;
        strcpy(t->start, IDLE_START);
    }
    return 0;
}

int fgw_threads_resolve(fg_world *w)
{
    w->ndeclared_threads = w->nthreads;
    for (size_t i = 0; i < w->nthreads; i++) {
        fgw_thread *t = &w->threads[i];
        if (t->stack_pages == 0)
            t->stack_pages = DECLARED_STACK_PAGES;
        for (size_t j = 0; j < i; j++)
            if (w->threads[j].tid == t->tid)
                return fgw_fail(w, t->line, "thread %s: tid %llu is also thread %s's", t->id,
                                (unsigned long long)t->tid, w->threads[j].id);
    }
    if (add_fillers(w) != 0 || add_idle(w) != 0)
        return -1;
    for (size_t i = 0; i < w->nthreads; i++) {
        fgw_thread *t = &w->threads[i];
        if (t->idle_cpu >= 0)
            continue;
        long p = fgw_find_process_pid(w, t->pid);
        if (p < 0)
            return fgw_fail(w, t->line, "thread %s: no process has pid %llu", t->id,
                            (unsigned long long)t->pid);
        t->proc = (size_t)p;
    }
    for (size_t c = 0; c < w->ncpus; c++) {
        const fgw_cpu_decl *cd = &w->cpus[c];
        long i = fgw_find_thread(w, cd->thread);
        if (cd->index >= w->nprocessors)
            return fgw_fail(w, cd->line, "processor %u: the dump has %u processors", cd->index,
                            w->nprocessors);
        if (i < 0)
            return fgw_fail(w, cd->line, "processor %u: no thread is called '%s'", cd->index,
                            cd->thread);
        if (w->threads[i].running_on >= 0)
            return fgw_fail(w, cd->line, "thread %s already runs on processor %d",
                            cd->thread, w->threads[i].running_on);
        w->threads[i].running_on = (int)cd->index;
    }
    return 0;
}

/* The idle thread of a processor that runs something else is merely ready. */
static int idle_cpu_busy(const fg_world *w, int cpu)
{
    for (size_t c = 0; c < w->ncpus; c++)
        if ((int)w->cpus[c].index == cpu)
            return 1;
    return 0;
}

static int apply_defaults(fg_world *w, fgw_thread *t)
{
    int32_t terminated = fgw_enum(w, NT_E_KTHREAD_STATE_TERMINATED);
    if (!t->has_state) {
        if (t->waiter)
            t->state = fgw_enum(w, NT_E_KTHREAD_STATE_WAITING);
        else if (t->terminated)
            t->state = terminated;
        else if (t->running_on >= 0 || (t->idle_cpu >= 0 && !idle_cpu_busy(w, t->idle_cpu)))
            t->state = fgw_enum(w, NT_E_KTHREAD_STATE_RUNNING);
        else if (t->idle_cpu >= 0)
            t->state = fgw_enum(w, NT_E_KTHREAD_STATE_READY);
        else
            t->state = fgw_enum(w, NT_E_KTHREAD_STATE_WAITING);
    }
    if (!t->has_reason) {
        t->wait_reason = t->waiter ? fgw_enum(w, NT_E_KWAIT_REASON_WRRESOURCE)
                         : t->state == terminated ? fgw_enum(w, NT_E_KWAIT_REASON_WRTERMINATED)
                                                  : fgw_enum(w, NT_E_KWAIT_REASON_EXECUTIVE);
    }
    if (t->has_wait_ticks && t->wait_ticks > w->ticks)
        return fgw_fail(w, t->line, "thread %s: wait_ticks %u is longer than the uptime (%llu)",
                        t->id, t->wait_ticks, (unsigned long long)w->ticks);
    const fgw_process *p = &w->procs[t->proc];
    if (!t->has_priority)
        t->priority = fgw_is_system_thread(w, t) ? SYSTEM_PRIORITY : USER_PRIORITY;
    if (!t->has_create)
        t->create = p->create;
    if (!t->has_context_switches)
        t->context_switches = 10;
    int sys = fgw_is_system_thread(w, t);
    if (t->start[0] == '\0')
        strcpy(t->start, sys ? DEFAULT_START : USER_START);
    if (t->win32start[0] == '\0')
        strcpy(t->win32start, sys ? t->start : USER_MAIN);
    return 0;
}

/* Prev/next on each process's thread lists, in thread order. */
static void link_lists(fg_world *w)
{
    for (size_t i = 0; i < w->nprocs; i++) {
        w->procs[i].first_thread = w->procs[i].last_thread = SIZE_MAX;
        w->procs[i].nthreads = w->procs[i].nlive = 0;
    }
    int32_t terminated = fgw_enum(w, NT_E_KTHREAD_STATE_TERMINATED);
    for (size_t i = 0; i < w->nthreads; i++) {
        fgw_thread *t = &w->threads[i];
        fgw_process *p = &w->procs[t->proc];
        t->prev = p->last_thread;
        t->next = SIZE_MAX;
        if (p->last_thread != SIZE_MAX)
            w->threads[p->last_thread].next = i;
        else
            p->first_thread = i;
        p->last_thread = i;
        p->nthreads++;
        if (!t->terminated && t->state != terminated)
            p->nlive++;
    }
}

int fgw_threads_layout(fg_world *w)
{
    uint32_t body = fgw_off(w, NT_F_OBJECT_HEADER_BODY), size = fgw_size(w, NT_S_ETHREAD);
    uint32_t event = fgw_off(w, NT_F_KWAIT_CHAIN_ENTRY_EVENT);
    for (size_t i = 0; i < w->nthreads; i++) {
        fgw_thread *t = &w->threads[i];
        if (apply_defaults(w, t) != 0)
            return -1;
        t->va = fgw_place(w, t->line, t->fixed_va, body, size, t->missing);
        if (t->va == 0)
            return -1;
        uint64_t bytes = (uint64_t)t->stack_pages * FGW_PAGE;
        if (t->fixed_stack != 0) {
            if ((t->fixed_stack >> 47) != 0x1FFFF)
                return fgw_fail(w, t->line, "thread %s: stack=0x%llx is not a kernel address", t->id,
                                (unsigned long long)t->fixed_stack);
            if (fgw_map_fixed(w, t->line, t->fixed_stack - bytes, t->fixed_stack, FG_4K) != 0)
                return -1;
            t->stack_limit = t->fixed_stack - bytes;
        } else if ((t->stack_limit = fgw_region_pages(w, &w->stacks, t->stack_pages)) == 0) {
            return fgw_fail_dump(w, t->line, "mapping a kernel stack");
        }
        t->stack_top = t->stack_limit + bytes;
        if (t->waiter) {
            /* Exclusive waiters of the pool-event families get the resource's event later. */
            t->wait_entry = t->stack_top - WAIT_ENTRY_DEPTH;
            t->wait_object = t->wait_entry + event;
        } else if (t->state == fgw_enum(w, NT_E_KTHREAD_STATE_WAITING)) {
            t->wait_object = w->idle_event;
        }
    }
    link_lists(w);
    return 0;
}
