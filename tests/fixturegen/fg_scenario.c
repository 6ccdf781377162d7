/* SPDX-License-Identifier: MIT */
/* Scenario files. One record per line; `#` at the start of a line or after whitespace starts a
 * comment. Header keys (any order, applied before anything is mapped):
 *   type N (1, 4, 5, 6, 8, 9, 10) | build N | major N | machine N | processors N | product_type N | suite_mask N
 *   attributes N | boot_id N | secondary_version N | pcid N
 *   bugcheck CODE [P1 [P2 [P3 [P4]]]]
 *   system_time FILETIME | uptime TICKS | kdbg VA | modules VA | processes VA | pfn_database VA
 *   comment TEXT... | kva_base VA | sparse_gib N | sparse_mib N
 *   context NAME=VALUE...   (rax..r15 rip rsp rbp rsi rdi eflags mxcsr cs ds es fs gs ss dr0..dr7)
 *   exception NAME=VALUE... (code flags record address params=V,V,...)
 * Actions (run in file order, see fg_scenario_action.c): map, direct, write.
 * Triage-dump keys (fg_scenario_triage.c): unloaded, blob. Type 4 needs a world.
 * Kernel world keys (world, module, process, thread, resource, ...; see fg_world.h) are read
 * with the actions; the world is laid out after the last line. A bugcheck parameter may be
 * "@REF", the VA of a world object, resolved then. */
#include "fg_scenario.h"
#include "fg_scenario_int.h"
#include "fg_world.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reg_field {
    const char *name;
    size_t off;
    size_t size;
} reg_field;

#define REG(n, f) {n, offsetof(fg_context, f), sizeof(((fg_context *)0)->f)}
static const reg_field regs[] = {
    REG("rax", rax), REG("rcx", rcx), REG("rdx", rdx), REG("rbx", rbx), REG("rsp", rsp),
    REG("rbp", rbp), REG("rsi", rsi), REG("rdi", rdi), REG("r8", r8), REG("r9", r9),
    REG("r10", r10), REG("r11", r11), REG("r12", r12), REG("r13", r13), REG("r14", r14),
    REG("r15", r15), REG("rip", rip), REG("dr0", dr0), REG("dr1", dr1), REG("dr2", dr2),
    REG("dr3", dr3), REG("dr6", dr6), REG("dr7", dr7), REG("eflags", eflags),
    REG("mxcsr", mxcsr), REG("cs", cs), REG("ds", ds), REG("es", es), REG("fs", fs),
    REG("gs", gs), REG("ss", ss),
};

int fg_sc_context_set(fg_context *c, const char *name, uint64_t v)
{
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        if (strcmp(regs[i].name, name) != 0)
            continue;
        unsigned char *p = (unsigned char *)c + regs[i].off;
        if (regs[i].size < 8 && v >> (8 * regs[i].size) != 0)
            return -2;
        if (regs[i].size == 8) {
            uint64_t x = v;
            memcpy(p, &x, 8);
        } else if (regs[i].size == 4) {
            uint32_t x = (uint32_t)v;
            memcpy(p, &x, 4);
        } else {
            uint16_t x = (uint16_t)v;
            memcpy(p, &x, 2);
        }
        return 0;
    }
    return -1;
}

static int set_reg(fg_sc *sc, fg_context *c, const char *name, const char *value)
{
    uint64_t v;
    if (fg_sc_u64(value, &v) != 0)
        return fg_sc_fail(sc, "context: bad number '%s' for %s", value, name);
    int rc = fg_sc_context_set(c, name, v);
    if (rc == -2)
        return fg_sc_fail(sc, "context: %s does not fit in its field", name);
    if (rc != 0)
        return fg_sc_fail(sc, "context: unknown register '%s'", name);
    return 0;
}

/* Splits "name=value"; returns -1 if there is no '='. */
static int split_kv(char *tok, char **name, char **value)
{
    char *eq = strchr(tok, '=');
    if (eq == NULL || eq == tok)
        return -1;
    *eq = '\0';
    *name = tok;
    *value = eq + 1;
    return 0;
}

static int parse_context(fg_sc *sc, fg_config *cfg, char *rest)
{
    char *tok, *name, *value;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (split_kv(tok, &name, &value) != 0)
            return fg_sc_fail(sc, "context: expected NAME=VALUE, got '%s'", tok);
        if (set_reg(sc, &cfg->context, name, value) != 0)
            return -1;
    }
    return 0;
}

static int parse_params(fg_sc *sc, fg_exception *e, char *list)
{
    const char *bad;
    int rc = fg_sc_u64_list(list, e->params, 15, &e->nparams, &bad);
    if (rc == -1)
        return fg_sc_fail(sc, "exception: at most 15 params");
    if (rc != 0)
        return fg_sc_fail(sc, "exception: bad param '%s'", bad);
    return 0;
}

static int parse_exception(fg_sc *sc, fg_config *cfg, char *rest)
{
    char *tok, *name, *value;
    fg_exception *e = &cfg->exception;
    while ((tok = fg_sc_token(&rest)) != NULL) {
        if (split_kv(tok, &name, &value) != 0)
            return fg_sc_fail(sc, "exception: expected NAME=VALUE, got '%s'", tok);
        int bad = 0;
        if (strcmp(name, "code") == 0)
            bad = fg_sc_u32(value, &e->code);
        else if (strcmp(name, "flags") == 0)
            bad = fg_sc_u32(value, &e->flags);
        else if (strcmp(name, "record") == 0)
            bad = fg_sc_u64(value, &e->record);
        else if (strcmp(name, "address") == 0)
            bad = fg_sc_u64(value, &e->address);
        else if (strcmp(name, "params") == 0) {
            if (parse_params(sc, e, value) != 0)
                return -1;
        } else
            return fg_sc_fail(sc, "exception: unknown field '%s'", name);
        if (bad)
            return fg_sc_fail(sc, "exception: bad number '%s' for %s", value, name);
    }
    return 0;
}

typedef struct num_key {
    const char *key;
    size_t off;
    int is64;
} num_key;

#define K32(k, f) {k, offsetof(fg_config, f), 0}
#define K64(k, f) {k, offsetof(fg_config, f), 1}
static const num_key num_keys[] = {
    K32("build", build), K32("major", major_version), K32("machine", machine),
    K32("processors", processors), K32("product_type", product_type),
    K32("suite_mask", suite_mask), K32("attributes", attributes), K32("boot_id", boot_id),
    K32("pcid", dtb_pcid), K64("system_time", system_time), K64("uptime", system_uptime),
    K64("kdbg", kdbg_va), K64("modules", ps_loaded_module_list),
    K64("processes", ps_active_process_head), K64("pfn_database", pfn_database),
    K64("kva_base", kva_base),
};

/* One-number header keys; returns 1 if `key` is not one of them. */
static int parse_num_key(fg_sc *sc, fg_config *cfg, const char *key, char *rest)
{
    for (size_t i = 0; i < sizeof(num_keys) / sizeof(num_keys[0]); i++) {
        if (strcmp(num_keys[i].key, key) != 0)
            continue;
        char *tok = fg_sc_token(&rest);
        uint64_t v;
        if (tok == NULL || fg_sc_token(&rest) != NULL || fg_sc_u64(tok, &v) != 0)
            return fg_sc_fail(sc, "%s: expected one number", key);
        unsigned char *p = (unsigned char *)cfg + num_keys[i].off;
        if (num_keys[i].is64) {
            memcpy(p, &v, 8);
        } else {
            if (v > UINT32_MAX)
                return fg_sc_fail(sc, "%s: value does not fit in 32 bits", key);
            uint32_t x = (uint32_t)v;
            memcpy(p, &x, 4);
        }
        return 0;
    }
    return 1;
}

static int one_number(fg_sc *sc, const char *key, char *rest, uint64_t *v)
{
    char *tok = fg_sc_token(&rest);
    if (tok == NULL || fg_sc_token(&rest) != NULL || fg_sc_u64(tok, v) != 0)
        return fg_sc_fail(sc, "%s: expected one number", key);
    return 0;
}

static int parse_header_key(fg_sc *sc, fg_config *cfg, const char *key, char *rest)
{
    uint64_t v;
    int rc = parse_num_key(sc, cfg, key, rest);
    if (rc <= 0)
        return rc;
    if (strcmp(key, "type") == 0) {
        if (one_number(sc, key, rest, &v) != 0)
            return -1;
        if (v != 1 && v != 4 && v != 5 && v != 6 && v != 8 && v != 9 && v != 10)
            return fg_sc_fail(sc, "type: %llu is not one of 1, 4, 5, 6, 8, 9, 10",
                              (unsigned long long)v);
        cfg->dump_type = (uint32_t)v;
    } else if (strcmp(key, "secondary_version") == 0) {
        if (one_number(sc, key, rest, &v) != 0)
            return -1;
        if (v > 0xFF)
            return fg_sc_fail(sc, "secondary_version: must fit in a byte");
        cfg->kd_secondary_version = (uint8_t)v;
    } else if (strcmp(key, "sparse_gib") == 0 || strcmp(key, "sparse_mib") == 0) {
        if (one_number(sc, key, rest, &v) != 0)
            return -1;
        int gib = key[7] == 'g';
        if (v > (gib ? 65536u : 65536u * 1024u) || (!gib && v % 2 != 0))
            return fg_sc_fail(sc, "%s: must be %s", key,
                              gib ? "at most 65536 (64 TiB)" : "even and at most 64 TiB worth");
        cfg->sparse_phys_bytes = v << (gib ? 30 : 20);
    } else if (strcmp(key, "bugcheck") == 0) {
        char *tok = fg_sc_token(&rest);
        if (tok == NULL || fg_sc_u32(tok, &cfg->bugcheck_code) != 0)
            return fg_sc_fail(sc, "bugcheck: expected CODE [P1 P2 P3 P4]");
        memset(cfg->bugcheck_params, 0, sizeof(cfg->bugcheck_params));
        fg_world_bugcheck_clear(sc->world); /* a later bugcheck line replaces the whole line */
        for (int i = 0; (tok = fg_sc_token(&rest)) != NULL; i++) {
            if (i < 4 && tok[0] == '@') {
                if (fg_world_bugcheck_ref(sc, sc->world, (unsigned)i, tok) != 0)
                    return -1;
                continue;
            }
            if (i == 4 || fg_sc_u64(tok, &cfg->bugcheck_params[i]) != 0)
                return fg_sc_fail(sc, "bugcheck: expected CODE [P1 P2 P3 P4], got '%s'", tok);
        }
    } else if (strcmp(key, "comment") == 0) {
        if (strlen(rest) >= sizeof(cfg->comment))
            return fg_sc_fail(sc, "comment: longer than %zu characters", sizeof(cfg->comment) - 1);
        strcpy(cfg->comment, rest);
    } else if (strcmp(key, "context") == 0) {
        return parse_context(sc, cfg, rest);
    } else if (strcmp(key, "exception") == 0) {
        return parse_exception(sc, cfg, rest);
    } else {
        return 1;
    }
    return 0;
}

static int is_action(const char *key)
{
    return strcmp(key, "map") == 0 || strcmp(key, "direct") == 0 || strcmp(key, "write") == 0 ||
           strcmp(key, "unloaded") == 0 || strcmp(key, "blob") == 0 || fg_world_is_key(key);
}

/* Cuts the comment and surrounding blanks; returns the key and sets *rest. */
static char *prepare_line(char *s, char **rest)
{
    for (char *p = s; *p != '\0'; p++) {
        if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
            *p = '\0';
            break;
        }
    }
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    char *key = fg_sc_token(&s);
    while (isspace((unsigned char)*s))
        s++;
    *rest = s;
    return key;
}

/* Runs one pass over the text: pass 0 applies header keys, pass 1 runs actions. */
static int run_pass(fg_sc *sc, const char *text, int pass, fg_config *cfg, fg_dump *d)
{
    int rc = 0;
    char *buf = malloc(strlen(text) + 1);
    if (buf == NULL)
        return fg_sc_fail(sc, "out of memory");
    strcpy(buf, text);
    sc->line = 0;
    for (char *line = buf; rc == 0 && line != NULL;) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        sc->line++;
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
            line[len - 1] = '\0';
        char *rest;
        char *key = prepare_line(line, &rest);
        if (key != NULL) {
            if (pass == 0 && !is_action(key)) {
                rc = parse_header_key(sc, cfg, key, rest);
                if (rc > 0)
                    rc = fg_sc_fail(sc, "unknown key '%s'", key);
            } else if (pass == 1 && strcmp(key, "map") == 0) {
                rc = fg_sc_map(sc, d, rest);
            } else if (pass == 1 && strcmp(key, "direct") == 0) {
                rc = fg_sc_direct(sc, d, rest);
            } else if (pass == 1 && strcmp(key, "write") == 0) {
                rc = fg_sc_write(sc, d, rest);
            } else if (pass == 1 && strcmp(key, "unloaded") == 0) {
                rc = fg_sc_unloaded(sc, d, rest);
            } else if (pass == 1 && strcmp(key, "blob") == 0) {
                rc = fg_sc_blob(sc, d, rest);
            } else if (pass == 1 && fg_world_is_key(key)) {
                rc = fg_world_parse(sc, sc->world, d, key, rest);
            }
        }
        line = nl != NULL ? nl + 1 : NULL;
    }
    free(buf);
    return rc;
}

fg_dump *fg_scenario_build(const char *text, const char *name, const fg_scenario_opts *opts,
                           char *err, size_t errlen)
{
    fg_sc sc = {name, 0, err, errlen, fg_world_new()};
    fg_config cfg;
    fg_config_default(&cfg);
    if (sc.world == NULL) {
        snprintf(err, errlen, "%s: out of memory", name);
        return NULL;
    }
    if (run_pass(&sc, text, 0, &cfg, NULL) != 0) {
        fg_world_free(sc.world);
        return NULL;
    }
    if (opts != NULL && opts->dump_type != 0)
        cfg.dump_type = opts->dump_type;
    if (opts != NULL && opts->has_sparse)
        cfg.sparse_phys_bytes = opts->sparse_bytes;
    fg_dump *d = fg_new(&cfg);
    if (d == NULL) {
        fg_world_free(sc.world);
        snprintf(err, errlen, "%s: cannot start the dump (bad type/sparse size, or out of memory)",
                 name);
        return NULL;
    }
    int rc = run_pass(&sc, text, 1, &cfg, d);
    if (rc == 0)
        rc = fg_world_finish(&sc, sc.world, d);
    fg_world_free(sc.world);
    if (rc != 0) {
        fg_free(d);
        return NULL;
    }
    return d;
}

fg_dump *fg_scenario_build_file(const char *path, const fg_scenario_opts *opts, char *err,
                                size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open the scenario", path);
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    while (text != NULL) {
        len += fread(text + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = cap < (64u << 20) ? realloc(text, cap * 2) : NULL;
        if (bigger == NULL) {
            free(text);
            text = NULL;
            break;
        }
        text = bigger;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (text == NULL || bad) {
        free(text);
        snprintf(err, errlen, "%s: cannot read the scenario (or larger than 64 MiB)", path);
        return NULL;
    }
    text[len] = '\0';
    if (strlen(text) != len) {
        free(text);
        snprintf(err, errlen, "%s: the scenario contains a NUL byte", path);
        return NULL;
    }
    fg_dump *d = fg_scenario_build(text, path, opts, err, errlen);
    free(text);
    return d;
}
