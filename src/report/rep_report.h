/* SPDX-License-Identifier: MIT */
/* The whole JSON report, in its fixed order. */
#ifndef DI_REPORT_REPORT_H
#define DI_REPORT_REPORT_H

#include "dump/dmp_dump.h"
#include "report/rep_model.h"

/* v->m may be NULL (model not built); warnings are the dump's then the model's. */
di_status rep_build_report(const dmp_dump *d, const rep_view *v, const di_strlist *model_warnings, int compact,
                           char **out, di_error *err);
/* The same report handed to sink as it is printed (memory stays flat in its size). */
di_status rep_write_report(const dmp_dump *d, const rep_view *v, const di_strlist *model_warnings, int compact,
                           rep_sink_fn sink, void *ctx, di_error *err);
/* The same facts as a short human summary. */
di_status rep_build_text(const dmp_dump *d, const rep_view *v, const di_strlist *model_warnings, char **out,
                         di_error *err);

/* JSON for one translation (the `translate` command). */
di_status rep_translation(const di_translation *t, int compact, char **out, di_error *err);

#endif
