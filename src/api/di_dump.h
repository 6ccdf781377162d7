/* SPDX-License-Identifier: MIT */
/* What an open di_dump holds. Internal: the library's own files, its tests and the
 * benchmark (which reaches under the API to time the reads a report needs) include it. */
#ifndef DI_API_DI_DUMP_H
#define DI_API_DI_DUMP_H

#include "analysis/an_findings.h"
#include "dump/dmp_dump.h"
#include "mm/mm_space.h"
#include "nt/nt_model.h"

struct di_dump {
    dmp_dump *dmp;
    mm_space mm;
    int analysed;            /* model and analysis built */
    nt_model model;
    an_analysis analysis;
    di_strlist model_warnings;
    di_limits limits;
};

#endif
