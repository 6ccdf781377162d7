/* SPDX-License-Identifier: MIT */
/* Loaded modules: KLDR_DATA_TABLE_ENTRY records on PsLoadedModuleList in load order
 * (ntoskrnl.exe, hal.dll, then drivers), each with its UTF-16 path. */
#include "fg_world_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Defaults when a scenario names no kernel or HAL (values of the kind a 19041 system shows). */
#define NT_DEFAULT_BASE 0xFFFFF80512000000ull
#define NT_DEFAULT_SIZE 0x1046000ull
#define NT_DEFAULT_TIMESTAMP 0x5F2A1B3Cu
#define NT_DEFAULT_CHECKSUM 0x00A1B2C3u
#define HAL_DEFAULT_SIZE 0x69000ull
#define HAL_DEFAULT_TIMESTAMP 0x6E1A3B2Fu
#define HAL_DEFAULT_CHECKSUM 0x0007A8B1u
#define MODULE_GAP 0x100000ull

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int add_default(fg_world *w, const char *name, uint64_t base, uint64_t size,
                       uint32_t timestamp, uint32_t checksum)
{
    if (fgw_grow((void **)&w->mods, &w->cap_mods, w->nmods + 1, sizeof(*w->mods)) != 0)
        return fgw_fail(w, w->line, "out of memory");
    fgw_module *m = &w->mods[w->nmods++];
    memset(m, 0, sizeof(*m));
    strcpy(m->name, name);
    m->base = base;
    m->size = size;
    m->timestamp = timestamp;
    m->checksum = checksum;
    m->has_timestamp = m->has_checksum = 1;
    m->line = w->line;
    return 0;
}

/* Puts the module called name at index `to`, keeping the others in their order. */
static void move_to(fg_world *w, const char *name, size_t to)
{
    long from = fgw_find_module(w, name);
    if (from < 0 || (size_t)from == to)
        return;
    fgw_module m = w->mods[from];
    memmove(&w->mods[to + 1], &w->mods[to], ((size_t)from - to) * sizeof(m));
    w->mods[to] = m;
}

static void fill_defaults(fgw_module *m, int is_nt)
{
    if (!m->has_entry)
        m->entry_off = (m->size / 2) & ~0xFull;
    if (!m->has_timestamp)
        m->timestamp = 0x5E000000u + name_hash(m->name) % 0x01000000u;
    if (!m->has_checksum)
        m->checksum = name_hash(m->name) >> 8;
    if (!m->has_path) {
        const char *dir = is_nt || strcmp(m->name, "hal.dll") == 0 ? "\\SystemRoot\\system32\\"
                                                                  : "\\SystemRoot\\System32\\drivers\\";
        snprintf(m->path, sizeof(m->path), "%s%s", dir, m->name);
    }
    if (is_nt && !m->has_guid) {
        /* A fixed, made-up GUID: same scenario, same bytes. */
        static const uint8_t guid[16] = {0xB9, 0xDB, 0x44, 0x38, 0x17, 0x20, 0x67, 0x49,
                                         0xBE, 0x7A, 0xA4, 0xA2, 0xC2, 0x04, 0x30, 0xFA};
        memcpy(m->guid, guid, sizeof(guid));
    }
    if (is_nt && !m->has_age)
        m->age = 1;
}

int fgw_modules_resolve(fg_world *w)
{
    if (fgw_find_module(w, "ntoskrnl.exe") < 0 &&
        add_default(w, "ntoskrnl.exe", NT_DEFAULT_BASE, NT_DEFAULT_SIZE, NT_DEFAULT_TIMESTAMP,
                    NT_DEFAULT_CHECKSUM) != 0)
        return -1;
    if (fgw_find_module(w, "hal.dll") < 0) {
        const fgw_module *nt = &w->mods[fgw_find_module(w, "ntoskrnl.exe")];
        uint64_t base = (nt->base + nt->size + 2 * MODULE_GAP - 1) & ~(MODULE_GAP - 1);
        if (add_default(w, "hal.dll", base, HAL_DEFAULT_SIZE, HAL_DEFAULT_TIMESTAMP,
                        HAL_DEFAULT_CHECKSUM) != 0)
            return -1;
    }
    move_to(w, "ntoskrnl.exe", 0);
    move_to(w, "hal.dll", 1);
    w->nt = 0;
    for (size_t i = 0; i < w->nmods; i++) {
        fill_defaults(&w->mods[i], i == 0);
        for (size_t j = 0; j < i; j++) {
            const fgw_module *a = &w->mods[i], *b = &w->mods[j];
            if (a->base < b->base + b->size && b->base < a->base + a->size)
                return fgw_fail(w, a->line, "module %s overlaps %s", a->name, b->name);
        }
    }
    return 0;
}

int fgw_modules_layout(fg_world *w)
{
    uint32_t rec_size = fgw_size(w, NT_S_KLDR_DATA_TABLE_ENTRY);
    for (size_t i = 0; i < w->nmods; i++) {
        fgw_module *m = &w->mods[i];
        m->rec = fg_alloc_kva(w->d, rec_size, 16);
        m->name_buf = fg_alloc_kva(w->d, 2 * (strlen(m->path) + 1), 16);
        if (m->rec == 0 || m->name_buf == 0)
            return fgw_fail_dump(w, m->line, "allocating a loaded-module entry");
    }
    return 0;
}

static int write_module(fg_world *w, size_t i, fgw_buf *o)
{
    const fgw_module *m = &w->mods[i];
    uint32_t links = fgw_off(w, NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS);
    uint64_t next = i + 1 < w->nmods ? w->mods[i + 1].rec + links : w->mod_head;
    uint64_t prev = i > 0 ? w->mods[i - 1].rec + links : w->mod_head;
    memset(o->b, 0, o->len);
    fgw_set_list(o, 0, NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS, next, prev);
    fgw_set(o, 0, NT_F_KLDR_DATA_TABLE_ENTRY_DLLBASE, m->base);
    fgw_set(o, 0, NT_F_KLDR_DATA_TABLE_ENTRY_ENTRYPOINT, m->base + m->entry_off);
    fgw_set(o, 0, NT_F_KLDR_DATA_TABLE_ENTRY_SIZEOFIMAGE, m->size);
    fgw_set(o, 0, NT_F_KLDR_DATA_TABLE_ENTRY_CHECKSUM, m->checksum);
    fgw_set(o, 0, NT_F_KLDR_DATA_TABLE_ENTRY_TIMEDATESTAMP, m->timestamp);
    /* BaseDllName points into FullDllName's buffer, at the file name, as the loader does. */
    size_t len = strlen(m->path), base_at = 0;
    for (size_t k = 0; k < len; k++)
        if (m->path[k] == '\\')
            base_at = k + 1;
    fgw_set_unicode(o, fgw_off(w, NT_F_KLDR_DATA_TABLE_ENTRY_FULLDLLNAME), m->name_buf, len, len + 1);
    fgw_set_unicode(o, fgw_off(w, NT_F_KLDR_DATA_TABLE_ENTRY_BASEDLLNAME), m->name_buf + 2 * base_at,
                    len - base_at, len - base_at + 1);
    if (fgw_put(w, m->line, m->rec, o) != 0)
        return -1;
    return fgw_write_utf16(w, m->line, m->name_buf, m->path, len);
}

int fgw_modules_write(fg_world *w)
{
    fgw_buf o;
    if (fgw_buf_init(&o, w->p, fgw_size(w, NT_S_KLDR_DATA_TABLE_ENTRY)) != 0)
        return fgw_fail(w, w->line, "out of memory");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < w->nmods; i++)
        rc = write_module(w, i, &o);
    fgw_buf_free(&o);
    if (rc != 0)
        return rc;
    uint32_t links = fgw_off(w, NT_F_KLDR_DATA_TABLE_ENTRY_INLOADORDERLINKS);
    return fgw_write_list(w, w->line, w->mod_head, w->mods[0].rec + links,
                          w->mods[w->nmods - 1].rec + links);
}
