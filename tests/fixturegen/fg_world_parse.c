/* SPDX-License-Identifier: MIT */
/* Parsing of the world's scenario lines: world, module, process, thread. Lines only record
 * what they say; names are checked against each other when the world is built, so objects
 * may be declared in any order. */
#include "fg_world_int.h"

#include <stdlib.h>
#include <string.h>

#define HAS(T, f) offsetof(T, f)

int fgw_parse_world(fg_world *w, fg_dump *d, char *rest)
{
    static const fgw_numkey keys[] = {
        FGW_NK(fg_world, "ticks", ticks, FGW_NO_FLAG),
        FGW_NK(fg_world, "uptime", uptime, HAS(fg_world, has_uptime)),
        FGW_NK(fg_world, "tz_minutes", tz_minutes, FGW_NO_FLAG),
        FGW_NK(fg_world, "time_increment", time_increment, FGW_NO_FLAG),
        FGW_NK(fg_world, "crash_cpu", crash_cpu, FGW_NO_FLAG),
    };
    if (w->declared)
        return fg_sc_fail(w->sc, "world: only one world line (the first is line %u)", w->line);
    uint32_t build = fg_config_of(d)->build;
    if (nt_profile_for_build(build) == NULL)
        return fg_sc_fail(w->sc, "world: no offset profile for build %u (the data has 10240 .. 26100, see nt_profile_table.c)",
                          build);
    w->time_increment = FGW_TICK_100NS;
    char *tok, *k, *v;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (strcmp(tok, "keep_context") == 0) {
            w->keep_context = 1;
            continue;
        }
        if (fgw_kv(tok, &k, &v) != 0)
            return fg_sc_fail(w->sc, "world: expected NAME=VALUE or keep_context, got '%s'", tok);
        int rc = fgw_num_key(w, w, keys, sizeof(keys) / sizeof(keys[0]), k, v);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        if (strcmp(k, "kdbg") == 0) {
            if (strcmp(v, "auto") != 0 && strcmp(v, "none") != 0)
                return fg_sc_fail(w->sc, "world: kdbg=auto or kdbg=none");
            w->kdbg_none = strcmp(v, "none") == 0;
        } else if (strcmp(k, "kdbg_publish") == 0) {
            char *colon = strchr(v, ':');
            uint64_t val;
            if (colon == NULL)
                return fg_sc_fail(w->sc, "world: kdbg_publish=NAME:VALUE (a KDBG Offset*/Size* field)");
            *colon = '\0';
            if (fgw_kdbg_published_field(v, &w->kdbg_publish_at, &w->kdbg_publish_width) != 0)
                return fg_sc_fail(w->sc, "world: kdbg_publish: '%s' is not a KDBG field the world writes", v);
            if (fgw_num(w, k, colon + 1, &val) != 0)
                return -1;
            if (val == 0 || val >> (8 * w->kdbg_publish_width))
                return fg_sc_fail(w->sc, "world: kdbg_publish: %s takes 1 .. 2^%u-1", v, 8 * w->kdbg_publish_width);
            w->kdbg_publish_value = (uint32_t)val;
            w->kdbg_publish = 1;
        } else if (strcmp(k, "crash_rip") == 0) {
            if (fgw_expr_copy(w, k, v, w->crash_rip) != 0)
                return -1;
        } else {
            return fg_sc_fail(w->sc, "world: unknown field '%s'", k);
        }
    }
    if (w->ticks == 0 || w->ticks > 0xFFFFFFFFull)
        return fg_sc_fail(w->sc, "world: ticks=N (1 .. 2^32-1) is required");
    if (w->has_uptime && w->uptime < w->ticks * FGW_TICK_100NS)
        return fg_sc_fail(w->sc, "world: uptime is shorter than ticks x 15.625 ms");
    if (w->time_increment == 0 || w->time_increment > 0xFFFFFFFFull)
        return fg_sc_fail(w->sc, "world: time_increment must be 1 .. 2^32-1");
    if (w->tz_minutes > 24 * 60)
        return fg_sc_fail(w->sc, "world: tz_minutes is at most 1440");
    w->declared = 1;
    w->line = w->sc->line;
    return 0;
}

static int new_slot(fg_world *w, void **arr, size_t *n, size_t *cap, size_t elem)
{
    if (fgw_grow(arr, cap, *n + 1, elem) != 0)
        return fg_sc_fail(w->sc, "out of memory");
    memset((char *)*arr + *n * elem, 0, elem);
    return 0;
}

int fgw_parse_module(fg_world *w, char *rest)
{
    static const fgw_numkey keys[] = {
        FGW_NK(fgw_module, "base", base, FGW_NO_FLAG),
        FGW_NK(fgw_module, "size", size, FGW_NO_FLAG),
        FGW_NK(fgw_module, "entry", entry_off, HAS(fgw_module, has_entry)),
        FGW_NK(fgw_module, "timestamp", timestamp, HAS(fgw_module, has_timestamp)),
        FGW_NK(fgw_module, "checksum", checksum, HAS(fgw_module, has_checksum)),
        FGW_NK(fgw_module, "age", age, HAS(fgw_module, has_age)),
    };
    char *tok = fg_sc_token(&rest), *k, *v;
    if (tok == NULL)
        return fg_sc_fail(w->sc, "module: expected NAME base=VA size=N ...");
    if (new_slot(w, (void **)&w->mods, &w->nmods, &w->cap_mods, sizeof(*w->mods)) != 0)
        return -1;
    fgw_module *m = &w->mods[w->nmods];
    if (fgw_id(w, "module", tok, m->name) != 0)
        return -1;
    if (fgw_id_taken(w, m->name))
        return fg_sc_fail(w->sc, "module: the name '%s' is already used", m->name);
    m->line = w->sc->line;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (fgw_kv(tok, &k, &v) != 0)
            return fg_sc_fail(w->sc, "module: expected NAME=VALUE, got '%s'", tok);
        int rc = fgw_num_key(w, m, keys, sizeof(keys) / sizeof(keys[0]), k, v);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        if (strcmp(k, "path") == 0) {
            if (strlen(v) >= sizeof(m->path))
                return fg_sc_fail(w->sc, "module: path is longer than %zu", sizeof(m->path) - 1);
            strcpy(m->path, v);
            m->has_path = 1;
        } else if (strcmp(k, "guid") == 0) {
            if (fg_sc_guid(v, m->guid) != 0)
                return fg_sc_fail(w->sc, "module: guid must look like "
                                         "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX");
            m->has_guid = 1;
        } else {
            return fg_sc_fail(w->sc, "module: unknown field '%s'", k);
        }
    }
    if ((m->base >> 47) != 0x1FFFF || (m->base & (FGW_PAGE - 1)) != 0)
        return fg_sc_fail(w->sc, "module: base=VA (a page-aligned kernel address) is required");
    if (m->size == 0 || m->size > 0xFFFFFFFFull || m->base + m->size < m->base)
        return fg_sc_fail(w->sc, "module: size=N (1 .. 2^32-1) is required");
    if (m->has_entry && m->entry_off >= m->size)
        return fg_sc_fail(w->sc, "module: entry is outside the image");
    w->nmods++;
    return 0;
}

/* ImageFileName holds 15 bytes: Windows keeps the first 14 characters and a NUL. */
static void set_image(fgw_process *p, const char *name)
{
    size_t n = 0;
    memset(p->image, 0, sizeof(p->image));
    for (; n < 14 && name[n] != '\0'; n++)
        p->image[n] = name[n];
}

int fgw_parse_process(fg_world *w, char *rest)
{
    typedef fgw_process P;
    static const fgw_numkey keys[] = {
        FGW_NK(P, "pid", pid, FGW_NO_FLAG),
        FGW_NK(P, "ppid", ppid, FGW_NO_FLAG),
        FGW_NK(P, "create", create, FGW_NO_FLAG),
        FGW_NK(P, "exit", exit_tick, HAS(P, has_exit)),
        FGW_NK(P, "exit_status", exit_status, HAS(P, has_exit_status)),
        FGW_NK(P, "active_threads", active_threads, HAS(P, has_active_threads)),
        FGW_NK(P, "peb", peb, HAS(P, has_peb)),
        FGW_NK(P, "pointers", pointers, HAS(P, has_pointers)),
        FGW_NK(P, "handles", handles, HAS(P, has_handles)),
        FGW_NK(P, "va", fixed_va, FGW_NO_FLAG),
    };
    char *tok = fg_sc_token(&rest), *k, *v;
    int has_pid = 0, has_name = 0;
    if (tok == NULL)
        return fg_sc_fail(w->sc, "process: expected ID pid=N ...");
    if (new_slot(w, (void **)&w->procs, &w->nprocs, &w->cap_procs, sizeof(*w->procs)) != 0)
        return -1;
    P *p = &w->procs[w->nprocs];
    if (fgw_id(w, "process", tok, p->id) != 0)
        return -1;
    if (fgw_id_taken(w, p->id))
        return fg_sc_fail(w->sc, "process: the name '%s' is already used", p->id);
    set_image(p, p->id);
    strcpy(p->image_name, p->id);
    p->line = w->sc->line;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (strcmp(tok, "exiting") == 0 || strcmp(tok, "deleted") == 0) {
            *(tok[0] == 'e' ? &p->exiting : &p->deleted) = 1;
            continue;
        }
        if (fgw_kv(tok, &k, &v) != 0)
            return fg_sc_fail(w->sc, "process: expected NAME=VALUE, exiting or deleted, got '%s'",
                              tok);
        int rc = fgw_num_key(w, p, keys, sizeof(keys) / sizeof(keys[0]), k, v);
        if (rc < 0)
            return -1;
        has_pid |= rc == 0 && strcmp(k, "pid") == 0;
        if (rc == 0)
            continue;
        if (strcmp(k, "name") != 0 && strcmp(k, "image") != 0)
            return fg_sc_fail(w->sc, "process: unknown field '%s'", k);
        if (strlen(v) > FGW_IMAGE_NAME_MAX || strchr(v, '\\') != NULL)
            return fg_sc_fail(w->sc, "process: %s is a file name of at most %d characters", k,
                              FGW_IMAGE_NAME_MAX);
        if (k[0] == 'n') {
            set_image(p, v);
            has_name = 1;
        }
        if (k[0] == 'i' || !p->has_image_name)
            strcpy(p->image_name, v);
        p->has_image_name |= k[0] == 'i';
    }
    /* image= alone also gives ImageFileName its first 14 characters, as Windows does. */
    if (p->has_image_name && !has_name)
        set_image(p, p->image_name);
    if (!has_pid)
        return fg_sc_fail(w->sc, "process: pid=N is required");
    if (fgw_find_process_pid(w, p->pid) >= 0)
        return fg_sc_fail(w->sc, "process: pid %llu is used twice", (unsigned long long)p->pid);
    w->nprocs++;
    return 0;
}

static int thread_word(fg_world *w, fg_dump *d, fgw_thread *t, const char *k, const char *v)
{
    if (strcmp(k, "state") == 0) {
        t->has_state = 1;
        return fgw_enum_parse(w, d, NT_EK_KTHREAD_STATE, v, &t->state);
    }
    if (strcmp(k, "wait_reason") == 0) {
        t->has_reason = 1;
        return fgw_enum_parse(w, d, NT_EK_KWAIT_REASON, v, &t->wait_reason);
    }
    if (strcmp(k, "start") == 0)
        return fgw_expr_copy(w, k, v, t->start);
    if (strcmp(k, "win32start") == 0)
        return fgw_expr_copy(w, k, v, t->win32start);
    return fg_sc_fail(w->sc, "thread: unknown field '%s'", k);
}

int fgw_parse_thread(fg_world *w, fg_dump *d, char *rest)
{
    typedef fgw_thread T;
    static const fgw_numkey keys[] = {
        FGW_NK(T, "pid", pid, FGW_NO_FLAG),
        FGW_NK(T, "tid", tid, FGW_NO_FLAG),
        FGW_NK(T, "wait_ticks", wait_ticks, HAS(T, has_wait_ticks)),
        FGW_NK(T, "create", create, HAS(T, has_create)),
        FGW_NK(T, "exit", exit_tick, HAS(T, has_exit)),
        FGW_NK(T, "exit_status", exit_status, HAS(T, has_exit_status)),
        FGW_NK(T, "io_boost", io_boost, FGW_NO_FLAG),
        FGW_NK(T, "qos_boost", qos_boost, FGW_NO_FLAG),
        FGW_NK(T, "qos_throttle", qos_throttle, FGW_NO_FLAG),
        FGW_NK(T, "context_switches", context_switches, HAS(T, has_context_switches)),
        FGW_NK(T, "kernel_time", kernel_time, FGW_NO_FLAG),
        FGW_NK(T, "user_time", user_time, FGW_NO_FLAG),
        FGW_NK(T, "priority", priority, HAS(T, has_priority)),
        FGW_NK(T, "teb", teb, HAS(T, has_teb)),
        FGW_NK(T, "pointers", pointers, HAS(T, has_pointers)),
        FGW_NK(T, "handles", handles, HAS(T, has_handles)),
        FGW_NK(T, "va", fixed_va, FGW_NO_FLAG),
        FGW_NK(T, "stack", fixed_stack, FGW_NO_FLAG),
        FGW_NK(T, "stack_pages", stack_pages, FGW_NO_FLAG),
    };
    char *tok = fg_sc_token(&rest), *k, *v;
    int has_pid = 0, has_tid = 0;
    if (tok == NULL)
        return fg_sc_fail(w->sc, "thread: expected ID pid=N tid=N ...");
    if (new_slot(w, (void **)&w->threads, &w->nthreads, &w->cap_threads, sizeof(*w->threads)) != 0)
        return -1;
    T *t = &w->threads[w->nthreads];
    if (fgw_id(w, "thread", tok, t->id) != 0)
        return -1;
    if (fgw_id_taken(w, t->id))
        return fg_sc_fail(w->sc, "thread: the name '%s' is already used", t->id);
    t->line = w->sc->line;
    t->idle_cpu = t->running_on = -1;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (strcmp(tok, "terminated") == 0) {
            t->terminated = 1;
            continue;
        }
        if (fgw_kv(tok, &k, &v) != 0)
            return fg_sc_fail(w->sc, "thread: expected NAME=VALUE or terminated, got '%s'", tok);
        int rc = fgw_num_key(w, t, keys, sizeof(keys) / sizeof(keys[0]), k, v);
        if (rc < 0 || (rc > 0 && thread_word(w, d, t, k, v) != 0))
            return -1;
        has_pid |= rc == 0 && strcmp(k, "pid") == 0;
        has_tid |= rc == 0 && strcmp(k, "tid") == 0;
    }
    if (!has_pid || !has_tid)
        return fg_sc_fail(w->sc, "thread: pid=N and tid=N are required");
    if (t->stack_pages > 16 || (t->fixed_stack & (FGW_PAGE - 1)) != 0)
        return fg_sc_fail(w->sc, "thread: stack must be page-aligned, stack_pages at most 16");
    w->nthreads++;
    return 0;
}
