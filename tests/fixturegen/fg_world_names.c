/* SPDX-License-Identifier: MIT */
/* Names in world lines: NAME=VALUE tokens, numbers, object IDs, the profile's enum names, and
 * address expressions (NAME[+OFF]) that are resolved once every object has its VA. */
#include "fg_world_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int fgw_kv(char *tok, char **name, char **value)
{
    char *eq = strchr(tok, '=');
    if (eq == NULL || eq == tok)
        return -1;
    *eq = '\0';
    *name = tok;
    *value = eq + 1;
    return 0;
}

int fgw_num(fg_world *w, const char *key, const char *value, uint64_t *out)
{
    if (fg_sc_u64(value, out) != 0)
        return fg_sc_fail(w->sc, "%s: '%s' is not a number", key, value);
    return 0;
}

int fgw_id(fg_world *w, const char *what, const char *s, char *out)
{
    size_t n = strlen(s);
    if (n == 0 || n >= FGW_ID_MAX || isdigit((unsigned char)s[0]))
        return fg_sc_fail(w->sc, "%s: '%s' is not a name (1..%d characters, not starting with a "
                                 "digit)", what, s, FGW_ID_MAX - 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '_' && c != '.' && c != '-')
            return fg_sc_fail(w->sc, "%s: '%s' has a character other than letters, digits, "
                                     "'_', '.', '-'", what, s);
    }
    memcpy(out, s, n + 1);
    return 0;
}

int fgw_expr_copy(fg_world *w, const char *key, const char *s, char *out)
{
    size_t n = strlen(s);
    if (n == 0 || n >= FGW_EXPR_MAX)
        return fg_sc_fail(w->sc, "%s: '%s' is empty or too long", key, s);
    memcpy(out, s, n + 1);
    return 0;
}

int fgw_enum_parse(fg_world *w, fg_dump *d, nt_enum_kind kind, const char *s, int32_t *out)
{
    uint64_t v;
    if (fg_sc_u64(s, &v) == 0) {
        if (v > 0xFF)
            return fg_sc_fail(w->sc, "%s value %s does not fit in a byte",
                              nt_enum_kind_name(kind), s);
        *out = (int32_t)v; /* raw numbers let damaged scenarios write values no name has */
        return 0;
    }
    const nt_profile *p = nt_profile_for_build(fg_config_of(d)->build);
    if (p == NULL)
        return fg_sc_fail(w->sc, "no offset profile for build %u", fg_config_of(d)->build);
    char names[768] = "";
    size_t used = 0;
    for (int id = 0; id < NT_E__COUNT; id++) {
        if (nt_enum_kind_of[id] != (uint8_t)kind)
            continue;
        const char *name = nt_enum_id_name((nt_enum_id)id);
        if (strcmp(name, s) == 0) {
            *out = nt_enum_value(p, (nt_enum_id)id);
            return 0;
        }
        int k = snprintf(names + used, sizeof(names) - used, " %s", name);
        if (k > 0 && (size_t)k < sizeof(names) - used)
            used += (size_t)k;
    }
    return fg_sc_fail(w->sc, "unknown %s '%s' (one of:%s)", nt_enum_kind_name(kind), s, names);
}

long fgw_find_thread(const fg_world *w, const char *id)
{
    for (size_t i = 0; i < w->nthreads; i++)
        if (strcmp(w->threads[i].id, id) == 0)
            return (long)i;
    return -1;
}

long fgw_find_process_pid(const fg_world *w, uint64_t pid)
{
    for (size_t i = 0; i < w->nprocs; i++)
        if (!w->procs[i].idle && w->procs[i].pid == pid)
            return (long)i;
    return -1;
}

long fgw_find_module(const fg_world *w, const char *name)
{
    if (strcmp(name, "nt") == 0)
        name = "ntoskrnl.exe";
    for (size_t i = 0; i < w->nmods; i++)
        if (strcmp(w->mods[i].name, name) == 0)
            return (long)i;
    return -1;
}

static long find_process_id(const fg_world *w, const char *id)
{
    for (size_t i = 0; i < w->nprocs; i++)
        if (strcmp(w->procs[i].id, id) == 0)
            return (long)i;
    return -1;
}

static long find_resource(const fg_world *w, const char *id)
{
    for (size_t i = 0; i < w->nres; i++)
        if (strcmp(w->res[i].id, id) == 0)
            return (long)i;
    return -1;
}

int fgw_id_taken(const fg_world *w, const char *id)
{
    uint64_t va;
    uint32_t size;
    /* "nt" and the fault records' names are reserved */
    return strcmp(id, "nt") == 0 || fgw_fault_ref(w, id, &va, &size) ||
           fgw_find_module(w, id) >= 0 || find_process_id(w, id) >= 0 ||
           fgw_find_thread(w, id) >= 0 || find_resource(w, id) >= 0;
}

int fgw_resolve(fg_world *w, unsigned line, const char *expr, uint64_t *va)
{
    char name[FGW_EXPR_MAX];
    uint64_t off = 0;
    if (expr[0] == '@')
        expr++;
    if (fg_sc_u64(expr, va) == 0)
        return 0;
    size_t n = strcspn(expr, "+");
    if (n == 0 || n >= sizeof(name))
        return fgw_fail(w, line, "'%s' is not an address (NUMBER or NAME[+OFF])", expr);
    memcpy(name, expr, n);
    name[n] = '\0';
    if (expr[n] == '+' && fg_sc_u64(expr + n + 1, &off) != 0)
        return fgw_fail(w, line, "'%s': bad offset after '+'", expr);
    long i;
    uint32_t size;
    if (fgw_fault_ref(w, name, va, &size)) {
        if (*va == 0)
            return fgw_fail(w, line, "'%s': no %s record (declare it in a fault line's records=)",
                            expr, name);
        *va += off;
    } else if ((i = fgw_find_module(w, name)) >= 0) {
        if (off >= w->mods[i].size)
            return fgw_fail(w, line, "'%s': offset 0x%llx is outside %s (size 0x%llx)", expr,
                            (unsigned long long)off, w->mods[i].name,
                            (unsigned long long)w->mods[i].size);
        *va = w->mods[i].base + off;
    } else if ((i = fgw_find_thread(w, name)) >= 0) {
        *va = w->threads[i].va + off;
    } else if ((i = find_process_id(w, name)) >= 0) {
        *va = w->procs[i].va + off;
    } else if ((i = find_resource(w, name)) >= 0) {
        *va = w->res[i].va + off;
    } else {
        return fgw_fail(w, line, "'%s': no module, process, thread or resource is called '%s'",
                        expr, name);
    }
    return 0;
}

int fgw_num_key(fg_world *w, void *obj, const fgw_numkey *keys, size_t n, const char *key,
                const char *value)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(keys[i].key, key) != 0)
            continue;
        uint64_t v;
        if (fgw_num(w, key, value, &v) != 0)
            return -1;
        unsigned char *p = (unsigned char *)obj + keys[i].off;
        if (keys[i].bits < 64 && v >> keys[i].bits != 0)
            return fg_sc_fail(w->sc, "%s: %s does not fit in %u bits", key, value, keys[i].bits);
        if (keys[i].bits == 64) {
            memcpy(p, &v, 8);
        } else if (keys[i].bits == 32) {
            uint32_t x = (uint32_t)v;
            memcpy(p, &x, 4);
        } else if (keys[i].bits == 16) {
            uint16_t x = (uint16_t)v;
            memcpy(p, &x, 2);
        } else {
            uint8_t x = (uint8_t)v;
            memcpy(p, &x, 1);
        }
        if (keys[i].has_off != FGW_NO_FLAG) {
            int one = 1;
            memcpy((unsigned char *)obj + keys[i].has_off, &one, sizeof(one));
        }
        return 0;
    }
    return 1;
}
