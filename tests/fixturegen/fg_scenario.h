/* SPDX-License-Identifier: MIT */
/* Scenario files: the line-oriented text the fixturegen CLI (and tests) turn into dumps.
 * Format: see the comment at the top of fg_scenario.c and tests/scenarios/ (*.scn). */
#ifndef FG_SCENARIO_H
#define FG_SCENARIO_H

#include "fg.h"

#include <stddef.h>
#include <stdint.h>

typedef struct fg_scenario_opts {
    uint32_t dump_type;     /* 0 = as the scenario says */
    int has_sparse;         /* 1 = sparse_bytes overrides the scenario's sparse_gib */
    uint64_t sparse_bytes;
} fg_scenario_opts;

/* Builds (but does not emit) the dump a scenario describes. opts may be NULL. On failure returns
 * NULL and puts "name:line: message" in err. */
fg_dump *fg_scenario_build(const char *text, const char *name, const fg_scenario_opts *opts,
                           char *err, size_t errlen);
fg_dump *fg_scenario_build_file(const char *path, const fg_scenario_opts *opts, char *err,
                                size_t errlen);

#endif
