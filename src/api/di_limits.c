/* SPDX-License-Identifier: MIT */
/* The bounds on work a dump can cause, their defaults and their names for --limit. */
#include <stddef.h>
#include <string.h>

#include "dumpinspect/dumpinspect.h"
#include "dump/dmp_dump.h"
#include "io/io_file.h"
#include "mm/mm_space.h"
#include "nt/nt_ctx.h"

/* The defaults live with the layers that enforce them. */
void di_limits_default(di_limits *l)
{
    nt_limits nl;
    dmp_limits dl;
    nt_limits_default(&nl);
    dmp_limits_default(&dl);
    l->spool_bytes = IO_SPOOL_MAX;
    l->bitmap_bytes = dl.bitmap_bytes;
    l->ranges = dl.ranges;
    l->pages_read = MM_DEFAULT_PAGE_BUDGET;
    l->model_bytes = nl.model_bytes;
    l->list_steps = nl.list_steps;
    l->processes = nl.processes;
    l->threads = nl.threads;
    l->modules = nl.modules;
    l->resources = nl.resources;
    l->owners_per_resource = nl.owners_per_resource;
    l->waiters_per_resource = nl.waiters_per_resource;
    l->lock_entries = nl.lock_entries;
    l->total_steps = nl.total_steps;
}

/* One table maps names to fields, so --help, get and set cannot disagree. */
typedef struct limit_field {
    const char *name;
    size_t off;
    int wide; /* uint64_t; else uint32_t */
} limit_field;

#define F64(f) {#f, offsetof(di_limits, f), 1}
#define F32(f) {#f, offsetof(di_limits, f), 0}
static const limit_field fields[] = {
    F64(spool_bytes), F64(bitmap_bytes), F32(ranges), F64(pages_read), F64(model_bytes),
    F32(list_steps), F32(processes), F32(threads), F32(modules), F32(resources),
    F32(owners_per_resource), F32(waiters_per_resource), F32(lock_entries), F64(total_steps),
};
#define NFIELDS (sizeof fields / sizeof fields[0])

const char *const *di_limits_names(void)
{
    static const char *names[NFIELDS + 1];
    for (size_t i = 0; i < NFIELDS; i++)
        names[i] = fields[i].name;
    names[NFIELDS] = NULL;
    return names;
}

static const limit_field *find(const char *name)
{
    for (size_t i = 0; name && i < NFIELDS; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

uint64_t di_limits_get(const di_limits *l, const char *name)
{
    const limit_field *f = find(name);
    if (!f)
        return 0;
    const unsigned char *base = (const unsigned char *)l + f->off;
    if (f->wide) {
        uint64_t v;
        memcpy(&v, base, sizeof v);
        return v;
    }
    uint32_t v;
    memcpy(&v, base, sizeof v);
    return v;
}

int di_limits_set(di_limits *l, const char *name, uint64_t v)
{
    const limit_field *f = find(name);
    if (!f || v == 0 || (!f->wide && v > UINT32_MAX))
        return -1;
    unsigned char *base = (unsigned char *)l + f->off;
    if (f->wide) {
        memcpy(base, &v, sizeof v);
    } else {
        uint32_t v32 = (uint32_t)v;
        memcpy(base, &v32, sizeof v32);
    }
    return 0;
}
