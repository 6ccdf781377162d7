/* SPDX-License-Identifier: MIT */
/* Scenario keys that only a triage dump (type 4) keeps; other dump types accept and ignore them,
 * so a scenario can be written as any type:
 *   unloaded NAME start=VA end=VA   an entry of the unloaded-driver list (file order)
 *   blob GUID TEXT [size=N]          a secondary-data blob after SizeOfDump: TEXT, a NUL, zeros up
 *                                    to N bytes (default: just TEXT and its NUL) */
#include "fg_scenario_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BLOB (16u << 20)

static int split_kv(char *tok, const char *want, uint64_t *v)
{
    size_t n = strlen(want);
    if (strncmp(tok, want, n) != 0 || tok[n] != '=')
        return -1;
    return fg_sc_u64(tok + n + 1, v);
}

int fg_sc_unloaded(fg_sc *sc, fg_dump *d, char *rest)
{
    char *name = fg_sc_token(&rest), *a = fg_sc_token(&rest), *b = fg_sc_token(&rest);
    uint64_t start, end;
    if (name == NULL || a == NULL || b == NULL || fg_sc_token(&rest) != NULL ||
        split_kv(a, "start", &start) != 0 || split_kv(b, "end", &end) != 0)
        return fg_sc_fail(sc, "unloaded: expected NAME start=VA end=VA");
    if (end <= start)
        return fg_sc_fail(sc, "unloaded: end must be above start");
    if (fg_triage_unloaded(d, name, start, end) != FG_OK)
        return fg_sc_fail(sc, "unloaded: %s", fg_error(d));
    return 0;
}

int fg_sc_blob(fg_sc *sc, fg_dump *d, char *rest)
{
    char *guid = fg_sc_token(&rest), *text = fg_sc_token(&rest), *opt = fg_sc_token(&rest);
    uint8_t g[16];
    uint64_t size = 0;
    if (guid == NULL || text == NULL || fg_sc_token(&rest) != NULL)
        return fg_sc_fail(sc, "blob: expected GUID TEXT [size=N]");
    if (fg_sc_guid(guid, g) != 0)
        return fg_sc_fail(sc, "blob: '%s' is not a GUID (XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX)",
                          guid);
    size_t need = strlen(text) + 1;
    if (opt != NULL && split_kv(opt, "size", &size) != 0)
        return fg_sc_fail(sc, "blob: expected size=N after the text, got '%s'", opt);
    if (opt == NULL)
        size = need;
    if (size < need || size > MAX_BLOB)
        return fg_sc_fail(sc, "blob: size must hold the text and its NUL (%zu) and be at most %u",
                          need, MAX_BLOB);
    uint8_t *data = calloc(1, (size_t)size);
    if (data == NULL)
        return fg_sc_fail(sc, "out of memory");
    memcpy(data, text, need);
    int rc = fg_triage_blob(d, g, data, (uint32_t)size);
    free(data);
    return rc == FG_OK ? 0 : fg_sc_fail(sc, "blob: %s", fg_error(d));
}
