/* SPDX-License-Identifier: MIT */
/* JSON conventions of the report: addresses and codes as zero-padded "0x..." strings
 * (JSON numbers lose precision past 2^53), counts as numbers, absent facts as null. */
#ifndef DI_REPORT_JSON_H
#define DI_REPORT_JSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "dumpinspect/dumpinspect.h"

#define REP_SCHEMA_VERSION 2

/* Each returns the added item, or NULL when out of memory (cJSON then owns nothing new). */
cJSON *rep_add_hex64(cJSON *obj, const char *key, uint64_t v);
cJSON *rep_add_hex32(cJSON *obj, const char *key, uint32_t v);
cJSON *rep_add_hex16(cJSON *obj, const char *key, uint16_t v);
cJSON *rep_add_uint(cJSON *obj, const char *key, uint64_t v);
cJSON *rep_add_str_or_null(cJSON *obj, const char *key, const char *s);
/* A count, or null when the build has no such field (known == 0). */
cJSON *rep_add_uint_or_null(cJSON *obj, const char *key, uint64_t v, int known);
/* A flag, or null for a negative v (the build has no such bit). */
cJSON *rep_add_bool_or_null(cJSON *obj, const char *key, int v);

/* GUID text as symbol servers write it: Data1..3 little-endian, Data4 as bytes (37 bytes). */
void rep_guid_text(const uint8_t g[16], char out[40]);

/* Print (formatted unless compact) into heap memory; caller frees with di_free. */
di_status rep_print(cJSON *root, int compact, char **out, di_error *err);

/* Deferred lists (rep_stream.c): an array left empty in the tree whose elements are built
 * one at a time while printing. fn sets *out to element i (a new tree the printer frees),
 * or to NULL to skip it; returns 0, or -1 when out of memory. */
typedef int (*rep_element_fn)(void *ctx, size_t i, cJSON **out);
typedef struct rep_deferrals rep_deferrals;
rep_deferrals *rep_deferrals_new(void);
void rep_deferrals_free(rep_deferrals *d);
/* Add key: [] to obj, standing for count elements from fn; NULL when out of memory or d
 * holds no more lists. ctx must stay valid until the tree is printed; free_ctx (if not
 * NULL) releases it with d, or at once when the list cannot be added. */
cJSON *rep_add_deferred_array(cJSON *obj, const char *key, rep_deferrals *d, size_t count, rep_element_fn fn,
                              void *ctx, void (*free_ctx)(void *));
/* The same with element i emitted (rep_emit.h) rather than built: emit writes nothing to
 * skip it; returns 0, or -1 when out of memory. */
struct rep_emit;
typedef int (*rep_emit_fn)(void *ctx, size_t i, struct rep_emit *e);
cJSON *rep_add_deferred_emit_array(cJSON *obj, const char *key, rep_deferrals *d, size_t count, rep_emit_fn emit,
                                   void *ctx, void (*free_ctx)(void *));
/* Print root as rep_print would, building each deferred list's elements as it goes. */
di_status rep_print_streamed(const cJSON *root, const rep_deferrals *d, int compact, char **out, di_error *err);
/* The same text handed to sink in chunks as it is printed (nothing held but one chunk);
 * a sink returns 0, or nonzero to stop (then DI_E_IO). */
typedef int (*rep_sink_fn)(void *ctx, const char *data, size_t len);
di_status rep_print_to(const cJSON *root, const rep_deferrals *d, int compact, rep_sink_fn sink, void *ctx,
                       di_error *err);

#endif
