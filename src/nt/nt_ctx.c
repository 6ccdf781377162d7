/* SPDX-License-Identifier: MIT */
#include "nt/nt_ctx.h"

#include <stdlib.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/le.h"
#include "util/utf16.h"

void nt_limits_default(nt_limits *l)
{
    l->list_steps = 1000000;
    l->processes = 65536;
    l->threads = 262144;
    l->modules = 4096;
    l->resources = 1000000;
    l->owners_per_resource = 4096;
    l->waiters_per_resource = 4096;
    l->lock_entries = 1000000;
    l->model_bytes = (uint64_t)512 << 20;
    l->total_steps = 20000000;
}

int nt_is_kernel_va(uint64_t va)
{
    return (va >> 47) == 0x1FFFF;
}

di_status nt_read(nt_ctx *c, uint64_t va, void *buf, size_t len)
{
    return mm_read_virtual(c->mm, c->cr3, va, buf, len, NULL);
}

di_status nt_read_ptr(nt_ctx *c, uint64_t va, uint64_t *out)
{
    return mm_read_u64(c->mm, c->cr3, va, out, NULL);
}

void nt_prefetch(nt_ctx *c, const uint64_t *vas, size_t n, size_t len)
{
    uint64_t *kv = malloc((n ? n : 1) * sizeof *kv);
    size_t m = 0;
    if (!kv)
        return; /* only a prefetch */
    for (size_t i = 0; i < n; i++)
        if (nt_is_kernel_va(vas[i]))
            kv[m++] = vas[i];
    if (m > 1)
        mm_prefetch_virtual(c->mm, c->cr3, kv, m, len);
    free(kv);
}

di_status nt_read_field(nt_ctx *c, uint64_t base, nt_field_id id, uint64_t *out)
{
    const nt_field *f = nt_field_get(c->prof, id);
    if (!f || f->size == 0 || f->size > 8)
        return DI_E_ARG;
    uint8_t b[8] = {0};
    di_status st = nt_read(c, base + f->offset, b, f->size);
    if (st != DI_OK)
        return st;
    *out = nt_field_bits(f, le64(b));
    return DI_OK;
}

uint64_t nt_field_or(nt_ctx *c, uint64_t base, nt_field_id id, uint64_t dflt)
{
    uint64_t v;
    return nt_read_field(c, base, id, &v) == DI_OK ? v : dflt;
}

uint32_t nt_off(const nt_ctx *c, nt_field_id id)
{
    const nt_field *f = nt_field_get(c->prof, id);
    return f ? f->offset : 0;
}

uint32_t nt_size(const nt_ctx *c, nt_struct_id id) { return nt_struct_size(c->prof, id); }
int32_t nt_enum(const nt_ctx *c, nt_enum_id id) { return nt_enum_value(c->prof, id); }

di_status nt_read_ustr(nt_ctx *c, uint64_t va, nt_ustr *u)
{
    di_status st = nt_read_field(c, va, NT_F_UNICODE_STRING_LENGTH, &u->length);
    if (st == DI_OK)
        st = nt_read_field(c, va, NT_F_UNICODE_STRING_MAXIMUMLENGTH, &u->max_length);
    if (st == DI_OK)
        st = nt_read_field(c, va, NT_F_UNICODE_STRING_BUFFER, &u->buffer);
    return st;
}

di_status nt_read_utf16(nt_ctx *c, uint64_t buf, size_t chars, char *out, size_t cap)
{
    uint8_t w[2 * NT_USTR_MAX_BYTES];
    out[0] = '\0';
    if (chars > sizeof w / 2)
        chars = sizeof w / 2;
    di_status st = nt_read(c, buf, w, 2 * chars);
    if (st != DI_OK)
        return st;
    di_utf16le_to_utf8(w, chars, out, cap);
    return DI_OK;
}

di_status nt_read_unicode(nt_ctx *c, uint64_t va, char *out, size_t cap)
{
    nt_ustr u;
    out[0] = '\0';
    di_status st = nt_read_ustr(c, va, &u);
    if (st != DI_OK)
        return st;
    /* Length is hostile: it must be even, within MaximumLength and of a sane size, or the
     * bytes after the string become its text. */
    if (u.length % 2 || u.length > u.max_length || u.length > NT_USTR_MAX_BYTES)
        return DI_E_FORMAT;
    if (u.length == 0)
        return DI_OK;
    if (!nt_is_kernel_va(u.buffer))
        return DI_E_FORMAT;
    size_t chars = (size_t)u.length / 2;
    return nt_read_utf16(c, u.buffer, chars, out, cap);
}

static void add_warning(nt_ctx *c, di_wcode code, const char *fmt, va_list ap)
{
    char buf[768];
    vsnprintf(buf, sizeof buf, fmt, ap);
    di_strlist_add_code(c->warnings, code, "%s", buf);
}

void nt_warn(nt_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_warning(c, DI_W_NOTE, fmt, ap);
    va_end(ap);
}

void nt_warn_code(nt_ctx *c, di_wcode code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_warning(c, code, fmt, ap);
    va_end(ap);
    if (code == DI_W_LIMIT)
        c->limited = 1;
}

void nt_damage(nt_ctx *c, const char *fmt, ...)
{
    /* Past the page-read limit every read fails: that is the limit, not damage. */
    if (c->mm && c->mm->budget_hit) {
        if (!c->budget_warned)
            nt_warn_code(c, DI_W_LIMIT, "the page-read limit was reached; the rest of the kernel data was not read "
                       "(--limit pages_read=N)");
        c->budget_warned = 1;
        c->limited = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    add_warning(c, DI_W_KERNEL_DAMAGE, fmt, ap);
    va_end(ap);
    c->damaged = 1;
}

uint64_t nt_buf_field_at(const nt_ctx *c, const uint8_t *buf, size_t len, size_t base, nt_field_id id)
{
    const nt_field *f = nt_field_get(c->prof, id);
    if (!f || f->size == 0 || f->size > 8 || base > len || f->offset > len - base || f->size > len - base - f->offset)
        return 0;
    uint8_t b[8] = {0};
    memcpy(b, buf + base + f->offset, f->size);
    return nt_field_bits(f, le64(b));
}

uint64_t nt_buf_field(const nt_ctx *c, const uint8_t *buf, size_t len, nt_field_id id)
{
    return nt_buf_field_at(c, buf, len, 0, id);
}

int nt_step(nt_ctx *c)
{
    if (c->steps < c->limits.total_steps) {
        c->steps++;
        return 0;
    }
    if (!c->steps_warned)
        nt_warn_code(c, DI_W_LIMIT, "the kernel model stopped after %llu steps of work; the rest is not listed (--limit total_steps=N)",
                (unsigned long long)c->limits.total_steps);
    c->steps_warned = 1;
    c->limited = 1;
    return 1;
}

int nt_count_limit(nt_ctx *c, nt_count_kind kind, size_t count)
{
    static const char *const what[] = {"loaded modules", "processes", "threads", "executive resources"};
    static const char *const option[] = {"modules", "processes", "threads", "resources"};
    const uint32_t limit[] = {c->limits.modules, c->limits.processes, c->limits.threads, c->limits.resources};
    if (count < limit[kind])
        return 0;
    if (!(c->count_warned & (1u << kind)))
        nt_warn_code(c, DI_W_LIMIT, "more than %u %s; the rest are not listed (--limit %s=N)", limit[kind], what[kind], option[kind]);
    c->count_warned |= 1u << kind;
    c->limited = 1;
    return 1;
}

int nt_dispatcher_header_ok(const nt_ctx *c, const uint8_t *buf, size_t len, size_t hdr, uint64_t va)
{
    size_t wl = hdr + nt_off(c, NT_F_DISPATCHER_HEADER_WAITLISTHEAD);
    uint64_t flink = nt_buf_field_at(c, buf, len, wl, NT_F_LIST_ENTRY_FLINK);
    uint64_t blink = nt_buf_field_at(c, buf, len, wl, NT_F_LIST_ENTRY_BLINK);
    uint64_t self = va + wl;
    if (!nt_is_kernel_va(flink) || !nt_is_kernel_va(blink) || (flink & 7) || (blink & 7))
        return 0;
    return (flink == self) == (blink == self);
}
