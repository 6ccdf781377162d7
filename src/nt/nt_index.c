/* SPDX-License-Identifier: MIT */
/* Sorted indexes over the model's processes and modules, built once the model is complete,
 * so every lookup the analysis and the report make is O(log n) however many processes and
 * modules a (hostile) dump lists. Until an index is built, lookups fall back to a scan. */
#include <stdlib.h>

#include "nt/nt_model.h"

/* Modules overlapping an address are looked for this far back before giving up: real
 * modules never overlap, hostile ones must not make lookups linear. */
#define NT_MODULE_OVERLAP_STEPS 64

static const nt_model *sort_model; /* qsort has no context argument in C11 */

static int proc_va_cmp(const void *a, const void *b)
{
    uint64_t x = sort_model->processes[*(const size_t *)a].va, y = sort_model->processes[*(const size_t *)b].va;
    if (x != y)
        return x < y ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1; /* the first listed wins */
}

static int proc_pid_cmp(const void *a, const void *b)
{
    uint64_t x = sort_model->processes[*(const size_t *)a].pid, y = sort_model->processes[*(const size_t *)b].pid;
    if (x != y)
        return x < y ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int mod_base_cmp(const void *a, const void *b)
{
    uint64_t x = sort_model->modules[*(const size_t *)a].base, y = sort_model->modules[*(const size_t *)b].base;
    if (x != y)
        return x < y ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static size_t *sorted_positions(const nt_model *m, size_t n, int (*cmp)(const void *, const void *))
{
    size_t *v = n ? malloc(n * sizeof *v) : NULL;
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++)
        v[i] = i;
    sort_model = m;
    qsort(v, n, sizeof *v, cmp);
    sort_model = NULL;
    return v;
}

void nt_model_index(nt_model *m)
{
    free(m->proc_by_va);
    free(m->proc_by_pid);
    free(m->mod_by_base);
    m->proc_by_va = sorted_positions(m, m->nprocesses, proc_va_cmp);
    m->proc_by_pid = sorted_positions(m, m->nprocesses, proc_pid_cmp);
    m->mod_by_base = sorted_positions(m, m->nmodules, mod_base_cmp);
    m->nproc_index = m->proc_by_va && m->proc_by_pid ? m->nprocesses : 0;
    m->nmod_index = m->mod_by_base ? m->nmodules : 0;
}

/* First position in idx whose key is >= key (key(i) gives the key of model entry i). */
static size_t lower_bound(const size_t *idx, size_t n, uint64_t key, const nt_model *m,
                          uint64_t (*key_of)(const nt_model *, size_t))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_of(m, idx[mid]) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint64_t proc_va(const nt_model *m, size_t i) { return m->processes[i].va; }
static uint64_t proc_pid(const nt_model *m, size_t i) { return m->processes[i].pid; }

const nt_process *nt_model_process(const nt_model *m, uint64_t va)
{
    if (m->nproc_index != m->nprocesses || !m->nproc_index) {
        for (size_t i = 0; i < m->nprocesses; i++)
            if (m->processes[i].va == va)
                return &m->processes[i];
        return NULL;
    }
    size_t k = lower_bound(m->proc_by_va, m->nproc_index, va, m, proc_va);
    return k < m->nproc_index && m->processes[m->proc_by_va[k]].va == va ? &m->processes[m->proc_by_va[k]] : NULL;
}

const nt_process *nt_model_process_by_pid(const nt_model *m, uint64_t pid)
{
    if (m->nproc_index != m->nprocesses || !m->nproc_index) {
        for (size_t i = 0; i < m->nprocesses; i++)
            if (m->processes[i].pid == pid)
                return &m->processes[i];
        return NULL;
    }
    size_t k = lower_bound(m->proc_by_pid, m->nproc_index, pid, m, proc_pid);
    return k < m->nproc_index && m->processes[m->proc_by_pid[k]].pid == pid ? &m->processes[m->proc_by_pid[k]]
                                                                               : NULL;
}

static int contains(const nt_module *mod, uint64_t addr)
{
    return addr >= mod->base && addr - mod->base < mod->size;
}

const nt_module *nt_model_module_at(const nt_model *m, uint64_t addr)
{
    if (m->nmod_index != m->nmodules || !m->nmod_index) {
        for (size_t i = 0; i < m->nmodules; i++)
            if (contains(&m->modules[i], addr))
                return &m->modules[i];
        return NULL;
    }
    /* The last module whose base is <= addr, then a few before it in case of overlaps. */
    size_t lo = 0, hi = m->nmod_index;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->modules[m->mod_by_base[mid]].base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo, steps = 0; k > 0 && steps < NT_MODULE_OVERLAP_STEPS; k--, steps++)
        if (contains(&m->modules[m->mod_by_base[k - 1]], addr))
            return &m->modules[m->mod_by_base[k - 1]];
    return NULL;
}
