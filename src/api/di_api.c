/* The public API: a thin facade over the layers. */
#include <stdlib.h>
#include <string.h>

#include "dump/dmp_dump.h"
#include "io/io_file.h"
#include "mm/mm_space.h"
#include "report/rep_report.h"
#include "util/error.h"
#include "util/le.h"

struct di_dump {
    dmp_dump *dmp;
    mm_space mm;
};

di_status di_open(const char *path, di_dump **out, di_error *err)
{
    if (!path || !out)
        return di_fail(err, DI_E_ARG, "di_open: no path given");
    *out = NULL;
    io_file *io;
    di_status st = io_open(path, &io, err);
    if (st != DI_OK)
        return st;
    di_dump *d = calloc(1, sizeof *d);
    if (!d) {
        io_close(io);
        return di_fail(err, DI_E_NOMEM, "%s: out of memory", path);
    }
    st = dmp_open(io, &d->dmp, err);
    if (st == DI_OK)
        st = mm_space_init(&d->mm, d->dmp, err);
    if (st != DI_OK) {
        di_close(d);
        return st;
    }
    *out = d;
    return DI_OK;
}

void di_close(di_dump *d)
{
    if (!d)
        return;
    mm_space_free(&d->mm);
    dmp_close(d->dmp);
    free(d);
}

size_t di_warning_count(const di_dump *d) { return d->dmp->warnings.count; }
const char *di_warning(const di_dump *d, size_t i)
{
    return i < d->dmp->warnings.count ? d->dmp->warnings.items[i] : NULL;
}
int di_is_damaged(const di_dump *d) { return d->dmp->damaged; }

uint64_t di_kernel_cr3(const di_dump *d)
{
    return le64(d->dmp->hdr + DMP_HDR_DIRECTORY_TABLE_BASE) & ~0xFFFull;
}

static uint64_t pick_cr3(const di_dump *d, uint64_t cr3)
{
    return cr3 == DI_CR3_KERNEL ? di_kernel_cr3(d) : cr3;
}

di_status di_read_physical(di_dump *d, uint64_t pa, void *buf, size_t len, di_error *err)
{
    if (!d || (!buf && len))
        return di_fail(err, DI_E_ARG, "di_read_physical: bad arguments");
    return mm_read_phys(&d->mm, pa, buf, len, err);
}

di_status di_read_virtual(di_dump *d, uint64_t cr3, uint64_t va, void *buf, size_t len, di_error *err)
{
    if (!d || (!buf && len))
        return di_fail(err, DI_E_ARG, "di_read_virtual: bad arguments");
    return mm_read_virtual(&d->mm, pick_cr3(d, cr3), va, buf, len, err);
}

di_status di_translate(di_dump *d, uint64_t cr3, uint64_t va, di_translation *out, di_error *err)
{
    if (!d || !out)
        return di_fail(err, DI_E_ARG, "di_translate: bad arguments");
    return mm_translate(&d->mm, pick_cr3(d, cr3), va, out, err);
}

di_status di_report_json(di_dump *d, const di_report_options *opt, char **json_out, di_error *err)
{
    if (!d || !json_out)
        return di_fail(err, DI_E_ARG, "di_report_json: bad arguments");
    return rep_build_report(d->dmp, opt ? opt->compact : 0, json_out, err);
}

di_status di_translation_json(const di_translation *t, int compact, char **json_out, di_error *err)
{
    if (!t || !json_out)
        return di_fail(err, DI_E_ARG, "di_translation_json: bad arguments");
    return rep_translation(t, compact, json_out, err);
}

void di_free(void *p) { free(p); }
