/* SPDX-License-Identifier: MIT */
#include "analysis/an_describe.h"

#include <stdio.h>

void an_describe_thread(const nt_model *m, uint64_t va, char *buf, size_t cap)
{
    const nt_thread *t = nt_model_thread(m, va);
    if (!t) {
        snprintf(buf, cap, "thread 0x%016llx", (unsigned long long)va);
        return;
    }
    const nt_process *p = nt_model_process(m, t->process_va);
    if (!p)
        p = nt_model_process_by_pid(m, t->pid);
    snprintf(buf, cap, "thread 0x%llx of %s (%llu)", (unsigned long long)t->tid, p ? p->name : "?",
             (unsigned long long)t->pid);
}

void an_describe_address(const nt_model *m, uint64_t addr, char *buf, size_t cap)
{
    const nt_module *mod = nt_model_module_at(m, addr);
    if (mod)
        snprintf(buf, cap, "%s+0x%llx", mod->name, (unsigned long long)(addr - mod->base));
    else
        snprintf(buf, cap, "0x%016llx", (unsigned long long)addr);
}

int64_t an_longest_wait(const nt_model *m, const nt_resource *r)
{
    int64_t best = -1;
    for (size_t i = 0; i < r->nwaiters; i++) {
        const nt_thread *t = nt_waiter_thread(m, &m->waiters[r->first_waiter + i]);
        int64_t ms = t ? nt_model_wait_ms(m, t) : -1;
        if (ms > best)
            best = ms;
    }
    return best;
}

void an_describe_ms(int64_t ms, char *buf, size_t cap)
{
    if (ms < 0)
        snprintf(buf, cap, "an unknown time");
    else if (ms < 1000)
        snprintf(buf, cap, "%lld ms", (long long)ms);
    else if (ms < 60000)
        snprintf(buf, cap, "%lld.%03lld s", (long long)(ms / 1000), (long long)(ms % 1000));
    else
        snprintf(buf, cap, "%lldm %02lld.%03lld s", (long long)(ms / 60000), (long long)(ms / 1000 % 60),
                 (long long)(ms % 1000));
}
