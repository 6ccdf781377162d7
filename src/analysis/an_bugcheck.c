/* SPDX-License-Identifier: MIT */
/* Bug check code lookups over the generated tables in an_bugcheck_table.c. */

#include "analysis/an_bugcheck.h"

#include <stdlib.h>
#include <string.h>

static int cmp_code_name_row(const void *key, const void *row)
{
    uint32_t k = *(const uint32_t *)key;
    uint32_t c = ((const an_bugcheck_name_row *)row)->code;

    return k < c ? -1 : k > c;
}

static int cmp_code_info_row(const void *key, const void *row)
{
    uint32_t k = *(const uint32_t *)key;
    uint32_t c = ((const an_bugcheck_info *)row)->code;

    return k < c ? -1 : k > c;
}

const char *an_bugcheck_name(uint32_t code)
{
    const an_bugcheck_name_row *row =
        bsearch(&code, an_bugcheck_name_table, an_bugcheck_name_table_len,
                sizeof an_bugcheck_name_table[0], cmp_code_name_row);

    return row ? row->name : NULL;
}

static const an_bugcheck_info *find_info(uint32_t code)
{
    return bsearch(&code, an_bugcheck_info_table, an_bugcheck_info_table_len,
                   sizeof an_bugcheck_info_table[0], cmp_code_info_row);
}

/* The bit alone does not make a variant: 0xDEADDEAD has it and is no variant of
 * anything. The reference lists every real "_M" variant by name (BASE_NAME_M), so a code
 * is the variant of its base only when both are listed and the names say so. */
static int m_variant_base(uint32_t code, uint32_t *base)
{
    const char *name, *base_name;
    size_t n;

    if (!(code & AN_BUGCHECK_M_FLAG))
        return 0;
    name = an_bugcheck_name(code);
    base_name = an_bugcheck_name(code & ~AN_BUGCHECK_M_FLAG);
    if (!name || !base_name)
        return 0;
    n = strlen(base_name);
    if (strncmp(name, base_name, n) != 0 || strcmp(name + n, "_M") != 0)
        return 0;
    *base = code & ~AN_BUGCHECK_M_FLAG;
    return 1;
}

const an_bugcheck_info *an_bugcheck_info_lookup(uint32_t code)
{
    const an_bugcheck_info *info = find_info(code);
    uint32_t base;

    if (!info && m_variant_base(code, &base))
        info = find_info(base);
    return info;
}

size_t an_bugcheck_name_count(void)
{
    return an_bugcheck_name_table_len;
}

/* Linear scans: names are looked up once per command line, not per dump page. The name
 * table is in code order, so a name listed twice finds its lower code first. */
int an_bugcheck_code_from_name(const char *name, uint32_t *code)
{
    size_t i;

    if (!name || !code)
        return 0;
    for (i = 0; i < an_bugcheck_name_table_len; i++) {
        if (strcmp(an_bugcheck_name_table[i].name, name) == 0) {
            *code = an_bugcheck_name_table[i].code;
            return 1;
        }
    }
    for (i = 0; i < an_bugcheck_alias_table_len; i++) {
        if (strcmp(an_bugcheck_alias_table[i].alias, name) == 0) {
            *code = an_bugcheck_alias_table[i].code;
            return 1;
        }
    }
    return 0;
}
