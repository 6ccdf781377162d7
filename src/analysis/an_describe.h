/* SPDX-License-Identifier: MIT */
/* Short human descriptions of model objects for finding summaries. */
#ifndef DI_ANALYSIS_DESCRIBE_H
#define DI_ANALYSIS_DESCRIBE_H

#include <stddef.h>

#include "nt/nt_model.h"

/* "thread 0x1070 of System (4)" or "thread 0xffff..." when unknown. */
void an_describe_thread(const nt_model *m, uint64_t va, char *buf, size_t cap);
/* "baddrv.sys+0x1530" or the raw address. */
void an_describe_address(const nt_model *m, uint64_t addr, char *buf, size_t cap);
/* Longest wait among a resource's waiters in ms, -1 when unknown. */
int64_t an_longest_wait(const nt_model *m, const nt_resource *r);
/* "2s.343" style duration. */
void an_describe_ms(int64_t ms, char *buf, size_t cap);

#endif
