/* SPDX-License-Identifier: MIT */
#include "nt/nt_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt/nt_kernel_versions.h"
#include "util/le.h"

int nt_grow(nt_ctx *c, void **arr, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    uint64_t more = (uint64_t)(ncap - *cap) * elem;
    if (c->model_bytes + more > c->limits.model_bytes) {
        if (!c->memory_warned)
            nt_warn_code(c, DI_W_LIMIT, "the kernel model reached its memory limit of %llu bytes; the rest is not listed "
                       "(--limit model_bytes=N)",
                    (unsigned long long)c->limits.model_bytes);
        c->memory_warned = 1;
        c->limited = 1;
        return NT_GROW_LIMIT;
    }
    void *n = realloc(*arr, ncap * elem);
    if (!n)
        return NT_GROW_NOMEM;
    c->model_bytes += more;
    *arr = n;
    *cap = ncap;
    return 0;
}

static int thread_cmp(const void *a, const void *b)
{
    const nt_thread *x = a, *y = b;
    return x->va < y->va ? -1 : x->va > y->va;
}

const nt_thread *nt_model_thread(const nt_model *m, uint64_t va)
{
    if (m->thread_vas && m->nthread_vas == m->nsorted) {
        size_t lo = 0, hi = m->nthread_vas;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->thread_vas[mid] < va)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < m->nthread_vas && m->thread_vas[lo] == va ? &m->threads[lo] : NULL;
    }
    size_t lo = 0, hi = m->nsorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->threads[mid].va == va)
            return &m->threads[mid];
        if (m->threads[mid].va < va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const nt_thread *nt_model_thread_at(const nt_model *m, uint64_t va, uint32_t hint)
{
    if (hint < m->nsorted && m->threads[hint].va == va)
        return &m->threads[hint];
    return nt_model_thread(m, va);
}

static uint32_t position_of(const nt_model *m, uint64_t va)
{
    const nt_thread *t = va ? nt_model_thread(m, va) : NULL;
    return t ? (uint32_t)(t - m->threads) : UINT32_MAX;
}

void nt_model_note_lock_threads(nt_model *m)
{
    for (size_t i = 0; i < m->nowners; i++)
        m->owners[i].thread_at = position_of(m, m->owners[i].thread);
    for (size_t i = 0; i < m->nwaiters; i++)
        m->waiters[i].thread_at = position_of(m, m->waiters[i].thread);
}

const nt_resource *nt_model_resource(const nt_model *m, uint64_t va)
{
    for (size_t i = 0; i < m->nresources; i++)
        if (m->resources[i].va == va)
            return &m->resources[i];
    return NULL;
}

int nt_thread_is_terminated(const nt_model *m, const nt_thread *t)
{
    return t->terminated_flag || t->state == nt_enum(&m->ctx, NT_E_KTHREAD_STATE_TERMINATED);
}

int nt_thread_is_waiting(const nt_model *m, const nt_thread *t)
{
    return t->state == nt_enum(&m->ctx, NT_E_KTHREAD_STATE_WAITING);
}

int64_t nt_model_wait_ms(const nt_model *m, const nt_thread *t)
{
    if (!m->clock.valid || !nt_thread_is_waiting(m, t))
        return -1;
    uint32_t ticks = (uint32_t)m->clock.tick_count - t->wait_time; /* mod 2^32 by design */
    return (int64_t)(((uint64_t)ticks * m->clock.tick_multiplier) >> 24);
}

di_status nt_model_add_thread(nt_model *m, uint64_t va, nt_probe *probe)
{
    nt_probe dummy;
    if (!probe)
        probe = &dummy;
    *probe = NT_PROBE_THREAD;
    if (nt_model_thread(m, va))
        return DI_OK;
    nt_thread t;
    int rc = nt_read_thread(m, va, &t);
    if (rc != 0) {
        /* not a thread we can trust; callers report the raw pointer */
        *probe = rc == -2 ? NT_PROBE_NOT_THREAD : NT_PROBE_UNREADABLE;
        return DI_OK;
    }
    if (m->nthreads >= m->ctx.limits.threads) {
        *probe = NT_PROBE_UNREADABLE;
        return DI_OK;
    }
    int grown = nt_grow(&m->ctx, (void **)&m->threads, &m->threads_cap, m->nthreads, sizeof *m->threads);
    if (grown) {
        *probe = NT_PROBE_UNREADABLE;
        return grown == NT_GROW_NOMEM ? DI_E_NOMEM : DI_OK;
    }
    m->threads[m->nthreads++] = t;
    return DI_OK;
}

void nt_model_sort_threads(nt_model *m)
{
    if (m->nthreads)
        qsort(m->threads, m->nthreads, sizeof *m->threads, thread_cmp);
    /* A thread reached twice (two lists, two owners) is listed once. */
    size_t k = 0;
    for (size_t i = 0; i < m->nthreads; i++)
        if (k == 0 || m->threads[k - 1].va != m->threads[i].va)
            m->threads[k++] = m->threads[i];
    m->nthreads = m->nsorted = k;
    uint64_t *vas = realloc(m->thread_vas, (k ? k : 1) * sizeof *vas);
    if (!vas) { /* lookups fall back to the records */
        free(m->thread_vas);
        m->thread_vas = NULL;
        m->nthread_vas = 0;
        return;
    }
    for (size_t i = 0; i < k; i++)
        vas[i] = m->threads[i].va;
    m->thread_vas = vas;
    m->nthread_vas = k;
}

static void set_ident(nt_model *m, uint32_t timestamp, uint32_t size)
{
    nt_kernel_ident *id = &m->ident;
    id->have_stamp = 1;
    id->timestamp = timestamp;
    id->size = size;
    const nt_kernel_version *v = nt_kernel_version_find(timestamp, size);
    if (!v)
        return;
    id->known = 1;
    memcpy(id->version, v->version, sizeof id->version);
    snprintf(id->text, sizeof id->text, "%u.%u.%u.%u", v->version[0], v->version[1], v->version[2], v->version[3]);
}

/* ntoskrnl's TimeDateStamp + SizeOfImage: from a triage dump's driver list, else from the PE
 * header at the KDBG's KernBase (the module list needs a profile; it is the last resort). */
static void identify_kernel(nt_model *m)
{
    if (m->triage) {
        nt_triage_kernel_from_modules(m);
        if (m->kernel.timestamp || m->kernel.size)
            set_ident(m, m->kernel.timestamp, m->kernel.size);
        return;
    }
    nt_read_kernel_image(m);
    if (m->kernel.have_image)
        set_ident(m, m->kernel.timestamp, m->kernel.size);
}

/* Moved fields the model reads: when the update level is unknown they are not read, and the
 * report says why. */
static int model_reads(const char *name)
{
    return name == nt_field_name(NT_F_EPROCESS_EXITSTATUS) || name == nt_field_name(NT_F_EPROCESS_EXITTIME) ||
           name == nt_struct_name(NT_S_KPRCB);
}

/* The header's build names the kernel file build; the kernel's own file version, when the
 * table knows it, names the update level. 0 when no profile applies. */
static int choose_profile(nt_model *m)
{
    uint32_t kernel = nt_kernel_build_of(m->build);
    int32_t revision = -1;
    if (m->ident.known && kernel && m->ident.version[2] == kernel)
        revision = m->ident.version[3];
    else if (m->ident.known)
        nt_warn_code(&m->ctx, DI_W_MISMATCH, "the kernel image is ntoskrnl %s but the header says build %u; its update level is not used",
                m->ident.text, m->build);
    if (nt_profile_choose(m->build, revision, &m->profile) != 0) {
        nt_warn_code(&m->ctx, DI_W_NO_PROFILE,
                "build %u is not in the bundled layout data (Windows 10 1507 to Windows 11 24H2: builds 10240, 10586, "
                "14393, 15063, 16299, 17134, 17763, 18362-18363, 19041-19045, 22000, 22621-22631, 26100); kernel "
                "structures are not read rather than read with another build's offsets",
                m->build);
        return 0;
    }
    m->ctx.prof = &m->profile.prof;
    char names[256] = "";
    size_t len = 0;
    for (unsigned i = 0; i < m->profile.nunsure; i++)
        if (model_reads(m->profile.unsure[i]) && len < sizeof names)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", m->profile.unsure[i]);
    if (len)
        nt_warn_code(&m->ctx, DI_W_MISSING_DATA,
                "the kernel's exact update level is unknown (ntoskrnl TimeDateStamp/SizeOfImage not in the version "
                "table) and %s move between updates of kernel build %u: they are not read",
                names, kernel);
    return 1;
}

/* KUSER_SHARED_DATA.NtBuildNumber, when captured, must name the header's build. */
static void check_build_number(nt_model *m)
{
    uint32_t nb = m->clock.nt_build_number & 0xFFFF;
    if (m->clock.valid && nb && nb != m->build)
        nt_warn_code(&m->ctx, DI_W_MISMATCH, "KUSER_SHARED_DATA.NtBuildNumber says build %u but the header says %u", nb, m->build);
}

static di_status build(nt_model *m, mm_space *mm, const dmp_dump *dmp, const nt_limits *limits, di_strlist *warnings)
{
    memset(m, 0, sizeof *m);
    m->ctx.mm = mm;
    m->ctx.cr3 = le64(dmp->hdr + DMP_HDR_DIRECTORY_TABLE_BASE) & ~0xFFFull;
    m->ctx.warnings = warnings;
    m->ctx.path = dmp_path(dmp);
    if (limits)
        m->ctx.limits = *limits;
    else
        nt_limits_default(&m->ctx.limits);
    m->build = le32(dmp->hdr + DMP_HDR_MINOR_VERSION);
    m->triage = dmp->triage != NULL;
    m->machine = dmp->machine;
    if (m->triage) {
        const dmp_tsection *stack = &dmp->triage->sec[DMP_TS_STACK];
        if (stack->usable) {
            m->saved_stack_va = dmp->triage->top_of_stack;
            m->saved_stack_size = stack->size;
        }
        di_status st = nt_triage_modules(m, dmp);
        if (st != DI_OK)
            return st;
    }
    if (dmp->machine != DMP_MACHINE_X64) {
        nt_warn_code(&m->ctx, DI_W_NO_PROFILE, "an ARM64 kernel: no x64 offset profile applies, so kernel structures are not decoded "
                         "(the header, the driver list and the bugcheck are reported)");
        return DI_OK;
    }
    /* The KDBG and the kernel image are read without a profile: their layouts are fixed. */
    nt_kdbg_read(&m->ctx, le64(dmp->hdr + DMP_HDR_KD_DEBUGGER_DATA), &m->kdbg);
    identify_kernel(m);
    if (!choose_profile(m))
        return DI_OK;
    if (nt_kdbg_check_profile(&m->ctx, &m->kdbg, &m->kdbg_offsets_checked)) {
        nt_warn_code(&m->ctx, DI_W_PROFILE_MISMATCH, "the dump's own KDBG contradicts offset profile %s: kernel structures are not decoded",
                m->ctx.prof->version);
        m->ctx.prof = NULL;
        m->profile_rejected = 1;
        return DI_OK;
    }
    if (m->triage) {
        di_status tst = nt_build_triage(m, dmp);
        check_build_number(m);
        return tst;
    }
    uint64_t hdr_procs = le64(dmp->hdr + DMP_HDR_PS_ACTIVE_PROCESSES);
    uint64_t hdr_mods = le64(dmp->hdr + DMP_HDR_PS_LOADED_MODULES);
    if (m->kdbg.state == NT_KDBG_OK) {
        m->ps_active_process_head = m->kdbg.ps_active_process_head;
        m->ps_loaded_module_list = m->kdbg.ps_loaded_module_list;
        m->exp_system_resources_list = m->kdbg.exp_system_resources_list;
        if (hdr_procs != m->ps_active_process_head || hdr_mods != m->ps_loaded_module_list)
            nt_warn_code(&m->ctx, DI_W_MISMATCH, "the header's PsActiveProcessHead/PsLoadedModuleList differ from the KDBG's; using the KDBG's");
    } else {
        m->ps_active_process_head = hdr_procs;
        m->ps_loaded_module_list = hdr_mods;
        nt_warn_code(&m->ctx, DI_W_KDBG, "without a KDBG the ExpSystemResourcesList head is unknown: executive resources are not listed");
        m->resources_unavailable = "without a KDBG the head of ExpSystemResourcesList is unknown";
    }
    nt_read_clock(m);
    check_build_number(m);
    di_status st = nt_walk_modules(m);
    if (st == DI_OK && !m->ident.have_stamp && m->nmodules) {
        /* No kernel image in memory: the module list's first entry is ntoskrnl. */
        set_ident(m, m->modules[0].timestamp, m->modules[0].size);
    }
    if (st == DI_OK)
        st = nt_walk_processes(m);
    if (st == DI_OK)
        st = nt_walk_threads(m);
    if (st == DI_OK)
        st = nt_read_processors(m, le32(dmp->hdr + DMP_HDR_NUMBER_PROCESSORS));
    if (st == DI_OK)
        st = nt_walk_resources(m);
    return st;
}

di_status nt_model_build(nt_model *m, mm_space *mm, const dmp_dump *dmp, const nt_limits *limits,
                         di_strlist *warnings)
{
    di_status st = build(m, mm, dmp, limits, warnings);
    if (st == DI_OK)
        nt_model_index(m);
    return st;
}

void nt_model_free(nt_model *m)
{
    free(m->thread_vas);
    free(m->proc_by_va);
    free(m->proc_by_pid);
    free(m->mod_by_base);
    free(m->processes);
    free(m->threads);
    free(m->modules);
    free(m->resources);
    free(m->owners);
    free(m->waiters);
    free(m->processors);
    memset(m, 0, sizeof *m);
}
