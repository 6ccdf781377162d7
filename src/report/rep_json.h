/* JSON conventions of the report: addresses and codes as zero-padded "0x..." strings
 * (JSON numbers lose precision past 2^53), counts as numbers, absent facts as null. */
#ifndef DI_REPORT_JSON_H
#define DI_REPORT_JSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "dumpinspect/dumpinspect.h"

#define REP_SCHEMA_VERSION 1

/* Each returns the added item, or NULL when out of memory (cJSON then owns nothing new). */
cJSON *rep_add_hex64(cJSON *obj, const char *key, uint64_t v);
cJSON *rep_add_hex32(cJSON *obj, const char *key, uint32_t v);
cJSON *rep_add_hex16(cJSON *obj, const char *key, uint16_t v);
cJSON *rep_add_uint(cJSON *obj, const char *key, uint64_t v);
cJSON *rep_add_str_or_null(cJSON *obj, const char *key, const char *s);

/* GUID text as symbol servers write it: Data1..3 little-endian, Data4 as bytes (37 bytes). */
void rep_guid_text(const uint8_t g[16], char out[40]);

/* Print (formatted unless compact) into heap memory; caller frees with di_free. */
di_status rep_print(cJSON *root, int compact, char **out, di_error *err);

#endif
