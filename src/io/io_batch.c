/* SPDX-License-Identifier: MIT */
/* Batched reads: sort a batch by file offset and merge requests that lie within
 * IO_MERGE_GAP of each other into spans of at most IO_SPAN_MAX bytes, each one vectored
 * read straight into the callers' buffers. Spans the operating system's cache holds are
 * read at once in the calling thread; the rest wait on the disk (or a network share)
 * together, on the file's reader pool. Latency, not bandwidth, is what a list walk over a
 * cold disk waits on. */
#include <stdlib.h>
#include <string.h>

#include "io/io_file_priv.h"

/* Read across a small hole rather than pay another round trip, as long as a span's holes
 * stay smaller than what was asked of it. */
#define IO_MERGE_GAP (16u * 1024u)
#define IO_SPAN_MAX (1024u * 1024u)
#define IO_SPAN_VECS 1024            /* buffers in one vectored read */
#define IO_POOL_THREADS 64u          /* reads in flight at once */

typedef struct span {
    uint64_t off, end;
    size_t first, count; /* in the sorted order */
    size_t gap_at;       /* this span's gap bytes in the scratch buffer */
    uint64_t gaps, asked; /* bytes of holes and of requests */
    int vecs;
    int ok;
} span;

typedef struct batch {
    io_file *f;
    io_req *reqs;
    size_t *order;  /* request indices by offset */
    span *spans;
    size_t *pending; /* spans the cache could not answer */
} batch;

/* (offset, index) pairs: C11's qsort has no context argument. */
typedef struct keyed {
    uint64_t off;
    size_t i;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Issue span k: its requests' buffers in order, holes between them into scratch. */
static int read_span(batch *b, span *s, int nowait)
{
    io_file *f = b->f;
    io_os_vec v[IO_SPAN_VECS];
    int nv = 0;
    uint64_t pos = s->off;
    uint8_t *gap = f->scratch ? f->scratch + s->gap_at : NULL; /* NULL: the span has no holes */
    for (size_t j = s->first; j < s->first + s->count; j++) {
        io_req *r = &b->reqs[b->order[j]];
        if (r->off > pos) {
            v[nv++] = (io_os_vec){gap, (size_t)(r->off - pos)};
            gap += r->off - pos;
        }
        v[nv++] = (io_os_vec){r->buf, r->len};
        pos = r->off + r->len;
    }
    if (f->in_memory) {
        for (size_t j = s->first; j < s->first + s->count; j++) {
            io_req *r = &b->reqs[b->order[j]];
            memcpy(r->buf, f->mem + (size_t)r->off, r->len);
        }
        return 0;
    }
    if (!nowait && f->latency_us)
        io_sleep_us(f->latency_us);
    return io_os_preadv(f->h, s->off, v, nv, nowait);
}

static void read_pending(void *ctx, size_t k)
{
    batch *b = ctx;
    span *s = &b->spans[b->pending[k]];
    s->ok = read_span(b, s, 0) == 0;
}

/* Group the sorted requests into spans (overlapping requests never share one); returns the
 * count, and the scratch bytes the holes need. */
static size_t plan(const batch *b, size_t n, span *spans, size_t *gap_bytes)
{
    size_t ns = 0;
    *gap_bytes = 0;
    for (size_t k = 0; k < n; k++) {
        const io_req *r = &b->reqs[b->order[k]];
        uint64_t end = r->off + r->len;
        span *cur = ns ? &spans[ns - 1] : NULL;
        if (cur && r->off >= cur->end && r->off - cur->end <= IO_MERGE_GAP && end - cur->off <= IO_SPAN_MAX &&
            cur->vecs + 2 <= IO_SPAN_VECS && cur->gaps + (r->off - cur->end) <= cur->asked + r->len) {
            cur->vecs += 1 + (r->off > cur->end);
            cur->gaps += r->off - cur->end;
            cur->asked += r->len;
            *gap_bytes += (size_t)(r->off - cur->end);
            cur->end = end;
            cur->count++;
            continue;
        }
        spans[ns++] = (span){.off = r->off, .end = end, .first = k, .count = 1, .gap_at = *gap_bytes, .vecs = 1,
                             .asked = r->len};
    }
    return ns;
}

static int grow_scratch(io_file *f, size_t need)
{
    if (need <= f->scratch_cap)
        return 0;
    uint8_t *p = realloc(f->scratch, need);
    if (!p)
        return -1;
    f->scratch = p;
    f->scratch_cap = need;
    return 0;
}

void io_pread_batch(io_file *f, io_req *reqs, size_t n)
{
    size_t m = 0, cap = n ? n : 1;
    keyed *keys = malloc(cap * sizeof *keys);
    size_t *order = malloc(cap * sizeof *order), *pending = malloc(cap * sizeof *pending);
    span *spans = malloc(cap * sizeof *spans);
    for (size_t i = 0; i < n; i++)
        reqs[i].ok = 0;
    if (!keys || !order || !spans || !pending)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (reqs[i].len && reqs[i].off <= f->size && reqs[i].len <= f->size - reqs[i].off)
            keys[m++] = (keyed){reqs[i].off, i};
    qsort(keys, m, sizeof *keys, keyed_cmp);
    for (size_t k = 0; k < m; k++)
        order[k] = keys[k].i;
    batch b = {.f = f, .reqs = reqs, .order = order, .spans = spans, .pending = pending};
    size_t gap_bytes, np = 0;
    size_t ns = plan(&b, m, spans, &gap_bytes);
    if (grow_scratch(f, gap_bytes) != 0)
        goto out;
    /* What the cache holds is read now; a simulated latency means nothing is cached. */
    for (size_t k = 0; k < ns; k++) {
        int rc;
        if (f->in_memory)
            rc = read_span(&b, &spans[k], 0);
        else if (f->latency_us)
            rc = 1;
        else
            rc = read_span(&b, &spans[k], 1);
        spans[k].ok = rc == 0;
        if (rc == 1)
            pending[np++] = k;
    }
    if (np > 1 && !f->pool && !f->pool_failed) {
        f->pool = io_pool_new(IO_POOL_THREADS);
        f->pool_failed = f->pool == NULL;
    }
    io_pool_run(f->pool, np, read_pending, &b);
    f->reads += ns;
    f->batches += np > 1;
    for (size_t k = 0; k < ns; k++)
        for (size_t j = spans[k].first; j < spans[k].first + spans[k].count; j++)
            reqs[order[j]].ok = spans[k].ok;
out:
    free(keys);
    free(order);
    free(pending);
    free(spans);
}

uint64_t io_batch_count(const io_file *f) { return f->batches; }
