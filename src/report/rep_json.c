/* SPDX-License-Identifier: MIT */
#include "report/rep_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

cJSON *rep_add_hex64(cJSON *obj, const char *key, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "0x%016llx", (unsigned long long)v);
    return cJSON_AddStringToObject(obj, key, b);
}

cJSON *rep_add_hex32(cJSON *obj, const char *key, uint32_t v)
{
    char b[16];
    snprintf(b, sizeof b, "0x%08x", (unsigned)v);
    return cJSON_AddStringToObject(obj, key, b);
}

cJSON *rep_add_hex16(cJSON *obj, const char *key, uint16_t v)
{
    char b[8];
    snprintf(b, sizeof b, "0x%04x", (unsigned)v);
    return cJSON_AddStringToObject(obj, key, b);
}

cJSON *rep_add_uint(cJSON *obj, const char *key, uint64_t v)
{
    /* Exact in a double up to 2^53, which every count here stays below. */
    return cJSON_AddNumberToObject(obj, key, (double)v);
}

cJSON *rep_add_str_or_null(cJSON *obj, const char *key, const char *s)
{
    return s ? cJSON_AddStringToObject(obj, key, s) : cJSON_AddNullToObject(obj, key);
}

cJSON *rep_add_uint_or_null(cJSON *obj, const char *key, uint64_t v, int known)
{
    return known ? rep_add_uint(obj, key, v) : cJSON_AddNullToObject(obj, key);
}

cJSON *rep_add_bool_or_null(cJSON *obj, const char *key, int v)
{
    return v < 0 ? cJSON_AddNullToObject(obj, key) : cJSON_AddBoolToObject(obj, key, v);
}

di_status rep_print(cJSON *root, int compact, char **out, di_error *err)
{
    char *s = compact ? cJSON_PrintUnformatted(root) : cJSON_Print(root);
    if (!s)
        return di_fail(err, DI_E_NOMEM, "out of memory while printing the report");
    /* Hand out memory that di_free (plain free) releases, whatever cJSON's allocator is. */
    size_t n = strlen(s) + 1;
    char *copy = malloc(n + 1);
    if (!copy) {
        cJSON_free(s);
        return di_fail(err, DI_E_NOMEM, "out of memory while printing the report");
    }
    memcpy(copy, s, n);
    cJSON_free(s);
    *out = copy;
    return DI_OK;
}

void rep_guid_text(const uint8_t g[16], char out[40])
{
    snprintf(out, 40, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", g[3], g[2], g[1], g[0],
             g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}
