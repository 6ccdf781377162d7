/* SPDX-License-Identifier: MIT */
/* One description of a report element, two destinations: the big lists' elements (threads,
 * executive resources) are emitted member by member either into a cJSON tree (findings,
 * the text report, a report held in memory) or straight out as text while the report is
 * printed, with no tree in between: a million resources then cost no allocation each.
 * The text is byte for byte what printing the tree would give. */
#ifndef DI_REPORT_EMIT_H
#define DI_REPORT_EMIT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "report/rep_json.h"
#include "util/strbuf.h"

#define REP_EMIT_DEPTH 16

/* The streamed printer's output (rep_stream.c): text goes to a buffer, which a sink (when
 * given) drains every REP_SINK_CHUNK bytes. Defined here so that the hot path of writing,
 * a few bytes at a time, is inline. */
#define REP_SINK_CHUNK (64u * 1024u)
typedef struct rep_out {
    di_strbuf b;
    int compact;
    const rep_deferrals *defer;
    rep_sink_fn sink;
    void *sink_ctx;
    int sink_failed;
} rep_out;

/* Append n bytes when the buffer is out of room or due to be drained. */
void rep_out_put_slow(rep_out *o, const char *p, size_t n);

/* Append n bytes (the buffer is NUL-terminated only when printing ends). */
static inline void rep_out_put(rep_out *o, const char *p, size_t n)
{
    size_t end = o->b.len + n;
    if (end < o->b.cap && !o->b.failed && (!o->sink || end < REP_SINK_CHUNK)) {
        memcpy(o->b.s + o->b.len, p, n);
        o->b.len = end;
    } else {
        rep_out_put_slow(o, p, n);
    }
}

typedef struct rep_emit_frame {
    cJSON *node;  /* tree: the container; text: unused */
    int is_array;
    int count;    /* members or elements so far */
    int depth;    /* the container's nesting depth, as the printer counts it */
} rep_emit_frame;

typedef struct rep_emit {
    rep_out *out; /* NULL: build a tree */
    int failed;   /* out of memory, or nesting too deep */
    int nframes;
    rep_emit_frame f[REP_EMIT_DEPTH];
} rep_emit;

/* Emit into container (an array or object) of a tree. */
void rep_emit_tree(rep_emit *e, cJSON *container);
/* Emit text as elements of the array being printed at depth; first: no element yet. */
void rep_emit_text(rep_emit *e, rep_out *out, int depth, int first);
/* Whether something was emitted at the top level (an element was written). */
int rep_emit_count(const rep_emit *e);

/* key names the member inside an object; it is ignored inside an array. */
void rep_em_object(rep_emit *e, const char *key);
void rep_em_array(rep_emit *e, const char *key);
void rep_em_end(rep_emit *e);
void rep_em_string(rep_emit *e, const char *key, const char *s); /* NULL: null */
void rep_em_null(rep_emit *e, const char *key);
void rep_em_bool(rep_emit *e, const char *key, int v);
void rep_em_number(rep_emit *e, const char *key, double v);
/* Counts: exact in a double up to 2^53, which every count stays below. */
void rep_em_uint(rep_emit *e, const char *key, uint64_t v);
void rep_em_hex64(rep_emit *e, const char *key, uint64_t v);
void rep_em_hex16(rep_emit *e, const char *key, uint16_t v);
/* A subtree built elsewhere (the emitter takes it; NULL counts as out of memory). */
void rep_em_json(rep_emit *e, const char *key, cJSON *item);

/* The streamed printer's text primitives (rep_stream.c), for the text destination. */
void rep_out_tabs(rep_out *o, int n);
void rep_out_string(rep_out *o, const char *s);
void rep_out_number(rep_out *o, double v);
void rep_out_value(rep_out *o, const cJSON *item, int depth);

#endif
