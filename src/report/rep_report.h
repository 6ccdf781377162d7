/* The whole JSON report, in its fixed order. */
#ifndef DI_REPORT_REPORT_H
#define DI_REPORT_REPORT_H

#include "dump/dmp_dump.h"

di_status rep_build_report(const dmp_dump *d, int compact, char **out, di_error *err);

/* JSON for one translation (the `translate` command). */
di_status rep_translation(const di_translation *t, int compact, char **out, di_error *err);

#endif
