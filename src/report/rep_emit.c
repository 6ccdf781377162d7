/* SPDX-License-Identifier: MIT */
#include "report/rep_emit.h"

#include <stdio.h>
#include <string.h>

void rep_emit_tree(rep_emit *e, cJSON *container)
{
    memset(e, 0, sizeof *e);
    e->nframes = 1;
    e->f[0] = (rep_emit_frame){.node = container, .is_array = cJSON_IsArray(container)};
    e->failed = container == NULL;
}

void rep_emit_text(rep_emit *e, rep_out *out, int depth, int first)
{
    /* Once per list element, shown or not: only what is used is set (frames beyond the
     * first are written as containers open). */
    e->failed = 0;
    e->out = out;
    e->nframes = 1;
    e->f[0] = (rep_emit_frame){.is_array = 1, .count = first ? 0 : 1, .depth = depth};
}

int rep_emit_count(const rep_emit *e) { return e->f[0].count; }

/* Text: what comes before a value in the current container (separator, indentation, key). */
static void text_prefix(rep_emit *e, const char *key)
{
    rep_emit_frame *p = &e->f[e->nframes - 1];
    int fmt = !e->out->compact;
    if (p->is_array) {
        if (p->count)
            rep_out_put(e->out, ", ", fmt ? 2 : 1);
    } else {
        if (p->count)
            rep_out_put(e->out, ",\n", fmt ? 2 : 1);
        if (fmt)
            rep_out_tabs(e->out, p->depth);
        rep_out_string(e->out, key ? key : "");
        rep_out_put(e->out, ":\t", fmt ? 2 : 1);
    }
    p->count++;
}

/* Tree: hang item in the current container. */
static void tree_add(rep_emit *e, const char *key, cJSON *item)
{
    rep_emit_frame *p = &e->f[e->nframes - 1];
    int ok = item && (p->is_array ? cJSON_AddItemToArray(p->node, item)
                                  : cJSON_AddItemToObject(p->node, key ? key : "", item));
    if (!ok) {
        cJSON_Delete(item);
        e->failed = 1;
        return;
    }
    p->count++;
}

static void open_container(rep_emit *e, const char *key, int is_array)
{
    if (e->failed)
        return;
    if (e->nframes == REP_EMIT_DEPTH) {
        e->failed = 1;
        return;
    }
    rep_emit_frame *p = &e->f[e->nframes - 1];
    rep_emit_frame c = {.is_array = is_array, .depth = p->depth + 1};
    if (e->out) {
        text_prefix(e, key);
        rep_out_put(e->out, is_array ? "[" : "{\n", is_array || e->out->compact ? 1 : 2);
    } else {
        c.node = is_array ? cJSON_CreateArray() : cJSON_CreateObject();
        tree_add(e, key, c.node);
        if (e->failed)
            return;
    }
    e->f[e->nframes++] = c;
}

void rep_em_object(rep_emit *e, const char *key) { open_container(e, key, 0); }
void rep_em_array(rep_emit *e, const char *key) { open_container(e, key, 1); }

void rep_em_end(rep_emit *e)
{
    if (e->failed || e->nframes < 2)
        return;
    rep_emit_frame c = e->f[--e->nframes];
    if (!e->out)
        return;
    if (c.is_array) {
        rep_out_put(e->out, "]", 1);
        return;
    }
    if (!e->out->compact) {
        if (c.count)
            rep_out_put(e->out, "\n", 1);
        rep_out_tabs(e->out, c.depth - 1);
    }
    rep_out_put(e->out, "}", 1);
}

void rep_em_string(rep_emit *e, const char *key, const char *s)
{
    if (e->failed)
        return;
    if (!s) {
        rep_em_null(e, key);
        return;
    }
    if (!e->out) {
        tree_add(e, key, cJSON_CreateString(s));
        return;
    }
    text_prefix(e, key);
    rep_out_string(e->out, s);
}

void rep_em_null(rep_emit *e, const char *key)
{
    if (e->failed)
        return;
    if (!e->out) {
        tree_add(e, key, cJSON_CreateNull());
        return;
    }
    text_prefix(e, key);
    rep_out_put(e->out, "null", 4);
}

void rep_em_bool(rep_emit *e, const char *key, int v)
{
    if (e->failed)
        return;
    if (!e->out) {
        tree_add(e, key, cJSON_CreateBool(v));
        return;
    }
    text_prefix(e, key);
    rep_out_put(e->out, v ? "true" : "false", v ? 4 : 5);
}

void rep_em_number(rep_emit *e, const char *key, double v)
{
    if (e->failed)
        return;
    if (!e->out) {
        tree_add(e, key, cJSON_CreateNumber(v));
        return;
    }
    text_prefix(e, key);
    rep_out_number(e->out, v);
}

void rep_em_uint(rep_emit *e, const char *key, uint64_t v) { rep_em_number(e, key, (double)v); }

void rep_em_hex64(rep_emit *e, const char *key, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    char b[19] = "0x";
    for (int i = 0; i < 16; i++)
        b[2 + i] = hex[(v >> (60 - 4 * i)) & 15];
    b[18] = 0;
    rep_em_string(e, key, b);
}

void rep_em_hex16(rep_emit *e, const char *key, uint16_t v)
{
    char b[8];
    snprintf(b, sizeof b, "0x%04x", (unsigned)v);
    rep_em_string(e, key, b);
}

void rep_em_json(rep_emit *e, const char *key, cJSON *item)
{
    if (e->failed || !item) {
        cJSON_Delete(item);
        e->failed = 1;
        return;
    }
    if (!e->out) {
        tree_add(e, key, item);
        return;
    }
    int depth = e->f[e->nframes - 1].depth + 1;
    text_prefix(e, key);
    rep_out_value(e->out, item, depth);
    cJSON_Delete(item);
}
