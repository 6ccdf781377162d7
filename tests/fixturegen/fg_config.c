/* SPDX-License-Identifier: MIT */
/* Defaults, construction and teardown of a dump under construction, plus error plumbing. */
#include "fg_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[FG_KIND_COUNT] = {
    "4k", "2m", "1g", "transition", "prototype", "notpresent", "absent",
};

const char *fg_kind_name(fg_kind kind)
{
    if ((unsigned)kind >= FG_KIND_COUNT)
        return "?";
    return kind_names[kind];
}

int fg_kind_parse(const char *name, fg_kind *out)
{
    for (unsigned i = 0; i < FG_KIND_COUNT; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (fg_kind)i;
            return 0;
        }
    }
    return -1;
}

void fg_config_default(fg_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->dump_type = 6;
    cfg->major_version = 0xF;
    cfg->build = 19041;
    cfg->machine = 0x8664;
    cfg->processors = 4;
    cfg->bugcheck_code = 0xE2; /* MANUALLY_INITIATED_CRASH */
    cfg->pfn_database = 0xFFFFEA0000000000ull;
    cfg->system_time = 0x01DB3E5F12345678ull;
    cfg->system_uptime = 0x000000174876E800ull;
    cfg->product_type = 1;
    cfg->suite_mask = 0x110;
    cfg->kd_secondary_version = 2;
    cfg->dtb_pcid = 0x002;
    cfg->kva_base = 0xFFFFC50F00000000ull;

    fg_context *c = &cfg->context;
    c->rip = 0xFFFFF8050F4E9F70ull;
    c->rsp = 0xFFFFD0000DEADE00ull;
    c->rbp = 0xFFFFD0000DEADF80ull;
    c->eflags = 0x00040286;
    c->mxcsr = 0x1F80;
    c->cs = 0x10;
    c->ss = 0x18;
    c->ds = 0x2B;
    c->es = 0x2B;
    c->fs = 0x53;
    c->gs = 0x2B;
    c->dr7 = 0x400;
    c->dr6 = 0xFFFF0FF0ull;

    cfg->exception.code = 0x80000003u;
    cfg->exception.address = c->rip;
}

static int config_check(const fg_config *cfg)
{
    switch (cfg->dump_type) {
    case 1: case FG_TYPE_TRIAGE: case 5: case 6: case 8: case 9: case 10:
        break;
    default:
        return -1;
    }
    if (cfg->sparse_phys_bytes % (FG_PAGES_2M * (uint64_t)FG_PAGE) != 0)
        return -1;
    if (cfg->sparse_phys_bytes > (1ull << 46)) /* 64 TiB keeps every PFN well inside 36 bits */
        return -1;
    if (cfg->exception.nparams > 15)
        return -1;
    return 0;
}

fg_dump *fg_new(const fg_config *cfg)
{
    fg_config defaults;
    if (cfg == NULL) {
        fg_config_default(&defaults);
        cfg = &defaults;
    }
    if (config_check(cfg) != 0)
        return NULL;
    fg_dump *d = calloc(1, sizeof(*d));
    if (d == NULL)
        return NULL;
    d->cfg = *cfg;
    d->cfg.comment[sizeof(d->cfg.comment) - 1] = '\0';
    d->sparse_pages = cfg->sparse_phys_bytes >> FG_PAGE_SHIFT;
    d->bump_pfn = 0x100; /* PFN 0 and the low pages stay unused, like real firmware-reserved memory */
    d->kva_next = d->kva_mapped_end = cfg->kva_base;
    d->err[0] = '\0';

    uint64_t pfn = fg_phys_alloc(d, 1, 1, FG_X_INDUMP);
    if (pfn == 0 || fg_page(d, pfn) == NULL) {
        fg_free(d);
        return NULL;
    }
    d->pml4_pa = pfn << FG_PAGE_SHIFT;
    /* Windows' self-map: one PML4 slot points back at the PML4 (NX, kernel, RW). */
    if (fg_phys_set_u64(d, d->pml4_pa + 8u * FG_SELFMAP_INDEX,
                        d->pml4_pa | FG_PTE_P | FG_PTE_RW | FG_PTE_A | FG_PTE_D | FG_PTE_NX) != 0) {
        fg_free(d);
        return NULL;
    }
    return d;
}

void fg_free(fg_dump *d)
{
    if (d == NULL)
        return;
    fg_store_free(&d->store);
    free(d->ext);
    free(d->maps);
    free(d->writes);
    fg_triage_free(&d->triage);
    free(d);
}

const char *fg_error(const fg_dump *d)
{
    if (d == NULL)
        return "no dump (fg_new failed: bad config or out of memory)";
    return d->err[0] ? d->err : "no error";
}

fg_config *fg_config_of(fg_dump *d)
{
    return &d->cfg;
}

uint64_t fg_dtb(const fg_dump *d)
{
    return d->pml4_pa;
}

int fg_fail(fg_dump *d, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err, sizeof(d->err), fmt, ap);
    va_end(ap);
    return status;
}

/* Returns `arr` grown to hold at least `need` (> 0) elements, or NULL (arr untouched) when out of
 * memory. Doubles, to keep appends cheap. */
void *fg_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return arr;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return NULL;
        n *= 2;
    }
    void *p = realloc(arr, n * elem);
    if (p != NULL)
        *cap = n;
    return p;
}
